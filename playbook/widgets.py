"""Notebook controls: thin ipywidgets views, seeded from notebook parameters, with no rules inside.

Every class follows one pattern (msticpy's ``nbwidgets``), so notebooks stay two-line cells and
tests can drive the controls without a browser:

* child controls are ``_w_*`` attributes (tests set ``._w_x.value`` or call ``._w_button.click()``);
* the public state is a plain ``.value`` (str, dict or Path), never an ipywidget;
* the work is an injected callback (``on_change=`` / ``action=``) that lives in the package, so a
  widget never decides anything itself: it shows what the callback returns;
* constructing a widget never renders it; a notebook calls ``.display()`` (or ends a cell with the
  object, which IPython renders through ``_ipython_display_``);
* ``from_tenant`` / ``from_plan`` / ``from_verification`` build a widget seeded from what the
  notebook already holds (the tenant with its parameters laid over tenant.yaml, the plan, the
  verification), wired to the rule it re-runs. The constructor stays the plain, injectable form.

Callback results are shown as text (anything with ``to_text()``, or a ``str``) or as a table (a
DataFrame). A callback that raises :class:`~playbook.errors.InputError` shows its one line in the
widget instead of a traceback, because the admin fixes it with the same widget.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from playbook.artifacts import write_artifacts
from playbook.display import (
    DONE_STATUSES,
    ShortVerdict,
    apply_checked,
    names,
    plan_summary,
    status_tables,
    status_users_html,
)
from playbook.eligibility import assess
from playbook.errors import InputError, speaking
from playbook.graph.session import ApplySession
from playbook.messages import Said, has_message, message
from playbook.plan import Plan, build_plan, groups_held_by_exclusions
from playbook.tenant import CHANNELS, PAYMENT_METHODS, Tenant, load_tenant
from playbook.tenant_file import save_choices
from playbook.verification import STATUSES, Verification, write_remaining

Renderable = Any
"""What a callback may return: an object with ``to_text()``, a ``str``, a DataFrame or None."""

MAX_TABLE_ROWS = 200
"""Rows shown in a table widget; tens of thousands of <tr> freeze the browser tab."""

MAX_USER_OPTIONS = 2000
"""Suggestions offered in the user box; typing any other known UPN still works."""


def render_html(result: Renderable) -> str:
    """HTML for a callback result: rich results (a page piece) as they render themselves,
    tables as tables, everything else as preformatted text."""
    if result is None:
        return ""
    if hasattr(result, "_repr_html_"):
        return str(result._repr_html_())
    if isinstance(result, pd.DataFrame):
        return table_html(result)
    text = result.to_text() if hasattr(result, "to_text") else str(result)
    return text_html(text)


def text_html(text: str) -> str:
    """Plain text in a ``<pre>`` block, escaped (UPNs and remedies may hold ``<``/``&``)."""
    style = "white-space: pre-wrap; margin: 0; line-height: normal"
    return f"<pre style='{style}'>{html.escape(text)}</pre>"


def error_html(text: str) -> str:
    """A one-line error in red, so it stands out from the results around it."""
    style = "white-space: pre-wrap; margin: 0; line-height: normal; color: #b71c1c"
    return f"<pre style='{style}'>{html.escape(text)}</pre>"


def _word(key: str, lang: str) -> str:
    """A control's label in the page's language (``widget.<key>`` in the message catalog)."""
    return message(f"widget.{key}", lang)


_WIDE = {"description_width": "initial"}
"""Labels as wide as their text (the default cuts them at about 12 characters)."""


def table_html(frame: pd.DataFrame, max_rows: int = MAX_TABLE_ROWS) -> str:
    """An HTML table of the first ``max_rows`` rows, saying how many more there are."""
    if frame.empty:
        return "<i>(none)</i>"
    shown = frame.head(max_rows)
    out = shown.to_html(index=False, escape=True, border=0)
    if len(frame) > max_rows:
        out += f"<p><i>{len(frame) - max_rows} more rows not shown.</i></p>"
    return out


def _text_of(result: Renderable) -> str:
    """The plain text a result renders as (what tests and logs read)."""
    if result is None:
        return ""
    if isinstance(result, pd.DataFrame):
        return result.to_string(index=False)
    return result.to_text() if hasattr(result, "to_text") else str(result)


class _Widget:
    """Display mixin: building a widget shows nothing; ``display()`` shows its container."""

    widget: widgets.Widget

    def display(self) -> None:
        """Show the widget in the notebook (no-op outside IPython)."""
        display(self.widget)

    def _ipython_display_(self) -> None:
        self.display()


def _run(callback: Callable[..., Renderable] | None, *args: Any) -> tuple[Renderable, str]:
    """Call a callback; bad input becomes its one line (the admin fixes it in the widget)."""
    if callback is None:
        return None, ""
    try:
        return callback(*args), ""
    except InputError as exc:
        return None, exc.headline()


# --------------------------------------------------------------------------------------------
class SaveChoices(_Widget):
    """"Save my choices to tenant.yaml": one click writes the widget's choices into the file.

    ``choices()`` returns the tenant.yaml keys to write; ``save(choices)`` writes them and
    returns the file (``playbook.tenant_file.save_choices``: comments and other keys kept,
    atomic). :attr:`value` is the file after a successful click, else None; bad input shows
    its one line under the button.
    """

    def __init__(self, choices: Callable[[], Mapping[str, Any]],
                 save: Callable[[Mapping[str, Any]], Path], *, lang: str = "en") -> None:
        self.choices = choices
        self.save = save
        self.lang = lang
        self.value: Path | None = None
        self._w_button = widgets.Button(description=message("widget.save", lang), icon="save",
                                        layout=widgets.Layout(width="auto"))
        self._w_status = widgets.HTML()
        self._w_button.on_click(self._clicked)
        self.widget = widgets.HBox([self._w_button, self._w_status])

    @property
    def status(self) -> str:
        return html.unescape(_strip_pre(self._w_status.value))

    def _clicked(self, _button: widgets.Button) -> None:
        chosen = dict(self.choices())
        written, error = _run(self.save, chosen)
        self.value = None if error else written
        self._w_status.value = error_html(error) if error else text_html(message(
            "widget.saved", self.lang, keys=", ".join(chosen), path=written))


# --------------------------------------------------------------------------------------------
class TargetPicker(_Widget):
    """Step 1: choose the plan to move to and say how E4 was bought; the verdict follows.

    ``targets`` is ``[(label, part_number), ...]`` or a mapping ``{label: part_number}``.
    ``on_change(value)`` receives :attr:`value` whenever a control changes (and on
    :meth:`refresh`) and returns the verdict to show (e.g. an ``Assessment``).
    ``comparison`` is the five-option table shown beside the picker.
    """

    def __init__(
        self,
        targets: Sequence[tuple[str, str]] | Mapping[str, str],
        *,
        target: str,
        purchase_channel: str = "direct",
        payment_method: str = "credit-card",
        comparison: pd.DataFrame | None = None,
        on_change: Callable[[dict[str, str]], Renderable] | None = None,
        save: Callable[[Mapping[str, Any]], Path] | None = None,
        lang: str = "en",
    ) -> None:
        options = list(targets.items()) if isinstance(targets, Mapping) else list(targets)
        parts = [p for _, p in options]
        with speaking(lang):
            _check_choice("target", target, parts)
            _check_choice("purchase_channel", purchase_channel, CHANNELS)
            _check_choice("payment_method", payment_method, PAYMENT_METHODS)
        self.on_change = on_change
        self.result: Renderable = None
        self.text = ""
        self._w_target = widgets.Dropdown(
            options=options, value=target, description=_word("target", lang), style=_WIDE,
            layout=widgets.Layout(width="auto", max_width="100%"))
        self._w_channel = widgets.ToggleButtons(
            options=[(_word(f"channel.{c}", lang), c) for c in CHANNELS], value=purchase_channel,
            description=_word("channel", lang), style=_WIDE)
        self._w_payment = widgets.ToggleButtons(
            options=[(_word(f"payment.{p}", lang), p) for p in PAYMENT_METHODS],
            value=payment_method, description=_word("payment", lang), style=_WIDE)
        self._w_comparison = widgets.HTML(
            table_html(comparison) if comparison is not None else ""
        )
        self._w_verdict = widgets.HTML()
        for w in (self._w_target, self._w_channel, self._w_payment):
            w.observe(self._changed, names="value")
        self.saver = SaveChoices(lambda: self.value, save, lang=lang) if save else None
        self.widget = widgets.VBox(
            [self._w_target, self._w_channel, self._w_payment,
             *([self.saver.widget] if self.saver else []), self._w_comparison, self._w_verdict]
        )

    @classmethod
    def from_tenant(cls, tenant: Tenant, start_date: date | None = None) -> TargetPicker:
        """The step-1 picker seeded from the loaded tenant; a change re-runs the assessment.

        It opens showing the verdict for the tenant's own choices, so a change is visible. The
        loaded tables are reused (only tenant.yaml values change), so a click costs the rules,
        not reading the export again.
        """

        def on_change(choice: Mapping[str, str]) -> ShortVerdict:
            config = tenant.config.with_overrides(**choice)
            return ShortVerdict(assess(dataclasses.replace(tenant, config=config),
                                       start_date=start_date))

        cfg = tenant.config
        options = [(f"{s.display_name or s.part_number} ({s.part_number})", s.part_number)
                   for s in tenant.catalog.targets]
        # the comparison table is on the page above the picker (display.comparison_html), so
        # the HTML record shows it too; the picker does not repeat it
        picker = cls(options, target=tenant.catalog.get(cfg.target).part_number,
                     purchase_channel=cfg.purchase_channel, payment_method=cfg.payment_method,
                     on_change=on_change,
                     save=lambda choice: save_choices(tenant.path, choice, lang=cfg.language),
                     lang=cfg.language)
        picker.refresh()
        return picker

    @property
    def value(self) -> dict[str, str]:
        """The choices as tenant.yaml keys: ``target``, ``purchase_channel``, ``payment_method``."""
        return {
            "target": self._w_target.value,
            "purchase_channel": self._w_channel.value,
            "payment_method": self._w_payment.value,
        }

    def refresh(self) -> Renderable:
        """Re-run the callback with the current choices and show its result."""
        result, error = _run(self.on_change, self.value)
        self.result = result
        self.text = error or _text_of(result)
        self._w_verdict.value = error_html(error) if error else render_html(result)
        return result

    def _changed(self, _change: Mapping[str, Any]) -> None:
        self.refresh()


# --------------------------------------------------------------------------------------------
class PlanFilter(_Widget):
    """Step 3: narrow the plan (exclude users, pick departments) and watch the summary follow.

    ``users`` are the UPNs an admin may exclude (validated against all of them, however many);
    ``departments`` the departments to pick from (none picked = all). ``on_change(value)``
    receives :attr:`value` and returns what to show (e.g. the rebuilt ``Plan``).
    """

    def __init__(
        self,
        users: Iterable[str],
        departments: Iterable[str],
        *,
        exclude_users: Iterable[str] = (),
        only_departments: Iterable[str] = (),
        max_users: int | None = None,
        on_change: Callable[[dict[str, Any]], Renderable] | None = None,
        render: Callable[[Any], Renderable] | None = None,
        explain: Callable[[Renderable, Mapping[str, Any]], str] | None = None,
        save: Callable[[Mapping[str, Any]], Path] | None = None,
        lang: str = "en",
    ) -> None:
        self._users = frozenset(u.lower() for u in users)
        self.render = render
        self.lang = lang
        dept_options = sorted({d for d in departments if d})
        excluded = sorted({u.strip().lower() for u in exclude_users if u.strip()})
        picked = [d for d in only_departments if d]
        with speaking(lang):
            _check_subset("only_departments", picked, dept_options)
        self.on_change = on_change
        self.result: Renderable = None
        self.text = ""
        self._w_user = widgets.Combobox(
            options=sorted(self._users)[:MAX_USER_OPTIONS], placeholder="user@domain",
            description=_word("user", lang), ensure_option=False, style=_WIDE,
        )
        self._w_exclude = widgets.Button(description=_word("exclude", lang), icon="minus")
        self._w_excluded = widgets.SelectMultiple(options=excluded,
                                                  description=_word("excluded", lang),
                                                  style=_WIDE)
        self._w_include = widgets.Button(description=_word("put_back", lang), icon="plus")
        self._w_departments = widgets.SelectMultiple(
            options=dept_options, value=picked, description=_word("departments", lang),
            style=_WIDE)
        self._w_max_users = widgets.BoundedIntText(
            value=max_users or 0, min=0, max=max(len(self._users), max_users or 0),
            description=message("widget.max_users", lang), style=_WIDE,
            tooltip=message("widget.max_users.help", lang))
        self.explain = explain
        self.held_text = ""
        self._w_held = widgets.HTML()
        self._w_message = widgets.HTML()
        self._w_summary = widgets.HTML()
        self._w_exclude.on_click(self._exclude_clicked)
        self._w_include.on_click(self._include_clicked)
        self._w_departments.observe(lambda _c: self.refresh(), names="value")
        self._w_max_users.observe(lambda _c: self.refresh(), names="value")
        self.saver = SaveChoices(lambda: self.value, save, lang=lang) if save else None
        self.widget = widgets.VBox([
            widgets.HBox([self._w_user, self._w_exclude]),
            widgets.HBox([self._w_excluded, self._w_include]), self._w_held,
            self._w_departments, self._w_max_users,
            *([self.saver.widget] if self.saver else []), self._w_message, self._w_summary,
        ])

    @classmethod
    def from_tenant(cls, tenant: Tenant) -> PlanFilter:
        """The step-3 filter seeded from the loaded tenant; a change rebuilds the plan.

        The widget's lists replace tenant.yaml's outright (an empty list included), so putting
        every excluded user back really plans for everyone.
        """

        def on_change(choice: Mapping[str, Any]) -> Plan:
            # max_users None means "no limit" here, which an override cannot say
            limited = dataclasses.replace(tenant, config=dataclasses.replace(
                tenant.config, max_users=choice.get("max_users")))
            return build_plan(limited, exclude_users=tuple(choice["exclude_users"]),
                              only_departments=tuple(choice["only_departments"]))

        def explain(plan: Renderable, choice: Mapping[str, Any]) -> str:
            if not isinstance(plan, Plan):
                return ""
            held = groups_held_by_exclusions(plan, tenant.licenses, choice["exclude_users"])
            return "\n".join(message("widget.held_group", tenant.config.language,
                                      users=", ".join(h.excluded),
                                      group=names.group(h.group_id, tenant.group_names),
                                      members=h.members) for h in held)

        table = tenant.licenses
        cfg = tenant.config
        return cls(table["upn"].unique(), table["department"].unique(),
                   exclude_users=cfg.exclude_users, only_departments=cfg.only_departments,
                   max_users=cfg.max_users, on_change=on_change,
                   render=lambda plan: plan_summary(tenant, plan), explain=explain,
                   save=lambda choice: save_choices(tenant.path, choice, lang=cfg.language),
                   lang=cfg.language)

    @property
    def value(self) -> dict[str, Any]:
        """``exclude_users`` (lower-case UPNs, sorted), ``only_departments`` ([] = all) and
        ``max_users`` (the pilot size; None = everyone): tenant.yaml's keys."""
        return {
            "exclude_users": list(self._w_excluded.options),
            "only_departments": list(self._w_departments.value),
            "max_users": self._w_max_users.value or None,
        }

    def refresh(self) -> Renderable:
        """Re-run the callback with the current filter and show its result, and under the
        excluded users which groups they hold back (with the number)."""
        choice = self.value
        result, error = _run(self.on_change, choice)
        self.result = result
        shown = self.render(result) if self.render is not None and result is not None else result
        self.text = error or _text_of(shown)
        self._w_summary.value = error_html(error) if error else render_html(shown)
        self.held_text = self.explain(result, choice) if self.explain and not error else ""
        self._w_held.value = text_html(self.held_text) if self.held_text else ""
        return result

    def _exclude_clicked(self, _button: widgets.Button) -> None:
        upn = self._w_user.value.strip().lower()
        if not upn:
            return
        if upn not in self._users:
            self._w_message.value = error_html(message("widget.not_a_user", self.lang, upn=upn))
            return
        self._w_message.value = ""
        self._w_user.value = ""
        self._w_excluded.options = sorted({*self._w_excluded.options, upn})
        self.refresh()

    def _include_clicked(self, _button: widgets.Button) -> None:
        chosen = set(self._w_excluded.value)
        if not chosen:
            return
        self._w_excluded.options = [u for u in self._w_excluded.options if u not in chosen]
        self.refresh()


# --------------------------------------------------------------------------------------------
class ArtifactButton(_Widget):
    """Step 3: one click writes the plan's artifacts to a folder the admin names.

    ``action(folder)`` does the writing and returns where it wrote; :attr:`value` is that path
    after a successful click, else None. ``blocked`` (a reason) disables the button, e.g. when
    the plan is refused for seats, so nothing half-usable is ever written.
    """

    def __init__(
        self,
        action: Callable[[Path], Path],
        out_dir: str = "",
        *,
        blocked: str = "",
        description: str = "",
        lang: str = "en",
    ) -> None:
        self.action = action
        self.value: Path | None = None
        self.lang = lang
        description = description or _word("write", lang)
        self._w_out_dir = widgets.Text(value=out_dir, description=_word("folder", lang),
                                       placeholder="plan/", style=_WIDE)
        self._w_write = widgets.Button(description=description, icon="save",
                                       disabled=bool(blocked), button_style="primary")
        self._w_status = widgets.HTML(text_html(blocked) if blocked else "")
        self._w_write.on_click(self._clicked)
        self.widget = widgets.VBox([widgets.HBox([self._w_out_dir, self._w_write]),
                                    self._w_status])

    @classmethod
    def from_plan(cls, plan: Plan, plan_filter: PlanFilter | None = None, out_dir: str = "",
                  written: str | Path | None = None) -> ArtifactButton:
        """The "Write artifacts" button for ``plan``, following ``plan_filter`` when given.

        The button writes the plan shown (``playbook.artifacts.write_artifacts``: a refused plan
        writes nothing) and is disabled while that plan is refused for seats; narrowing a
        refused plan until it fits the free seats enables it again. ``written`` is where a
        papermill run already wrote the plan (shown under the button).
        """
        current = {"plan": plan}
        lang = plan_filter.lang if plan_filter is not None else "en"
        button = cls(lambda folder: write_artifacts(current["plan"], folder), out_dir,
                     blocked=_refusal(plan, lang), lang=lang)
        if written is not None:
            button.mark_written(written)
        if plan_filter is not None:
            rebuild = plan_filter.on_change

            def follow(choice: Mapping[str, list[str]]) -> Any:
                result = rebuild(choice) if rebuild is not None else None
                if result is not None:
                    current["plan"] = result
                    button.block(_refusal(result, lang))
                return result

            plan_filter.on_change = follow
        return button

    @classmethod
    def for_remaining(cls, verification: Verification, out_dir: str = "", *,
                      write_now: bool = False, lang: str = "en") -> ArtifactButton:
        """Step 4's "Write remaining plan" button: the next round's plan, in the plan's
        formats (``playbook.verification.write_remaining``), found by step 4 next time.

        ``write_now`` (a papermill run) writes it without a click, so a run that says "run the
        remaining plan" has written one. Disabled when nothing remains to run.
        """
        nothing = "" if verification.remaining is not None else message(
            "nav.remaining.nothing", lang)
        button = cls(lambda folder: write_remaining(verification, folder), out_dir,
                     blocked=nothing, description=message("nav.remaining.button", lang),
                     lang=lang)
        if write_now and not nothing and out_dir:
            button.mark_written(write_remaining(verification, out_dir))
        return button

    def block(self, reason: str) -> None:
        """Disable the button with a reason shown under it; ``""`` enables it again."""
        self._w_write.disabled = bool(reason)
        if reason or self.value is None:
            self._w_status.value = text_html(reason) if reason else ""

    @property
    def status(self) -> str:
        """The status line as plain text (what the admin reads under the button)."""
        return html.unescape(_strip_pre(self._w_status.value))

    def _clicked(self, _button: widgets.Button) -> None:
        folder = self._w_out_dir.value.strip()
        if not folder:
            self._w_status.value = error_html(_word("type_folder", self.lang))
            return
        written, error = _run(self.action, Path(folder))
        if error:
            self.value = None
            self._w_status.value = error_html(error)
            return
        self.mark_written(written)

    def mark_written(self, folder: str | Path | None) -> None:
        """Record where the artifacts are (a click, or a papermill run that wrote them)."""
        self.value = Path(folder) if folder is not None else None
        self._w_status.value = (text_html(message("widget.written", self.lang, folder=self.value))
                                if self.value else "")


# --------------------------------------------------------------------------------------------
class StatusBrowser(_Widget):
    """Step 4: pick a status and see its users with the fix for each.

    ``tables`` maps each status to its users (a DataFrame); statuses with no users are left
    out of the picker. ``on_change(status)`` is told which status the admin picked.
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        status: str = "",
        on_change: Callable[[str], Any] | None = None,
        lang: str = "en",
        words_lang: str | None = None,
    ) -> None:
        self._tables = {k: v for k, v in tables.items() if v is not None and len(v)}
        self.lang = lang
        self.words_lang = words_lang  # the language of the rows' detail and fix
        options = [(f"{message(f'status.{k}', lang) if has_message(f'status.{k}') else k} "
                    f"({len(v)})", k) for k, v in self._tables.items()]
        if status and status not in self._tables:
            with speaking(lang):
                _check_choice("status", status, list(self._tables))
        first = status or (options[0][1] if options else None)
        self.on_change = on_change
        self._w_status = widgets.Dropdown(options=options, value=first,
                                          description=message("ui.h.status", lang), style=_WIDE)
        self._w_table = widgets.HTML()
        self._w_status.observe(lambda _c: self._show(), names="value")
        self.widget = widgets.VBox([self._w_status, self._w_table])
        self._show(notify=False)

    @classmethod
    def from_verification(cls, verification: Verification, lang: str = "en") -> StatusBrowser:
        """The step-4 browser in ``lang``, opened on the first status that still needs work."""
        tables = status_tables(verification)
        first = next((s for s in tables if s not in DONE_STATUSES and len(tables[s])), "")
        return cls(tables, status=first, lang=lang, words_lang=verification.language)

    @property
    def value(self) -> str | None:
        """The status shown (None when no status has users)."""
        return self._w_status.value

    @property
    def table(self) -> pd.DataFrame:
        """The users of the status shown."""
        return self._tables.get(self.value, pd.DataFrame()) if self.value else pd.DataFrame()

    def _show(self, notify: bool = True) -> None:
        if self.value is None:
            self._w_table.value = f"<i>{html.escape(message('status.none', self.lang))}</i>"
        elif self.value in STATUSES:
            self._w_table.value = status_users_html(self.table, self.value, self.lang,
                                                    self.words_lang).markup
        else:
            self._w_table.value = table_html(self.table)
        if notify and self.on_change is not None and self.value is not None:
            self.on_change(self.value)


# --------------------------------------------------------------------------------------------
class TenantChooser(_Widget):
    """The app's first screen: pick a tenant folder, see its verdict, follow a step link.

    Same pattern as the other widgets: ``_w_*`` child controls, a plain :attr:`value`
    (the chosen folder), an injected ``on_change(folder)`` that returns what to show (the
    verdict), ``links(folder)`` that returns the step links' HTML, and nothing shown until
    :meth:`display`. A folder that cannot be read shows its one-line error in place.
    """

    def __init__(
        self,
        tenants: Sequence[tuple[str, str]],
        *,
        tenant_dir: str = "",
        on_change: Callable[[str], Any] | None = None,
        links: Callable[[str], str] | None = None,
    ) -> None:
        options = list(tenants)
        paths = [p for _, p in options]
        if tenant_dir and tenant_dir not in paths:
            options.append((Path(tenant_dir).name or tenant_dir, tenant_dir))
        self.on_change = on_change
        self.links = links
        self.result: Any = None
        self.text = ""
        self._opened: tuple[str, Any] | None = None  # a folder Open has just read
        self._w_tenant = widgets.Dropdown(
            options=options, value=tenant_dir or (paths[0] if paths else None),
            description="Tenant")
        self._w_folder = widgets.Text(placeholder="or another tenant folder",
                                      description="Folder")
        self._w_open = widgets.Button(description="Open", icon="folder-open")
        self._w_verdict = widgets.HTML()
        self._w_links = widgets.HTML()
        self._quiet = False
        self._w_tenant.observe(lambda _c: None if self._quiet else self.refresh(),
                               names="value")
        self._w_open.on_click(self._open_clicked)
        self.widget = widgets.VBox([self._w_tenant,
                                    widgets.HBox([self._w_folder, self._w_open]),
                                    self._w_links, self._w_verdict])

    @property
    def value(self) -> str:
        """The tenant folder shown ("" when there is none to choose)."""
        return self._w_tenant.value or ""

    def refresh(self) -> Any:
        """Work out the verdict for the chosen folder and show it with the step links."""
        folder = self.value
        if self._opened is not None and self._opened[0] == folder:  # just read by Open
            (_, self.result), error = self._opened, ""
        else:
            self.result, error = _run(self.on_change, folder) if folder else (None, "")
        self._opened = None
        self.text = error or _text_of(self.result)
        self._w_verdict.value = error_html(error) if error else render_html(self.result)
        self._w_links.value = self.links(folder) if folder and self.links and not error else ""
        return self.result

    def _open_clicked(self, _button: widgets.Button) -> None:
        folder = self._w_folder.value.strip()
        if not folder:
            return
        if folder not in [p for _, p in self._w_tenant.options]:
            result, error = _run(self.on_change, folder)
            if error:  # a folder that cannot be read stays out of the list
                self.result, self.text = None, error
                self._w_verdict.value = error_html(error)
                self._w_links.value = ""
                return
            self._opened = (folder, result)
            self._quiet = True  # new options reset the choice: not a choice of the admin's
            try:
                self._w_tenant.options = [*self._w_tenant.options,
                                          (Path(folder).name or folder, folder)]
            finally:
                self._quiet = False
        self._w_folder.value = ""
        if self._w_tenant.value == folder:
            self.refresh()
        else:
            self._w_tenant.value = folder  # observe() refreshes


# --------------------------------------------------------------------------------------------
def _refusal(plan: Any, lang: str = "en") -> str:
    """Why the button is disabled for ``plan`` ("" when it may write)."""
    return message("widget.refused", lang) if plan.refused else ""


def _check_choice(name: str, value: str, choices: Sequence[str]) -> None:
    """A seeded value outside the choices is a bad parameter, reported like any bad input."""
    if value not in choices:
        raise InputError(Said("error.where.parameter", {"name": name}),
                         "error.widget.not-a-choice", column=name, value=value,
                         choices=", ".join(map(str, choices)))


def _check_subset(name: str, values: Sequence[str], choices: Sequence[str]) -> None:
    unknown = [v for v in values if v not in choices]
    if unknown:
        raise InputError(Said("error.where.parameter", {"name": name}),
                         "error.widget.unknown-departments", column=name,
                         value=", ".join(unknown), departments=", ".join(choices))


def _strip_pre(value: str) -> str:
    start = value.find(">") + 1 if value.startswith("<pre") else 0
    end = value.rfind("</pre>")
    return value[start:end if end >= 0 else None]


# --------------------------------------------------------------------------------------------
class ApplyPanel(_Widget):
    """Step 3b: carry out the plan from the page: sign in (the device code is shown here),
    read the dry-run preview, then press one button per batch, in order; a progress bar.

    ``sign_in(show)`` signs in and returns a line to show (``show`` puts the device-code
    message in the page); ``run_batch(n)`` applies batch ``n`` and returns its result;
    ``finish()`` exports after/ and verifies. Only the next batch's button is enabled, so the
    first press is a pilot. Labels are worded in ``lang`` (the tenant's); a result that is a
    page piece (``_repr_html_``) shows as itself. :attr:`value` is ``{"signed_in", "done",
    "message"}``, ``message`` being the last result's (or error's) plain text.
    """

    def __init__(self, preview: Sequence[str], batches: Sequence[int], *,
                 sign_in: Callable[[Callable[[str], None]], Renderable] | None = None,
                 run_batch: Callable[[int], Renderable] | None = None,
                 finish: Callable[[], Renderable] | None = None, lang: str = "en") -> None:
        self.sign_in, self.run_batch, self.finish = sign_in, run_batch, finish
        self.batches = list(batches)
        self.done: list[int] = []
        self.signed_in = False
        self.message = ""
        self._w_preview = widgets.HTML(text_html("\n".join(preview)))
        self._w_sign_in = widgets.Button(description=_word("apply.sign_in", lang), icon="key")
        self._w_code = widgets.HTML()
        self._w_buttons = [widgets.Button(description=message("widget.apply.run_batch", lang,
                                                               n=n), disabled=True)
                           for n in self.batches]
        for n, button in zip(self.batches, self._w_buttons, strict=True):
            button.on_click(lambda _b, n=n: self._run(n))
        self._w_finish = widgets.Button(description=_word("apply.finish", lang), disabled=True,
                                        layout=widgets.Layout(width="auto"))
        self._w_progress = widgets.IntProgress(value=0, min=0, max=max(1, len(self.batches)))
        self._w_out = widgets.HTML()
        self._w_sign_in.on_click(self._signed)
        self._w_finish.on_click(self._finished)
        self.widget = widgets.VBox([self._w_preview, self._w_sign_in, self._w_code,
                                    widgets.HBox(self._w_buttons), self._w_progress,
                                    self._w_finish, self._w_out])

    @classmethod
    def from_session(cls, session: ApplySession, tenant: Tenant | None = None) -> ApplyPanel:
        """The panel wired to an :class:`~playbook.graph.session.ApplySession`, worded in
        the plan's language (the tenant's). ``tenant`` (the notebook's) names products in
        the check after the last batch; without it the tenant folder is read then."""
        def checked() -> Renderable:
            verification = session.finish()
            folder = session.tenant_dir
            return apply_checked(tenant or load_tenant(folder), verification)

        return cls(session.preview(), session.batch_numbers(), sign_in=session.sign_in,
                   run_batch=session.run_batch, finish=checked, lang=session.plan.language)

    @property
    def value(self) -> dict[str, Any]:
        return {"signed_in": self.signed_in, "done": list(self.done), "message": self.message}

    @property
    def code_message(self) -> str:
        """The sign-in instructions shown in the page."""
        return html.unescape(_strip_pre(self._w_code.value))

    def _show_code(self, text: str) -> None:
        self._w_code.value = text_html(text)

    def _show(self, result: Renderable, error: str) -> None:
        """A result (or the error's one line, in red) under the buttons."""
        self.message = error or _text_of(result)
        self._w_out.value = error_html(error) if error else render_html(result)

    def _enable_next(self) -> None:
        left = [b for n, b in zip(self.batches, self._w_buttons, strict=True)
                if n not in self.done]
        for button in self._w_buttons:
            button.disabled = True
        if left and self.signed_in:
            left[0].disabled = False
        self._w_finish.disabled = not self.signed_in

    def _signed(self, _button: widgets.Button) -> None:
        result, error = _run(self.sign_in, self._show_code)
        self.signed_in = not error
        self._show(result, error)
        self._enable_next()

    def _run(self, number: int) -> None:
        result, error = _run(self.run_batch, number)
        if not error:
            self.done.append(number)
            self._w_progress.value = len(self.done)
        self._show(result, error)
        self._enable_next()

    def _finished(self, _button: widgets.Button) -> None:
        result, error = _run(self.finish)
        self._show(result, error)
