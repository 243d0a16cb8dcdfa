"""The report as one self-contained HTML page (inline SVG charts, print styles)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..format import status_legend
from ..stats import HINGE_POINT
from .figures import _svg_charts
from .html_parts import (
    _count_table_html,
    _esc,
    _suppression_caption,
    card_html,
    effect_rows_html,
    evidence_types_html,
    intersections_html,
    pulse_table_html,
    themes_html,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .model import NetworkReport

REPORT_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #000; }
.ilc-report { font-family: "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif;
  font-size: 10.5pt; line-height: 1.4; max-width: 1080px; margin: 0 auto; padding: 18px 22px; }
.ilc-report h1 { font-size: 20pt; margin: 0 0 2px; }
.ilc-report h2 { font-size: 14pt; margin: 26px 0 8px; border-bottom: 2px solid #000;
  padding-bottom: 2px; }
.ilc-report h3 { font-size: 11.5pt; margin: 14px 0 4px; }
.ilc-report h4 { font-size: 10.5pt; margin: 8px 0 2px; }
.ilc-report p { margin: 0 0 6px; }
.ilc-report .sub { color: #333; margin-bottom: 8px; }
.ilc-report .privacy { border: 1.5px solid #000; padding: 6px 10px; margin: 10px 0;
  font-size: 9.5pt; }
.ilc-report nav ol { columns: 2; margin: 6px 0; padding-left: 1.4em; }
.ilc-report ul.headline { padding-left: 1.2em; }
.ilc-report ul.headline li { margin-bottom: 4px; }
.ilc-report dl.glance { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px;
  margin: 8px 0; }
.ilc-report dl.glance div { border: 1px solid #000; padding: 4px 8px; }
.ilc-report dl.glance dt { font-size: 8.5pt; }
.ilc-report dl.glance dd { margin: 0; font-size: 15pt; font-weight: bold; }
.ilc-report table { border-collapse: collapse; margin: 6px 0 10px; font-size: 9.5pt; }
.ilc-report th, .ilc-report td { border: 1px solid #000; padding: 3px 7px; text-align: left;
  vertical-align: top; }
.ilc-report th { background: #eee; }
.ilc-report td.num, .ilc-report th.num { text-align: right; font-variant-numeric: tabular-nums; }
.ilc-report tr.total td, .ilc-report tr.total th { font-weight: bold; border-top: 2px solid #000; }
.ilc-report .supp { font-style: italic; }
.ilc-report .chart svg { max-width: 100%; height: auto; }
.ilc-report .chart { margin: 6px 0; }
.ilc-report .note { font-size: 9pt; color: #222; }
.ilc-report .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
  gap: 8px; }
.ilc-report .mini { border: 1px solid #000; padding: 6px 8px; break-inside: avoid; }
.ilc-report .mini h4 { margin-top: 0; }
.ilc-report .card { border: 1.5px solid #000; padding: 8px 12px; margin: 10px 0;
  break-inside: avoid-page; }
.ilc-report .card h3 { margin-top: 0; }
.ilc-report .meta { font-size: 9pt; }
.ilc-report .pop { border-left: 4px double #000; padding-left: 8px; }
.ilc-report ol.toa { padding-left: 1.3em; margin: 2px 0 6px; }
.ilc-report ol.toa li { margin-bottom: 3px; }
.ilc-report .lvl { font-weight: bold; font-size: 8.5pt; text-transform: uppercase; }
.ilc-report .mark { font-weight: bold; display: inline-block; min-width: 1em; }
.ilc-report blockquote { margin: 3px 0 6px 0; padding-left: 8px; border-left: 2px solid #000; }
.ilc-report .related { font-size: 9.5pt; }
.ilc-report footer { margin-top: 24px; font-size: 8.5pt; border-top: 1px solid #000;
  padding-top: 4px; }
@page { size: letter; margin: 14mm 12mm; }
@media print {
  .ilc-report { max-width: none; padding: 0; font-size: 9.5pt; }
  .ilc-report h2 { break-after: avoid; }
  .ilc-report h2.page { break-before: page; }
  .ilc-report h3, .ilc-report h4 { break-after: avoid; }
  .ilc-report nav { display: none; }
  .ilc-report .grid { grid-template-columns: 1fr 1fr; }
  .ilc-report tr { break-inside: avoid; }
  .ilc-report a { color: #000; text-decoration: none; }
}
"""


def render_html(report: NetworkReport, *, charts: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML page (inline SVG charts, print styles).

    ``charts`` (name -> SVG text, as :func:`chart_figures` names them) skips drawing them
    again. Everything from the network is escaped.
    """
    svg = dict(charts) if charts is not None else _svg_charts(report)
    markers = [report.count_marker, report.statistic_marker]

    def chart(name: str, alt: str) -> str:
        if name not in svg:
            return ""
        return f"<figure class='chart' role='img' aria-label='{_esc(alt)}'>{svg[name]}</figure>"

    glance = "".join(
        f"<div><dt>{_esc(k)}</dt><dd class='{'supp' if v in markers else ''}'>{_esc(v)}</dd></div>"
        for k, v in report.at_a_glance
    )
    headline = "".join(f"<li>{_esc(line)}</li>" for line in report.headline)
    toc = [
        ("summary", "Summary"),
        ("themes", "What collectives on the same or related themes found"),
        ("indicators", "Progress on indicators"),
        ("effect-sizes", "Effect sizes"),
        ("pulse", "Collective leader efficacy pulse"),
        ("evidence", "Evidence the network relies on, and neglects"),
        ("participation", "Who took part"),
        ("cards", "Share-outs of each collective"),
        ("about", "About this report"),
    ]
    nav = (
        "<nav><ol>"
        + "".join(f"<li><a href='#{a}'>{_esc(t)}</a></li>" for a, t in toc)
        + "</ol></nav>"
    )
    prompts = "".join(f"<li>{_esc(p)}</li>" for p in report.evidence_prompts)
    notes = "".join(
        f"<h4>{_esc(k)}</h4><p class='note'>{_esc(v)}</p>" for k, v in report.method_notes
    )
    roles = report.participants_by_role
    by_theme = report.evidence_by_theme
    body = (
        "<main class='ilc-report'>"
        f"<header><h1>{_esc(report.title)}</h1><p class='sub'>{_esc(report.subtitle)}</p>"
        + (f"<p>{_esc(report.description)}</p>" if report.description else "")
        + f"<p class='privacy'>{_esc(report.privacy_note)}</p></header>"
        + nav
        + f"<section id='summary'><h2>Summary</h2><dl class='glance'>{glance}</dl>"
        f"<ul class='headline'>{headline}</ul></section>"
        "<section id='themes'><h2 class='page'>What collectives on the same or related themes "
        "found</h2><p class='note'>Collectives are grouped by theme and shown side by side; "
        "related themes share distinctive words in what their collectives wrote.</p>"
        f"{themes_html(report)}</section>"
        "<section id='indicators'><h2>Progress on indicators</h2>"
        f"{chart('status', 'Indicator status by theme')}"
        + _count_table_html(report.status_by_theme, markers)
        + f"<p class='note'>{_esc(status_legend())}. "
        "Counts of indicators, not of people.</p></section>"
        "<section id='effect-sizes'><h2>Effect sizes</h2>"
        f"<p class='note'>Pre/post effect sizes with their 95% confidence intervals; the "
        f"dashed line marks the {HINGE_POINT:.2f} hinge point.</p>"
        f"{chart('effect_sizes', 'Effect sizes with confidence intervals')}"
        + effect_rows_html(report.effect_sizes, with_collective=True)
        + "</section>"
        "<section id='pulse'><h2>Collective leader efficacy pulse</h2>"
        f"<p class='note'><b>{_esc(report.pulse_note)}</b></p>"
        f"{chart('pulse', 'Pulse means at start and review, by dimension')}"
        f"{pulse_table_html(report)}</section>"
        "<section id='evidence'><h2>Evidence the network relies on, and neglects</h2>"
        f"{chart('evidence', 'Evidence entries by type')}{evidence_types_html(report)}"
        + (f"<h3>Questions to take back</h3><ul>{prompts}</ul>" if prompts else "")
        + "<h3>Evidence by theme</h3>"
        + _count_table_html(by_theme, markers, caption=_suppression_caption(by_theme, report))
        + "<h3>Which of Bernhardt's questions the evidence can answer</h3>"
        + intersections_html(report)
        + "</section>"
        "<section id='participation'><h2>Who took part</h2>"
        + _count_table_html(roles, markers, caption=_suppression_caption(roles, report))
        + "</section>"
        "<section id='cards'><h2 class='page'>Share-outs of each collective</h2>"
        + "".join(card_html(c) for c in report.cards)
        + "</section>"
        f"<section id='about'><h2>About this report</h2>{notes}</section>"
        f"<footer>{_esc(report.title)} · {_esc(report.privacy_note)}</footer>"
        "</main>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_esc(report.title)}</title><style>{REPORT_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )
