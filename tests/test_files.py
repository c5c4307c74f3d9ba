"""playbook.files: the formula escape, the CSV writer against pandas, atomic writes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from playbook.files import (
    FORMULA_START,
    csv_bytes,
    json_text,
    neutralize_cell,
    restore_cell,
    write_bytes_atomic,
    write_csv_atomic,
    write_folder_atomic,
    write_json_atomic,
    write_text_atomic,
)

WORDS = ["", "plain", "=1+1", "+x", "-1", "@a", "\tt", "\rr", "'q", "''q", "a,b", 'say "hi"',
         "line\nbreak", "crlf\r\nx", "æøå", " lead", "x'", ",first", '"first', "\nfirst",
         "😀,", "a\rb", "x\n", "\n", "=HYPERLINK(\"http://evil\",\"x\")", "a;b"]


def pandas_csv(frame: pd.DataFrame, lineterminator: str = "\r\n") -> str:
    """What pandas writes after the escape of every text cell (the reference)."""
    escaped = frame.copy()
    for col in escaped.columns:
        if escaped[col].dtype == object or pd.api.types.is_string_dtype(escaped[col]):
            escaped[col] = escaped[col].fillna("").astype(str).map(neutralize_cell)
    return escaped.to_csv(index=False, lineterminator=lineterminator)


def frame(n: int = 300) -> pd.DataFrame:
    return pd.DataFrame({
        "id": [f"{WORDS[i % len(WORDS)]}{i}" for i in range(n)],  # nearly all distinct
        "word": [WORDS[i % len(WORDS)] for i in range(n)],
        "count": [i % 7 - 3 for i in range(n)],
        "flag": [i % 2 == 0 for i in range(n)],
        "gaps": pd.Series([None if i % 5 == 0 else WORDS[i % len(WORDS)] for i in range(n)],
                          dtype=object),
        "ratio": [i / 3 if i % 4 else float("nan") for i in range(n)],
        "mixed": pd.Series([i if i % 3 else WORDS[i % len(WORDS)] for i in range(n)],
                           dtype=object),
        "nullable": pd.array([None if i % 6 == 0 else i for i in range(n)], dtype="Int64"),
        'he"ad,er': ["=not escaped in the header"] * n,
        "strings": pd.Series([WORDS[i % len(WORDS)] for i in range(n)], dtype="str"),
        "clean": [f"u{i}" for i in range(n)],
    })


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "'x", "''x",
                                  "plain", "", "a=b", "x'"])
def test_neutralize_and_restore_round_trip(text):
    safe = neutralize_cell(text)
    assert not safe.startswith(tuple(s for s in FORMULA_START if s != "'")) or safe == text
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore_cell(safe) == text


def test_neutralize_leaves_other_values_alone():
    assert neutralize_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralize_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize_cell("'quoted") == "''quoted"  # so restore_cell is exact
    assert neutralize_cell("contoso") == "contoso"
    assert neutralize_cell(3) == 3 and neutralize_cell(None) is None


@pytest.mark.parametrize("columns", [
    None, ["word"], ["count"], ["gaps"], ["ratio", "word"], ["clean", "count"], ["mixed"],
    ["nullable", "flag"], ["strings", "id"],
])
@pytest.mark.parametrize("lineterminator", ["\r\n", "\n"])
def test_csv_is_what_pandas_writes_after_the_escape(columns, lineterminator):
    data = frame() if columns is None else frame()[columns]
    for rows in (data, data.iloc[:0], data.iloc[:1]):
        got = csv_bytes(rows, lineterminator=lineterminator)
        assert got == b"\xef\xbb\xbf" + pandas_csv(rows, lineterminator).encode("utf-8")
    assert csv_bytes(data, bom=False, lineterminator=lineterminator) == \
        pandas_csv(data, lineterminator).encode("utf-8")


def test_csv_cells_read_back_with_the_escape_undone():
    data = frame()[["id", "word", "strings"]]
    back = pd.read_csv(pd.io.common.BytesIO(csv_bytes(data)), dtype=str,
                       keep_default_na=False, encoding="utf-8-sig")
    for col in data.columns:
        assert [restore_cell(v) for v in back[col]] == data[col].tolist()


def test_json_text_is_indented_json_keeping_names():
    data = {"name": "Ærø 日本", "n": [1, 2], "when": None}
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert "\\u00c6" in json_text(data, ensure_ascii=True)
    assert json.loads(json_text({"d": Path("x")}, default=str)) == {"d": "x"}


def test_atomic_writes_replace_the_file_and_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_text_atomic(tmp_path / "sub" / "a.txt", "one\n")
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    write_bytes_atomic(path, b"two")
    assert path.read_bytes() == b"two"
    write_json_atomic(tmp_path / "r.json", {"x": "æ"})
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == '{\n  "x": "æ"\n}\n'
    write_csv_atomic(tmp_path / "s.csv", frame()[["word"]], bom=False, lineterminator="\n")
    assert (tmp_path / "s.csv").read_bytes().decode("utf-8") == pandas_csv(
        frame()[["word"]], "\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "s.csv", "sub"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = write_text_atomic(tmp_path / "a.txt", "old")

    def fail(*args, **kwargs):  # noqa: ANN002, ANN003
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_folder_is_written_whole_or_not_at_all(tmp_path):
    old_mask = os.umask(0o022)
    try:
        out = write_folder_atomic(tmp_path / "plan", [("a", b"1"), ("b", b"2")])
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a": b"1", "b": b"2"}

    def files():
        yield "c", b"3"
        raise OSError("render failed")

    with pytest.raises(OSError, match="render failed"):
        write_folder_atomic(out, files())
    assert {p.name for p in out.iterdir()} == {"a", "b"}  # the old folder, untouched
    write_folder_atomic(out, [("c", b"3")])
    assert {p.name for p in out.iterdir()} == {"c"}  # replaced whole
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no leftovers
