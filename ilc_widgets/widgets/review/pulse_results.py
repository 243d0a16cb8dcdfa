"""Workbook 05's pulse results: per dimension, the start and review means with their n, the
change, and the change among the people who answered both; a chart and a table.

Inside a collective's own workbook the members see their own group's results, with n next
to every figure and a plain note when n is small (suppression in shared reports is the
network report's job).
"""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...charts import described, table_html
from ...efficacy import WAVES, PulseDataError, pulse_change
from .data import PENDING_CHART, cached_svg, chart_key, drawn_for_page, no_chart
from .pulse_common import PulseSection
from .section import html, lay
from .state import answers_frame, change_text, mean_n, optional, other_sets, scale_words

if TYPE_CHECKING:
    import pandas as pd

    from ...session import SessionContext

__all__ = ["PulseResults", "pulse_chart_html"]


def pulse_chart_html(svg: str, spec: dict[str, Any]) -> str:
    """The drawn pulse chart with a name listing each dimension's means (with n) at start
    and at review, and the same numbers as a table."""
    start, review = WAVES["start"], WAVES["review"]
    rows = [
        (str(name), mean_n(before, n_before), mean_n(after, n_after))
        for name, before, after, n_before, n_after in zip(
            spec["categories"],
            spec["before"],
            spec["after"],
            spec["n_before"],
            spec["n_after"],
            strict=True,
        )
    ]
    said = "; ".join(
        f"{name}: {a} at {start.lower()}, {b} at {review.lower()}" for name, a, b in rows
    )
    label = f"Pulse means at {start.lower()} and {review.lower()}, by dimension. {said}."
    return described(svg, label, table_html(("Dimension", start, review), rows))


class PulseResults(PulseSection):
    """Per dimension: the start and review means with their n, the change, and the change
    among the people who answered both; a chart and a table."""

    value: T.List[Any] = T.List(
        help="Per dimension: start and review means with their n, and the change"
    )
    css_class = "ilc-rv-pulse-results"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.table: pd.DataFrame | None = None
        self._chart_pending: tuple[str, dict[str, Any]] | None = None
        super().__init__(ctx, **kwargs)

    def build(self) -> W.Widget:
        """Disclaimer line, small-n note, chart and table."""
        self.note = html(cls="ilc-rv-results-note")
        self.chart = html(cls="ilc-rv-results-chart")
        self.table_html = html(cls="ilc-rv-results-table")
        return W.VBox([self.note, self.chart, self.table_html], layout=lay(width="100%"))

    def item_set_changed(self) -> None:
        """Score the new item set."""
        self.safe_refresh()

    def switched(self) -> None:
        """Another collective."""
        self.chart.value = ""

    @property
    def min_n(self) -> int:
        """Below this many people a figure is called small (the network's privacy minimum)."""
        try:
            return int(self.net.settings.get("min_cell_size", 10))
        except (TypeError, ValueError):
            return 10

    def refresh(self) -> None:
        """Score the collective's answers and draw the table (the chart once shown)."""
        items = self.item_set
        responses = self.net.pulse_frame(self.collective)
        answers = answers_frame(responses, items)
        others = other_sets(responses, items)
        disclaimer = (
            "<div class='muted ilc'>A reflective pulse, not a validated scale: use it to "
            "start a conversation, not to rate people or compare collectives.</div>"
        )
        if answers.empty:
            self.table = None
            self.value = []
            self.chart.value = ""
            self._chart_pending = None
            self.note.value = disclaimer
            self.table_html.value = (
                "<div class='ilc'><p>No one has answered this pulse yet. Answer it above; "
                f"the results appear here.</p>{self._others(others)}</div>"
            )
            return
        try:
            table = pulse_change(answers, items)
        except PulseDataError as exc:
            self.table = None
            self.value = []
            self.chart.value = ""
            self.note.value = disclaimer
            self.table_html.value = ""
            self.notice.show(f"The stored answers cannot be scored: {exc}", "error")
            return
        self.table = table
        self.value = [
            {
                "dimension": str(r["dimension"]),
                "mean_start": optional(r["mean_start"]),
                "n_start": int(r["n_start"]),
                "mean_review": optional(r["mean_review"]),
                "n_review": int(r["n_review"]),
                "change": optional(r["change"]),
                "n_both": int(r["n_both"]),
                "paired_change": optional(r["paired_change"]),
            }
            for r in table.to_dict("records")
        ]
        self.note.value = disclaimer + self._small_n_note(table)
        self.table_html.value = self._table(table) + self._others(others)
        spec = {
            "categories": [str(x) for x in table["dimension_label"]],
            "before": [optional(x) for x in table["mean_start"]],
            "after": [optional(x) for x in table["mean_review"]],
            "n_before": [int(x) for x in table["n_start"]],
            "n_after": [int(x) for x in table["n_review"]],
            "scale": (float(items.scale_min), float(items.scale_max)),
        }
        key = chart_key("pulse", spec)
        found = cached_svg(key)
        if found is not None:
            self.chart.value = f"<div class='ilc'>{pulse_chart_html(found, spec)}</div>"
            self._chart_pending = None
        else:
            self._chart_pending = (key, spec)
            if self.viewed:
                self._draw_chart()
            else:
                self.chart.value = PENDING_CHART

    def after_view(self) -> None:
        """Draw the chart once the page shows."""
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self._chart_pending is None:
            return
        key, spec = self._chart_pending

        def draw() -> str:
            from ...charts import before_after_svg

            return before_after_svg(
                spec["categories"],
                spec["before"],
                spec["after"],
                n_before=spec["n_before"],
                n_after=spec["n_after"],
                labels=(WAVES["start"], WAVES["review"]),
                scale=spec["scale"],
                ylabel="Mean agreement",
            )

        try:
            svg = drawn_for_page(key, draw, self._draw_chart)
        except Exception as exc:  # the table still shows when a chart cannot be drawn
            self._chart_pending = None
            self.chart.value = no_chart(exc)
            return
        if svg is None:
            return  # another kernel is drawing it: asked for again shortly
        self._chart_pending = None
        self.chart.value = f"<div class='ilc'>{pulse_chart_html(svg, spec)}</div>"

    def _small_n_note(self, table: pd.DataFrame) -> str:
        largest = int(max(table["n_start"].max(), table["n_review"].max()))
        if largest >= self.min_n:
            return ""
        return (
            "<div class='ilc ilc-rv-smalln'><b>Small numbers.</b> These figures come from "
            f"{largest} {'person' if largest == 1 else 'people'} or fewer. With fewer than "
            f"{self.min_n} people, one person's answers move a mean a lot: read the numbers as "
            "a starting point for the group's conversation, not as a measurement. n is shown "
            "next to every figure.</div>"
        )

    def _table(self, table: pd.DataFrame) -> str:
        head = (
            "<tr><th>Dimension</th><th class='num'>Start of inquiry</th>"
            "<th class='num'>Review</th><th class='num'>Change</th>"
            "<th class='num'>Change among people who answered both</th></tr>"
        )
        rows = []
        for r in table.to_dict("records"):
            rows.append(
                f"<tr><td>{esc(str(r['dimension_label']))}</td>"
                f"<td class='num'>{mean_n(r['mean_start'], r['n_start'])}</td>"
                f"<td class='num'>{mean_n(r['mean_review'], r['n_review'])}</td>"
                f"<td class='num'>{change_text(r['change'])}</td>"
                f"<td class='num'>{change_text(r['paired_change'])} "
                f"(n {int(r['n_both'])})</td></tr>"
            )
        only_start = int(table["n_review"].max()) == 0
        only_review = int(table["n_start"].max()) == 0
        waiting = ""
        if only_start:
            waiting = (
                "<p class='muted'>No review answers yet: the change appears once the group "
                "answers the pulse again at review.</p>"
            )
        elif only_review:
            waiting = "<p class='muted'>No start-of-inquiry answers were recorded.</p>"
        return (
            "<div class='ilc'><table class='ilc-table ilc-rv-table'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{waiting}"
            f"<div class='ilc-rv-help'>Means on the scale of {esc(scale_words(self.item_set))}. "
            "The "
            "last column follows the same people from start to review, so it is not affected "
            "by who joined or missed a wave.</div></div>"
        )

    @staticmethod
    def _others(text: str) -> str:
        return f"<p class='muted'>{esc(text)}</p>" if text else ""
