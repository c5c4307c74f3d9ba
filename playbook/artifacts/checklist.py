"""checklist.md and checklist.html: the batches as a tick-list for the admin center.

For Users > Active users > Manage product licenses (and Entra > Groups for group batches).
Both files come from one template (``playbook/resources/checklist.jinja``), so they say
exactly the same thing: the HTML environment autoescapes, the Markdown one escapes through
an explicit filter, and in both every data value (names, departments, decisions) has its
white space flattened, so a hostile display name can neither inject markup nor break a line.

The wording is the ``admin.*`` messages in the plan's language (tenant.yaml's ``language``,
carried by :attr:`Plan.language`), so a Danish tenant's checklist reads Danish; the template
fills each through :func:`_sayer`, which escapes values exactly as ``|d`` does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import markupsafe
import numpy as np
import pandas as pd

from playbook.catalog import plan_labels
from playbook.deferred import DeferredModule
from playbook.messages import message
from playbook.plan import Plan
from playbook.plan.model import seats_sentence

jinja2 = DeferredModule("jinja2")
"""Imported when the first checklist is rendered: ``assess`` and ``verify`` never pay for it."""

TEMPLATE = "checklist.jinja"
_MD_SPECIALS = "\\`*_{}[]()<>#+-.!|~&"
"""Characters Markdown may read as markup; the backslash first (it escapes the others)."""
_BOX = '<li class="check"><label><input type="checkbox">'
"""A tick box's start in HTML (the template's ``check``, without its space)."""
_SEPARATOR = "\x00"
"""Between the values of a joined column: not white space, not escaped in either format."""


def flat(value: Any) -> str:
    """A data value on one line: every run of white space (line breaks too) one space."""
    return " ".join(str(value).split())


def markdown_escape(value: Any) -> str:
    """A data value made inert in Markdown: flattened, every special character escaped."""
    return _backslashed(flat(value))


def _backslashed(text: str) -> str:
    """Every Markdown special in ``text`` preceded by a backslash."""
    for ch in _MD_SPECIALS:  # a replace per special is a C scan; most names hold none
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    return text


def _flat_joined(values: list[Any]) -> str | None:
    """:func:`flat` of every value, joined by :data:`_SEPARATOR` (None if a value holds the
    separator, never seen in a real export).

    A 100k-user plan has 200k UPNs and names on its per-user lines; a call per value was
    half a second. Joined, a column is flattened, then escaped, by a few C scans, and split
    again.
    """
    texts = [str(v) for v in values]
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return None
    # flat() of the whole text, then no space left at either end of a value
    joined = " ".join(joined.split())
    return joined.replace(" " + _SEPARATOR, _SEPARATOR).replace(_SEPARATOR + " ", _SEPARATOR)


def _escaped_columns(values: list[Any]) -> dict[bool, list[str]]:
    """Each value as the ``|d`` filter writes it, in Markdown (False) and HTML (True)."""
    joined = _flat_joined(values) if values else None
    if joined is None:
        return {False: [markdown_escape(v) for v in values],
                True: [str(markupsafe.escape(flat(v))) for v in values]}
    return {False: _backslashed(joined).split(_SEPARATOR),
            True: str(markupsafe.escape(joined)).split(_SEPARATOR)}


def _user_lines(upns: list[str], names: list[str]) -> dict[bool, list[str]]:
    """Each user's checklist line (a tick box, the UPN in bold, the name when there is one,
    a line break) in Markdown (False) and HTML (True): the template's hot loop, written out
    beforehand."""
    upn_text, name_text = _escaped_columns(upns), _escaped_columns(names)
    has_name = [bool(n) for n in names]
    # one f-string per line (not pieces added): half the time
    md = [f"- [ ] **{u}** ({n})\n" if named else f"- [ ] **{u}**\n"
          for u, n, named in zip(upn_text[False], name_text[False], has_name, strict=True)]
    html = [f"{_BOX} <strong>{u}</strong> ({n})</label></li>\n" if named
            else f"{_BOX} <strong>{u}</strong></label></li>\n"
            for u, n, named in zip(upn_text[True], name_text[True], has_name, strict=True)]
    return {False: md, True: html}


def _escaped_shared(values: list[str]) -> dict[bool, list[str]]:
    """:func:`_escaped_columns` for a column of few distinct values: each escaped once."""
    distinct = list(dict.fromkeys(values))
    escaped = _escaped_columns(distinct)
    out: dict[bool, list[str]] = {}
    for html in (False, True):
        shown = dict(zip(distinct, escaped[html], strict=True))
        out[html] = [shown[v] for v in values]
    return out


def _decision_lines(decisions: list[tuple[str, str, str]]) -> dict[bool, str]:
    """The decisions' checklist lines (a tick box, the code in bold, whom it is about, what
    it asks), each format's joined: a plan may have one per user, so, like the users' lines,
    written out beforehand. Most decisions share their code and sentence."""
    codes, whos, whys = ([list(c) for c in zip(*decisions, strict=True)] if decisions
                         else ([], [], []))
    code, who, why = _escaped_shared(codes), _escaped_columns(whos), _escaped_shared(whys)
    md = "".join(f"- [ ] **{c}** {w}: {y}\n"
                 for c, w, y in zip(code[False], who[False], why[False], strict=True))
    html = "".join(f"{_BOX} <strong>{c}</strong> {w}: {y}</label></li>\n"
                   for c, w, y in zip(code[True], who[True], why[True], strict=True))
    # (the HTML lines are escaped markup already: Markup keeps autoescape off them)
    return {False: md, True: markupsafe.Markup(html)}


def _environment(*, html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("playbook", "resources"), autoescape=html,
        line_statement_prefix="%%", keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
        undefined=jinja2.StrictUndefined)
    env.filters["d"] = flat if html else markdown_escape
    return env


@functools.cache
def _template(html: bool) -> jinja2.Template:
    """The template compiled once per format, on first use: commands that write no checklist
    (``assess``, ``verify``) don't pay for compiling it."""
    return _environment(html=html).get_template(TEMPLATE)

_BOLD = {False: ("**", "**"), True: ("<strong>", "</strong>")}
"""Bold in Markdown (False) and HTML (True): the template's ``b``/``end_b``."""


def _sayer(lang: str, *, html: bool) -> Callable[..., str]:
    """The template's ``say(key, bold=(...), **values)``: message ``key`` in ``lang`` with each
    value escaped as ``|d`` escapes it in this format, the fields named in ``bold`` in bold.

    A whole number goes in as it is, because a plural field needs the number itself and
    digits need no escaping; a bold figure is passed as text under its own field, and so is
    a number that picks no plural but changes from call to call (a batch's number). The
    message's own words are trusted like the template's text (written here, not data), so
    they are not escaped, as the template's were not.
    """
    escape = (lambda v: markupsafe.escape(flat(v))) if html else markdown_escape
    start, end = _BOLD[html]

    # each sentence is worded once per key and numbers, with a mark where each text goes:
    # a batch heading, or a line per user to fix, then only puts its own texts in
    worded: dict[tuple, str] = {}

    def say(key: str, bold: tuple[str, ...] = (), **values: Any) -> str:
        pieces = {k: v for k, v in values.items()
                  if not isinstance(v, int) or isinstance(v, bool)}
        marks = {k: f"\x00{k}\x00" for k in pieces}
        numbers = tuple((k, v) for k, v in values.items() if k not in pieces)
        text = worded.get((key, numbers, *marks))
        if text is None:
            text = worded[key, numbers, *marks] = message(key, lang, **{**values, **marks})
        for k, v in pieces.items():
            shown = str(escape(v))
            text = text.replace(marks[k], f"{start}{shown}{end}" if k in bold else shown)
        return markupsafe.Markup(text) if html else text

    return say


class _Batch(NamedTuple):
    """One batch as the template shows it: number, line count, kind, the key of its setting
    (in ``settings``), and its lines: the users' (per format, written out beforehand) or the
    groups' (id, members, apps).

    A tuple, not a dict: Jinja reads ``batch.kind`` as an attribute first, and a dict's miss
    costs an exception (six a batch, two formats: 0.02 s for a 100k-user plan).
    """

    number: int
    count: int
    kind: str
    setting: tuple[Any, ...]
    lines: dict[bool, str] | None = None
    groups: list[tuple[str, int, str]] | None = None


def _batches(rows: pd.DataFrame, tgt: str) -> tuple[list[_Batch], dict[tuple, Any]]:
    """The admin rows grouped by batch (in batch order, rows in plan order), each batch with
    its lines (users, or groups) and the key of its setting; and the distinct settings
    (kind, usage location, licenses to switch on, apps off), from each batch's first row."""
    rows = rows.sort_values("batch", kind="stable")
    batch = rows["batch"].to_numpy()
    if not len(rows):
        return [], {}
    starts = np.flatnonzero(np.r_[True, batch[1:] != batch[:-1]]).tolist()
    ends = [*starts[1:], len(rows)]
    col = {c: rows[c].tolist() for c in (
        "batch", "kind", "upn", "display_name", "group_id", "members", "set_usage_location",
        "apps_off_on_new_license", "keep_direct_skus", "direct_target_after")}
    # apps by the names the admin center shows, ids in brackets (once per distinct list)
    labels = {v: plan_labels(v.split(", ")) if v else "" for v in
              set(col["apps_off_on_new_license"])}
    col["apps_off_on_new_license"] = [labels[v] for v in col["apps_off_on_new_license"]]
    # every row's user line in each format (a group row's is not used)
    lines = _user_lines(col["upn"], col["display_name"])
    out, settings = [], {}
    for start, end in zip(starts, ends, strict=True):
        kind = col["kind"][start]
        keep = [k for k in col["keep_direct_skus"][start] if k]
        target_on = bool(col["direct_target_after"][start])
        setting = {"kind": kind, "location": col["set_usage_location"][start],
                   "apps": col["apps_off_on_new_license"][start], "target_on": target_on,
                   # the target is switched on only where the user holds it directly after
                   # (not for a reclaim, nor where a switched group gives it)
                   "switch_on": " + ".join([tgt, *keep] if target_on else keep)}
        key = tuple(setting.values())
        settings.setdefault(key, setting)
        users, groups = None, None
        if kind == "group-swap":
            groups = list(zip(col["group_id"][start:end], col["members"][start:end],
                              col["apps_off_on_new_license"][start:end], strict=True))
        else:  # the users' lines, in each format
            # (the HTML lines are escaped markup already: Markup keeps autoescape off them)
            users = {False: "".join(lines[False][start:end]),
                     True: markupsafe.Markup("".join(lines[True][start:end]))}
        out.append(_Batch(col["batch"][start], end - start, kind, key, users, groups))
    return out, settings


def _context(plan: Plan, rows: pd.DataFrame) -> dict[str, Any]:
    """Everything the template shows: plan facts, users to fix first, batches, decisions."""
    lang = plan.language
    tgt = plan.target["display_name"]
    batches, settings = _batches(rows, tgt)
    fix = plan.table[plan.table["kind"] == "fix-usage-location"]
    decisions = _decision_lines([(str(d["code"]), _who(d, lang), decision_text(d, lang, tgt))
                                 for d in plan.decisions])
    addons = [(str(d.get("addon") or d["plans"][0]), int(d["reduce_by"]), ", ".join(d["users"]))
              for d in plan.decisions if d["code"] == "included-addon"]
    seats = seats_sentence(plan.seats_needed, plan.seats_available,
                           plan.summary.get("to_buy_whole_move"), lang)
    return {
        "lang": lang, "no_apps": message("admin.none", lang),
        "tenant": plan.tenant, "src": plan.source["display_name"], "tgt": tgt,
        "plan_id": plan.plan_id,
        "users_file": plan.users_file.get("name") or message("admin.the_export", lang),
        "sha256": plan.users_file.get("sha256", "")[:12] or message("ui.unknown", lang),
        "batch_count": plan.batches, "batch_size": plan.batch_size,
        "seats_needed": plan.seats_needed, "seats": seats,
        "fix": list(zip(fix["upn"].tolist(), fix["display_name"].tolist(), strict=True)),
        "batches": batches, "settings": settings, "decisions": decisions, "addons": addons,
    }


def _who(decision: dict[str, Any], lang: str) -> str:
    """Whom a decision is about: the user, the group, or the whole plan (``action_id`` "")."""
    plans = f" ({plan_labels(decision['plans'])})" if decision["plans"] else ""
    if decision["upn"]:
        return str(decision["upn"]) + plans
    if decision["group_id"]:
        return message("admin.who.group", lang, group=str(decision["group_id"])) + plans
    return message("plan.whole_plan", lang) + plans


def decision_text(decision: dict[str, Any], lang: str, target: str,
                  written_in: str | None = None) -> str:
    """What a decision asks, in ``lang``: the plan's own sentence (``why``, with the figures
    it knew) when the plan wrote it in ``lang`` (``written_in``: the plan's language, by
    default ``lang``); else the question the pages ask for its code (``plan.ask.<code>``)."""
    if (written_in or lang) == lang:
        return str(decision["why"])
    return message(f"plan.ask.{decision['code']}", lang, target=target)


def render_checklists(plan: Plan, rows: pd.DataFrame) -> tuple[str, str]:
    """(checklist.md, checklist.html) for a plan and its admin rows
    (:func:`playbook.artifacts.admin_center.admin_rows`)."""
    context = _context(plan, rows)
    md = _template(False).render(context, html=False, say=_sayer(plan.language, html=False))
    page = _template(True).render(context, html=True, say=_sayer(plan.language, html=True))
    # the last paragraph's blank line would end the file: Markdown ends with one line break
    return md.rstrip("\n") + "\n", page
