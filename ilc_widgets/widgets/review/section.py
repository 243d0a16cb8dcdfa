"""What workbook 05's review sections share: the page's room (the collective shown, the
pulse item set in use, one revision poller), the section base on the kit's
:class:`~.._kit.section.StagedSection`, small widget makers with shared models, and the
stylesheet.

One collective per section (a participant's own; facilitators and researchers pick one,
and the pick moves every section of the page); the page's one poller (the kit's
:meth:`~.._kit.page.Page.poller`) redraws every section when the collective changes, and
each section builds in two stages so the page is usable at once: what the first view needs
with the widget, the heavy parts (trend charts, effect sizes, the survey's questions) once
the page shows it.
"""

from __future__ import annotations

import contextlib
import weakref
from html import escape as esc
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .._kit.notice import Notice, guard, user_message
from .._kit.page import PagePoller, Subscription, page_of
from .._kit.section import StagedSection, heading_html
from .._kit.styles import register_stylesheet, shared, stylesheet
from .state import HEADINGS, Heading

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from ...network import Network
    from ...session import SessionContext

__all__ = [
    "CSS",
    "POLL_SECONDS",
    "VIEW_FALLBACK_SECONDS",
    "ReviewSection",
    "button",
    "control",
    "dropdown",
    "html",
    "lay",
    "notice",
    "room_of",
    "text_input",
    "toggles",
]

INVALID: Final = "ilc-invalid"
"""The class that marks a field whose value is wrong (see the kit's page template)."""

POLL_SECONDS: Final = 2.0
"""How often a page checks whether its collective changed."""

VIEW_FALLBACK_SECONDS: Final = 20.0
"""Finish building a section this long after it was made if no page has shown it yet (long
enough not to compete with a slow page load for the kernel)."""

CSS: Final = """
<style>
.ilc-rv { max-width: 1180px; }
.ilc-rv .ilc-rv-head h2 { margin-bottom: .1em; }
.ilc-rv .ilc-rv-head p { margin: .2em 0 .4em; line-height: 1.4; max-width: 62em; }
.ilc-rv details { margin: .3em 0 .5em; }
.ilc-rv details > summary { cursor: pointer; font-weight: 600; color: #0b4f8a; }
.ilc-rv details > div { border-left: 3px solid #d0d7de; padding: .2em .8em; margin-top: .3em;
  line-height: 1.45; max-width: 60em; }
.ilc-rv-status { display: inline-block; white-space: nowrap; border-radius: 4px;
  padding: 0 .45em; font-weight: 700; font-size: .92em; border: 1px solid #57606a;
  color: #1b1f24; background: #fff; }
.ilc-rv-status .mark { font-size: 1.05em; }
.ilc-rv-status.on_track { background: #dafbe1; border: 2px solid #1a7f37; }
.ilc-rv-status.at_risk { background: #fff8c5; border: 2px dashed #9a6700; }
.ilc-rv-status.off_track { background: #ffebe9; border: 3px double #cf222e; }
.ilc-rv-status.not_enough_data { background: #f6f8fa; border: 2px dotted #57606a; }
.ilc-rv-summary { display: flex; flex-wrap: wrap; gap: .5em 1.2em; align-items: center;
  margin: .3em 0; line-height: 1.6; }
.ilc-rv-card { display: flex; flex-wrap: wrap; gap: .4em 1.2em; border: 1px solid #d0d7de;
  border-radius: 6px; padding: .5em .8em; margin: .35em 0; background: #fff; }
.ilc-rv-card .info { flex: 1 1 300px; min-width: 260px; line-height: 1.4; }
.ilc-rv-card .chart { flex: 1 1 520px; max-width: 620px; min-height: 120px; }
.ilc-rv-card .chart svg { width: 100%; height: auto; }
.ilc-rv-card .name { font-weight: 700; font-size: 1.08em; margin: .25em 0 .1em; }
.ilc-rv-card .meta { color: #57606a; font-size: .88em; }
.ilc-rv-card .nums { margin: .3em 0; font-size: .95em; }
.ilc-rv-card .nums b { font-weight: 700; }
.ilc-rv-card .reason { font-size: .93em; color: #32383f; }
.ilc-rv-pending { color: #57606a; font-style: italic; padding: 2em 0; text-align: center;
  border: 1px dashed #d0d7de; border-radius: 4px; }
.ilc-rv-tiles { display: flex; gap: .6em; flex-wrap: wrap; margin: .3em 0 .5em; }
.ilc-rv-tile { border: 1px solid #8c959f; border-radius: 6px; padding: .25em .7em;
  min-width: 9.5em; background: #fff; }
.ilc-rv-tile .count { font-size: 1.5em; font-weight: 700; }
.ilc-rv-tile.none { border-style: dashed; color: #57606a; }
.ilc-rv-ix { font-size: .9em; }
.ilc-rv-ix td.have { text-align: center; font-weight: 700; white-space: nowrap; }
.ilc-rv-ix td.need { text-align: center; color: #cf222e; white-space: nowrap;
  background: repeating-linear-gradient(135deg, #fff, #fff 4px, #f3f5f7 4px, #f3f5f7 8px); }
.ilc-rv-ix td.na { background: #f6f8fa; }
.ilc-rv-ix tr.group td { background: #eaeef2; font-weight: 700; font-size: .92em; }
.ilc-rv-ix td.yes { font-weight: 700; white-space: nowrap; }
.ilc-rv-ix td.no { color: #57606a; }
.ilc-rv-ix tr.answerable td.q { font-weight: 600; }
.ilc table.ilc-table.ilc-rv-overview td.num, .ilc table.ilc-table.ilc-rv-overview th.num {
  text-align: right; }
.ilc-rv table.ilc-table td, .ilc-rv table.ilc-table th { line-height: 1.35; }
.ilc-rv-es { border: 1px solid #d0d7de; border-radius: 6px; padding: .5em .9em; margin: .4em 0;
  background: #fff; line-height: 1.45; max-width: 760px; }
.ilc-rv-es .big { font-size: 1.6em; font-weight: 700; margin-right: .6em; }
.ilc-rv-es .ci { font-size: 1.1em; margin-right: .8em; }
.ilc-rv-es .n { font-size: 1.05em; }
.ilc-rv-es .n.small { border: 2px dashed #9a6700; padding: 0 .3em; background: #fff8c5; }
.ilc-rv-es svg { width: 100%; max-width: 620px; height: auto; }
.ilc-rv-es .interp { font-size: 1.02em; margin: .3em 0; }
.ilc-rv-warn { margin: .2em 0 .2em; padding-left: 1.3em; }
.ilc-rv-warn li { color: #6b4a00; margin: .1em 0; }
.ilc-rv-warn li::marker { content: "⚠ "; }
.ilc-rv-source { color: #57606a; font-size: .9em; }
.ilc-rv-label { font-weight: 600; font-size: .92em; margin: .3em 0 .1em; }
.ilc-rv-help { color: #57606a; font-size: .86em; line-height: 1.3; }
.ilc-rv .widget-textarea textarea { font-family: inherit; line-height: 1.35; }
.ilc-rv .ilc-rv-problems { white-space: pre-wrap; }
.ilc-rv-section-gap { margin-top: .4em; }
.ilc-chart-table > summary { cursor: pointer; color: #0b4f8a; font-weight: 600; }
.ilc-chart-table table { margin-top: .3em; }
@media (max-width: 600px) {
  /* one column on a phone: cards, charts, fields and their labels stacked full width */
  .ilc-rv, .ilc-rv .widget-vbox, .ilc-rv .widget-hbox { min-width: 0; max-width: 100%; }
  .ilc-rv .widget-hbox { flex-wrap: wrap; }
  .ilc-rv-card .info, .ilc-rv-card .chart { flex: 1 1 100%; min-width: 0; max-width: 100%; }
  .ilc-rv .widget-inline-hbox { flex-wrap: wrap; width: 100% !important; max-width: 100%; }
  .ilc-rv .widget-inline-hbox > .widget-label { width: 100% !important; max-width: 100%;
    text-align: left; white-space: normal; height: auto; }
  .ilc-rv .widget-inline-hbox > input, .ilc-rv .widget-inline-hbox > select,
  .ilc-rv .widget-inline-hbox > textarea { flex: 1 1 100%; min-width: 0; width: 100%; }
  .ilc-rv .widget-checkbox { width: auto !important; }
  .ilc-rv .widget-toggle-buttons .widget-toggle-button { width: auto !important;
    white-space: normal; height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
  .ilc-rv .widget-toggle-buttons { flex-wrap: wrap; }
  .ilc-rv table.ilc-table { display: block; overflow-x: auto; max-width: 100%; }
  .ilc-rv-tile { min-width: 0; flex: 1 1 40%; }
  .ilc-rv-es, .ilc-rv details > div { max-width: 100%; }
  .ilc-rv .widget-button { max-width: 100%; white-space: normal; height: auto; }
}
</style>
"""
register_stylesheet("review", CSS)


# --------------------------------------------------------------------------- small makers


def lay(**traits: Any) -> W.Layout:
    """A shared Layout."""
    return shared(W.Layout, **traits)


def control(kind: Any, cls: str, *, width: str = "", style: Any = None, **traits: Any) -> Any:
    """A widget of ``kind`` with a shared layout (``width`` wide when given) and a shared
    ``style``, carrying the CSS class ``cls``: every maker below is this one."""
    if style is not None:
        traits["style"] = style
    widget = kind(layout=lay(width=width) if width else lay(), **traits)
    widget.add_class(cls)
    return widget


def html(value: str = "", cls: str = "", **layout: Any) -> W.HTML:
    """An HTML widget with a shared layout and style (``value`` must already be escaped)."""
    widget = W.HTML(value, layout=lay(**layout), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def notice(cls: str) -> Notice:
    """A :class:`Notice` with a shared layout and style."""
    found: Notice = control(Notice, cls, style=shared(HTMLStyle))
    return found


def button(label: str, cls: str, *, kind: str = "", tooltip: str = "") -> W.Button:
    """A button with a shared layout and style; no icon (an icon-font glyph would start the
    button's accessible name)."""
    traits = {"description": label, "tooltip": tooltip or label, "button_style": kind}
    found: W.Button = control(W.Button, cls, width="auto", style=shared(ButtonStyle), **traits)
    return found


def dropdown(options: Any, value: Any, cls: str, *, label: str = "", width: str = "32em") -> Any:
    """A Dropdown with a shared layout and style."""
    look = shared(DescriptionStyle, description_width="7em" if label else "")
    traits = {"options": options, "value": value, "description": label}
    return control(W.Dropdown, cls, width=width, style=look, **traits)


def text_input(
    placeholder: str, cls: str, *, label: str = "", width: str = "100%", rows: int = 0
) -> Any:
    """A Text (``rows`` 0) or Textarea with a shared layout and style."""
    look = shared(TextStyle, description_width="5.5em" if label else "")
    traits: dict[str, Any] = {"rows": rows} if rows else {}
    traits.update(value="", placeholder=placeholder, description=label, continuous_update=True)
    return control(W.Textarea if rows else W.Text, cls, width=width, style=look, **traits)


def toggles(options: Any, value: Any, cls: str, *, width: str = "auto") -> Any:
    """ToggleButtons with a shared layout and style."""
    look = shared(ToggleButtonsStyle, button_width=width)
    return control(W.ToggleButtons, cls, style=look, options=options, value=value)


# --------------------------------------------------------------------------- the page's room


class _Room(T.HasTraits):
    """What the review sections of one page share: the collective shown (the facilitator's
    pick moves every section), the page's revision poller, and the pulse item set in use."""

    code = T.Unicode("")
    item_set = T.Any(None, allow_none=True)  # an efficacy.ItemSet loaded on this page
    shared_items = T.Any(None, allow_none=True)  # the network's own pulse item set, if any

    def __init__(self, net: Network, ctx: SessionContext) -> None:
        super().__init__()
        self.net = net
        self.sections: weakref.WeakSet[ReviewSection] = weakref.WeakSet()
        self.poller: PagePoller = page_of(ctx).poller(
            "review.revision", self.revision, interval=POLL_SECONDS
        )
        self.shared_loaded = False

    def revision(self) -> int:
        """The revision of the collective shown (network-wide for the overview)."""
        return self.net.revision(self.code or None)

    def refresh_all(self) -> None:
        """Redraw every section (after a change saved here or elsewhere)."""
        for section in list(self.sections):
            section.safe_refresh()

    def changed(self) -> None:
        """After a save on this page: note the new revision and redraw every section."""
        with contextlib.suppress(Exception):
            self.poller.mark_seen()
        self.refresh_all()


def room_of(ctx: SessionContext) -> _Room:
    """The room of a session (one per page: one session context per kernel)."""
    net = ctx.require_network()
    return page_of(ctx).keep("review.room", lambda: _Room(net, ctx))


# --------------------------------------------------------------------------- section base


class ReviewSection(StagedSection):
    """One section of the review workbook, showing one collective.

    Subclasses name their CSS class (which also finds their heading in
    :data:`~.state.HEADINGS`), build their quick parts in :meth:`build`, read and draw the
    collective's data in :meth:`refresh`, and do heavy work (charts, effect sizes) in
    :meth:`after_view`, which runs once the page shows the section (at once outside a
    kernel's event loop, as in tests and scripts).
    """

    fallback_seconds = VIEW_FALLBACK_SECONDS
    delay_seconds = 0.0

    collective = T.Unicode(
        help="The id of the collective shown ('' for none, or the dashboard's overview)"
    )
    css_class = "ilc-rv-section"
    overview_label = ""  # a picker choice for "all collectives" (the dashboard only)
    stylesheets: ClassVar[tuple[str, ...]] = ("base", "review")
    """The kit's stylesheets the section shows (each sent once per page)."""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net: Network = ctx.require_network()
        self.room = room_of(ctx)
        self.built = False
        self._names: dict[str, str] = {}
        self.heading = html(cls="ilc-rv-head")
        self.notice = notice("ilc-rv-notice")
        self._join_collective()
        self.body = self.build()
        shown: list[W.Widget] = [stylesheet(name) for name in self.stylesheets]
        shown.append(self.heading)
        if self.picker is not None:
            shown.append(self.picker)
        shown += [self.body, self.notice]
        super().__init__(shown, layout=lay(width="100%"), **kwargs)
        for cls in ("ilc-app", "ilc", "ilc-rv", self.css_class):
            self.add_class(cls)
        self.room.sections.add(self)
        self.room.observe(self._on_room_code, "code")
        self._render_heading()
        self._show_state()
        self.stage()
        self.subscription: Subscription = self.room.poller.subscribe(self.safe_refresh)

    def _join_collective(self) -> None:
        """Show the page's collective: a facilitator's pick (the picker moves every section
        of the page), else the collective of the link."""
        self.picker: Any = None
        if self.ctx.is_facilitator:
            collectives = self.net.collective_list()
            self._names = {c.code: c.name for c in collectives}
            if self.ctx.collective is not None and not self.room.code:
                self.room.code = self.ctx.collective.code
            first = self.overview_label or "Choose a collective…"
            options = [(first, "")] + [(f"{c.name} ({c.code})", c.code) for c in collectives]
            self.room.code = self.room.code if self.room.code in self._names else ""
            self.picker = dropdown(options, self.room.code, "ilc-rv-picker", label="Collective")
            self.picker.observe(self._on_pick, "value")
        elif self.ctx.collective is not None:
            self._names = {self.ctx.collective.code: self.ctx.collective.name}
            self.room.code = self.ctx.collective.code
        self.collective = self.room.code

    def field_error(self, widget: W.Widget, text: str) -> None:
        """Say what is wrong with ``widget``'s value on the section's notice (an alert),
        mark the field invalid (the page template sets its aria-invalid) and move the
        keyboard focus to it; the mark goes when the value next changes."""
        self.notice.show(text, "error")
        widget.add_class(INVALID)

        def fixed(_change: Mapping[str, Any]) -> None:
            widget.remove_class(INVALID)
            widget.unobserve(fixed, "value")

        widget.observe(fixed, "value")
        widget.focus()

    # -- for subclasses
    def build(self) -> W.Widget:
        """The section's widgets (quick to make: no heavy data or charts)."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Read the collective's data and draw it (never touches what someone is typing)."""
        raise NotImplementedError

    def after_view(self) -> None:
        """Heavy work, once the page shows the section."""

    def switched(self) -> None:
        """Forget what belonged to the previous collective."""

    @property
    def heading_text(self) -> Heading:
        """The section's title and introduction."""
        return HEADINGS.get(self.css_class, Heading("Review", ""))

    @property
    def shows_something(self) -> bool:
        """True when there is a collective (or the overview) to show."""
        return bool(self.collective) or bool(self.overview_label and self.ctx.is_facilitator)

    # -- staging: the heavy work once the page shows the section
    @property
    def viewed(self) -> bool:
        """True once the page has shown the section (and its heavy work was done)."""
        return self.built

    def finish(self) -> None:
        """Do the work left for after the first view (once)."""
        self.finish_building()

    def build_rest(self) -> None:
        """The heavy work, when there is something to show."""
        if self.shows_something:
            self.guard("Showing this section", self.after_view)

    def show_failure(self, exc: Exception) -> None:
        """Say the section could not be shown (never a traceback)."""
        self.notice.show(user_message("Showing this section", exc), "error")

    # -- plumbing
    def _render_heading(self) -> None:
        name = self._names.get(self.collective, "")
        title, intro = self.heading_text
        self.heading.value = heading_html(title, name=name, intro=intro, cls="ilc-rv-head")

    def _show_state(self) -> None:
        if self.shows_something:
            self.body.layout = lay(width="100%")
            self.safe_refresh()
            return
        self.body.layout = lay(width="100%", display="none")
        if self.ctx.is_facilitator:
            self.notice.show("Choose a collective above to see its review.", "info")
        else:
            self.notice.show(
                "This workbook belongs to a collective: open it from your collective's link.",
                "info",
            )

    def _on_pick(self, change: Mapping[str, Any]) -> None:
        self.room.code = change["new"] or ""

    def _on_room_code(self, change: Mapping[str, Any]) -> None:
        code = change["new"]
        if code == self.collective:
            return
        if not self.ctx.is_facilitator:
            return  # a collective's link shows its own collective only
        if self.picker is not None and self.picker.value != code:
            self.picker.value = code
        self.collective = code
        self.notice.clear()
        self.guard("Switching collectives", self.switched)
        self._render_heading()
        with contextlib.suppress(Exception):
            self.room.poller.mark_seen()
        self._show_state()
        if self.viewed and self.shows_something:
            self.guard("Showing this section", self.after_view)

    def safe_refresh(self) -> None:
        """:meth:`refresh`, with any failure shown as a message, never a traceback."""
        if not self.shows_something:
            return
        self.guard("Loading the latest data", self.refresh)

    def guard(self, what: str, func: Callable[[], None], where: Notice | None = None) -> bool:
        """Run ``func``; a failure becomes a clear message, never a traceback (the kit's
        :func:`~ilc_widgets.widgets._kit.notice.guard`). True when it worked."""
        return guard(where or self.notice, what, func)

    def link(self, notebook: str, text: str) -> str:
        """An HTML link to another workbook that keeps this session's access."""
        return f"<a href='{esc(self.ctx.link(notebook))}' target='_self'>{esc(text)}</a>"

    def close(self) -> None:
        """Stop following changes and close the widgets."""
        with contextlib.suppress(Exception):
            self.room.unobserve(self._on_room_code, "code")
        self.room.sections.discard(self)
        subscription: Subscription | None = getattr(self, "subscription", None)
        if subscription is not None:
            subscription.stop()  # the page's poller stops when no section is left
        super().close()
