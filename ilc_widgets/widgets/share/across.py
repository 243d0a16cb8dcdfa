"""Across collectives: what collectives on the same or related themes found, network-wide
change in the efficacy pulse, and the evidence types the network relies on and neglects."""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING, Any

import traitlets as T

from ...charts import table_html
from ...reports import evidence_types_html, intersections_html, pulse_table_html, themes_html
from .._kit.notice import Notice, user_message
from .base import ShareSection, shared_report
from .state import options
from .styles import dropdown, html, section_html

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...reports import NetworkReport as ReportModel
    from ...session import SessionContext

__all__ = ["AcrossCollectives", "chart_words"]

INTRO = (
    "<div class='ilc'><h2>Across collectives</h2><p class='muted'>What collectives working on "
    "the same or related themes found, how the network's sense of collective efficacy "
    "changed, and which kinds of evidence the network leans on.</p>"
    "<h3>Same and related themes</h3></div>"
)


def chart_words(report: ReportModel, name: str) -> tuple[str, str]:
    """The name (what it shows, with its values) and the table of the network chart
    ``name`` (``pulse`` or ``evidence``), written as the report's tables write them."""
    if name == "pulse":
        marker = report.statistic_marker

        def mean(value: float | None) -> str:
            return marker if value is None else f"{value:.2f}"

        rows: list[tuple[str, ...]] = [
            (p.label, mean(p.mean_start), p.n_start, mean(p.mean_review), p.n_review)
            for p in report.pulse
        ]
        said = "; ".join(
            f"{r[0]}: {r[1]} (n {r[2]}) at start of inquiry, {r[3]} (n {r[4]}) at review"
            for r in rows
        )
        label = (
            "Collective leader efficacy pulse, whole network, mean agreement on a scale of 1 "
            f"to 5. {said}."
        )
        head: tuple[str, ...] = ("Dimension", "Start mean", "n", "Review mean", "n")
    else:
        rows = [(t.label, t.entries, t.share) for t in report.evidence_types]
        said = "; ".join(f"{r[0]}: {r[1]} entries ({r[2]})" for r in rows)
        label = f"Evidence entries by type, whole network. {said}."
        head = ("Evidence type", "Entries", "Share")
    return label, table_html(head, rows)


class AcrossCollectives(ShareSection):
    """What collectives on the same or related themes found, network-wide change in the
    efficacy pulse, and the evidence types the network relies on and neglects."""

    value = T.Unicode(
        "", help="The theme whose collectives are compared side by side ('' = every theme)"
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        themes = sorted({c.theme for c in ctx.require_network().collective_list() if c.theme})
        self.theme_picker = dropdown(
            "Theme",
            options("Every theme", [(t, t) for t in themes]),
            "ilc-across-theme",
            width="22em",
            label_width="4em",
        )
        self.theme_picker.observe(self._on_theme, "value")
        self.themes_html = html("<p class='muted'>Loading…</p>", "ilc-across-themes")
        self.pulse_html = html("", "ilc-across-pulse")
        self.evidence_html = html("", "ilc-across-evidence")
        self.notice = Notice()
        self.report: ReportModel | None = None
        super().__init__(
            ctx,
            "ilc-across",
            [
                html(INTRO),
                self.theme_picker,
                self.themes_html,
                self.pulse_html,
                self.evidence_html,
                self.notice,
            ],
            **kwargs,
        )
        self.stage()

    def show_failure(self, exc: Exception) -> None:
        """Say the comparison could not be drawn."""
        self.themes_html.value = ""
        self.notice.show(user_message("Comparing the collectives", exc), "error")

    def _on_theme(self, change: Mapping[str, Any]) -> None:
        self.value = change["new"]
        self._draw_themes()

    def _draw_themes(self) -> None:
        if self.report is None:
            return
        wanted = self.value
        cards = [c for c in self.report.cards if not wanted or c.theme == wanted]
        self.themes_html.value = f"<div class='ilc'>{themes_html(self.report, cards)}</div>"

    def build_rest(self) -> None:
        """Compare the themes, the pulse and the evidence types across the network."""
        from ...charts import described, to_svg
        from ...efficacy import PULSE_DISCLAIMER
        from ...reports import chart_figures

        self.report = report = shared_report(self.ctx)
        self._draw_themes()
        charts = chart_figures(report)

        def svg(name: str) -> str:
            draw = charts.get(name)
            if draw is None:
                return ""
            label, table = chart_words(report, name)
            return f"<div class='ilc-gal-chart'>{described(to_svg(draw()), label, table)}</div>"

        self.pulse_html.value = section_html(
            "Network-wide change in the efficacy pulse",
            f"<div class='ilc-gal-disclaimer'>{esc(PULSE_DISCLAIMER)}</div>"
            "<p class='muted'>Start of inquiry and review, every collective together (never "
            "one collective against another); a mean built on fewer than "
            f"{report.min_cell_size} people reads {esc(report.statistic_marker)}.</p>"
            f"{svg('pulse')}{pulse_table_html(report)}",
        )
        prompts = "".join(f"<li>{esc(p)}</li>" for p in report.evidence_prompts)
        questions = (
            f"<h4>Questions to take back to your collective</h4><ul>{prompts}</ul>"
            if prompts
            else ""
        )
        self.evidence_html.value = section_html(
            "Evidence the network relies on, and neglects",
            f"{svg('evidence')}{evidence_types_html(report)}{questions}"
            "<h4>Which of Bernhardt's questions the network's evidence can answer</h4>"
            f"{intersections_html(report)}",
        )
