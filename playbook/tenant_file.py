"""Write an admin's choices back into ``tenant.yaml``, keeping everything else of the file.

The widgets let an admin pick the target, how E4 was bought and paid, who to leave out and
which departments to plan; the text used to say "copy the choices into tenant.yaml". Now a
button does it. The file is the admin's: its comments, its key order and the keys no widget
touches stay as they are. Only the lines of the keys being saved are replaced (a key not in
the file is added at the end); the new text is validated as a whole with the same rules that
load it, then written atomically, so a bad value leaves the file untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from playbook.errors import InputError, speaking
from playbook.files import write_text_atomic
from playbook.tenant import config_from_mapping, stated_language

SAVABLE_KEYS: tuple[str, ...] = ("target", "purchase_channel", "payment_method",
                                 "exclude_users", "only_departments", "max_users")
"""The tenant.yaml keys the widgets may write."""

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_INLINE_COMMENT = re.compile(r"\s+#[^'\"]*$")


def _entry(key: str, value: Any) -> str:
    """``key: value`` as one line of YAML, a list written ``[a, b]``."""
    if isinstance(value, list | tuple):
        flow = yaml.safe_dump(list(value), default_flow_style=True, allow_unicode=True,
                              width=10_000).strip()
        return f"{key}: {flow}\n"
    return yaml.safe_dump({key: value}, default_flow_style=False, allow_unicode=True,
                          sort_keys=False, width=10_000)


def _block(lines: list[str], key: str) -> tuple[int, int] | None:
    """The line range of a top-level key: its line and the indented or ``-`` lines under it."""
    for i, line in enumerate(lines):
        m = _TOP_KEY.match(line)
        if m and m.group(1) == key:
            end = i + 1
            while end < len(lines) and lines[end].strip() and (
                    lines[end][0] in " \t" or lines[end].startswith("-")):
                end += 1
            return i, end
    return None


def set_keys(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with each key of ``values`` set (``None`` removes the key), the rest unchanged.

    A one-line key keeps its trailing ``# comment``.
    """
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for key, value in values.items():
        entry = [] if value is None else _entry(key, value).splitlines(keepends=True)
        where = _block(lines, key)
        if where is None:
            lines += entry
            continue
        start, end = where
        comment = _INLINE_COMMENT.search(lines[start].rstrip("\n"))
        if comment and end == start + 1 and len(entry) == 1:
            entry = [entry[0].rstrip("\n") + comment.group(0) + "\n"]
        lines[start:end] = entry
    return "".join(lines)


def save_choices(tenant_dir: str | Path, choices: Mapping[str, Any], *,
                 lang: str | None = None) -> Path:
    """Write ``choices`` (keys of :data:`SAVABLE_KEYS`) into ``<tenant_dir>/tenant.yaml``.

    Returns the file's path. Bad input (a key no widget saves, a value tenant.yaml refuses,
    a file that is not valid already) raises :class:`InputError` and writes nothing, worded
    in ``lang`` (the loaded tenant's language, which a missing or broken file cannot tell),
    else in the language the file names.
    """
    path = Path(tenant_dir) / "tenant.yaml"
    try:
        text: str | None = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        text = None
    with speaking(lang or _language_of(text)):
        unknown = sorted(set(choices) - set(SAVABLE_KEYS))
        if unknown:
            raise InputError(path, "error.save.key-not-savable", column=unknown[0],
                             key=unknown[0], keys=list(SAVABLE_KEYS))
        if text is None:
            raise InputError(path, "error.save.yaml-not-found")
        new = set_keys(text, choices)
        try:
            data = yaml.safe_load(new)
        except yaml.YAMLError as exc:  # the file was not valid YAML before we touched it
            raise InputError(path, "error.save.yaml-invalid",
                             problem=str(exc).splitlines()[0]) from None
        config_from_mapping(data, path)
    return write_text_atomic(path, new)


def _language_of(text: str | None) -> str:
    """The language tenant.yaml's text names, read before anything is checked, so each
    refusal is worded in it; English when the file is missing or no valid YAML."""
    try:
        return stated_language(yaml.safe_load(text)) if text is not None else "en"
    except yaml.YAMLError:
        return "en"
