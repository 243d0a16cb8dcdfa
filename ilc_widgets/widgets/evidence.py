"""Workbook 04, implementing and collecting evidence: the evidence logger, the coverage
tracker and the implementation log.

Each widget shows one collective (a participant's own; facilitators and researchers pick
one), reads and writes through :class:`~ilc_widgets.network.Network` only, and follows the
collective's revision counter through the page's one poller
(:class:`~ilc_widgets.widgets._kit.page.PagePoller`, one read per tick for all the sections
of the page), so what one person adds appears on everyone else's page, and on the
facilitator's projected view, within seconds.
Refreshing never touches what someone is typing in a form.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import weakref
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd
import traitlets as T
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..charts import PALETTE
from ..errors import ConflictError, IlcError, ImportValidationError, NotFound
from ..format import as_date, indicator_key, indicator_keys, input_number, number, with_unit
from ..network import EVIDENCE_FIELDS
from ..stats import NO_INDICATOR, coverage, coverage_matrix, missing_type_prompts
from ..vocab import EVIDENCE_TYPES, INDICATOR_KINDS, TOA_LEVELS
from ._base import CSS as BASE_CSS
from ._base import Notice, esc, html_table, running_loop, shared
from ._kit.notice import guard
from ._kit.page import Subscription, page_of
from ._kit.section import heading_html

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..errors import Problem
    from ..network import Network
    from ..placemat import Indicator, Placemat, TheoryStep
    from ..session import SessionContext

__all__ = ["PAGE_SIZE", "CoverageTracker", "EvidenceLogger", "ImplementationLog"]

PAGE_SIZE = 25
"""Entries per page of the evidence table."""

POLL_SECONDS = 2.0
"""How often the page checks for changes saved by others (once for all its sections)."""

STAGE_FALLBACK_SECONDS = 4.0
"""Build the rest of a section this long after it was made, if no page has shown it yet."""

STAGE_DELAY_SECONDS = 0.3
"""Once the page has drawn a section, wait this long (letting it finish drawing the first
view) before building the rest."""

TYPE_HELP: dict[str, str] = {
    "demographic": "Who is involved: enrollment, attendance, subgroups, staff.",
    "perceptions": "What people think and feel: surveys, focus groups, interviews.",
    "student_learning": "What students know and can do: assessments, work samples, grades.",
    "school_processes": "What adults do: walkthroughs, programs, schedules, practices.",
}
TYPE_COLOURS: dict[str, str] = dict(zip(EVIDENCE_TYPES, PALETTE, strict=False))
FIELD_LABELS: dict[str, str] = {
    "evidence_type": "Evidence type",
    "indicator": "Indicator",
    "date": "Date",
    "value": "Value",
    "unit": "Unit",
    "n": "n",
    "subgroup": "Subgroup",
    "description": "Description",
    "source": "Source",
    "entered_by": "Entered by",
    "collective": "Collective",
}
COMMON_UNITS = ("%", "students", "teachers", "classrooms", "days", "points", "visits", "responses")
_ALL = "*"  # the "no filter" choice of the filter dropdowns

CSS = """
<style>
.ilc-ev-grid { display: grid; gap: 0 .7em; align-items: start; line-height: 1.35;
  grid-template-columns: 6.4em 8.6em minmax(8em, 12em) 6.2em 3.4em minmax(5em, 8em)
    minmax(10em, 1fr) minmax(6em, 9em); font-size: .92em; width: 100%; }
.ilc-ev-grid > div { overflow-wrap: anywhere; }
.ilc-ev-grid .num { text-align: right; }
.ilc-ev-head { font-weight: 600; color: #57606a; border-bottom: 2px solid #d0d7de;
  padding: 2px 0; }
.ilc-ev-row { border-bottom: 1px solid #eaeef2; padding: 2px 0; }
.ilc-ev-row:hover { background: #f6f8fa; }
.ilc-ev-fresh { background: #fff8c5 !important; }
.ilc-ev-deleted-row .ilc-ev-grid { color: #8c959f; text-decoration: line-through; }
.ilc-badge { display: inline-block; border-left: 4px solid #888; padding: 0 .35em;
  background: #f6f8fa; border-radius: 2px; font-size: .9em; white-space: nowrap; }
.ilc-err { margin: 0 0 .2em 9.5em; line-height: 1.3; }
.ilc-err span { color: #cf222e; font-size: .88em; }
.ilc-ev-type button.mod-active { background: #0969da; color: #fff; }
.ilc-help { color: #57606a; font-size: .85em; line-height: 1.3; }
.ilc-sec-head p, .ilc-sec-head div { line-height: 1.4; }
.ilc-box { border: 1px solid #d0d7de; border-radius: 6px; padding: .5em .8em; margin: .4em 0;
  background: #fff; }
.ilc-tiles { display: flex; gap: .6em; flex-wrap: wrap; margin: .3em 0; }
.ilc-tile { border: 1px solid #d0d7de; border-radius: 6px; padding: .3em .7em; min-width: 9em;
  border-left-width: 6px; background: #fff; }
.ilc-tile .count { font-size: 1.6em; font-weight: 700; }
.ilc-tile .bar { height: 6px; background: #eaeef2; border-radius: 3px; margin-top: .2em; }
.ilc-tile .bar > span { display: block; height: 6px; border-radius: 3px; }
.ilc table.ilc-heat td.cell { text-align: center; min-width: 6.5em; }
.ilc table.ilc-heat td.planned { box-shadow: inset 0 0 0 2px #1b1f24; font-weight: 700; }
.ilc table.ilc-heat td.zero { color: #8c959f; }
.ilc-prompts { line-height: 1.4; margin: .3em 0; }
.ilc-prompts li { margin: .15em 0; }
.ilc-proj { font-size: 1.55em; line-height: 1.3; padding: .4em .2em; }
.ilc-proj .ilc-proj-title { font-size: 1.35em; font-weight: 700; }
.ilc-proj .ilc-tile { min-width: 10em; }
.ilc-proj .ilc-tile .count { font-size: 2.2em; }
.ilc-proj-item { border-bottom: 1px solid #d0d7de; padding: .3em 0; }
.ilc-proj-item .when { color: #57606a; margin-right: .4em; }
.ilc-proj-item .val { font-weight: 700; margin: 0 .3em; }
.ilc-log-group { margin: .6em 0 .2em; padding: .3em .5em; background: #f3f5f7;
  border-left: 4px solid #1f5f8b; line-height: 1.45; }
.ilc-log-item { border-bottom: 1px solid #eaeef2; padding: 2px 0 2px 1.2em; }
.ilc-log-line { line-height: 1.4; padding: 3px 0; display: flex; gap: .6em; }
.ilc-log-when { flex: 0 0 7em; color: #57606a; }
.ilc-ev-row .widget-html-content, .ilc-ev-row .jupyter-widget-html-content,
.ilc-ev-header .widget-html-content, .ilc-ev-header .jupyter-widget-html-content {
  width: 100%; }
</style>
"""


# --------------------------------------------------------------------------- small helpers


def _layout(**settings: str) -> W.Layout:
    """A shared layout, for widgets whose layout is never changed afterwards."""
    layout: W.Layout = shared(W.Layout, **settings)
    return layout


def _html(value: str = "", **settings: str) -> W.HTML:
    """An HTML widget with the shared style (and a shared layout when ``settings``)."""
    style_model = shared(HTMLStyle)
    return W.HTML(value, layout=_layout(**settings), style=style_model)


def _desc_style() -> Any:
    return shared(DescriptionStyle)


def _text_style() -> Any:
    return shared(TextStyle)


def _notice(css_class: str) -> Notice:
    """A message line with the shared style."""
    notice = Notice(style=shared(HTMLStyle), layout=_layout())
    notice.add_class(css_class)
    return notice


def _box(children: Sequence[W.Widget], *, vertical: bool = True, **settings: str) -> W.Box:
    """A box with a shared layout (for boxes whose layout never changes)."""
    kind = W.VBox if vertical else W.HBox
    box: W.Box = kind(list(children), layout=_layout(**settings))
    return box


def _button(
    description: str,
    *,
    icon: str = "",
    tooltip: str = "",
    kind: str = "",
    layout: W.Layout | None = None,
) -> W.Button:
    """A button with the shared style (and a shared auto-width layout unless given one)."""
    return W.Button(
        description=description,
        icon=icon,
        tooltip=tooltip or description,
        button_style=kind,
        layout=layout if layout is not None else _layout(width="auto"),
        style=shared(W.ButtonStyle),
    )


def _blank(value: Any) -> bool:
    """True for None, NaN, NA and empty text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _int(value: Any) -> int:
    return int(value)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _type_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Live entries of each of the four evidence types."""
    counts = dict.fromkeys(EVIDENCE_TYPES, 0)
    if len(frame):
        table = coverage(frame)
        for key, entries in zip(table["evidence_type"], table["entries"], strict=True):
            if str(key) in counts:
                counts[str(key)] = _int(entries)
    return counts


def _text(value: Any) -> str:
    return "" if _blank(value) else str(value).strip()


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _friendly(column: str | None, message: str) -> str:
    """A validation message phrased for the form."""
    if message.endswith(" is blank"):
        return {
            "evidence_type": "Choose the type of evidence.",
            "date": "Pick the date the evidence is from.",
        }.get(column or "", f"{FIELD_LABELS.get(column or '', column)} is needed.")
    if message == "the row has neither a value nor a description":
        return "Give a value or a description (or both)."
    if column == "date" and "in the future" in message:
        return f"The date {message}; evidence is logged once it exists."
    if column == "n":
        return message
    return message[:1].upper() + message[1:]


def _badge(evidence_type: str) -> str:
    colour = TYPE_COLOURS.get(evidence_type, "#888")
    name = EVIDENCE_TYPES.get(evidence_type, evidence_type)
    return f"<span class='ilc-badge' style='border-left-color:{colour}'>{esc(name)}</span>"


def _step_text(step: TheoryStep, limit: int = 60) -> str:
    """A theory-of-action step in one short line: "If ..., then ..."."""
    if_text = _short(step.if_text, limit) or "…"
    then_text = _short(step.then_text, limit) or "…"
    return f"If {if_text}, then {then_text}"


def _set_options(dropdown: W.Dropdown, options: Sequence[tuple[str, Any]]) -> None:
    """Replace a dropdown's choices and keep what was chosen (kept as an extra choice when
    it is no longer offered, so a refresh never changes a half-filled form)."""
    current = dropdown.value
    values = [v for _, v in options]
    wanted = list(options)
    if current is not None and current not in values:
        wanted.append((str(current), current))
    if tuple(dropdown.options) == tuple(wanted):
        return
    dropdown.options = wanted
    if current is not None:
        dropdown.value = current


def _tiles(counts: Mapping[str, int]) -> str:
    """The four evidence types as tiles: count, name and a bar for the share."""
    top = max([*counts.values(), 1])
    tiles = []
    for key, name in EVIDENCE_TYPES.items():
        count = int(counts.get(key, 0))
        colour = TYPE_COLOURS[key]
        width = round(100 * count / top)
        tiles.append(
            f"<div class='ilc-tile ilc-tile-{key}' style='border-left-color:{colour}'>"
            f"<div class='count'>{count}</div><div>{esc(name)}</div>"
            f"<div class='bar'><span style='width:{width}%;background:{colour}'></span></div>"
            "</div>"
        )
    return f"<div class='ilc-tiles'>{''.join(tiles)}</div>"


# --------------------------------------------------------------------------- shared page state


class _Room(T.HasTraits):
    """What the sections of one page share: the collective shown, who is typing, and
    which sections to tell at once about a save made on this page."""

    code = T.Unicode("")
    who = T.Unicode("")

    def __init__(self) -> None:
        super().__init__()
        self.sections: weakref.WeakSet[_Section] = weakref.WeakSet()


def _room(ctx: SessionContext) -> _Room:
    """The room of a session's page (one per page)."""
    return page_of(ctx).keep("evidence.room", _Room)


class _Section(W.VBox):  # type: ignore[misc]
    """One collective's section: heading, collective picker (whole-network sessions), body,
    a notice line, and live refresh from the collective's revision counter."""

    collective = T.Unicode(
        help="The id of the collective shown (a participant's own; facilitators pick one)"
    )
    title_text = "Section"
    intro_text = ""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net: Network = ctx.require_network()
        self.room = _room(ctx)
        self.notice = _notice("ilc-notice-line")
        self.heading = _html()
        self.staged = False
        self.picker: W.Dropdown | None = None
        self._names: dict[str, str] = {}
        self._members = pd.DataFrame()
        self._collective_names: dict[str, str] = {}
        top: list[W.Widget] = [_html(BASE_CSS + CSS), self.heading]
        if ctx.is_facilitator:
            collectives = self.net.collective_list()
            self._collective_names = {c.code: c.name for c in collectives}
            choices = [(f"{c.name} ({c.code})", c.code) for c in collectives]
            codes = [c for _, c in choices]
            start = next(
                (c for c in (ctx.collective_code, self.room.code) if c and c in codes),
                codes[0] if codes else "",
            )
            self.room.code = start
            self.picker = W.Dropdown(
                options=choices,
                value=start or None,
                description="Collective",
                layout=W.Layout(width="32em"),
                style={"description_width": "6em"},
            )
            self.picker.add_class("ilc-collective-picker")
            if any(other.picker is not None for other in self.room.sections):
                # one visible picker per page: the sections below follow it (their
                # headings name the collective shown)
                self.picker.layout.display = "none"
            self.picker.observe(self._on_pick, "value")
            self.room.observe(self._on_room_code, "code")
            top.append(self.picker)
            self.collective = start
        elif ctx.collective is not None:
            self._collective_names = {ctx.collective.code: ctx.collective.name}
            self.room.code = ctx.collective.code
            self.collective = ctx.collective.code
        self.body = self._build()
        children = [*top, self.body, self.notice]
        super().__init__(children, **kwargs)
        self.add_class("ilc-app")
        self.add_class("ilc")
        self.room.sections.add(self)
        self._render_heading()
        if not self.collective:
            self.body.layout.display = "none"
            self.notice.show(
                "No collective to show yet."
                if ctx.is_facilitator
                else "This workbook belongs to a collective: open it from your collective's link.",
                "info",
            )
        self._follow()
        self._stage_rest()
        if self.collective and not self.staged:
            self._safe_refresh()  # what the first view needs; the rest comes once it shows

    # -- to fill in by each section
    def _build(self) -> W.Widget:
        raise NotImplementedError

    def _build_rest(self) -> None:
        """Build what can wait until the page shows (long lists, collapsed panels)."""

    # -- staged building: the page becomes usable before its long lists are drawn
    def _stage_rest(self) -> None:
        loop = running_loop()
        if loop is None:  # plain Python: build everything now
            self.finish_building()
            return
        # the page reports each view it draws (``_view_count``): build the rest after
        # the first one, or after a moment if nothing reports (e.g. a headless kernel)
        self._view_count = 0
        self.observe(self._on_view_count, "_view_count")
        loop.call_later(STAGE_FALLBACK_SECONDS, self.finish_building)

    def _on_view_count(self, change: Mapping[str, Any]) -> None:
        loop = running_loop()
        if not change["new"] or self.staged:
            return
        if loop is None:
            self.finish_building()
        else:
            loop.call_later(STAGE_DELAY_SECONDS, self.finish_building)

    def finish_building(self) -> None:
        """Build the parts left for after the first display, and read all the data they
        show (does nothing the second time)."""
        if self.staged:
            return
        self.staged = True
        try:
            self._build_rest()
        except Exception as exc:  # never a traceback on the page
            self.notice.show(f"Could not show everything: {exc}", "error")
        if self.collective:
            self._safe_refresh()

    def refresh(self) -> None:
        """Read the collective's data again and redraw (forms keep what is typed)."""
        raise NotImplementedError

    # -- plumbing
    def _follow(self) -> None:
        """Follow the revision of the collective shown: one poller per page and collective,
        shared with the page's other sections (``self.poller`` is this section's
        subscription)."""
        old: Subscription | None = getattr(self, "poller", None)
        if old is not None:
            old.stop()
        net, code = self.net, self.collective
        shared_poller = page_of(self.ctx).poller(
            ("revision", code), lambda: net.revision(code) if code else 0, interval=POLL_SECONDS
        )
        self.poller = shared_poller.subscribe(self._remote_change)

    def _render_heading(self) -> None:
        name = self._collective_names.get(self.collective, "")
        self.heading.value = heading_html(self.title_text, name=name, intro=self.intro_text)

    def _on_pick(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            self.room.code = change["new"]

    def _on_room_code(self, change: Mapping[str, Any]) -> None:
        code = change["new"]
        if self.picker is not None and code in [v for _, v in self.picker.options]:
            self.picker.value = code
        self._guard("Switching", lambda: self.switch(code))

    def switch(self, code: str) -> None:
        """Show another collective (whole-network sessions only)."""
        if code == self.collective:
            return
        if not self.ctx.is_facilitator:
            raise IlcError("This link shows its own collective only.")
        if code not in self._collective_names:
            raise NotFound(f"there is no collective {code!r} in this network")
        self.collective = code
        self.body.layout.display = ""
        self.notice.clear()
        self._switched()
        self._render_heading()
        self._safe_refresh()
        self._follow()

    def _switched(self) -> None:
        """Forget per-collective state when the facilitator picks another collective."""

    def _safe_refresh(self) -> None:
        try:
            self.refresh()
        except Exception as exc:  # a database hiccup shows a message, never a traceback
            self.notice.show(f"Could not load the latest data: {exc}", "error")

    def _remote_change(self) -> None:
        self._safe_refresh()

    def poll_now(self) -> None:
        """Check for changes right away (another section of this page saved)."""
        try:
            self.poller.poll_once()
        except Exception as exc:
            self.notice.show(f"Could not load the latest data: {exc}", "error")

    def _saved(self) -> None:
        """After a save on this page: redraw here and in the page's other sections."""
        self.poller.mark_seen()
        self._safe_refresh()
        for other in list(self.room.sections):
            if other is not self and other.collective == self.collective:
                other.poll_now()

    def _guard(self, what: str, func: Callable[[], None], notice: Notice | None = None) -> None:
        """Run a button's action; any failure becomes a message, never a traceback (the
        kit's :func:`~ilc_widgets.widgets._kit.notice.guard`)."""
        guard(notice or self.notice, what, func)

    def _load_names(self) -> None:
        members = self.net.members(self.collective)
        self._names = {
            str(r.email).lower(): str(r.name) for r in members.itertuples() if _text(r.email)
        }
        self._members = members

    def who_label(self, entered_by: Any) -> str:
        """A member's name for the email stored in ``entered_by`` (else the text itself)."""
        text = _text(entered_by)
        if text.endswith(" link") and text.lower() not in self._names:
            return "Shared link"
        return self._names.get(text.lower(), text)


# --------------------------------------------------------------------------- evidence logger


class _EntryRow(W.HBox):  # type: ignore[misc]
    """One row of the evidence table (rows are reused from page to page)."""

    def __init__(self, owner: EvidenceLogger) -> None:
        self.owner = owner
        self.entry_id: int | None = None
        self.cells = _html(flex="1 1 0%", min_width="0")
        self.edit_button = _button(
            "Edit", icon="pencil", tooltip="Load this entry into the form", layout=owner.edit_layout
        )
        self.edit_button.add_class("ilc-ev-edit")
        self.delete_button = _button(
            "Delete", icon="trash", tooltip="Delete (recoverable)", layout=_layout(width="6.6em")
        )
        self.delete_button.add_class("ilc-ev-delete")
        self.edit_button.on_click(
            lambda _b: owner._guard("Editing", self._edit, owner.table_notice)
        )
        self.delete_button.on_click(
            lambda _b: owner._guard("Deleting", self._toggle, owner.table_notice)
        )
        super().__init__(
            [self.cells, self.edit_button, self.delete_button],
            layout=W.Layout(align_items="center"),
        )
        self.add_class("ilc-ev-row")

    def _edit(self) -> None:
        if self.entry_id is not None:
            self.owner.edit(self.entry_id)

    def _toggle(self) -> None:
        if self.entry_id is None:
            return
        if self.owner.show_deleted.value:
            self.owner.restore(self.entry_id)
        else:
            self.owner.delete(self.entry_id)

    def show(self, entry: Mapping[str, Any], *, deleted: bool, fresh: bool) -> None:
        """Fill the row with one entry."""
        self.entry_id = int(entry["id"])
        self.cells.value = self.owner.cells_html(entry)
        self.layout.display = ""
        self.delete_button.description = "Restore" if deleted else "Delete"
        self.delete_button.icon = "undo" if deleted else "trash"
        self.delete_button.tooltip = "Bring this entry back" if deleted else "Delete (recoverable)"
        for flag, css in ((deleted, "ilc-ev-deleted-row"), (fresh, "ilc-ev-fresh")):
            if flag:
                self.add_class(css)
            else:
                self.remove_class(css)
        if deleted:
            self.delete_button.add_class("ilc-ev-restore")
            self.delete_button.remove_class("ilc-ev-delete")
        else:
            self.delete_button.add_class("ilc-ev-delete")
            self.delete_button.remove_class("ilc-ev-restore")

    def hide(self) -> None:
        """Show nothing (fewer entries than rows on this page)."""
        self.entry_id = None
        self.layout.display = "none"


class EvidenceLogger(_Section):
    """Log evidence of the four types, list it with filters, edit, delete and restore it,
    and import a CSV or XLSX file of entries; facilitators also get a projector view."""

    form_notice: Notice
    table_notice: Notice

    value = T.Dict(
        help="The entry in the form, by data-contract field (date as YYYY-MM-DD); "
        "setting it fills the form"
    )
    editing = T.Int(None, allow_none=True, help="The id of the entry being edited, or None")
    page = T.Int(0, help="The page of the table shown (0 holds the newest entries)")
    title_text = "Log evidence"
    intro_text = (
        "Log small and often: one entry per measurement, survey or observation. Each entry "
        "is saved when you add it and appears for everyone in the collective within seconds."
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self._frame = pd.DataFrame()
        self._indicators: dict[str, Indicator] = {}
        self._editing_version = 0
        self._fresh_id: int | None = None
        self._last_deleted: int | None = None
        self._quiet = False
        self._auto_unit = ""
        self._auto_type: str | None = None
        self._filling = False
        self._quiet_value = False
        super().__init__(ctx, **kwargs)

    # ------------------------------------------------------------------ building

    def _build(self) -> W.Widget:
        self.form = self._build_form()
        # the entries table is built once the page shows the form (see _build_rest)
        self.rows: list[_EntryRow] = []
        self.table_ready = False
        self.table_notice = _notice("ilc-ev-table-notice")
        self.undo_button = _button("Undo delete", icon="undo", layout=W.Layout(width="auto"))
        self.undo_button.add_class("ilc-ev-undo")
        self.undo_button.layout.display = "none"
        self.undo_button.on_click(
            lambda _b: self._guard("Restoring", self.undo_delete, self.table_notice)
        )
        self.table_title = _html()
        self.table = W.VBox([self.table_title, _html("<p class='muted'>Loading the entries…</p>")])
        self.table.add_class("ilc-ev-table")
        self.importer: _ImportPanel | None = None
        self.import_box = W.Accordion(children=[], selected_index=None)
        self.import_box.add_class("ilc-ev-import-box")
        self.work = W.VBox([self.form, self.table, self.import_box])
        self.board = W.HTML(layout=W.Layout(display="none"))
        self.board.add_class("ilc-ev-projector")
        parts: list[W.Widget] = []
        self.projector_button: W.ToggleButton | None = None
        if self.ctx.is_facilitator:
            self.projector_button = W.ToggleButton(
                description="Projector view",
                icon="television",
                tooltip="A large, read-only live view of this collective's evidence, "
                "for projecting in the room",
                layout=_layout(width="auto"),
            )
            self.projector_button.add_class("ilc-ev-projector-toggle")
            self.projector_button.observe(self._on_projector, "value")
            parts.append(_box([self.projector_button], vertical=False))
        return W.VBox([*parts, self.work, self.board])

    def _build_form(self) -> W.Widget:
        self.type_input = W.ToggleButtons(
            options=[(name, key) for key, name in EVIDENCE_TYPES.items()],
            value=None,
            tooltips=[TYPE_HELP[k] for k in EVIDENCE_TYPES],
            style={"button_width": "10.5em"},
        )
        self.type_input.add_class("ilc-ev-type")
        self.type_help = _html(
            "<span class='ilc-help'>Bernhardt's four types: pick the one this evidence is.</span>"
        )
        self.indicator_input = W.Dropdown(
            style=_desc_style(), options=[("(none)", "")], layout=_layout(width="24em")
        )
        self.indicator_input.add_class("ilc-ev-indicator")
        self.date_input = W.DatePicker(
            style=_desc_style(), value=dt.date.today(), layout=_layout(width="12em")
        )
        self.date_input.add_class("ilc-ev-date")
        self.value_input = W.Text(
            style=_text_style(), placeholder="e.g. 72", layout=_layout(width="7em")
        )
        self.value_input.add_class("ilc-ev-value")
        self.unit_input = W.Combobox(
            style=_text_style(),
            options=list(COMMON_UNITS),
            placeholder="e.g. %, days",
            ensure_option=False,
            layout=_layout(width="10em"),
        )
        self.unit_input.add_class("ilc-ev-unit")
        self.n_input = W.Text(
            style=_text_style(), placeholder="how many", layout=_layout(width="7em")
        )
        self.n_input.add_class("ilc-ev-n")
        self.subgroup_input = W.Combobox(
            style=_text_style(),
            placeholder="e.g. grade 1, multilingual learners",
            ensure_option=False,
            layout=_layout(width="24em"),
        )
        self.subgroup_input.add_class("ilc-ev-subgroup")
        self.description_input = W.Textarea(
            style=_text_style(),
            placeholder="What was measured or seen, in a sentence or two (no student names).",
            rows=4,
            layout=_layout(width="100%"),
        )
        self.description_input.add_class("ilc-ev-description")
        self.source_input = W.Combobox(
            style=_text_style(),
            placeholder="e.g. walkthrough form, SIS report, survey",
            ensure_option=False,
            layout=_layout(width="100%"),
        )
        self.source_input.add_class("ilc-ev-source")
        self.who_input = W.Dropdown(style=_desc_style(), options=[], layout=_layout(width="100%"))
        self.who_input.add_class("ilc-ev-who")
        self.errors: dict[str, W.HTML] = {}
        for column in FIELD_LABELS:
            error = _html()
            error.add_class("ilc-ev-error")
            error.add_class(f"ilc-ev-error-{column}")
            self.errors[column] = error
        self.add_button = _button(
            "Add evidence", kind="primary", icon="plus", layout=W.Layout(width="auto")
        )
        self.add_button.add_class("ilc-ev-add")
        self.add_button.on_click(lambda _b: self._guard("Saving", self.submit, self.form_notice))
        self.cancel_button = _button("Cancel edit", icon="times", layout=W.Layout(width="auto"))
        self.cancel_button.add_class("ilc-ev-cancel")
        self.cancel_button.layout.display = "none"
        self.cancel_button.on_click(lambda _b: self._guard("Cancelling", self.cancel_edit))
        self.form_notice = _notice("ilc-ev-form-notice")

        for widget in (
            self.type_input,
            self.indicator_input,
            self.date_input,
            self.value_input,
            self.unit_input,
            self.n_input,
            self.subgroup_input,
            self.description_input,
            self.source_input,
            self.who_input,
        ):
            widget.observe(self._on_form_change, "value")
        self.indicator_input.observe(self._on_indicator, "value")
        self.type_input.observe(self._on_type, "value")
        self.who_input.observe(self._on_who, "value")
        self.observe(self._on_value, "value")

        def row(label: str, widget: W.Widget, *columns: str, help: str = "") -> W.Box:
            hint = f"<div class='ilc-help'>{esc(help)}</div>" if help else ""
            head = _html(f"<b>{esc(label)}</b>{hint}", width="9.5em", flex="0 0 auto")
            line = _box([head, widget], vertical=False)
            return _box([line, *[self.errors[c] for c in columns]])

        value_unit = _box(
            [self.value_input, _html("&nbsp;<b>Unit</b>&nbsp;"), self.unit_input],
            vertical=False,
            align_items="center",
        )
        left = _box(
            [
                row("Indicator", self.indicator_input, "indicator", help="from your placemat"),
                row("Date", self.date_input, "date"),
                row("Value", value_unit, "value", "unit"),
                row("n", self.n_input, "n", help="people or students"),
                row("Subgroup", self.subgroup_input, "subgroup", help="blank = everyone"),
            ],
            width="50%",
        )
        right = _box(
            [
                row("Description", self.description_input, "description"),
                row("Source", self.source_input, "source"),
                row("Entered by", self.who_input, "entered_by", help="I am …"),
            ],
            width="50%",
        )
        types = _box(
            [
                _box(
                    [
                        _html("<b>Evidence type</b>", width="9.5em", flex="0 0 auto"),
                        self.type_input,
                    ],
                    vertical=False,
                ),
                _box([_html(width="9.5em", flex="0 0 auto"), self.type_help], vertical=False),
                self.errors["evidence_type"],
            ]
        )
        buttons = _box(
            [self.add_button, self.cancel_button],
            vertical=False,
            margin="0 0 0 9.5em",
            align_items="center",
        )
        self.form_title = _html("<h3>New entry</h3>")
        columns = _box([left, right], vertical=False)
        form = _box([self.form_title, types, columns, buttons, self.form_notice])
        form.add_class("ilc-box")
        form.add_class("ilc-ev-form")
        self._sync_value()
        return form

    def _build_table(self) -> W.Widget:
        self.filter_type = W.Dropdown(
            style=_desc_style(),
            options=[("All types", _ALL)] + [(n, k) for k, n in EVIDENCE_TYPES.items()],
            layout=_layout(width="11em"),
        )
        self.filter_type.add_class("ilc-ev-filter-type")
        self.filter_indicator = W.Dropdown(
            style=_desc_style(),
            options=[("All indicators", _ALL), ("(no indicator)", "")],
            layout=_layout(width="17em"),
        )
        self.filter_indicator.add_class("ilc-ev-filter-indicator")
        self.filter_from = W.DatePicker(style=_desc_style(), layout=_layout(width="10.5em"))
        self.filter_from.add_class("ilc-ev-filter-from")
        self.filter_to = W.DatePicker(style=_desc_style(), layout=_layout(width="10.5em"))
        self.filter_to.add_class("ilc-ev-filter-to")
        self.filter_who = W.Dropdown(
            style=_desc_style(), options=[("Anyone", _ALL)], layout=_layout(width="13em")
        )
        self.filter_who.add_class("ilc-ev-filter-who")
        self.show_deleted = W.ToggleButton(
            description="Show deleted",
            icon="trash",
            tooltip="List the deleted entries, to restore them",
            layout=_layout(width="auto"),
        )
        self.show_deleted.add_class("ilc-ev-show-deleted")
        clear = _button("Clear filters", icon="eraser")
        clear.add_class("ilc-ev-clear-filters")
        clear.on_click(lambda _b: self._guard("Clearing filters", self.clear_filters))
        for widget in (
            self.filter_type,
            self.filter_indicator,
            self.filter_from,
            self.filter_to,
            self.filter_who,
            self.show_deleted,
        ):
            widget.observe(self._on_filter, "value")

        def small(label: str, widget: W.Widget) -> W.Box:
            return _box(
                [_html(f"<span class='muted'>{esc(label)}</span>&nbsp;"), widget],
                vertical=False,
                align_items="center",
                margin="0 .8em 0 0",
            )

        filters = _box(
            [
                small("Type", self.filter_type),
                small("Indicator", self.filter_indicator),
                small("From", self.filter_from),
                small("to", self.filter_to),
                small("Entered by", self.filter_who),
                self.show_deleted,
                clear,
            ],
            vertical=False,
            flex_flow="row wrap",
            align_items="center",
        )
        filters.add_class("ilc-ev-filters")
        header = _html(
            "<div class='ilc-ev-grid ilc-ev-head'><div>Date</div><div>Type</div>"
            "<div>Indicator</div><div class='num'>Value</div><div class='num'>n</div>"
            "<div>Subgroup</div><div>Description and source</div><div>Entered by</div></div>",
            flex="1 1 0%",
            min_width="0",
        )
        head_row = W.HBox([header, _html(width="12.4em", flex="0 0 auto")])
        head_row.add_class("ilc-ev-header")
        self.header_row = head_row
        self.edit_layout = W.Layout(width="5.2em")
        self.rows = [_EntryRow(self) for _ in range(PAGE_SIZE)]
        for row in self.rows:
            row.hide()
        self.empty_html = _html()
        self.empty_html.add_class("ilc-ev-empty")
        self.prev_button = _button("Newer", icon="chevron-left", layout=W.Layout(width="auto"))
        self.prev_button.add_class("ilc-ev-prev")
        self.prev_button.on_click(
            lambda _b: self._guard("Paging", lambda: self.go_to(self.page - 1))
        )
        self.next_button = _button("Older", icon="chevron-right", layout=W.Layout(width="auto"))
        self.next_button.add_class("ilc-ev-next")
        self.next_button.on_click(
            lambda _b: self._guard("Paging", lambda: self.go_to(self.page + 1))
        )
        self.page_label = _html()
        self.page_label.add_class("ilc-ev-page")
        pager = _box(
            [self.prev_button, self.page_label, self.next_button],
            vertical=False,
            align_items="center",
        )
        return _box(
            [
                self.table_title,
                filters,
                _box([self.table_notice, self.undo_button], vertical=False, align_items="center"),
                head_row,
                *self.rows,
                self.empty_html,
                pager,
            ]
        )

    def _build_rest(self) -> None:
        """The entries table and the import panel, once the page shows the form."""
        old = list(self.table.children)
        self.table.children = [self._build_table()]
        for widget in old:
            if widget is not self.table_title:
                widget.close()
        self.table_ready = True
        self.importer = _ImportPanel(self)
        self.import_box.children = [self.importer]
        self.import_box.set_title(0, "Import entries from a file (CSV or XLSX)")
        self.import_box.selected_index = None

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Read the collective's placemat, members and entries again and redraw the table
        (and the projector view); the form keeps what is typed."""
        if not self.collective:
            return
        state = self.net.placemat(self.collective)
        self._load_names()
        if self.staged:  # the entries are read once the table can show them
            frame = self.net.evidence_frame(self.collective, include_deleted=True)
            if len(frame):
                frame = frame.sort_values(["date", "id"], ascending=False, kind="stable")
            self._frame = frame.reset_index(drop=True)
        self._quiet = True
        try:
            self._refresh_choices(state.placemat)
        finally:
            self._quiet = False
        self._render_table()
        if self.projector_button is not None and self.projector_button.value:
            self._render_projector()

    def _refresh_choices(self, placemat: Placemat) -> None:
        named = [i for i in placemat.indicators if i.name.strip()]
        self._indicators = {}
        for ind in named:
            self._indicators.setdefault(ind.name.strip(), ind)
        ind_options = [("(none)", "")] + [(n, n) for n in self._indicators]
        _set_options(self.indicator_input, ind_options)
        if self.table_ready:
            self._refresh_filters()
        self._refresh_who()
        live = self._frame[~self._frame["deleted"]] if len(self._frame) else self._frame
        self.unit_input.options = _common(live, "unit", COMMON_UNITS)
        self.subgroup_input.options = _common(live, "subgroup", ())
        self.source_input.options = _common(live, "source", ())

    def _refresh_filters(self) -> None:
        frame = self._frame
        seen = [] if not len(frame) else [_text(v) for v in frame["indicator"].unique()]
        planned = {indicator_key(n) for n in self._indicators}
        extra = sorted({s for s in seen if s and indicator_key(s) not in planned})
        _set_options(
            self.filter_indicator,
            [("All indicators", _ALL), ("(no indicator)", "")]
            + [(n, n) for n in self._indicators]
            + [(n, n) for n in extra],
        )
        who_values = (
            [] if not len(frame) else sorted({_text(v) for v in frame["entered_by"]} - {""})
        )
        _set_options(
            self.filter_who,
            [("Anyone", _ALL), *sorted(((self.who_label(v), v) for v in who_values), key=_lower)],
        )

    def _refresh_who(self) -> None:
        # the "I am ..." choices: this session's own name first, then the members
        actor = self.ctx.actor
        own = actor.lower() in self._names
        members = [
            (str(r.name), str(r.email).lower() or str(r.name)) for r in self._members.itertuples()
        ]
        who_options: list[tuple[str, str]] = []
        if not own:
            shown = "Our collective (shared link)" if actor.endswith(" link") else actor
            who_options.append((shown or "Someone in the collective", actor))
        who_options += _unique_labels(members)
        before = self.who_input.value
        _set_options(self.who_input, who_options)
        if before is None:
            preferred = self.room.who or (actor.lower() if own else actor)
            values = [v for _, v in who_options]
            self.who_input.value = (
                preferred if preferred in values else (values[0] if values else None)
            )

    def cells_html(self, entry: Mapping[str, Any]) -> str:
        """One entry as the cells of a table row (everything typed is escaped)."""
        day = as_date(entry.get("date"))
        description = _text(entry.get("description"))
        source = _text(entry.get("source"))
        desc_html = esc(_short(description, 160)) if description else ""
        if source:
            desc_html += f"<div class='muted'>Source: {esc(_short(source, 80))}</div>"
        n = entry.get("n")
        indicator = _text(entry.get("indicator"))
        return (
            "<div class='ilc-ev-grid'>"
            f"<div>{esc(day.isoformat() if day else '')}</div>"
            f"<div>{_badge(_text(entry.get('evidence_type')))}</div>"
            f"<div>{esc(indicator) if indicator else '<span class=muted>(none)</span>'}</div>"
            f"<div class='num'>{esc(with_unit(entry.get('value'), entry.get('unit')))}</div>"
            f"<div class='num'>{esc('' if _blank(n) else str(_int(n)))}</div>"
            f"<div>{esc(_text(entry.get('subgroup')))}</div>"
            f"<div title='{esc(description)}'>{desc_html}</div>"
            f"<div>{esc(self.who_label(entry.get('entered_by')))}</div>"
            "</div>"
        )

    def filtered(self) -> pd.DataFrame:
        """The entries the filters let through, newest first (deleted ones when
        "Show deleted" is on, the others otherwise)."""
        frame = self._frame
        if not len(frame):
            return frame
        mask = frame["deleted"] == bool(self.show_deleted.value)
        if self.filter_type.value != _ALL:
            mask &= frame["evidence_type"] == self.filter_type.value
        wanted = self.filter_indicator.value
        if wanted != _ALL:
            mask &= indicator_keys(frame["indicator"]) == indicator_key(wanted)
        start, end = self.filter_from.value, self.filter_to.value
        if start is not None:
            mask &= frame["date"] >= start
        if end is not None:
            mask &= frame["date"] <= end
        if self.filter_who.value != _ALL:
            mask &= frame["entered_by"].fillna("") == self.filter_who.value
        return frame[mask]

    def _render_title(self, deleted: bool) -> None:
        live = int((~self._frame["deleted"]).sum()) if len(self._frame) else 0
        removed = len(self._frame) - live
        what = "Deleted entries" if deleted else "Entries"
        extra = f" · {removed} deleted" if removed and not deleted else ""
        self.table_title.value = (
            f"<h3>{what} <span class='muted ilc-ev-count'>({live} logged{extra})</span></h3>"
        )

    def _render_table(self) -> None:
        if not self.table_ready:
            self.table_title.value = "<h3>Entries</h3>"
            return
        view = self.filtered()
        total = len(view)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        if self.page >= pages:
            self.page = pages - 1
        first = self.page * PAGE_SIZE
        chunk = _records(view.iloc[first : first + PAGE_SIZE])
        deleted = bool(self.show_deleted.value)
        self.edit_layout.visibility = "hidden" if deleted else "visible"
        for i, row in enumerate(self.rows):
            if i < len(chunk):
                entry = chunk[i]
                row.show(entry, deleted=deleted, fresh=_int(entry["id"]) == self._fresh_id)
            else:
                row.hide()
        self._render_title(deleted)
        filtered = self._filters_on()
        if total == 0:
            if deleted:
                text = "No deleted entries."
            elif filtered:
                text = "No entries match these filters."
            else:
                text = "No evidence logged yet: add the first entry above."
            self.empty_html.value = f"<p class='muted'>{esc(text)}</p>"
            self.header_row.layout.display = "none"
        else:
            self.empty_html.value = ""
            self.header_row.layout.display = ""
        if total:
            shown = f"{first + 1}–{first + len(chunk)} of {total}"
            match = " matching" if filtered else ""
            self.page_label.value = (
                f"<span class='muted'>&nbsp;{esc(shown)}{match} · page {self.page + 1} "
                f"of {pages}&nbsp;</span>"
            )
        else:
            self.page_label.value = ""
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page >= pages - 1
        visible = "" if pages > 1 else "none"
        self.prev_button.layout.display = visible
        self.next_button.layout.display = visible

    def _filters_on(self) -> bool:
        return (
            self.filter_type.value != _ALL
            or self.filter_indicator.value != _ALL
            or self.filter_from.value is not None
            or self.filter_to.value is not None
            or self.filter_who.value != _ALL
        )

    def go_to(self, page: int) -> None:
        """Show another page of the table (0 = newest)."""
        self.page = max(0, page)
        self._render_table()

    def clear_filters(self) -> None:
        """Show every entry again."""
        self._quiet = True
        try:
            self.filter_type.value = _ALL
            self.filter_indicator.value = _ALL
            self.filter_from.value = None
            self.filter_to.value = None
            self.filter_who.value = _ALL
        finally:
            self._quiet = False
        self.page = 0
        self._render_table()

    def _on_filter(self, _change: Mapping[str, Any]) -> None:
        if self._quiet:
            return
        self.page = 0
        self._render_table()

    # ------------------------------------------------------------------ the form

    def form_entry(self) -> dict[str, Any]:
        """The entry in the form, as :meth:`Network.add_evidence` takes it."""
        return {
            "date": self.date_input.value,
            "evidence_type": self.type_input.value or "",
            "indicator": self.indicator_input.value or "",
            "value": self.value_input.value.strip(),
            "unit": self.unit_input.value.strip(),
            "n": self.n_input.value.strip(),
            "subgroup": self.subgroup_input.value.strip(),
            "description": self.description_input.value.strip(),
            "source": self.source_input.value.strip(),
            "entered_by": self.who_input.value or self.ctx.actor,
        }

    def _sync_value(self) -> None:
        entry = self.form_entry()
        day = entry["date"]
        entry["date"] = day.isoformat() if isinstance(day, dt.date) else ""
        self._quiet_value = True
        try:
            self.value = entry
        finally:
            self._quiet_value = False

    def _on_form_change(self, _change: Mapping[str, Any]) -> None:
        self._sync_value()

    def _on_value(self, change: Mapping[str, Any]) -> None:
        if self._quiet_value:
            return
        self.fill_form(change["new"])

    def fill_form(self, entry: Mapping[str, Any]) -> None:
        """Put an entry (data-contract fields) into the form."""
        self._filling = True
        try:
            self._fill(entry)
        finally:
            self._filling = False
        self._auto_unit = ""
        self._auto_type = None
        self._sync_value()

    def _fill(self, entry: Mapping[str, Any]) -> None:
        kind = _text(entry.get("evidence_type"))
        self.type_input.value = kind if kind in EVIDENCE_TYPES else None
        indicator = _text(entry.get("indicator"))
        if indicator and indicator not in [v for _, v in self.indicator_input.options]:
            self.indicator_input.options = [*self.indicator_input.options, (indicator, indicator)]
        self.indicator_input.value = indicator
        self.date_input.value = as_date(entry.get("date"))
        raw_value = entry.get("value")
        self.value_input.value = (
            raw_value if isinstance(raw_value, str) else input_number(raw_value)
        )
        self.unit_input.value = _text(entry.get("unit"))
        raw_n = entry.get("n")
        self.n_input.value = raw_n if isinstance(raw_n, str) else input_number(raw_n)
        self.subgroup_input.value = _text(entry.get("subgroup"))
        self.description_input.value = _text(entry.get("description"))
        self.source_input.value = _text(entry.get("source"))
        who = _text(entry.get("entered_by"))
        if who:
            if who not in [v for _, v in self.who_input.options]:
                self.who_input.options = [*self.who_input.options, (self.who_label(who), who)]
            self.who_input.value = who

    def _on_indicator(self, change: Mapping[str, Any]) -> None:
        if self._quiet or self._filling:
            return
        ind = self._indicators.get(_text(change["new"]))
        if ind is None:
            return
        if not self.unit_input.value.strip() or self.unit_input.value.strip() == self._auto_unit:
            self.unit_input.value = ind.unit
        self._auto_unit = ind.unit
        if ind.evidence_type in EVIDENCE_TYPES and (
            self.type_input.value is None or self.type_input.value == self._auto_type
        ):
            self.type_input.value = ind.evidence_type
            self._auto_type = ind.evidence_type

    def _on_type(self, change: Mapping[str, Any]) -> None:
        key = change["new"]
        text = (
            f"{EVIDENCE_TYPES[key]}: {TYPE_HELP[key]}"
            if key in TYPE_HELP
            else "Bernhardt's four types: pick the one this evidence is."
        )
        self.type_help.value = f"<span class='ilc-help'>{esc(text)}</span>"
        if key:
            self.errors["evidence_type"].value = ""

    def _on_who(self, change: Mapping[str, Any]) -> None:
        if not self._quiet and change["new"]:
            self.room.who = str(change["new"])

    def _clear_errors(self) -> None:
        for error in self.errors.values():
            error.value = ""
        self.form_notice.clear()

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        messages: dict[str, list[str]] = {}
        loose: list[str] = []
        for problem in problems:
            text = _friendly(problem.column, problem.message)
            column = problem.column or ""
            if problem.message == "the row has neither a value nor a description":
                messages.setdefault("description", []).append(text)
            if column in self.errors:
                messages.setdefault(column, []).append(text)
            else:
                loose.append(text)
        for column, texts in messages.items():
            self.errors[
                column
            ].value = (
                f"<div class='ilc-err'><span>{'<br>'.join(esc(t) for t in texts)}</span></div>"
            )
        fields = ", ".join(FIELD_LABELS.get(c, c) for c in messages)
        summary = f"Please check {fields}: nothing was saved." if fields else "Nothing was saved."
        self.form_notice.show(" ".join([summary, *loose]), "error")

    def submit(self) -> None:
        """Add the entry in the form, or save the entry being edited."""
        self._clear_errors()
        self.notice.clear()
        entry = self.form_entry()
        if not self.collective:
            raise IlcError("Pick a collective first.")
        try:
            if self.editing is None:
                new_id = self.net.add_evidence(self.collective, actor=self.ctx.actor, **entry)
                self._fresh_id = new_id
                self._reset_after_add()
                self.form_notice.show(f"Added: {self._summary(entry)}.", "success")
            else:
                entry_id = self.editing
                try:
                    self.net.update_evidence(
                        entry_id,
                        self._editing_version,
                        collective=self.collective,
                        actor=self.ctx.actor,
                        **entry,
                    )
                except ConflictError:
                    self._conflict(entry_id)
                    return
                self._fresh_id = entry_id
                self._leave_edit()
                self.clear_form()
                self.form_notice.show(f"Saved your changes: {self._summary(entry)}.", "success")
        except ImportValidationError as exc:
            self._show_problems(exc.problems)
            return
        self.undo_button.layout.display = "none"
        self.page = 0
        self._saved()

    def _summary(self, entry: Mapping[str, Any]) -> str:
        day = as_date(entry.get("date"))
        parts = [
            day.isoformat() if day else "",
            EVIDENCE_TYPES.get(_text(entry.get("evidence_type")), ""),
            _text(entry.get("indicator")),
            with_unit(entry.get("value"), entry.get("unit")),
            f"n {number(entry.get('n'))}" if _text(entry.get("n")) else "",
            _text(entry.get("subgroup")),
            f"“{_short(_text(entry.get('description')), 60)}”"
            if _text(entry.get("description"))
            else "",
        ]
        return " · ".join(p for p in parts if p)

    def _reset_after_add(self) -> None:
        """Ready for the next entry of the same kind: keep type, indicator, date, unit,
        source and who; clear the rest."""
        for widget in (self.value_input, self.n_input, self.subgroup_input):
            widget.value = ""
        self.description_input.value = ""

    def clear_form(self) -> None:
        """Empty the form (keeps who is typing)."""
        self.type_input.value = None
        self.indicator_input.value = ""
        self.date_input.value = dt.date.today()
        for widget in (
            self.value_input,
            self.unit_input,
            self.n_input,
            self.subgroup_input,
            self.description_input,
            self.source_input,
        ):
            widget.value = ""
        self._auto_unit = ""
        self._auto_type = None

    # ------------------------------------------------------------------ edit, delete, restore

    def _entry(self, entry_id: int) -> dict[str, Any] | None:
        if not len(self._frame):
            return None
        found = self._frame[self._frame["id"] == entry_id]
        return None if found.empty else _records(found.iloc[:1])[0]

    def edit(self, entry_id: int) -> None:
        """Load an entry of this collective into the form to change it."""
        entry = self._entry(entry_id)
        if entry is None or bool(entry["deleted"]):
            raise NotFound(f"there is no evidence entry {entry_id} in this collective")
        self._clear_errors()
        self.editing = entry_id
        self._editing_version = int(entry["version"])
        self.fill_form(entry)
        self.add_button.description = "Save changes"
        self.add_button.icon = "check"
        self.cancel_button.layout.display = ""
        self.form_title.value = f"<h3>Editing the entry of {esc(self._summary(entry))}</h3>"
        self.form_notice.show(
            "Change what you need, then click Save changes (or Cancel edit).", "info"
        )

    def cancel_edit(self) -> None:
        """Stop editing and empty the form."""
        self._leave_edit()
        self.clear_form()
        self._clear_errors()

    def _leave_edit(self) -> None:
        self.editing = None
        self._editing_version = 0
        self.add_button.description = "Add evidence"
        self.add_button.icon = "plus"
        self.cancel_button.layout.display = "none"
        self.form_title.value = "<h3>New entry</h3>"

    def _conflict(self, entry_id: int) -> None:
        self.refresh()
        current = self._entry(entry_id)
        self.poller.mark_seen()
        if current is None or bool(current["deleted"]):
            self._leave_edit()
            self.form_notice.show(
                "Someone else deleted this entry while you were editing it, so nothing was "
                "saved. What you typed is still in the form: click Add evidence to log it as "
                "a new entry, or turn on Show deleted to restore theirs.",
                "error",
            )
            return
        self._editing_version = int(current["version"])
        self._fresh_id = entry_id
        self._render_table()
        self.form_notice.show(
            "Someone else changed this entry while you were editing it, so nothing was saved "
            f"and nothing was overwritten. Their version (highlighted in the table): "
            f"{self._summary(current)}. What you typed is still in the form: click Save "
            "changes to replace theirs with yours, or Cancel edit to keep theirs.",
            "error",
        )

    def delete(self, entry_id: int) -> None:
        """Delete an entry of this collective (it can be restored)."""
        self.net.delete_evidence(entry_id, collective=self.collective, actor=self.ctx.actor)
        if self.editing == entry_id:
            self.cancel_edit()
        self._last_deleted = entry_id
        self.table_notice.show("Entry deleted. Turn on Show deleted to restore it later.", "info")
        self.undo_button.layout.display = ""
        self._saved()

    def restore(self, entry_id: int) -> None:
        """Bring back a deleted entry of this collective."""
        self.net.restore_evidence(entry_id, collective=self.collective, actor=self.ctx.actor)
        self._fresh_id = entry_id
        self.undo_button.layout.display = "none"
        self.table_notice.show("Entry restored.", "success")
        self._saved()

    def undo_delete(self) -> None:
        """Restore the entry deleted last."""
        if self._last_deleted is not None:
            self.restore(self._last_deleted)
            self._last_deleted = None

    def _switched(self) -> None:
        # what is typed stays (nothing typed is lost); an edit of the other collective's
        # entry becomes a new entry for this one
        self._leave_edit()
        self._clear_errors()
        self.table_notice.clear()
        self.form_notice.clear()
        self.undo_button.layout.display = "none"
        self._fresh_id = self._last_deleted = None
        self.page = 0
        if self.table_ready:
            self.clear_filters()
            self.show_deleted.value = False
        if self.importer is not None:
            self.importer.reset()
        self.who_input.options = []

    # ------------------------------------------------------------------ projector view

    def _on_projector(self, change: Mapping[str, Any]) -> None:
        on = bool(change["new"])
        self.work.layout.display = "none" if on else ""
        self.board.layout.display = "" if on else "none"
        if on:
            self._render_projector()

    def _render_projector(self) -> None:
        frame = self._frame
        live = frame[~frame["deleted"]] if len(frame) else frame
        counts = _type_counts(live)
        latest = (
            live.sort_values(["created_at", "id"], ascending=False).head(8) if len(live) else live
        )
        items = []
        for entry in _records(latest):
            day = as_date(entry.get("date"))
            value = with_unit(entry.get("value"), entry.get("unit"))
            n = entry.get("n")
            bits = [
                f"<span class='when'>{esc(day.strftime('%b %d') if day else '')}</span>",
                _badge(_text(entry.get("evidence_type"))),
                f" <b>{esc(_text(entry.get('indicator')))}</b>:"
                if _text(entry.get("indicator"))
                else "",
                f"<span class='val'>{esc(value)}</span>" if value else "",
                f"<span class='muted'>n = {_int(n)}</span>" if not _blank(n) else "",
                f" <span class='muted'>· {esc(_text(entry.get('subgroup')))}</span>"
                if _text(entry.get("subgroup"))
                else "",
            ]
            desc = _text(entry.get("description"))
            more = f"<div>{esc(_short(desc, 140))}</div>" if desc else ""
            items.append(f"<div class='ilc-proj-item'>{''.join(bits)}{more}</div>")
        listing = "".join(items) or "<p class='muted'>No evidence logged yet.</p>"
        prompts = missing_type_prompts(counts)
        prompt_html = (
            "<h3>What to collect next</h3><ul class='ilc-prompts'>"
            + "".join(f"<li>{esc(p)}</li>" for p in prompts)
            + "</ul>"
            if prompts
            else ""
        )
        name = self._collective_names.get(self.collective, self.collective)
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.board.value = (
            "<div class='ilc ilc-proj'>"
            f"<div><span class='ilc-proj-title'>{esc(name)}</span> "
            f"<span class='muted'>· {len(live)} entries · live, updated {stamp}</span></div>"
            f"{_tiles(counts)}<h3>Latest evidence</h3>{listing}{prompt_html}</div>"
        )


def _lower(item: tuple[str, str]) -> str:
    return item[0].casefold()


def _unique_labels(options: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Dropdown choices with unique labels and values (a dropdown needs unique labels)."""
    seen_labels: set[str] = set()
    seen_values: set[str] = set()
    out = []
    for label_text, value in options:
        if value in seen_values:
            continue
        shown = label_text
        if shown in seen_labels:
            shown = f"{label_text} ({value})"
        seen_labels.add(shown)
        seen_values.add(value)
        out.append((shown, value))
    return out


def _common(
    frame: pd.DataFrame, column: str, defaults: Sequence[str], limit: int = 30
) -> list[str]:
    """Suggestions for a text field: the defaults, then the values used most often."""
    used: list[str] = []
    if len(frame) and column in frame:
        counts = frame[column].fillna("").astype(str).str.strip().value_counts()
        used = [str(v) for v in counts.index if str(v)][:limit]
    return list(dict.fromkeys([*defaults, *used]))


# --------------------------------------------------------------------------- bulk import


class _ImportPanel(W.VBox):  # type: ignore[misc]
    """Upload a CSV or XLSX file, map its columns, preview the entries and any problems,
    then import all of them in one go (or none)."""

    message: Notice

    def __init__(self, owner: EvidenceLogger) -> None:
        self.owner = owner
        self.table: pd.DataFrame | None = None
        self.filename = ""
        self.frame: pd.DataFrame | None = None
        self.map_inputs: dict[str, W.Dropdown] = {}
        self.upload = W.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file")
        self.upload.add_class("ilc-ev-upload")
        self.upload.observe(self._on_upload, "value")
        self.date_order = W.Dropdown(
            options=[
                ("Only unambiguous dates", "auto"),
                ("Day first (15/09/2026)", "dmy"),
                ("Month first (09/15/2026)", "mdy"),
            ],
            description="Dates like 03/04/2026",
            style={"description_width": "12.5em"},
            layout=W.Layout(width="30em"),
        )
        self.date_order.add_class("ilc-ev-date-order")
        self.date_order.observe(lambda _c: self.owner._guard("Preview", self.preview), "value")
        self.mapping = W.VBox()
        self.mapping.add_class("ilc-ev-map")
        self.preview_html = _html()
        self.preview_html.add_class("ilc-ev-preview")
        self.import_button = _button("Import", kind="success", icon="upload")
        self.import_button.add_class("ilc-ev-import")
        self.import_button.disabled = True
        self.import_button.on_click(
            lambda _b: self.owner._guard("Importing", self.run_import, self.message)
        )
        self.progress = W.IntProgress(value=0, min=0, max=1, layout=W.Layout(display="none"))
        self.progress.add_class("ilc-ev-progress")
        self.message = _notice("ilc-ev-import-notice")
        help_html = _html(
            "<div class='ilc-help'>Columns: <code>date, evidence_type, indicator, value, unit, n, "
            "subgroup, description, source, entered_by</code> (the <code>collective</code> "
            "column may be left out). Other exports work too: say below which column is which. "
            "Nothing is saved until you click Import, and a file with any problem imports "
            "nothing.</div>"
        )
        super().__init__(
            [
                help_html,
                _box([self.upload, self.date_order], vertical=False, align_items="center"),
                self.mapping,
                self.preview_html,
                _box([self.import_button, self.progress], vertical=False, align_items="center"),
                self.message,
            ]
        )
        self.add_class("ilc-ev-importer")

    def reset(self) -> None:
        """Forget the file."""
        self.table = None
        self.frame = None
        self.filename = ""
        old = list(self.mapping.children)
        self.map_inputs = {}
        self.mapping.children = []
        for widget in old:
            for child in getattr(widget, "children", ()):
                child.close()
            widget.close()
        self.preview_html.value = ""
        self.import_button.disabled = True
        self.import_button.description = "Import"
        self.progress.layout.display = "none"

    def _on_upload(self, change: Mapping[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        first = files[0]
        self.owner._guard(
            "Reading the file",
            lambda: self.load_file(first["content"], str(first["name"])),
            self.message,
        )

    def load_file(self, content: bytes | memoryview, filename: str) -> None:
        """Read an uploaded file and suggest which column is which."""
        from ..importers import read_table, suggest_column_map

        self.reset()
        self.message.clear()
        try:
            table = read_table(content, filename, kind="evidence")
        except ImportValidationError as exc:
            self._show_problems(exc)
            return
        self.table, self.filename = table, filename
        suggested = suggest_column_map(list(table.columns), "evidence")
        choices = [("(ignore)", "")] + [
            ("n (how many)" if c == "n" else f"{FIELD_LABELS.get(c, c)} ({c})", c)
            for c in EVIDENCE_FIELDS
        ]
        rows = []
        for header in table.columns:
            sample = next((v for v in table[header].head(20) if str(v).strip()), "")
            dropdown = W.Dropdown(
                style=_desc_style(),
                options=choices,
                value=suggested.get(str(header), ""),
                layout=_layout(width="16em"),
            )
            dropdown.add_class("ilc-ev-map-select")
            dropdown.observe(lambda _c: self.owner._guard("Preview", self.preview), "value")
            self.map_inputs[str(header)] = dropdown
            rows.append(
                _box(
                    [
                        _html(
                            f"<b>{esc(str(header))}</b> <span class='muted'>e.g. "
                            f"{esc(_short(str(sample), 40))}</span>",
                            width="24em",
                        ),
                        _html("→&nbsp;"),
                        dropdown,
                    ],
                    vertical=False,
                    align_items="center",
                )
            )
        self.mapping.children = [
            _html(f"<b>{esc(filename)}</b>: {len(table)} rows. Which column is which?"),
            *rows,
        ]
        self.preview()

    def column_map(self) -> dict[str, str]:
        """The mapping chosen: file header -> data-contract column ("" = ignore)."""
        return {header: str(d.value or "") for header, d in self.map_inputs.items()}

    def _dayfirst(self) -> bool | None:
        return {"dmy": True, "mdy": False}.get(str(self.date_order.value))

    def preview(self) -> None:
        """Validate the file with the chosen mapping; show the entries or the problems."""
        from ..importers import load_evidence

        if self.table is None:
            return
        self.frame = None
        self.import_button.disabled = True
        self.import_button.description = "Import"
        try:
            frame = load_evidence(
                self.table,
                self.filename,
                collective=self.owner.collective,
                column_map=self.column_map(),
                dayfirst=self._dayfirst(),
                known_collectives=[self.owner.collective],
            )
        except ImportValidationError as exc:
            self._show_problems(exc)
            return
        self.frame = frame
        rows = [
            (
                row,
                r["date"].date().isoformat() if not pd.isna(r["date"]) else "",
                EVIDENCE_TYPES.get(str(r["evidence_type"]), r["evidence_type"]),
                r["indicator"],
                with_unit(r["value"], r["unit"]),
                "" if _blank(r["n"]) else str(int(r["n"])),
                r["subgroup"],
                _short(str(r["description"]), 80),
            )
            for row, r in frame.head(8).iterrows()
        ]
        ignored = list(frame.attrs.get("ignored_columns", []))
        ignored_text = (
            f"<div class='muted'>Ignored columns: {esc(', '.join(ignored))}</div>"
            if ignored
            else ""
        )
        more = f"<div class='muted'>… and {len(frame) - 8} more.</div>" if len(frame) > 8 else ""
        self.preview_html.value = (
            f"<div class='ilc-notice success'>{len(frame)} entries are ready to import into "
            f"{esc(self.owner._collective_names.get(self.owner.collective, ''))}.</div>"
            + html_table(
                rows,
                ["Row", "Date", "Type", "Indicator", "Value", "n", "Subgroup", "Description"],
            )
            + more
            + ignored_text
        )
        self.import_button.disabled = False
        self.import_button.description = f"Import {len(frame)} entries"

    def _show_problems(self, exc: ImportValidationError) -> None:
        shown = exc.problems[:25]
        items = "".join(f"<li>{esc(str(p))}</li>" for p in shown)
        more = exc.total - len(shown)
        extra = f"<li>… and {more} more</li>" if more > 0 else ""
        count = f"{exc.total} problem{'s' if exc.total != 1 else ''}"
        self.preview_html.value = (
            f"<div class='ilc-notice error'><b>{count} found; nothing can be imported until "
            f"they are fixed</b> (in the file, or in the column choices above).<ul>{items}{extra}"
            "</ul></div>"
        )
        self.import_button.disabled = True
        self.import_button.description = "Import"

    def run_import(self) -> None:
        """Import every previewed entry in one transaction (or none, on any problem)."""
        if self.table is None or self.frame is None:
            raise IlcError("Choose a file and check the preview first.")
        owner = self.owner
        table = self.table
        dayfirst = self._dayfirst()
        mapping = self.column_map()
        if dayfirst is not None:
            # write the dates as read with the chosen order, so the import reads them the same
            date_headers = [h for h, c in mapping.items() if c == "date"]
            if not date_headers and "date" in table.columns:
                date_headers = ["date"]
            table = table.copy()
            for header in date_headers:
                table[header] = self.frame["date"].dt.strftime("%Y-%m-%d").reindex(table.index)
        self.progress.max = max(len(self.frame), 1)
        self.progress.value = 0
        self.progress.layout.display = ""

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done

        try:
            result = owner.net.import_evidence(
                table,
                self.filename,
                collective=owner.collective,
                column_map=mapping,
                actor=owner.ctx.actor,
                progress=step,
            )
        except ImportValidationError as exc:
            self.progress.layout.display = "none"
            self._show_problems(exc)
            return
        name = self.filename
        self.reset()
        with contextlib.suppress(Exception):
            self.upload.value = ()
        done = f"Imported {result.added} entries from {name}."
        if result.skipped:
            done += (
                f" {result.skipped} already in the log {'were' if result.skipped != 1 else 'was'}"
                " skipped."
            )
        self.message.show(done, "success")
        owner.table_notice.show(done, "success")
        owner.page = 0
        owner._saved()


# --------------------------------------------------------------------------- coverage


class CoverageTracker(_Section):
    """How many entries of each of the four evidence types there are, per indicator, with
    prompts for what is missing."""

    value = T.Dict(help="Entries of each evidence type (type id -> count)")
    title_text = "Coverage across the four types of evidence"
    intro_text = (
        "Each cell counts the entries of one type for one indicator. Aim for some of every "
        "type: crossing them answers the group's questions (do groups of students experience "
        "school differently? is the program making a difference in learning?)."
    )

    def _build(self) -> W.Widget:
        self.totals_html = _html()
        self.totals_html.add_class("ilc-cov-totals")
        self.table_html = _html()
        self.table_html.add_class("ilc-cov-table")
        self.prompts_html = _html()
        self.prompts_html.add_class("ilc-cov-prompts")
        return _box([self.totals_html, self.table_html, self.prompts_html])

    def refresh(self) -> None:
        """Count the collective's evidence again."""
        if not self.collective:
            return
        if not self.staged:  # counted once the page shows the section
            self.totals_html.value = "<p class='muted'>Counting the evidence…</p>"
            return
        frame = self.net.evidence_frame(self.collective)
        placemat = self.net.placemat(self.collective).placemat
        counts = _type_counts(frame)
        self.value = counts
        self.totals_html.value = (
            f"<div class='ilc'><b>{len(frame)} entries</b>{_tiles(counts)}</div>"
        )
        self.table_html.value = self._heat_table(frame, placemat)
        prompts = missing_type_prompts(counts) + self._indicator_prompts(frame, placemat)
        if prompts:
            items = "".join(f"<li>{esc(p)}</li>" for p in prompts)
            body = f"<b>What is missing</b><ul class='ilc-prompts'>{items}</ul>"
        else:
            body = (
                "<span class='ok'>Every type of evidence and every indicator has entries.</span> "
                "In the review (workbook 5), look at where the types intersect."
            )
        self.prompts_html.value = f"<div class='ilc ilc-box'>{body}</div>"

    @staticmethod
    def _rows(
        frame: pd.DataFrame, placemat: Placemat
    ) -> list[tuple[str, str, str, dict[str, int]]]:
        """(name, kind, planned type, counts per type and total): the placemat's indicators
        in order, then other indicator names found in the evidence, then no indicator."""
        matrix = coverage_matrix(frame)
        by_key = {indicator_key(name): name for name in matrix.index}
        rows: list[tuple[str, str, str, dict[str, int]]] = []
        used: set[str] = set()
        for ind in placemat.indicators:
            name = ind.name.strip()
            if not name or indicator_key(name) in used:
                continue
            used.add(indicator_key(name))
            key = by_key.get(indicator_key(name))
            counts = (
                {str(c): int(matrix.loc[key, c]) for c in matrix.columns}
                if key is not None
                else {**dict.fromkeys(EVIDENCE_TYPES, 0), "total": 0}
            )
            rows.append((name, ind.kind, ind.evidence_type, counts))
        others = [n for n in matrix.index if indicator_key(n) not in used and n != NO_INDICATOR]
        for name in [*sorted(others, key=lambda n: str(n).casefold()), NO_INDICATOR]:
            if name in matrix.index:
                counts = {str(c): int(matrix.loc[name, c]) for c in matrix.columns}
                rows.append((str(name), "", "", counts))
        return rows

    def _heat_table(self, frame: pd.DataFrame, placemat: Placemat) -> str:
        rows = self._rows(frame, placemat)
        if not rows:
            return "<p class='muted'>No indicators or evidence yet.</p>"
        top = max([1, *(int(c.get(t, 0)) for *_, c in rows for t in EVIDENCE_TYPES)])
        head = "".join(f"<th>{esc(n)}</th>" for n in EVIDENCE_TYPES.values())
        body = []
        for name, kind, planned, counts in rows:
            kind_html = (
                f" <span class='pill'>{esc(INDICATOR_KINDS.get(kind, kind))}</span>" if kind else ""
            )
            name_html = (
                f"<span class='muted'>{esc(name)}</span>" if name == NO_INDICATOR else esc(name)
            )
            cells = []
            for key in EVIDENCE_TYPES:
                count = int(counts.get(key, 0))
                classes = ["cell", "zero" if count == 0 else ""]
                title = ""
                if planned == key:
                    classes.append("planned")
                    title = " title='the type this indicator is measured with'"
                alpha = 0.0 if count == 0 else 0.15 + 0.6 * count / top
                colour = TYPE_COLOURS[key]
                shade = f" style='background:{colour}{round(alpha * 255):02x}'" if count else ""
                cells.append(
                    f"<td class='{' '.join(c for c in classes if c)}'{shade}{title}>{count}</td>"
                )
            body.append(
                f"<tr><td>{name_html}{kind_html}</td>{''.join(cells)}"
                f"<td class='cell'><b>{int(counts.get('total', 0))}</b></td></tr>"
            )
        legend = (
            "<div class='ilc-help'>A framed cell is the type of evidence the indicator is "
            "measured with.</div>"
            if any(planned for _, _, planned, _ in rows)
            else ""
        )
        return (
            "<div class='ilc'><table class='ilc-table ilc-heat'><thead><tr><th>Indicator</th>"
            f"{head}<th>Total</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
            f"{legend}</div>"
        )

    @staticmethod
    def _indicator_prompts(frame: pd.DataFrame, placemat: Placemat) -> list[str]:
        seen = {indicator_key(v) for v in frame["indicator"].unique()} if len(frame) else set()
        prompts = []
        if not any(i.name.strip() for i in placemat.indicators):
            prompts.append(
                "The placemat has no indicators yet: name the leading and lagging indicators in "
                "workbook 3, so evidence can be tied to what the group wants to move."
            )
        for ind in placemat.indicators:
            name = ind.name.strip()
            if name and indicator_key(name) not in seen:
                kind = INDICATOR_KINDS.get(ind.kind, ind.kind).lower()
                prompts.append(
                    f"No evidence yet for the {kind} indicator “{name}”: log its first value, "
                    "even a rough one."
                )
        return prompts


# --------------------------------------------------------------------------- implementation log


class _ActionRow(W.HBox):  # type: ignore[misc]
    """One logged action with its Remove button (click twice to remove)."""

    def __init__(self, owner: ImplementationLog, action: Mapping[str, Any]) -> None:
        self.owner = owner
        self.action_id = int(action["id"])
        day = as_date(action.get("date"))
        who = owner.who_label(action.get("entered_by"))
        self.text = _html(
            "<div class='ilc-log-line'><span class='ilc-log-when'>"
            f"{esc(day.strftime('%b %d, %Y') if day else '')}</span><span>"
            f"{esc(_text(action.get('action')))}"
            + (f" <span class='muted'>· {esc(who)}</span>" if who else "")
            + "</span></div>",
            flex="1 1 auto",
            width="auto",
        )
        self.remove_button = _button(
            "Remove",
            icon="times",
            tooltip="Remove this action",
            layout=_layout(flex="0 0 auto", width="auto"),
        )
        self.remove_button.add_class("ilc-log-remove")
        self.remove_button.on_click(
            lambda _b: owner._guard("Removing", self._click, owner.form_notice)
        )
        super().__init__([self.text, self.remove_button], layout=_layout(align_items="center"))
        self.add_class("ilc-log-item")

    def close(self) -> None:
        """Close the row and its parts."""
        self.text.close()
        self.remove_button.close()
        super().close()

    def _click(self) -> None:
        if self.remove_button.description == "Remove":
            self.remove_button.description = "Click again to remove"
            self.remove_button.button_style = "danger"
            return
        self.owner.remove(self.action_id)


class ImplementationLog(_Section):
    """Dated actions the leaders took, each linked to a step of the theory of action,
    shown as a timeline grouped by step."""

    form_notice: Notice

    value: T.List[dict[str, Any]] = T.List(
        help="The actions logged, oldest first: id, date, action, toa_step, entered_by"
    )
    title_text = "Implementation log"
    intro_text = (
        "Record what the leaders did, when, and which step of the theory of action it carries "
        "out. In the review (workbook 5) these actions sit beside the evidence, so the group "
        "can connect what it did with what changed."
    )

    def _build(self) -> W.Widget:
        self._signature: tuple[Any, ...] = ()
        self._steps: list[TheoryStep] = []
        self.date_input = W.DatePicker(
            style=_desc_style(), value=dt.date.today(), layout=_layout(width="12em")
        )
        self.date_input.add_class("ilc-log-date")
        self.step_input = W.Dropdown(
            style=_desc_style(),
            options=[("(not linked to a step)", "")],
            layout=_layout(width="100%"),
        )
        self.step_input.add_class("ilc-log-step")
        self.action_input = W.Textarea(
            style=_text_style(),
            placeholder="What did the leaders do? e.g. Ran look-for walkthroughs in every K-2 "
            "classroom and gave feedback the same day.",
            rows=3,
            layout=_layout(width="100%"),
        )
        self.action_input.add_class("ilc-log-action")
        self.add_button = _button("Add action", kind="primary", icon="plus")
        self.add_button.add_class("ilc-log-add")
        self.add_button.on_click(lambda _b: self._guard("Saving", self.add, self.form_notice))
        self.form_notice = _notice("ilc-log-notice")

        def row(label: str, widget: W.Widget, help: str = "") -> W.Box:
            hint = f"<div class='ilc-help'>{esc(help)}</div>" if help else ""
            return _box(
                [
                    _html(f"<b>{esc(label)}</b>{hint}", width="9.5em", flex="0 0 auto"),
                    widget,
                ],
                vertical=False,
                width="100%",
            )

        form = _box(
            [
                _html("<h3>New action</h3>"),
                row("Date", self.date_input),
                row("Step", self.step_input, "of the theory of action"),
                row("What was done", self.action_input),
                _box([self.add_button], vertical=False, margin="0 0 0 9.5em"),
                self.form_notice,
            ]
        )
        form.add_class("ilc-box")
        form.add_class("ilc-log-form")
        self.summary = _html()
        self.summary.add_class("ilc-log-summary")
        self.timeline = W.VBox()
        self.timeline.add_class("ilc-log-timeline")
        return W.VBox([form, self.summary, self.timeline])

    def refresh(self) -> None:
        """Read the steps and the log again and redraw the timeline."""
        if not self.collective or not self.staged:  # read once the page shows the section
            return
        placemat = self.net.placemat(self.collective).placemat
        self._load_names()
        log = self.net.implementation_log(self.collective)
        self._steps = [
            s for s in placemat.theory_of_action if s.if_text.strip() or s.then_text.strip()
        ]
        options = [("(not linked to a step)", "")] + [
            (f"{i}. {_step_text(s, 55)}", s.id) for i, s in enumerate(self._steps, 1)
        ]
        _set_options(self.step_input, _unique_labels(options))
        actions = []
        for r in _records(log):
            day = as_date(r["date"])
            actions.append(
                {
                    "id": _int(r["id"]),
                    "date": day.isoformat() if day else "",
                    "action": _text(r["action"]),
                    "toa_step": _text(r["toa_step"]),
                    "entered_by": _text(r["entered_by"]),
                }
            )
        self.value = actions
        signature = (
            tuple(tuple(a.values()) for a in actions),
            tuple((s.id, s.if_text, s.then_text, s.level) for s in self._steps),
            tuple(sorted(self._names.items())),
        )
        self._summarize(actions)
        if signature == self._signature:
            return
        self._signature = signature
        self._render(actions)

    def _build_rest(self) -> None:
        """The timeline is drawn by the refresh that follows."""
        self._signature = ()

    def _summarize(self, actions: list[dict[str, Any]]) -> None:
        known = {s.id for s in self._steps}
        linked = {a["toa_step"] for a in actions if a["toa_step"] in known}
        latest = max((a["date"] for a in actions), default="")
        count = len(actions)
        if not count:
            text = "No actions logged yet."
        else:
            text = f"{count} action{'s' if count != 1 else ''} logged"
            if self._steps:
                text += f", covering {len(linked)} of {len(self._steps)} steps"
            text += f"; the latest on {latest}." if latest else "."
        self.summary.value = (
            f"<div class='ilc'><h3>Timeline by step</h3><span class='muted'>{esc(text)}"
            "</span></div>"
        )

    def _render(self, actions: list[dict[str, Any]]) -> None:
        old = list(self.timeline.children)
        children: list[W.Widget] = []
        by_step: dict[str, list[dict[str, Any]]] = {}
        for action in actions:
            by_step.setdefault(action["toa_step"], []).append(action)
        known = {s.id for s in self._steps}
        for i, step in enumerate(self._steps, 1):
            level = TOA_LEVELS.get(step.level, step.level)
            items = by_step.get(step.id, [])
            children.append(
                _html(
                    f"<div class='ilc-log-group'><span class='pill'>Step {i} · {esc(level)}</span>"
                    f" {esc(_step_text(step, 200))} <span class='muted'>({len(items)} "
                    f"action{'s' if len(items) != 1 else ''})</span></div>"
                )
            )
            if items:
                children += [_ActionRow(self, a) for a in items]
            else:
                children.append(
                    _html(
                        "<div class='ilc-log-item muted'>No actions logged for this step yet.</div>"
                    )
                )
        for key, title in (
            ("", "Not linked to a step"),
            (None, "Linked to a step no longer in the theory of action"),
        ):
            if key is None:
                items = [a for s, group in by_step.items() if s and s not in known for a in group]
            else:
                items = by_step.get("", [])
            if items:
                children.append(
                    _html(
                        f"<div class='ilc-log-group' style='border-left-color:#8c959f'>"
                        f"{esc(title)}</div>"
                    )
                )
                children += [_ActionRow(self, a) for a in sorted(items, key=lambda a: a["date"])]
        if not self._steps:
            children.insert(
                0,
                _html(
                    "<p class='muted'>The placemat has no theory-of-action steps yet (workbook 3). "
                    "Actions can still be logged, and linked to steps once there are some.</p>"
                ),
            )
        self.timeline.children = children
        for widget in old:
            widget.close()

    def add(self) -> None:
        """Log the action in the form."""
        self.form_notice.clear()
        if self.date_input.value is None:
            raise IlcError("Pick the date of the action.")
        text = self.action_input.value.strip()
        if not text:
            raise IlcError("Describe the action that was taken.")
        who = self.room.who or self.ctx.actor
        self.net.add_action(
            self.collective, self.date_input.value, text, self.step_input.value or "", actor=who
        )
        self.action_input.value = ""
        self.form_notice.show("Action added to the log.", "success")
        self.notice.clear()
        self._saved()

    def remove(self, action_id: int) -> None:
        """Remove an action of this collective from the log."""
        self.net.delete_action(action_id, collective=self.collective, actor=self.ctx.actor)
        self.form_notice.show("Action removed from the log.", "info")
        self._saved()

    def _switched(self) -> None:
        self._signature = ()
        self.form_notice.clear()
