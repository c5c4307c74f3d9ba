"""Every link the package shows is built by :func:`playbook.markup.link` (issue 17's rough edge:
the "Next" link and the app's step links were written by hand, with their own escaping)."""

from __future__ import annotations

import re
import urllib.parse

from paths import REPO

from playbook import app, markup
from playbook import navigation as nav
from playbook.runs.page_style import local_href
from playbook.steps import STEPS

HAND_MADE_LINK = re.compile(r"<a[\s>]")


def test_no_module_but_markup_writes_an_anchor() -> None:
    found = [f"{path.relative_to(REPO)}:{n}"
             for path in sorted((REPO / "playbook").rglob("*.py"))
             if path.name != "markup.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if HAND_MADE_LINK.search(line)]
    assert found == []


def test_link_escapes_label_address_and_style() -> None:
    assert markup.link("a<b & c", 'x.ipynb?t=a&b="c"', "color: red'\"") == (
        '<a href="x.ipynb?t=a&amp;b=&quot;c&quot;" style="color: red&#x27;&quot;">'
        "a&lt;b &amp; c</a>")
    assert markup.link("result.json", "result.json") == '<a href="result.json">result.json</a>'


def test_next_step_link_is_the_markup_link() -> None:
    tenant = "/data/Nordlys & Co"
    shown = nav.next_step_html(2, tenant, None, live=True)
    href = "02-license-count.ipynb?" + urllib.parse.urlencode({"tenant_dir": tenant})
    title = nav.step_title(2, "en")
    assert shown == ("<p class='e4-next-step'>"
                     + markup.link(f"Next: {title}", href, markup.LINK_STYLE) + "</p>")


def test_app_step_links_are_markup_links_carrying_the_tenant() -> None:
    folder = "../tenants/fabrikam & co"
    query = urllib.parse.urlencode({"tenant_dir": folder})
    links = [markup.link(nav.step_title(s.number, "da"), f"{s.notebook}?{query}",
                         markup.LINK_STYLE) for s in STEPS]
    shown = app.step_links(folder, live=True, lang="da")
    assert shown == "<ol style='margin: 0.5em 0'>" + "".join(
        f"<li>{one}</li>" for one in links) + "</ol>"
    assert links[0].startswith(
        '<a href="01-eligibility.ipynb?tenant_dir=..%2Ftenants%2Ffabrikam+%26+co" style="color: ')


def test_local_links_are_percent_encoded_once_and_escaped_once() -> None:
    href = local_href("nordlys & co/2026 01/index.html")
    assert href == "./nordlys%20%26%20co/2026%2001/index.html"
    assert markup.link("record", href) == (
        '<a href="./nordlys%20%26%20co/2026%2001/index.html">record</a>')
