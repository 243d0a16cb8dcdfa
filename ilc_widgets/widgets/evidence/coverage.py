"""The coverage tracker of workbook 04: how many entries of each of the four evidence types
there are, per indicator, with prompts for what is missing (the counts are
:func:`~.state.type_counts` and :func:`~.state.coverage_rows`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import traitlets as T

from ...stats.coverage import NO_INDICATOR, missing_type_prompts
from ...vocab import EVIDENCE_TYPES, INDICATOR_KINDS
from .._base import esc
from . import state
from .section import TYPE_COLOURS, _Section, box, html, tiles

if TYPE_CHECKING:
    import ipywidgets as W

    from .state import CoverageRow


def heat_table_html(rows: list[CoverageRow]) -> str:
    """The coverage table: one row per indicator, one shaded cell per type, a total; the
    type an indicator is measured with is framed."""
    if not rows:
        return "<p class='muted'>No indicators or evidence yet.</p>"
    top = max([1, *(int(r.counts.get(t, 0)) for r in rows for t in EVIDENCE_TYPES)])
    head = "".join(f"<th>{esc(n)}</th>" for n in EVIDENCE_TYPES.values())
    body = []
    for row in rows:
        kind, name = row.kind, row.name
        kind_html = (
            f" <span class='pill'>{esc(INDICATOR_KINDS.get(kind, kind))}</span>" if kind else ""
        )
        name_html = f"<span class='muted'>{esc(name)}</span>" if name == NO_INDICATOR else esc(name)
        cells = []
        for key in EVIDENCE_TYPES:
            count = int(row.counts.get(key, 0))
            classes = ["cell", "zero" if count == 0 else ""]
            title = ""
            if row.planned == key:
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
            f"<td class='cell'><b>{int(row.counts.get('total', 0))}</b></td></tr>"
        )
    legend = (
        "<div class='ilc-help'>A framed cell is the type of evidence the indicator is "
        "measured with.</div>"
        if any(r.planned for r in rows)
        else ""
    )
    return (
        "<div class='ilc'><table class='ilc-table ilc-heat'><thead><tr><th>Indicator</th>"
        f"{head}<th>Total</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{legend}</div>"
    )


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
        self.totals_html = html()
        self.totals_html.add_class("ilc-cov-totals")
        self.table_html = html()
        self.table_html.add_class("ilc-cov-table")
        self.prompts_html = html()
        self.prompts_html.add_class("ilc-cov-prompts")
        return box([self.totals_html, self.table_html, self.prompts_html])

    def refresh(self) -> None:
        """Count the collective's evidence again."""
        if not self.collective:
            return
        if not self.staged:  # counted once the page shows the section
            self.totals_html.value = "<p class='muted'>Counting the evidence…</p>"
            return
        frame = self.net.evidence_records(self.collective)
        placemat = self.net.placemat(self.collective).placemat
        counts = state.type_counts(frame)
        self.value = counts
        total = f"<b>{len(frame)} entries</b>"
        self.totals_html.value = f"<div class='ilc'>{total}{tiles(counts)}</div>"
        self.table_html.value = heat_table_html(state.coverage_rows(frame, placemat))
        prompts = missing_type_prompts(counts) + state.indicator_prompts(frame, placemat)
        if prompts:
            items = "".join(f"<li>{esc(p)}</li>" for p in prompts)
            body = f"<b>What is missing</b><ul class='ilc-prompts'>{items}</ul>"
        else:
            body = (
                "<span class='ok'>Every type of evidence and every indicator has entries.</span> "
                "In the review (workbook 5), look at where the types intersect."
            )
        self.prompts_html.value = f"<div class='ilc ilc-box'>{body}</div>"
