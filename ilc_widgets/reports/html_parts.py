"""HTML pieces of the report (tables, cards, themes), shared by the page and the gallery."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from ..format import status_count
from ._text import _short

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from .model import CountTable, EffectSizeSummary, NetworkReport, ShareOutCard

_esc = html.escape


def _cell(text: str, marker_texts: Sequence[str], *, num: bool = True) -> str:
    classes = ["num"] if num else []
    if text in marker_texts:
        classes.append("supp")
    cls = f" class='{' '.join(classes)}'" if classes else ""
    return f"<td{cls}>{_esc(text)}</td>"


def _th(label: str, cls: str = "") -> str:
    """A header cell (escaped); ``cls="num"`` right-aligns a column of numbers."""
    return f"<th class='{cls}'>{_esc(label)}</th>" if cls else f"<th>{_esc(label)}</th>"


def _table(head: Iterable[str], rows: Iterable[str], *, caption: str = "") -> str:
    """A table from its header cells (:func:`_th`) and its rows (HTML, already escaped)."""
    return (
        f"<table>{caption}<thead><tr>{''.join(head)}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _count_table_html(table: CountTable, markers: Sequence[str], *, caption: str = "") -> str:
    if not table.row_labels:
        return "<p class='note'>Nothing to count yet.</p>"
    head = [_th(table.row_header), *(_th(c, "num") for c in table.columns)]
    body = []
    for label, cells in zip(table.row_labels, table.cells, strict=True):
        total = " class='total'" if label == "Total" else ""
        body.append(
            f"<tr{total}><th>{_esc(label)}</th>"
            + "".join(_cell(c, markers) for c in cells)
            + "</tr>"
        )
    cap = f"<caption class='note'>{_esc(caption)}</caption>" if caption else ""
    return _table(head, body, caption=cap)


def _suppression_caption(table: CountTable, report: NetworkReport) -> str:
    if not table.n_suppressed:
        return ""
    text = (
        f"{table.n_primary} cell{'s' if table.n_primary != 1 else ''} below {report.min_cell_size}"
    )
    if table.n_complementary:
        text += (
            f" and {table.n_complementary} more cell"
            f"{'s' if table.n_complementary != 1 else ''} that the totals would give back"
        )
    return f"{text} shown as {report.count_marker}."


def indicator_rows_html(card: ShareOutCard) -> str:
    """The indicators of a card as an HTML table (escaped)."""
    if not card.indicators:
        return "<p class='note'>No indicators yet.</p>"
    rows = []
    for i in card.indicators:
        latest = i.latest or "no value yet"
        if i.latest and i.latest_n:
            latest += f" (n = {i.latest_n}, {i.latest_date})"
        elif i.latest:
            latest += f" ({i.latest_date})"
        plan = f"{i.baseline or '?'} → {i.target or '?'}"
        if i.target_date:
            plan += f" by {i.target_date}"
        rows.append(
            "<tr>"
            f"<td><b>{_esc(i.name)}</b><div class='meta'>{_esc(i.kind_label)} · "
            f"{_esc(i.evidence_type_label)}</div></td>"
            f"<td>{_esc(plan)}</td>"
            f"<td class='{'supp' if i.suppressed else ''}'>{_esc(latest)}</td>"
            f"<td><span class='mark'>{_esc(i.mark)}</span> {_esc(i.status_label)}</td>"
            "</tr>"
        )
    head = map(_th, ("Indicator", "Baseline → target", "Latest value", "Status"))
    return _table(head, rows)


def effect_rows_html(effects: Sequence[EffectSizeSummary], *, with_collective: bool) -> str:
    """Effect sizes as an HTML table (escaped)."""
    if not effects:
        return "<p class='note'>No pre/post scores yet.</p>"
    head = [
        *([_th("Collective")] if with_collective else []),
        _th("Assessment"),
        _th("d", "num"),
        _th("95% interval"),
        _th("n pre", "num"),
        _th("n post", "num"),
        _th("What it means"),
    ]
    rows = []
    for e in effects:
        first = f"<td>{_esc(e.collective_name)}</td>" if with_collective else ""
        d = e.d_text
        rows.append(
            f"<tr>{first}<td>{_esc(e.assessment)}</td>"
            f"<td class='num{' supp' if e.suppressed else ''}'>{_esc(d)}</td>"
            f"<td>{_esc(e.ci_text)}</td>"
            f"<td class='num'>{_esc(e.n_pre)}</td><td class='num'>{_esc(e.n_post)}</td>"
            f"<td>{_esc(e.text)}</td></tr>"
        )
    return _table(head, rows)


def theory_html(card: ShareOutCard) -> str:
    """The theory of action as an ordered if/then chain (escaped)."""
    if not card.theory_of_action:
        return "<p class='note'>No theory of action yet.</p>"
    items = "".join(
        f"<li><span class='lvl'>{_esc(s.level)}</span><br><b>If</b> {_esc(s.if_text)}, "
        f"<b>then</b> {_esc(s.then_text)}</li>"
        for s in card.theory_of_action
    )
    return f"<ol class='toa'>{items}</ol>"


def lessons_html(card: ShareOutCard) -> str:
    """Lessons learned, dated (escaped)."""
    if not card.lessons:
        return "<p class='note'>No review reflections yet.</p>"
    out = []
    for lesson in card.lessons:
        parts = []
        if lesson.learned:
            parts.append(f"<b>We learned:</b> {_esc(lesson.learned)}")
        if lesson.adjust:
            parts.append(f"<b>We will adjust:</b> {_esc(lesson.adjust)}")
        out.append(
            f"<h4>{_esc(lesson.meeting_date)}</h4><blockquote>{'<br>'.join(parts)}</blockquote>"
        )
    return "".join(out)


def card_meta(card: ShareOutCard) -> str:
    """Theme, region, modality (and facilitator when names are on), as plain text."""
    bits = [card.theme or "(no theme)", card.modality_label]
    if card.region:
        bits.append(card.region)
    if card.facilitator:
        bits.append(f"Facilitator: {card.facilitator}")
    return " · ".join(bits)


def card_html(card: ShareOutCard, *, heading: str = "h3") -> str:
    """The whole share-out of one collective as an HTML block (escaped)."""
    members = (
        f"<p class='meta'><b>Members:</b> {_esc(', '.join(card.members))}</p>"
        if card.members
        else ""
    )
    pop = (
        f"<p>{_esc(card.problem_of_practice)}</p>"
        if card.problem_of_practice
        else "<p class='note'>Not written yet.</p>"
    )
    surfaced = (
        f"<p class='meta'><b>What data surfaced it:</b> {_esc(card.surfacing_data)}</p>"
        if card.surfacing_data
        else ""
    )
    priorities = (
        "<h4>Priorities</h4><ol>"
        + "".join(f"<li>{_esc(p)}</li>" for p in card.priorities)
        + "</ol>"
        if card.priorities
        else ""
    )
    used = ", ".join(card.evidence_types_used) or "none yet"
    missing = (
        f"; not yet: {', '.join(card.evidence_types_missing)}"
        if card.evidence_types_missing
        else ""
    )
    effects = (
        "<h4>Effect sizes</h4>" + effect_rows_html(card.effect_sizes, with_collective=False)
        if card.effect_sizes
        else ""
    )
    return (
        f"<article class='card' id='card-{_esc(card.code)}'>"
        f"<{heading}>{_esc(card.name)}</{heading}>"
        f"<p class='meta'>{_esc(card_meta(card))}</p>{members}"
        f"<h4>Problem of practice</h4><div class='pop'>{pop}{surfaced}</div>{priorities}"
        f"<h4>Theory of action</h4>{theory_html(card)}"
        f"<h4>Indicators: {_esc(card.status_summary)}</h4>{indicator_rows_html(card)}"
        f"{effects}"
        f"<h4>Evidence</h4><p>{_esc(card.evidence_entries)} entries; types used: {_esc(used)}"
        f"{_esc(missing)}.</p>"
        f"<h4>Lessons learned</h4>{lessons_html(card)}"
        "</article>"
    )


def mini_card_html(card: ShareOutCard) -> str:
    """A short version of a card for side-by-side comparison (escaped)."""
    outcome = card.theory_of_action[-1].then_text if card.theory_of_action else ""
    effects = "; ".join(
        f"d = {e.d_text}" + (f" (n = {e.n_pre}/{e.n_post})" if e.n_pre else "")
        for e in card.effect_sizes
    )
    lesson = card.lessons[-1].learned if card.lessons else ""
    return (
        "<div class='mini'>"
        f"<h4>{_esc(card.name)}</h4><div class='meta'>{_esc(card.modality_label)}"
        f"{' · ' + _esc(card.region) if card.region else ''}</div>"
        f"<p><b>Problem:</b> {_esc(_short(card.problem_of_practice, 260) or 'not written yet')}</p>"
        + (f"<p><b>Aims for:</b> {_esc(_short(outcome, 180))}</p>" if outcome else "")
        + f"<p><b>Indicators:</b> {_esc(card.status_summary)}</p>"
        + (f"<p><b>Effect size:</b> {_esc(effects)}</p>" if effects else "")
        + (f"<p><b>Learned:</b> {_esc(_short(lesson, 220))}</p>" if lesson else "")
        + "</div>"
    )


def themes_html(report: NetworkReport, cards: Sequence[ShareOutCard] | None = None) -> str:
    """Collectives grouped by theme, side by side, with related themes (escaped)."""
    shown = {c.code: c for c in (cards if cards is not None else report.cards)}
    out = []
    for group in report.themes:
        members = [shown[c] for c in group.codes if c in shown]
        if not members:
            continue
        related = ""
        if group.related:
            related = (
                "<p class='related'><b>Related themes:</b> "
                + "; ".join(
                    f"{_esc(r.theme)} (shared: {_esc(', '.join(r.shared_words))})"
                    for r in group.related
                )
                + "</p>"
            )
        counts = " · ".join(status_count(s, n) for s, n in group.status_counts.items() if n)
        out.append(
            f"<h3>{_esc(group.theme)} ({len(members)} collective"
            f"{'s' if len(members) != 1 else ''})</h3>"
            + (f"<p class='meta'>Indicators: {_esc(counts)}</p>" if counts else "")
            + related
            + "<div class='grid'>"
            + "".join(mini_card_html(c) for c in members)
            + "</div>"
        )
    return "".join(out) or "<p class='note'>No collectives yet.</p>"


def pulse_table_html(report: NetworkReport) -> str:
    """The network-wide pulse as an HTML table (escaped)."""
    if not report.pulse:
        return "<p class='note'>No pulse answers yet.</p>"
    marker = report.statistic_marker

    def stat(value: float | None, digits: int = 2, sign: bool = False) -> str:
        if value is None:
            return marker
        return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"

    rows = "".join(
        f"<tr><th>{_esc(p.label)}</th>"
        + _cell(stat(p.mean_start), [marker])
        + _cell(p.n_start, [report.count_marker])
        + _cell(stat(p.mean_review), [marker])
        + _cell(p.n_review, [report.count_marker])
        + _cell(stat(p.change, sign=True), [marker])
        + _cell(p.n_both, [report.count_marker])
        + _cell(stat(p.paired_change, sign=True), [marker])
        + "</tr>"
        for p in report.pulse
    )
    numbers = ("Start mean", "n", "Review mean", "n", "Change", "n in both")
    head = [_th("Dimension"), *(_th(h, "num") for h in (*numbers, "Change of those in both"))]
    return _table(head, [rows])


def evidence_types_html(report: NetworkReport) -> str:
    """Evidence use by type as an HTML table (escaped)."""
    n = len(report.cards)
    rows = "".join(
        f"<tr><th>{_esc(t.label)}</th>"
        + _cell(t.entries, [report.count_marker])
        + _cell(t.share, [report.statistic_marker])
        + f"<td class='num'>{t.collectives_using} of {n}</td>"
        + f"<td>{_esc(t.verdict)}</td></tr>"
        for t in report.evidence_types
    )
    total = (
        f"<tr class='total'><th>Total</th>{_cell(report.evidence_total, [report.count_marker])}"
        "<td></td><td></td><td></td></tr>"
    )
    numbers = ("Entries", "Share", "Collectives using it")
    return _table([_th("Evidence type"), *(_th(h, "num") for h in numbers), _th("")], [rows, total])


def intersections_html(report: NetworkReport) -> str:
    """Bernhardt's intersections and how many collectives can answer each (escaped)."""
    n = len(report.cards)
    rows = "".join(
        f"<tr><td>{_esc(i.label)}</td><td>{_esc(i.question)}</td>"
        f"<td class='num'>{i.collectives} of {n}</td></tr>"
        for i in report.intersections
    )
    head = [
        _th("Evidence types crossed"),
        _th("Question it answers"),
        _th("Collectives that can answer it", "num"),
    ]
    return _table(head, [rows])
