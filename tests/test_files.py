"""playbook.files: the formula escape, the CSV writer against pandas, atomic writes."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from spreadsheet import formulas

import playbook.files as files_module
from playbook.files import (
    FIELD_BREAKS,
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
         "😀,", "a\rb", "x\n", "\n", "=HYPERLINK(\"http://evil\",\"x\")", "a;b",
         "a;=cmd|' /C calc'!A0", "x,-2+3", "a;\"=b\"", "n\n@SUM(1)", "a;'b", "a,'", ";+1;-1",
         "a\"b;=c", "\x00=nul"]


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


def _is_text(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column)


def expected_rows(data: pd.DataFrame) -> list[list[str]]:
    """What the csv module must read back: the header, text cells escaped, numbers as pandas
    writes them."""
    columns = [[neutralize_cell(v) for v in data[c].fillna("").astype(str)] if _is_text(data[c])
               else [v.strip('"') for v in data[c].to_csv(index=False, header=False,
                                                           lineterminator="\n").split("\n")[:-1]]
               for c in data.columns]  # (pandas writes a lone missing number as "")
    return [list(data.columns), *map(list, zip(*columns, strict=True))]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(1)", "\tx", "\rx", "'x", "''x",
                                  "plain", "", "a=b", "x'", "a;=b", "a,+b;-c", "\n=x", 'a;"=b',
                                  "a;'b", ";'", "\r=", "a;\r=b", "O'Brien, 'Bob'"])
def test_neutralize_and_restore_round_trip(text):
    safe = neutralize_cell(text)
    for start in ["", *FIELD_BREAKS]:  # no field start holds a formula start, or a ' of its own
        for part in safe.split(start)[1 if start else 0:] if start else [safe]:
            assert part[:1] not in ("=", "+", "-", "@", "\t", '"'), (text, safe)
    assert restore_cell(safe) == text


def test_neutralize_leaves_other_values_alone():
    assert neutralize_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert neutralize_cell("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize_cell("'quoted") == "''quoted"  # so restore_cell is exact
    assert neutralize_cell("a;=cmd") == "a;'=cmd"
    assert neutralize_cell("Smith, -Bob") == "Smith, -Bob"  # a space starts no formula
    assert neutralize_cell("contoso") == "contoso"
    assert neutralize_cell(3) == 3 and neutralize_cell(None) is None


@pytest.mark.parametrize("columns", [
    None, ["word"], ["count"], ["gaps"], ["ratio", "word"], ["clean", "count"], ["mixed"],
    ["nullable", "flag"], ["strings", "id"],
])
@pytest.mark.parametrize("lineterminator", ["\r\n", "\n"])
def test_csv_reads_back_as_the_escaped_cells(columns, lineterminator):
    data = frame() if columns is None else frame()[columns]
    for rows in (data, data.iloc[:0], data.iloc[:1]):
        got = csv_bytes(rows, lineterminator=lineterminator)
        assert got.startswith(b"\xef\xbb\xbf")
        text = got.decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(text, newline=""))) == expected_rows(rows)
        assert text.endswith(lineterminator) and text.count(lineterminator) >= len(rows) + 1
    assert csv_bytes(data, bom=False, lineterminator=lineterminator) == \
        csv_bytes(data, lineterminator=lineterminator)[3:]


def test_every_csv_is_inert_whether_split_on_comma_or_semicolon():
    """Issue 15 item 1: Excel set to Danish or German splits on ``;`` and sees quotes only at
    a field's start, so ``a;=cmd`` must not hold a field ``=cmd``; text cells are quoted."""
    data = frame()
    got = csv_bytes(data)
    assert formulas(got) == []
    # the same cells without the escape are caught by the oracle: it can fail
    raw = "\r\n".join(",".join(f'"{w}"' for w in WORDS[i:i + 3]) for i in range(len(WORDS)))
    assert {d for d, _ in formulas(raw.encode())} == {",", ";"}
    # text cells quoted, numbers bare
    lines = got.decode("utf-8-sig").split("\r\n")
    assert lines[0].startswith('"id","word","count","flag","gaps"')
    assert lines[1] == '"0","",-3,True,"",,"",,"\'=not escaped in the header","","u0"'


def test_csv_cells_read_back_with_the_escape_undone():
    data = frame()[["id", "word", "strings"]]
    back = pd.read_csv(io.BytesIO(csv_bytes(data)), dtype=str,
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
    assert (tmp_path / "s.csv").read_bytes() == csv_bytes(frame()[["word"]], bom=False,
                                                           lineterminator="\n")
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


def test_a_second_process_writes_its_part_of_the_folder(tmp_path):
    parent = os.getpid()
    seen: list[int] = []

    def elsewhere():
        seen.append(os.getpid())  # in the child, this list is the child's own copy
        yield "b", f"from {'parent' if os.getpid() == parent else 'child'}".encode()
        yield "c", b"3"

    out = write_folder_atomic(tmp_path / "plan", [("a", b"1")], elsewhere=elsewhere)
    got = {p.name: p.read_bytes() for p in out.iterdir()}
    if files_module.SECOND_PROCESS_POSSIBLE:
        assert got == {"a": b"1", "b": b"from child", "c": b"3"} and seen == []
    else:
        assert got == {"a": b"1", "b": b"from parent", "c": b"3"} and seen == [parent]
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_without_a_second_process_the_same_files_are_written_here(tmp_path, monkeypatch):
    monkeypatch.setattr(files_module, "SECOND_PROCESS_POSSIBLE", False)
    out = write_folder_atomic(tmp_path / "plan", [("a", b"1")],
                              elsewhere=lambda: iter([("b", str(os.getpid()).encode())]))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "a": b"1", "b": str(os.getpid()).encode()}


def test_a_failed_second_process_is_redone_here_and_a_real_error_raised_here(tmp_path):
    parent = os.getpid()

    def fails_in_child():
        if os.getpid() != parent:
            raise MemoryError("the child ran out")
        yield "b", b"2"

    out = write_folder_atomic(tmp_path / "plan", [("a", b"1")], elsewhere=fails_in_child)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a": b"1", "b": b"2"}

    def always_fails():
        yield "c", b"3"
        raise OSError("render failed")

    with pytest.raises(OSError, match="render failed"):  # the parent's own try shows why
        write_folder_atomic(out, [("a", b"new")], elsewhere=always_fails)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a": b"1", "b": b"2"}
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no partial folder left
