"""Workbook 05, reviewing progress: the progress dashboard and the effect-size calculator.

Also the plumbing the review sections share (:class:`ReviewSection`): one collective per
section (a participant's own; facilitators and researchers pick one, and the pick moves
every section of the page), one revision poller per page, and building in two stages so
the page is usable at once: what the first view needs is built with the widget, and the
heavy parts (trend charts, effect sizes, the survey's questions) once the page shows it.

Data is read through :class:`~ilc_widgets.network.Network` only and computed by
:mod:`ilc_widgets.stats`; the dashboard's data and its charts are cached by the
collective's revision, so a refresh that changes nothing redraws nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import weakref
from collections import OrderedDict
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W
import pandas as pd
import traitlets as T
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..format import MISSING, STATUS_MARKS, as_date, date_text, number, status_text, with_unit
from ..placemat import Indicator, Placemat
from ..stats import (
    EFFECT_SIZE_METHOD,
    INTERSECTIONS,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    STATUSES,
    EffectSize,
    ProgressReview,
    effect_size,
    effect_size_from_summary,
    network_progress,
    parse_scores,
    progress_review,
)
from ..vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS
from ._base import CSS as BASE_CSS
from ._base import Notice, Poller, esc, running_loop, shared
from ._kit.notice import guard, user_message
from ._kit.page import page_of
from ._kit.section import StagedSection, heading_html

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..network import Network
    from ..session import SessionContext

__all__ = [
    "EffectSizeCalculator",
    "ProgressDashboard",
    "ReviewData",
    "ReviewSection",
    "load_review_data",
    "review_data",
]

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
</style>
"""


# --------------------------------------------------------------------------- small helpers


def lay(**traits: Any) -> W.Layout:
    """A shared Layout."""
    return shared(W.Layout, **traits)


def html(value: str = "", cls: str = "", **layout: Any) -> W.HTML:
    """An HTML widget with a shared layout and style (``value`` must already be escaped)."""
    widget = W.HTML(value, layout=lay(**layout), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def notice(cls: str) -> Notice:
    """A :class:`Notice` with a shared layout and style."""
    widget = Notice(layout=lay(), style=shared(HTMLStyle))
    widget.add_class(cls)
    return widget


def button(label: str, cls: str, *, kind: str = "", icon: str = "", tooltip: str = "") -> W.Button:
    """A button with a shared layout and style."""
    widget = W.Button(
        description=label,
        tooltip=tooltip or label,
        button_style=kind,
        icon=icon,
        layout=lay(width="auto"),
        style=shared(ButtonStyle),
    )
    widget.add_class(cls)
    return widget


def dropdown(options: Any, value: Any, cls: str, *, label: str = "", width: str = "32em") -> Any:
    """A Dropdown with a shared layout and style."""
    widget = W.Dropdown(
        options=options,
        value=value,
        description=label,
        layout=lay(width=width),
        style=shared(DescriptionStyle, description_width="7em" if label else ""),
    )
    widget.add_class(cls)
    return widget


def text_input(
    placeholder: str, cls: str, *, label: str = "", width: str = "100%", rows: int = 0
) -> Any:
    """A Text (``rows`` 0) or Textarea with a shared layout and style."""
    kind = W.Textarea if rows else W.Text
    extra = {"rows": rows} if rows else {}
    widget = kind(
        value="",
        placeholder=placeholder,
        description=label,
        continuous_update=True,
        layout=lay(width=width),
        style=shared(TextStyle, description_width="5.5em" if label else ""),
        **extra,
    )
    widget.add_class(cls)
    return widget


def toggles(options: Any, value: Any, cls: str, *, width: str = "auto") -> Any:
    """ToggleButtons with a shared layout and style."""
    widget = W.ToggleButtons(
        options=options,
        value=value,
        layout=lay(),
        style=shared(ToggleButtonsStyle, button_width=width),
    )
    widget.add_class(cls)
    return widget


def status_badge(status: str) -> str:
    """A status as a badge: shape, label, colour and border style."""
    return (
        f"<span class='ilc-rv-status {esc(status)}'><span class='mark'>"
        f"{STATUS_MARKS.get(status, '?')}</span> {esc(STATUS_LABELS.get(status, status))}</span>"
    )


def details(summary: str, body: str, cls: str = "") -> str:
    """A collapsible block (``summary`` is escaped; ``body`` is HTML)."""
    return (
        f"<details class='{esc(cls)}'><summary>{esc(summary)}</summary><div>{body}</div></details>"
    )


def paragraphs(text: str) -> str:
    """Plain text as escaped paragraphs (blank lines split them)."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(p)}</p>" for p in parts)


# --------------------------------------------------------------------------- the page's room


class _Room(T.HasTraits):
    """What the review sections of one page share: the collective shown (the facilitator's
    pick moves every section), one revision poller, and the pulse item set in use."""

    code = T.Unicode("")
    item_set = T.Any(None, allow_none=True)  # an efficacy.ItemSet loaded on this page
    shared_items = T.Any(None, allow_none=True)  # the network's own pulse item set, if any

    def __init__(self, net: Network) -> None:
        super().__init__()
        self.net = net
        self.sections: weakref.WeakSet[ReviewSection] = weakref.WeakSet()
        self.poller: Poller | None = None
        self.shared_loaded = False

    def revision(self) -> int:
        """The revision of the collective shown (network-wide for the overview)."""
        return self.net.revision(self.code or None)

    def start_polling(self) -> None:
        """One poller per page: when the collective changes, every section refreshes."""
        if self.poller is None:
            self.poller = Poller(self.revision, self.refresh_all, interval=POLL_SECONDS)
            self.poller.start()

    def refresh_all(self) -> None:
        """Redraw every section (after a change saved here or elsewhere)."""
        for section in list(self.sections):
            section.safe_refresh()

    def changed(self) -> None:
        """After a save on this page: note the new revision and redraw every section."""
        if self.poller is not None:
            with contextlib.suppress(Exception):
                self.poller.mark_seen()
        self.refresh_all()


def room_of(ctx: SessionContext) -> _Room:
    """The room of a session (one per page: one session context per kernel)."""
    net = ctx.require_network()
    return page_of(ctx).keep("review.room", lambda: _Room(net))


# --------------------------------------------------------------------------- section base


class ReviewSection(StagedSection):
    """One section of the review workbook, showing one collective.

    Subclasses build their quick parts in :meth:`build`, read and draw the collective's
    data in :meth:`refresh`, and do heavy work (charts, statistics that import scipy) in
    :meth:`after_view`, which runs once the page shows the section (at once outside a
    kernel's event loop, as in tests and scripts; the staging is the kit's
    :class:`~ilc_widgets.widgets._kit.section.StagedSection`).
    """

    fallback_seconds = VIEW_FALLBACK_SECONDS
    delay_seconds = 0.0

    collective = T.Unicode(
        help="The id of the collective shown ('' for none, or the dashboard's overview)"
    )
    title_text = "Review"
    intro_text = ""
    css_class = "ilc-rv-section"
    overview_label = ""  # a picker choice for "all collectives" (the dashboard only)

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net: Network = ctx.require_network()
        self.room = room_of(ctx)
        self.built = False
        self.picker: Any = None
        self._names: dict[str, str] = {}
        self.heading = html(cls="ilc-rv-head")
        self.notice = notice("ilc-rv-notice")
        top: list[W.Widget] = [self.heading]
        if ctx.is_facilitator:
            collectives = self.net.collective_list()
            self._names = {c.code: c.name for c in collectives}
            if ctx.collective is not None and not self.room.code:
                self.room.code = ctx.collective.code
            first = self.overview_label or "Choose a collective…"
            options = [(first, "")] + [(f"{c.name} ({c.code})", c.code) for c in collectives]
            start = self.room.code if self.room.code in self._names else ""
            self.room.code = start
            self.picker = dropdown(options, start, "ilc-rv-picker", label="Collective")
            self.picker.observe(self._on_pick, "value")
            top.append(self.picker)
        elif ctx.collective is not None:
            self._names = {ctx.collective.code: ctx.collective.name}
            self.room.code = ctx.collective.code
        self.collective = self.room.code
        self.body = self.build()
        super().__init__([*top, self.body, self.notice], layout=lay(width="100%"), **kwargs)
        self.add_class("ilc-app")
        self.add_class("ilc")
        self.add_class("ilc-rv")
        self.add_class(self.css_class)
        self.room.sections.add(self)
        self.room.observe(self._on_room_code, "code")
        self._render_heading()
        self._show_state()
        self.stage()
        self.room.start_polling()

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
        head = heading_html(self.title_text, name=name, intro=self.intro_text, cls="ilc-rv-head")
        self.heading.value = BASE_CSS + CSS + head

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
        if self.room.poller is not None:
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
        if not list(self.room.sections) and self.room.poller is not None:
            self.room.poller.stop()
            self.room.poller = None
        super().close()


# --------------------------------------------------------------------------- data and caches


@dataclass(frozen=True)
class ReviewData:
    """What the dashboard reads from storage for one collective (or, ``code`` None, for
    the whole network), at one revision."""

    code: str | None
    revision: int
    evidence: pd.DataFrame
    indicators: dict[str, list[Indicator]]
    start: dt.date | None


def load_review_data(net: Network, code: str | None) -> ReviewData:
    """Read a collective's evidence and indicators (all collectives when ``code`` is None)."""
    revision = net.revision(code)
    evidence = net.evidence_frame(code)
    if code is None:
        frame = net.placemats_frame()
        indicators = {
            str(c): Placemat.from_dict(doc).indicators
            for c, doc in zip(frame["collective"], frame["document"], strict=True)
        }
    else:
        indicators = {code: net.placemat(code).placemat.indicators}
    return ReviewData(code, revision, evidence, indicators, as_date(net.info["cycle_start"]))


_CACHE_SIZE: Final = 8
_DATA: OrderedDict[tuple[str, str | None], ReviewData] = OrderedDict()
_RESULTS: OrderedDict[tuple[str, str | None, int, dt.date], Any] = OrderedDict()


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any, size: int) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > size:
        cache.popitem(last=False)


def review_data(net: Network, code: str | None) -> ReviewData:
    """:func:`load_review_data`, read again only when the revision moved."""
    key = (net.url, code)
    found = _DATA.get(key)
    if found is not None and found.revision == net.revision(code):
        _DATA.move_to_end(key)
        return found
    data = load_review_data(net, code)
    _remember(_DATA, key, data, _CACHE_SIZE)
    return data


def _review(net: Network, code: str, today: dt.date) -> tuple[ReviewData, ProgressReview]:
    data = review_data(net, code)
    key = (net.url, code, data.revision, today)
    found = _RESULTS.get(key)
    if found is None:
        found = progress_review(
            data.evidence, data.indicators.get(code, []), start=data.start, today=today
        )
        _remember(_RESULTS, key, found, _CACHE_SIZE)
    return data, found


def _overview(net: Network, today: dt.date) -> tuple[ReviewData, pd.DataFrame]:
    data = review_data(net, None)
    key = (net.url, None, data.revision, today)
    found = _RESULTS.get(key)
    if found is None:
        found = network_progress(data.evidence, data.indicators, start=data.start, today=today)
        _remember(_RESULTS, key, found, _CACHE_SIZE)
    return data, found


_SVG: OrderedDict[str, str] = OrderedDict()


def chart_key(*parts: Any) -> str:
    """A cache key for a chart drawn from ``parts``."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def cached_svg(key: str) -> str | None:
    """A chart already drawn under ``key`` (None when it is not cached)."""
    found = _SVG.get(key)
    if found is not None:
        _SVG.move_to_end(key)
    return found


def remember_svg(key: str, svg: str) -> str:
    """Keep a drawn chart under ``key`` (the most recent 256 are kept); returns it."""
    _remember(_SVG, key, svg, 256)
    return svg


def trend_chart(indicator: Indicator, trend: pd.DataFrame, start: dt.date | None) -> str:
    """The trend of one indicator against its baseline and target, as SVG (cached)."""
    dates = [as_date(d) for d in trend["date"]]
    values = [float(v) for v in trend["value"]]
    target_date = as_date(indicator.target_date)
    key = chart_key(
        "trend",
        indicator.name,
        indicator.unit,
        indicator.baseline,
        indicator.target,
        target_date,
        start,
        dates,
        values,
    )
    found = cached_svg(key)
    if found is None:
        from ..charts import trend_svg

        found = trend_svg(
            dates,
            values,
            baseline=indicator.baseline,
            target=indicator.target,
            start=start,
            target_date=target_date,
            unit=indicator.unit or "",
        )
        remember_svg(key, found)
    return found


def effect_chart(es: EffectSize) -> str:
    """The confidence-interval chart of an effect size, as SVG (cached)."""
    key = chart_key("es", round(es.d, 6), round(es.ci_low, 6), round(es.ci_high, 6), es.hinge)
    found = cached_svg(key)
    if found is None:
        from ..charts import effect_interval_svg

        found = effect_interval_svg(
            es.d, es.ci_low, es.ci_high, hinge=es.hinge, ci_level=es.ci_level
        )
        remember_svg(key, found)
    return found


def no_chart(exc: Exception) -> str:
    """What shows instead of a chart that could not be drawn."""
    return f"<div class='ilc-rv-pending'>The chart could not be drawn ({esc(str(exc))}).</div>"


def warm_up() -> None:
    """Import matplotlib and scipy's t distribution now (a preheated kernel does this before
    anyone opens the page, so the first chart and effect size come quicker)."""
    from scipy.special import stdtrit  # noqa: F401

    from ..charts import warm_up as warm_charts

    warm_charts()


if os.environ.get("VOILA_PREHEAT") == "True":  # pragma: no cover - preheated Voilà kernels
    with contextlib.suppress(Exception):
        warm_up()


# --------------------------------------------------------------------------- progress dashboard


def _indicator_meta(ind: Indicator) -> str:
    parts = [
        INDICATOR_KINDS.get(ind.kind, ind.kind),
        EVIDENCE_TYPES.get(ind.evidence_type, ind.evidence_type),
    ]
    if ind.cadence:
        parts.append(CADENCES.get(ind.cadence, ind.cadence).lower())
    return " · ".join(esc(p) for p in parts if p)


def _indicator_numbers(row: Mapping[Any, Any], ind: Indicator) -> str:
    unit = ind.unit or ""
    parts = []
    if row.get("latest_value") is not None and not pd.isna(row.get("latest_value")):
        parts.append(
            f"Latest <b>{esc(with_unit(row['latest_value'], unit, missing=MISSING))}</b>"
            f" ({esc(date_text(row.get('last_date')))})"
        )
    parts.append(f"Baseline <b>{esc(with_unit(ind.baseline, unit, missing=MISSING))}</b>")
    target = f"Target <b>{esc(with_unit(ind.target, unit, missing=MISSING))}</b>"
    if ind.target_date:
        target += f" by {esc(date_text(ind.target_date))}"
    parts.append(target)
    n_obs, entries = int(row.get("n_observations") or 0), int(row.get("entries") or 0)
    parts.append(
        f"{n_obs} dated value{'s' if n_obs != 1 else ''} from {entries} "
        f"entr{'ies' if entries != 1 else 'y'}"
    )
    return " · ".join(parts)


def card_html(row: Mapping[Any, Any], ind: Indicator, chart: str) -> str:
    """One indicator's card: status, name, numbers, the reason, and its chart area."""
    return (
        "<div class='ilc ilc-rv-card'><div class='info'>"
        f"{status_badge(str(row['status']))}"
        f"<div class='name'>{esc(ind.name or '(unnamed indicator)')}</div>"
        f"<div class='meta'>{_indicator_meta(ind)}</div>"
        f"<div class='nums'>{_indicator_numbers(row, ind)}</div>"
        f"<div class='reason'>{esc(str(row['reason']))}</div>"
        f"</div><div class='chart'>{chart}</div></div>"
    )


def coverage_html(review: ProgressReview) -> str:
    """The four evidence types as tiles, with prompts for the missing ones."""
    total = max(review.entries, 1)
    tiles = []
    for row in review.coverage.to_dict("records"):
        if row["evidence_type"] not in EVIDENCE_TYPES:
            continue
        count = int(row["entries"])
        share = f"{count / total:.0%} of entries" if count else "none yet"
        tiles.append(
            f"<div class='ilc-rv-tile{' none' if not count else ''}'>"
            f"<div class='count'>{count}</div><div>{esc(str(row['type_label']))}</div>"
            f"<div class='muted'>{esc(share)}</div></div>"
        )
    prompts = "".join(f"<li>{esc(p)}</li>" for p in review.missing)
    missing = f"<ul class='ilc-rv-missing'>{prompts}</ul>" if prompts else ""
    return f"<div class='ilc-rv-tiles'>{''.join(tiles)}</div>{missing}"


def intersections_html(review: ProgressReview) -> str:
    """Bernhardt's intersections as a matrix: which types each crosses, how much evidence of
    each the collective has, whether it can answer the question."""
    frame = review.intersections
    types = list(EVIDENCE_TYPES)
    head = (
        "<tr><th>Question the evidence could answer</th>"
        + "".join(f"<th>{esc(EVIDENCE_TYPES[t])}</th>" for t in types)
        + "<th>Can we answer it?</th></tr>"
    )
    group_names = {2: "Two types crossed", 3: "Three types crossed", 4: "All four types crossed"}
    rows: list[str] = []
    size = 0
    for rec in frame.to_dict("records"):
        if rec["size"] != size:
            size = int(rec["size"])
            rows.append(
                f"<tr class='group'><td colspan='{len(types) + 2}'>"
                f"{esc(group_names.get(size, f'{size} types'))}</td></tr>"
            )
        cells = []
        for t in types:
            value = rec[t]
            if value is pd.NA or value is None:
                cells.append("<td class='na'></td>")
            elif int(value) > 0:
                cells.append(f"<td class='have'>✔ {int(value)}</td>")
            else:
                cells.append("<td class='need'>✘ none</td>")
        if rec["answerable"]:
            verdict = "<td class='yes'>✔ Yes</td>"
        else:
            verdict = f"<td class='no'>Not yet: needs {esc(str(rec['missing']))}</td>"
        cls = "answerable" if rec["answerable"] else "unanswerable"
        rows.append(
            f"<tr class='{cls}'><td class='q'>{esc(str(rec['question']))}</td>"
            f"{''.join(cells)}{verdict}</tr>"
        )
    return (
        "<table class='ilc-table ilc-rv-ix'><thead>"
        f"{head}</thead><tbody>{''.join(rows)}</tbody></table>"
        "<div class='ilc-rv-help'>✔ n: entries of that type · ✘ none: a type this question "
        "needs and the collective has no evidence of yet · blank: not part of this question.</div>"
    )


class ProgressDashboard(ReviewSection):
    """Each indicator's trend against its baseline and target with its status and reason;
    evidence coverage by the four types and the intersections it can answer.

    Facilitators and researchers start on an all-collectives overview and pick a
    collective to see its dashboard. Charts are drawn after the page shows, one at a time,
    and cached.
    """

    value = T.Dict(
        help="What is shown: the collective ('' for the overview) and each indicator's status"
    )
    title_text = "Progress dashboard"
    intro_text = (
        "Each indicator on your placemat, its evidence over time against the baseline and "
        "the target, and where it stands. Below: how much evidence of each type you have, "
        "and which questions crossing the types can answer."
    )
    css_class = "ilc-rv-dashboard"
    overview_label = "All collectives (overview)"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.cards: list[W.HTML] = []
        self.review: ProgressReview | None = None
        self.data: ReviewData | None = None
        self._charts: dict[str, str] = {}
        self._queue: list[str] = []
        self._drawing = False
        super().__init__(ctx, **kwargs)

    def build(self) -> W.Widget:
        """Summary, status rule, indicator cards, coverage and intersections."""
        self.summary = html(cls="ilc-rv-summary-box")
        self.rule = html(cls="ilc-rv-rule")
        self.cards_box = W.VBox(layout=lay(width="100%"))
        self.cards_box.add_class("ilc-rv-cards")
        self.coverage = html(cls="ilc-rv-coverage")
        return W.VBox(
            [self.summary, self.rule, self.cards_box, self.coverage], layout=lay(width="100%")
        )

    @property
    def today(self) -> dt.date:
        """The date statuses are judged on."""
        return dt.date.today()

    def switched(self) -> None:
        """Forget the previous collective's charts."""
        self._charts.clear()
        self._queue.clear()

    def refresh(self) -> None:
        """Read the data (cached by revision) and draw statuses, coverage and intersections."""
        if self.collective:
            self._show_collective(self.collective)
        else:
            self._show_overview()

    # -- one collective
    def _show_collective(self, code: str) -> None:
        data, review = _review(self.net, code, self.today)
        self.data, self.review = data, review
        indicators = data.indicators.get(code, [])
        counts = review.status_counts
        self._render_rule(data.start)
        if indicators:
            parts = " ".join(f"{status_badge(s)}&nbsp;{counts[s]}" for s in STATUSES)
            latest = f"; the latest from {esc(date_text(review.latest))}" if review.latest else ""
            self.summary.value = (
                f"<div class='ilc ilc-rv-summary'><b>{len(indicators)} indicator"
                f"{'s' if len(indicators) != 1 else ''}:</b> {parts}</div>"
                f"<div class='muted'>{review.entries} evidence entr"
                f"{'ies' if review.entries != 1 else 'y'}{latest}.</div>"
            )
        else:
            self.summary.value = (
                "<div class='ilc'><p><b>No indicators on the placemat yet.</b> Add leading and "
                "lagging indicators, with a baseline, target and target date, in "
                f"{self.link('03_design_inquiry.ipynb', 'workbook 3 (the placemat)')}; "
                "their trends and statuses then appear here.</p></div>"
            )
        self._render_cards(review, indicators)
        self.coverage.value = (
            "<div class='ilc'><h3>Evidence coverage</h3>"
            f"<p class='muted'>{review.entries} entr{'ies' if review.entries != 1 else 'y'} "
            "across Bernhardt's four types of evidence.</p>"
            f"{coverage_html(review)}"
            "<h3>What crossing the evidence can answer</h3>"
            f"<p>With the evidence you have, you can answer <b>{review.answerable} of "
            f"{len(INTERSECTIONS)}</b> of Bernhardt's intersections. Each needs evidence of "
            "every type it crosses.</p>"
            f"{intersections_html(review)}</div>"
        )
        self.value = {
            "collective": code,
            "indicators": [
                {"id": ind.id, "name": ind.name, "status": str(status)}
                for ind, status in zip(indicators, review.statuses["status"], strict=True)
            ],
        }

    def _render_rule(self, start: dt.date | None) -> None:
        begins = (
            f" This cycle began on {esc(date_text(start))}: expected progress is counted from then."
            if start
            else ""
        )
        self.rule.value = (
            "<div class='ilc'>"
            + details("How status is decided", f"<p>{esc(STATUS_RULE_TEXT)}{begins}</p>")
            + "</div>"
        )

    def _render_cards(self, review: ProgressReview, indicators: Sequence[Indicator]) -> None:
        rows = review.statuses.to_dict("records")
        while len(self.cards) < len(indicators):
            card = html(cls="ilc-rv-indicator", width="100%")
            self.cards.append(card)
        shown = self.cards[: len(indicators)]
        if tuple(self.cards_box.children) != tuple(shown):
            self.cards_box.children = tuple(shown)
        wanted: list[str] = []
        for card, row, ind in zip(shown, rows, indicators, strict=True):
            trend = review.trends.get(ind.id)
            if trend is None or trend.empty:
                chart = (
                    "<div class='ilc-rv-pending'>No dated values yet: log evidence for this "
                    "indicator in workbook 4.</div>"
                )
            else:
                key = self._chart_id(ind, trend)
                chart = self._charts.get(key, "")
                if not chart:
                    wanted.append(ind.id)
                    chart = "<div class='ilc-rv-pending'>Drawing the trend…</div>"
            card.value = card_html(row, ind, chart)
        self._queue = wanted
        if self.viewed:
            self._draw_queued()

    def _chart_id(self, ind: Indicator, trend: pd.DataFrame) -> str:
        start = self.data.start if self.data is not None else None
        return chart_key(astuple(ind), start, trend["date"].tolist(), trend["value"].tolist())

    # -- charts, one at a time
    def after_view(self) -> None:
        """Draw the trend charts (one per turn of the event loop)."""
        if self.collective:
            self._draw_queued()

    def _draw_queued(self) -> None:
        loop = running_loop()
        if loop is None:
            while self._queue:
                self._draw_one(self._queue.pop(0))
            return
        if not self._drawing and self._queue:
            self._drawing = True
            loop.call_soon(self._draw_next)

    def _draw_next(self) -> None:
        if not self._queue:
            self._drawing = False
            return
        self._draw_one(self._queue.pop(0))
        loop = running_loop()
        if loop is None:
            self._drawing = False
            return
        loop.call_later(0.01, self._draw_next)

    def _draw_one(self, indicator_id: str) -> None:
        """Draw one indicator's chart and put it on its card."""
        if self.review is None or self.data is None:
            return
        indicators = self.data.indicators.get(self.collective, [])
        for position, ind in enumerate(indicators):
            if ind.id != indicator_id:
                continue
            trend = self.review.trends.get(ind.id)
            if trend is None or trend.empty or position >= len(self.cards):
                return
            try:
                svg = trend_chart(ind, trend, self.data.start)
            except Exception as exc:  # a chart that cannot be drawn must not break the page
                svg = no_chart(exc)
            self._charts[self._chart_id(ind, trend)] = svg
            row = self.review.statuses.iloc[position].to_dict()
            self.cards[position].value = card_html(row, ind, svg)
            return

    def draw_charts(self) -> None:
        """Draw every chart still waiting, now (for scripts and tests)."""
        while self._queue:
            self._draw_one(self._queue.pop(0))

    @property
    def charts_pending(self) -> int:
        """How many charts are still to be drawn."""
        return len(self._queue)

    # -- all collectives
    def _show_overview(self) -> None:
        data, frame = _overview(self.net, self.today)
        self.data, self.review = data, None
        self._queue.clear()
        self.cards_box.children = ()
        self._render_rule(data.start)
        names = {c.code: c for c in self.net.collective_list()}
        totals = {s: int(frame[s].sum()) for s in STATUSES}
        parts = " ".join(f"{status_badge(s)}&nbsp;{totals[s]}" for s in STATUSES)
        self.summary.value = (
            f"<div class='ilc'><h3>All collectives</h3><div class='ilc-rv-summary'>"
            f"<b>{int(frame['indicators'].sum())} indicators in {len(frame)} collectives:</b> "
            f"{parts}</div><div class='muted'>{int(frame['entries'].sum()):,} evidence entries. "
            "Choose a collective above to see its trends, coverage and intersections.</div></div>"
        )
        heads = [
            ("Collective", ""),
            ("Theme", ""),
            ("Indicators", "num"),
            *((status_text(s), "num") for s in STATUSES),
            *((EVIDENCE_TYPES[t], "num") for t in EVIDENCE_TYPES),
            ("Intersections answerable", "num"),
        ]
        head = "".join(f"<th class='{c}'>{esc(h)}</th>" for h, c in heads)
        rows = []
        for rec in frame.to_dict("records"):
            found = names.get(str(rec["collective"]))
            name = found.name if found is not None else str(rec["collective"])
            theme = found.theme if found is not None else ""
            cells = [f"<td>{esc(name)}</td>", f"<td>{esc(theme)}</td>"]
            cells.append(f"<td class='num'>{int(rec['indicators'])}</td>")
            cells += [f"<td class='num'>{int(rec[s])}</td>" for s in STATUSES]
            cells += [f"<td class='num'>{int(rec[t]):,}</td>" for t in EVIDENCE_TYPES]
            cells.append(
                f"<td class='num'>{int(rec['answerable'])} of {int(rec['intersections'])}</td>"
            )
            rows.append(f"<tr>{''.join(cells)}</tr>")
        self.coverage.value = (
            "<div class='ilc'><table class='ilc-table ilc-rv-overview'>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
        )
        self.value = {
            "collective": "",
            "collectives": [
                {"collective": str(r["collective"]), **{s: int(r[s]) for s in STATUSES}}
                for r in frame.to_dict("records")
            ],
        }


# --------------------------------------------------------------------------- effect size

_SUMMARY_FIELDS: Final = (
    ("mean_pre", "Mean", "pre"),
    ("sd_pre", "SD", "pre"),
    ("n_pre", "n", "pre"),
    ("mean_post", "Mean", "post"),
    ("sd_post", "SD", "post"),
    ("n_post", "n", "post"),
)
_FIELD_WORDS: Final = {
    "mean_pre": "The pre mean",
    "mean_post": "The post mean",
    "sd_pre": "The pre SD",
    "sd_post": "The post SD",
    "n_pre": "The pre n",
    "n_post": "The post n",
}
MODES: Final = (
    ("Stored scores", "stored"),
    ("Type or paste scores", "raw"),
    ("Means, SDs and ns", "summary"),
)


def _friendly(message: str) -> str:
    for name, words in _FIELD_WORDS.items():
        if message.startswith(name):
            return words + message[len(name) :]
    return message


def effect_html(es: EffectSize, chart: str, source: str) -> str:
    """An effect size for people: d, its interval, n, the hinge point, the chart, what it
    means and the warnings."""
    small = " small" if es.small_n else ""
    pct = round(es.ci_level * 100)
    warnings = "".join(f"<li>{esc(w)}</li>" for w in es.warnings)
    return (
        "<div class='ilc ilc-rv-es'>"
        f"<div class='ilc-rv-source'>{esc(source)}</div>"
        f"<div><span class='big'>d = {es.d:.2f}</span>"
        f"<span class='ci'>{pct}% CI {es.ci_low:.2f} to {es.ci_high:.2f}</span>"
        f"<span class='n{small}'>n pre {es.n_pre} · n post {es.n_post}</span></div>"
        f"<div class='muted'>Mean {esc(number(es.mean_pre))} (SD {esc(number(es.sd_pre))}) "
        f"before, {esc(number(es.mean_post))} (SD {esc(number(es.sd_post))}) after. "
        f"Hinge point: {es.hinge:.2f}.</div>"
        f"{chart}"
        f"<p class='interp'>{esc(es.interpretation())}</p>"
        + (f"<ul class='ilc-rv-warn'>{warnings}</ul>" if warnings else "")
        + "</div>"
    )


def _stored_groups(scores: pd.DataFrame) -> dict[str, tuple[list[float], list[float]]]:
    groups: dict[str, tuple[list[float], list[float]]] = {}
    for assessment, rows in scores.groupby("assessment", sort=True):
        pre = rows.loc[rows["phase"] == "pre", "score"].astype(float).tolist()
        post = rows.loc[rows["phase"] == "post", "score"].astype(float).tolist()
        groups[str(assessment)] = (pre, post)
    return groups


class EffectSizeCalculator(ReviewSection):
    """Pre/post effect size with its 95% confidence interval, n and the 0.40 hinge point.

    Scores come from the collective's stored assessments, from scores typed or pasted in,
    or from summary statistics (means, SDs, ns). Typed scores can be saved to the
    collective. Bad input gives a clear message, never a traceback.
    """

    value = T.Dict(help="The effect size shown (EffectSize.to_dict() and its source); {} if none")
    title_text = "Effect size: pre and post"
    intro_text = (
        "How much did results change from the pre to the post assessment? d = (mean post − "
        "mean pre) ÷ the mean of the two standard deviations. 0.40 is the customary hinge "
        "point: a change larger than the typical effect on learning."
    )
    css_class = "ilc-rv-effect"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.groups: dict[str, tuple[list[float], list[float]]] = {}
        self.raw_panel: W.Widget | None = None
        self.summary_panel: W.Widget | None = None
        self.summary_inputs: dict[str, Any] = {}
        self.result: EffectSize | None = None
        super().__init__(ctx, **kwargs)

    def build(self) -> W.Widget:
        """The mode switch, the stored-assessment picker; other panels come when chosen."""
        self.mode = toggles(MODES, "stored", "ilc-rv-es-mode", width="13em")
        self.mode.observe(self._on_mode, "value")
        self.assessment = dropdown(
            [], None, "ilc-rv-es-assessment", label="Assessment", width="40em"
        )
        self.assessment.observe(self._on_assessment, "value")
        self.stored_note = html(cls="ilc-rv-es-stored-note")
        self.stored_panel = W.VBox([self.assessment, self.stored_note], layout=lay(width="100%"))
        self.panel = W.VBox([self.stored_panel], layout=lay(width="100%"))
        self.output = html(cls="ilc-rv-es-result", width="100%")
        self.method = html(
            "<div class='ilc'>"
            + details("How it is computed", paragraphs(EFFECT_SIZE_METHOD))
            + "</div>"
        )
        return W.VBox([self.mode, self.panel, self.output, self.method], layout=lay(width="100%"))

    # -- panels
    def _build_raw(self) -> W.Widget:
        self.pre_text = text_input(
            "Pre scores, e.g. 12, 15, 9, 20 (commas, spaces or new lines)",
            "ilc-rv-es-pre",
            label="Pre",
            rows=5,
        )
        self.post_text = text_input(
            "Post scores, e.g. 14, 18, 11, 25", "ilc-rv-es-post", label="Post", rows=5
        )
        self.compute_raw = button("Compute effect size", "ilc-rv-es-compute", kind="primary")
        self.compute_raw.on_click(lambda _b: self.compute())
        self.save_name = text_input(
            "Name of the assessment, e.g. Unit 3 common assessment",
            "ilc-rv-es-name",
            label="Assessment",
            width="32em",
        )
        self.save_button = button(
            "Save these scores to the collective", "ilc-rv-es-save", icon="save"
        )
        self.save_button.on_click(lambda _b: self.save_scores())
        help_text = html(
            "<div class='ilc-rv-help'>One score per student; leave a gap or write NA for a "
            "missing score (it is left out and counted). Use a point for decimals (12.5). "
            "Use anonymous scores only: no names.</div>"
        )
        row = W.HBox([self.save_name, self.save_button], layout=lay(width="100%"))
        return W.VBox(
            [help_text, self.pre_text, self.post_text, self.compute_raw, row],
            layout=lay(width="100%"),
        )

    def _build_summary(self) -> W.Widget:
        rows = []
        for phase in ("pre", "post"):
            title = "Before (pre)" if phase == "pre" else "After (post)"
            cells: list[W.Widget] = [html(f"<div class='ilc-rv-label'>{title}</div>", width="8em")]
            for key, label, which in _SUMMARY_FIELDS:
                if which != phase:
                    continue
                box = text_input(
                    label, f"ilc-rv-es-{key.replace('_', '-')}", label=label, width="12em"
                )
                self.summary_inputs[key] = box
                cells.append(box)
            rows.append(W.HBox(cells, layout=lay(width="100%")))
        self.compute_summary = button(
            "Compute effect size", "ilc-rv-es-compute-summary", kind="primary"
        )
        self.compute_summary.on_click(lambda _b: self.compute())
        help_text = html(
            "<div class='ilc-rv-help'>From a report: each group's mean, its sample standard "
            "deviation (STDEV in a spreadsheet) and how many people it covers.</div>"
        )
        return W.VBox([help_text, *rows, self.compute_summary], layout=lay(width="100%"))

    def _on_mode(self, change: Mapping[str, Any]) -> None:
        mode = change["new"]
        if mode == "raw":
            if self.raw_panel is None:
                self.raw_panel = self._build_raw()
            self.panel.children = (self.raw_panel,)
        elif mode == "summary":
            if self.summary_panel is None:
                self.summary_panel = self._build_summary()
            self.panel.children = (self.summary_panel,)
        else:
            self.panel.children = (self.stored_panel,)
        self._clear_result()
        if mode == "stored" and self.viewed:
            self.compute()

    def _on_assessment(self, change: Mapping[str, Any]) -> None:
        if self.mode.value == "stored" and self.viewed and change["new"]:
            self.compute()

    def _clear_result(self) -> None:
        self.output.value = ""
        self.notice.clear()
        self.result = None
        self.value = {}

    # -- data
    def switched(self) -> None:
        """A new collective: forget the result."""
        self._clear_result()
        self.groups = {}

    def refresh(self) -> None:
        """Read the collective's stored assessments (the choice is kept when still there)."""
        scores = self.net.scores_frame(self.collective)
        groups = _stored_groups(scores)
        changed = groups != self.groups
        self.groups = groups
        options = [
            (f"{name} (pre {len(pre)}, post {len(post)})", name)
            for name, (pre, post) in groups.items()
        ]
        current = self.assessment.value
        if list(self.assessment.options) != options:
            self.assessment.options = options
            self.assessment.value = (
                current if current in groups else (options[0][1] if options else None)
            )
        if groups:
            self.assessment.layout = lay(width="40em")
            self.stored_note.value = (
                "<div class='ilc-rv-help'>Pre and post scores saved for this collective "
                "(anonymous student references only).</div>"
            )
        else:
            self.assessment.layout = lay(display="none")
            self.stored_note.value = (
                "<div class='ilc'><p>No pre and post scores are stored for this collective "
                "yet. Choose <b>Type or paste scores</b> or <b>Means, SDs and ns</b> above; "
                "typed scores can be saved here for next time.</p></div>"
            )
            if self.mode.value == "stored" and not self.viewed:
                self.mode.value = "raw"
        if changed and self.viewed and self.mode.value == "stored":
            self.compute()

    def after_view(self) -> None:
        """Compute the stored assessment's effect size once the page shows."""
        if self.mode.value == "stored":
            self.compute()

    # -- computing
    def compute(self) -> EffectSize | None:
        """Compute and show the effect size of the current input (None, with a message,
        when the input cannot give one)."""
        self.notice.clear()
        try:
            es, source = self._effect_size()
        except ValueError as exc:
            self.output.value = ""
            self.result = None
            self.value = {}
            self.notice.show(_friendly(str(exc)), "error")
            return None
        if es is None:
            self.output.value = ""
            self.result = None
            self.value = {}
            return None
        try:
            chart = effect_chart(es)
        except Exception as exc:  # the numbers still show when a chart cannot be drawn
            chart = no_chart(exc)
        self.output.value = effect_html(es, chart, source)
        self.result = es
        self.value = {**es.to_dict(), "source": source}
        return es

    def _effect_size(self) -> tuple[EffectSize | None, str]:
        mode = self.mode.value
        if mode == "stored":
            name = self.assessment.value
            if not name or name not in self.groups:
                return None, ""
            pre, post = self.groups[name]
            return effect_size(pre, post), f"Stored scores: {name}"
        if mode == "raw":
            pre_text, post_text = self.pre_text.value, self.post_text.value
            if not pre_text.strip() or not post_text.strip():
                missing = "pre" if not pre_text.strip() else "post"
                raise ValueError(f"Type or paste the {missing} scores first.")
            typed_pre = parse_scores(pre_text, "pre")
            typed_post = parse_scores(post_text, "post")
            return effect_size(typed_pre, typed_post), "Scores typed or pasted in"
        values: dict[str, float] = {}
        for key, label, phase in _SUMMARY_FIELDS:
            text = self.summary_inputs[key].value.strip().replace(",", "")
            if not text:
                raise ValueError(f"Enter the {phase} {label if label != 'Mean' else 'mean'}.")
            try:
                values[key] = float(text)
            except ValueError:
                raise ValueError(
                    f"The {phase} {label if label != 'Mean' else 'mean'} is '{text}', which "
                    "is not a number."
                ) from None
        es = effect_size_from_summary(
            values["mean_pre"],
            values["sd_pre"],
            values["n_pre"],  # type: ignore[arg-type]
            values["mean_post"],
            values["sd_post"],
            values["n_post"],  # type: ignore[arg-type]
        )
        return es, "Summary statistics entered"

    def save_scores(self) -> None:
        """Save the typed pre and post scores to the collective under an assessment name."""
        self.notice.clear()
        name = " ".join(self.save_name.value.split())
        if not name:
            self.notice.show("Give the assessment a name before saving its scores.", "error")
            return
        if name in self.groups:
            self.notice.show(
                f"Scores for an assessment called '{name}' are already stored; give these "
                "scores another name.",
                "error",
            )
            return
        try:
            pre = [x for x in parse_scores(self.pre_text.value, "pre") if x is not None]
            post = [x for x in parse_scores(self.post_text.value, "post") if x is not None]
        except ValueError as exc:
            self.notice.show(str(exc), "error")
            return
        if len(pre) < 2 or len(post) < 2:
            self.notice.show("Type at least 2 pre and 2 post scores before saving.", "error")
            return

        def save() -> None:
            self.net.add_scores(self.collective, name, "pre", pre, actor=self.ctx.actor)
            self.net.add_scores(self.collective, name, "post", post, actor=self.ctx.actor)

        if self.guard("Saving the scores", save):
            self.room.changed()
            self.notice.show(
                f"Saved {len(pre)} pre and {len(post)} post scores as '{name}': they are "
                "listed under Stored scores.",
                "success",
            )
