"""What workbook 04's three sections share: the page's room (the collective shown, who is
typing), the section base on the kit's :class:`~.._kit.section.StagedSection`, small widget
makers with shared models, and the stylesheet.

Each section shows one collective (a participant's own; facilitators and researchers pick
one), reads and writes through :class:`~ilc_widgets.network.Network` only, and follows the
collective's revision counter through the page's one poller, so what one person adds
appears on everyone else's page within seconds. Refreshing never touches what someone is
typing in a form.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ...charts import PALETTE
from ...errors import IlcError, NotFound
from ...vocab import EVIDENCE_TYPES
from .._base import Notice, esc, shared
from .._kit.controls import field
from .._kit.notice import guard, user_message
from .._kit.page import Subscription, page_of
from .._kit.section import StagedSection, heading_html
from .._kit.styles import register_stylesheet, stylesheet
from . import state

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ...network import Network
    from ...session import SessionContext

WidgetT = TypeVar("WidgetT", bound=W.Widget)

POLL_SECONDS = 2.0
"""How often the page checks for changes saved by others (once for all its sections)."""

STAGE_FALLBACK_SECONDS = 4.0
"""Build the rest of a section this long after it was made, if no page has shown it yet."""

STAGE_DELAY_SECONDS = 0.3
"""Once the page has drawn a section, wait this long (letting it finish drawing the first
view) before building the rest."""

TYPE_COLOURS: dict[str, str] = dict(zip(EVIDENCE_TYPES, PALETTE, strict=False))

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
.ilc-ev-row.ilc-ev-hidden { display: none !important; }
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
.ilc-field > .widget-label { font-weight: 700; color: #1b1f24; }
.ilc-field-hint { margin: -2px 0 .2em 9.5em; }
.ilc-ev-type > div { min-width: 0; flex: 1 1 auto; display: flex; flex-wrap: wrap; gap: 2px; }
button.ilc-ev-rowbtn { font-size: 0; }
button.ilc-ev-rowbtn::before { font-size: var(--jp-widgets-font-size, 13px); }
button.ilc-ev-edit::before { content: "Edit"; content: "Edit" / ""; }
button.ilc-ev-delete::before { content: "Delete"; content: "Delete" / ""; }
button.ilc-ev-restore::before { content: "Restore"; content: "Restore" / ""; }
button.ilc-log-remove::before { content: "Remove"; content: "Remove" / ""; }
button.ilc-log-confirm::before { content: "Click again to remove";
  content: "Click again to remove" / ""; }
@media (max-width: 600px) {
  /* a full-width field in a column keeps its own height (its flex basis is its width) */
  .ilc-ev-form .widget-vbox > .widget-inline-hbox, .ilc-log-form .widget-vbox > .widget-inline-hbox,
  .ilc-ev-importer .widget-vbox > .widget-inline-hbox { flex: 0 0 auto !important; }
  .ilc-ev-form .widget-vbox > .widget-box, .ilc-log-form .widget-vbox > .widget-box {
    flex-shrink: 0 !important; }
  .ilc-ev-cols { flex-wrap: wrap; }
  .ilc-ev-cols > .widget-box { width: 100% !important; flex: 1 1 100% !important; }
  .ilc-field { flex-wrap: wrap; width: 100% !important; max-width: 100%; height: auto; }
  .ilc-field > .widget-label { flex: 0 0 100%; width: 100% !important; max-width: none;
    text-align: left; margin: 4px 0 2px; }
  .ilc-field > input, .ilc-field > select, .ilc-field > textarea { flex: 1 1 100%;
    width: 100%; min-width: 0; }
  .ilc-field-hint, .ilc-err { margin-left: 0; }
  .ilc-ev-type .widget-toggle-button { width: auto !important; flex: 1 1 auto;
    white-space: normal; min-width: 7em; }
  .ilc-ev-buttons { margin: 0 !important; flex-wrap: wrap; }
  .ilc-ev-buttons > button { max-width: none; }
  .ilc-ev-filters > .widget-box { margin: 0 0 .3em !important; width: 100%; }
  .ilc-ev-grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0 .5em; }
  .ilc-ev-head { display: none; }
  .ilc-ev-header { display: none !important; }
  .ilc-ev-row { flex-wrap: wrap; }
  .ilc-ev-row > .widget-html { flex: 1 1 100% !important; }
  .ilc-ev-map-row { flex-wrap: wrap; }
  .ilc-ev-map-row > .widget-html { width: 100% !important; }
}
</style>
"""
register_stylesheet("evidence", CSS)


# --------------------------------------------------------------------------- small makers


def layout(**settings: str) -> W.Layout:
    """A shared layout, for widgets whose layout is never changed afterwards."""
    found: W.Layout = shared(W.Layout, **settings)
    return found


def html(value: str = "", **settings: str) -> W.HTML:
    """An HTML widget with the shared style (and a shared layout when ``settings``)."""
    return W.HTML(value, layout=layout(**settings), style=shared(HTMLStyle))


def desc_style() -> Any:
    """The shared style of a dropdown or date picker."""
    return shared(DescriptionStyle)


def text_style() -> Any:
    """The shared style of a text field."""
    return shared(TextStyle)


def notice(css_class: str) -> Notice:
    """A message line with the shared style."""
    line = Notice(style=shared(HTMLStyle), layout=layout())
    line.add_class(css_class)
    return line


def box(children: Sequence[W.Widget], *, vertical: bool = True, **settings: str) -> W.Box:
    """A box with a shared layout (for boxes whose layout never changes)."""
    kind = W.VBox if vertical else W.HBox
    made: W.Box = kind(list(children), layout=layout(**settings))
    return made


def button(
    description: str,
    *,
    icon: str = "",
    tooltip: str = "",
    kind: str = "",
    shape: W.Layout | None = None,
) -> W.Button:
    """A button with the shared style (and a shared auto-width layout unless given one)."""
    return W.Button(
        description=description,
        icon=icon,
        tooltip=tooltip or description,
        button_style=kind,
        layout=shape if shape is not None else layout(width="auto"),
        style=shared(W.ButtonStyle),
    )


INVALID = "ilc-invalid"
"""The class the page template turns into aria-invalid on a field's input."""

LABEL_WIDTH = "9.5em"
"""How wide a form's labels are (beside the field; above it on a phone)."""


def labelled(label: str, widget: WidgetT, width: str = LABEL_WIDTH) -> WidgetT:
    """``widget`` with ``label`` as its own label and accessible name (the kit's
    :func:`~.._kit.controls.field`), bold beside it, above it on a phone."""
    field(label, widget, label_width=width)
    widget.add_class("ilc-field")
    return widget


def labelled_row(label: str, widget: W.Widget, hint: str = "", **settings: str) -> W.Box:
    """A form line: ``widget`` labelled ``label`` (see :func:`labelled`), and a small hint
    under it."""
    labelled(label, widget)
    parts: list[W.Widget] = [widget]
    if hint:
        under = html(f"<div class='ilc-help'>{esc(hint)}</div>")
        under.add_class("ilc-field-hint")
        parts.append(under)
    return box(parts, vertical=True, **settings)


def set_options(dropdown: W.Dropdown, options: Sequence[tuple[str, Any]]) -> None:
    """Replace a dropdown's choices and keep what was chosen (see
    :func:`~.state.kept_options`)."""
    current = dropdown.value
    wanted = state.kept_options(options, current)
    if tuple(dropdown.options) == tuple(wanted):
        return
    dropdown.options = wanted
    if current is not None:
        dropdown.value = current


def badge(evidence_type: str) -> str:
    """An evidence type as a small coloured badge."""
    colour = TYPE_COLOURS.get(evidence_type, "#888")
    name = EVIDENCE_TYPES.get(evidence_type, evidence_type)
    return f"<span class='ilc-badge' style='border-left-color:{colour}'>{esc(name)}</span>"


def tiles(counts: Mapping[str, int]) -> str:
    """The four evidence types as tiles: count, name and a bar for the share."""
    top = max([*counts.values(), 1])
    found = []
    for key, name in EVIDENCE_TYPES.items():
        count = int(counts.get(key, 0))
        colour = TYPE_COLOURS[key]
        width = round(100 * count / top)
        found.append(
            f"<div class='ilc-tile ilc-tile-{key}' style='border-left-color:{colour}'>"
            f"<div class='count'>{count}</div><div>{esc(name)}</div>"
            f"<div class='bar'><span style='width:{width}%;background:{colour}'></span></div>"
            "</div>"
        )
    return f"<div class='ilc-tiles'>{''.join(found)}</div>"


# --------------------------------------------------------------------------- the page's room


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


class _Section(StagedSection):
    """One collective's section: heading, collective picker (whole-network sessions), body,
    a notice line, and live refresh from the collective's revision counter. The data-heavy
    part (:meth:`_build_rest`, then a full refresh) waits until the page shows it."""

    fallback_seconds: ClassVar[float] = STAGE_FALLBACK_SECONDS
    delay_seconds: ClassVar[float] = STAGE_DELAY_SECONDS

    collective = T.Unicode(
        help="The id of the collective shown (a participant's own; facilitators pick one)"
    )
    title_text = "Section"
    intro_text = ""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net: Network = ctx.require_network()
        self.room = _room(ctx)
        self.notice = notice("ilc-notice-line")
        self.heading = html()
        self.picker: W.Dropdown | None = None
        self._names: dict[str, str] = {}
        self._members: list[dict[str, Any]] = []
        self._collective_names: dict[str, str] = {}
        top: list[W.Widget] = [stylesheet("base"), stylesheet("evidence"), self.heading]
        if ctx.is_facilitator:
            top.append(self._make_picker())
        elif ctx.collective is not None:
            self._collective_names = {ctx.collective.code: ctx.collective.name}
            self.room.code = ctx.collective.code
            self.collective = ctx.collective.code
        self.body = self._build()
        super().__init__([*top, self.body, self.notice], **kwargs)
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
        self.stage()
        if self.collective and not self.built:
            self._safe_refresh()  # what the first view needs; the rest comes once it shows

    def _make_picker(self) -> W.Dropdown:
        collectives = self.net.collective_list()
        self._collective_names = {c.code: c.name for c in collectives}
        choices = [(f"{c.name} ({c.code})", c.code) for c in collectives]
        codes = [c for _, c in choices]
        start = next(
            (c for c in (self.ctx.collective_code, self.room.code) if c and c in codes),
            codes[0] if codes else "",
        )
        self.room.code = start
        self.picker = picker = W.Dropdown(
            options=choices,
            value=start or None,
            description="Collective",
            layout=W.Layout(width="32em"),
            style={"description_width": "6em"},
        )
        picker.add_class("ilc-collective-picker")
        if any(other.picker is not None for other in self.room.sections):
            # one visible picker per page: the sections below follow it (their headings
            # name the collective shown)
            picker.layout.display = "none"
        picker.observe(self._on_pick, "value")
        self.room.observe(self._on_room_code, "code")
        self.collective = start
        return picker

    @property
    def staged(self) -> bool:
        """True once the data-heavy part is built (see :class:`StagedSection`)."""
        return bool(getattr(self, "built", False))

    # -- to fill in by each section
    def _build(self) -> W.Widget:
        raise NotImplementedError

    def _build_rest(self) -> None:
        """Build what can wait until the page shows (long lists, collapsed panels)."""

    def refresh(self) -> None:
        """Read the collective's data again and redraw (forms keep what is typed)."""
        raise NotImplementedError

    def _switched(self) -> None:
        """Forget per-collective state when the facilitator picks another collective."""

    # -- the kit's staging
    def build_rest(self) -> None:
        """Build the parts left for after the first display, and read all their data."""
        self._build_rest()
        if self.collective:
            self._safe_refresh()

    def show_failure(self, exc: Exception) -> None:
        """Say that not everything could be shown, and show what can be."""
        self.notice.show(user_message("Showing everything", exc), "error")
        if self.collective:
            self._safe_refresh()

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
        self.poller = shared_poller.subscribe(self._safe_refresh)

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

    def _safe_refresh(self) -> None:
        """Refresh; a failure (a database hiccup) shows a message, never a traceback."""
        self._guard("Loading the latest data", self.refresh)

    def poll_now(self) -> None:
        """Check for changes right away (another section of this page saved)."""
        guard(self.notice, "Loading the latest data", self.poller.poll_once)

    def _saved(self) -> None:
        """After a save on this page: redraw here and in the page's other sections."""
        self.poller.mark_seen()
        self._safe_refresh()
        for other in list(self.room.sections):
            if other is not self and other.collective == self.collective:
                other.poll_now()

    def _guard(self, what: str, func: Callable[[], object], line: Notice | None = None) -> None:
        """Run a button's action; any failure becomes a message, never a traceback (the
        kit's :func:`~ilc_widgets.widgets._kit.notice.guard`)."""
        guard(line or self.notice, what, func)

    def _load_names(self) -> None:
        members = self.net.member_records(self.collective)
        self._names = {
            str(r["email"]).lower(): str(r["name"]) for r in members if state.text(r["email"])
        }
        self._members = members

    def who_label(self, entered_by: Any) -> str:
        """A member's name for the email stored in ``entered_by`` (else the text itself)."""
        return state.who_label(self._names, entered_by)
