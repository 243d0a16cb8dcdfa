"""Workbook 05's progress dashboard: each indicator's trend against its baseline and target
with its status and reason, evidence coverage by the four types, and the intersections it
can answer (or, for facilitators and researchers, every collective at a glance)."""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple
from html import escape as esc
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...format import date_text
from ...stats import INTERSECTIONS, STATUS_RULE_TEXT, STATUSES, ProgressReview
from .._kit.loop import running_loop
from .cards import (
    card_html,
    coverage_html,
    details,
    intersections_html,
    overview_html,
    status_badge,
    trend_chart_html,
)
from .data import (
    SHARED_RETRY_SECONDS,
    ReviewData,
    chart_key,
    no_chart,
    overview_of,
    review_of,
    trend_chart,
)
from .section import ReviewSection, html, lay

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from ...placemat import Indicator
    from ...session import SessionContext

__all__ = ["ProgressDashboard"]


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
        data, review = review_of(self.net, code, self.today)
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
                key = self._chart_id(ind, row, trend)
                chart = self._charts.get(key, "")
                if not chart:
                    wanted.append(ind.id)
                    chart = "<div class='ilc-rv-pending'>Drawing the trend…</div>"
            card.value = card_html(row, ind, chart)
        self._queue = wanted
        if self.viewed:
            self._draw_queued()

    def _chart_id(self, ind: Indicator, row: Mapping[Any, Any], trend: pd.DataFrame) -> str:
        """The key of a card's chart: its name says the status, so the status is in it."""
        start = self.data.start if self.data is not None else None
        return chart_key(
            astuple(ind),
            start,
            str(row.get("status")),
            trend["date"].tolist(),
            trend["value"].tolist(),
        )

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
        indicator_id = self._queue.pop(0)
        done = self._draw_one(indicator_id, share=True)
        if not done:  # another kernel is drawing it: the next chart first, this one later
            self._queue.append(indicator_id)
        loop = running_loop()
        if loop is None:
            self._drawing = False
            return
        loop.call_later(0.01 if done else SHARED_RETRY_SECONDS, self._draw_next)

    def _draw_one(self, indicator_id: str, *, share: bool = False) -> bool:
        """Draw one indicator's chart and put it on its card; False when another kernel is
        drawing the same chart (``share``) and it should be asked for again."""
        if self.review is None or self.data is None:
            return True
        indicators = self.data.indicators.get(self.collective, [])
        for position, ind in enumerate(indicators):
            if ind.id != indicator_id:
                continue
            trend = self.review.trends.get(ind.id)
            if trend is None or trend.empty or position >= len(self.cards):
                return True
            row = self.review.statuses.iloc[position].to_dict()
            try:
                chart = trend_chart(ind, trend, self.data.start, share=share)
                if chart is None:
                    return False
                svg = trend_chart_html(chart, row, ind, trend)
            except Exception as exc:  # a chart that cannot be drawn must not break the page
                svg = no_chart(exc)
            self._charts[self._chart_id(ind, row, trend)] = svg
            self.cards[position].value = card_html(row, ind, svg)
            return True
        return True

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
        data, frame = overview_of(self.net, self.today)
        self.data, self.review = data, None
        self._queue.clear()
        self.cards_box.children = ()
        self._render_rule(data.start)
        names = {c.code: c for c in self.net.collective_list()}
        self.summary.value, self.coverage.value = overview_html(frame, names)
        self.value = {
            "collective": "",
            "collectives": [
                {"collective": str(r["collective"]), **{s: int(r[s]) for s in STATUSES}}
                for r in frame.to_dict("records")
            ],
        }
