"""The look shared by a run's index.html and the fleet's summary.html: one small page style."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

_HEAD = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; font-size: 0.9em; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f0f0f0; }}
tr.human td {{ background: #fff4e5; }}
tr.ok td {{ background: #eef8ee; }}
.muted {{ color: #777; }}
</style></head><body>
"""


def local_href(path: str) -> str:
    """The address of a file beside the page: percent-encoded (so no scheme such as
    ``javascript:`` and no markup survives) and starting with ``./`` (so it is always
    relative). :func:`playbook.markup.link` escapes it for the attribute."""
    return "./" + quote(path.lstrip("/"), safe="/")


def page_start(title: str, lang: str = "en") -> str:
    """The page up to ``<body>``, titled ``title`` (plain text, escaped here), in ``lang``."""
    return _HEAD.format(title=escape(title), lang=escape(lang))
