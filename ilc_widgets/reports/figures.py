"""The report's charts (matplotlib, drawn only when asked for)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..format import STATUS_COLORS, STATUS_HATCHES, status_text
from ..stats import HINGE_POINT, STATUSES
from ._text import _mpl, _short

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.figure import Figure

    from .model import NetworkReport


def chart_figures(report: NetworkReport) -> dict[str, Callable[[], Figure]]:
    """The report's charts, each as a function that draws a matplotlib Figure.

    Keys: ``status`` (indicator statuses by theme), ``effect_sizes`` (publishable effect
    sizes with their intervals), ``pulse`` (network-wide pulse, start and review) and
    ``evidence`` (entries by evidence type). Charts with nothing to show are left out.
    Suppressed figures are never drawn: their place says ``n<10`` or ``<10``.
    """
    from .. import charts

    out: dict[str, Callable[[], Figure]] = {}
    table = report.status_by_theme
    if table.row_labels[:-1] and any(v for row in table.values[:-1] for v in row[:-1] if v):
        themes = [_mpl(_short(t, 34)) for t in table.row_labels[:-1]]
        series = {
            status_text(s): [float(row[i] or 0) for row in table.values[:-1]]
            for i, s in enumerate(STATUSES)
        }
        out["status"] = lambda: charts.colored_stacked_bar_figure(
            themes,
            series,
            [STATUS_COLORS[s] for s in STATUSES],
            [STATUS_HATCHES[s] for s in STATUSES],
            title="Indicator status by theme",
            xlabel="Indicators",
        )
    shown = [e for e in report.effect_sizes if e.d is not None]
    if shown:
        out["effect_sizes"] = lambda: charts.effect_size_figure(
            [_mpl(_short(f"{e.collective_name}: {e.assessment}", 48)) for e in shown],
            [float(e.d or 0) for e in shown],
            [float(e.ci_low if e.ci_low is not None else math.nan) for e in shown],
            [float(e.ci_high if e.ci_high is not None else math.nan) for e in shown],
            hinge=HINGE_POINT,
            title="Effect sizes with 95% confidence intervals",
        )
    if report.pulse:
        marker = report.statistic_marker
        labels = [f"{_mpl(p.label)}\n(n = {p.n_start} / {p.n_review})" for p in report.pulse]
        out["pulse"] = lambda: charts.masked_grouped_bar_figure(
            labels,
            {
                "Start of inquiry": [p.mean_start for p in report.pulse],
                "Review": [p.mean_review for p in report.pulse],
            },
            missing=marker,
            ylim=(1, 5),
            ylabel="Mean agreement (1 to 5)",
            title="Collective leader efficacy pulse, whole network",
        )
    if report.evidence_types:
        out["evidence"] = lambda: charts.count_bar_figure(
            [t.label for t in report.evidence_types],
            [t.entries_value for t in report.evidence_types],
            missing=report.count_marker,
            title="Evidence entries by type, whole network",
            xlabel="Entries",
        )
    return out


def _svg_charts(report: NetworkReport) -> dict[str, str]:
    from ..charts import to_svg

    return {name: to_svg(draw()) for name, draw in chart_figures(report).items()}


def _svg_and_png(fig: Figure) -> tuple[str, bytes]:
    """One figure as inline SVG text and as PNG bytes (the figure is closed)."""
    import io

    fig.tight_layout()
    text = io.StringIO()
    fig.savefig(text, format="svg", bbox_inches="tight")
    image = io.BytesIO()
    fig.savefig(image, format="png", dpi=160, bbox_inches="tight")
    svg = text.getvalue()
    return svg[svg.index("<svg") :], image.getvalue()
