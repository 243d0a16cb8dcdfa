"""The review's pages as HTML: status badges, an indicator's card, evidence coverage,
Bernhardt's intersections, the all-collectives overview and an effect size for people.

Pure functions of the statistics (everything typed is escaped); no widgets.
"""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...charts import described, table_html
from ...format import MISSING, STATUS_MARKS, date_text, number, status_text, with_unit
from ...stats import STATUS_LABELS, STATUSES, EffectSize, ProgressReview
from ...vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...placemat import Indicator

__all__ = [
    "card_html",
    "coverage_html",
    "details",
    "effect_chart_html",
    "effect_html",
    "intersections_html",
    "overview_html",
    "paragraphs",
    "status_badge",
    "trend_chart_html",
    "trend_label",
]


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


def trend_label(row: Mapping[Any, Any], ind: Indicator) -> str:
    """What an indicator's trend chart shows, in words: the indicator, its latest value,
    baseline, target and status (values written as on the card)."""
    unit = ind.unit or ""
    name = ind.name or "an unnamed indicator"
    parts = [f"Trend of {name}"]
    latest = row.get("latest_value")
    if latest is not None and not pd.isna(latest):
        when = date_text(row.get("last_date"))
        parts.append(f"latest {with_unit(latest, unit)}" + (f" on {when}" if when else ""))
    parts.append(f"baseline {with_unit(ind.baseline, unit, missing='not set')}")
    target = f"target {with_unit(ind.target, unit, missing='not set')}"
    if ind.target_date:
        target += f" by {date_text(ind.target_date)}"
    parts.append(target)
    status = STATUS_LABELS.get(str(row.get("status")), str(row.get("status") or ""))
    if status:
        parts.append(f"status {status.lower()}")
    return ", ".join(parts[:2]) + "; " + "; ".join(parts[2:]) + "."


def trend_chart_html(svg: str, row: Mapping[Any, Any], ind: Indicator, trend: pd.DataFrame) -> str:
    """A drawn trend chart with its name (:func:`trend_label`) and its values as a table."""
    unit = ind.unit or ""
    rows = [
        (date_text(d), with_unit(v, unit, missing=MISSING))
        for d, v in zip(trend["date"], trend["value"], strict=True)
    ]
    rows.append(("Baseline", with_unit(ind.baseline, unit, missing=MISSING)))
    target = "Target" + (f" (by {date_text(ind.target_date)})" if ind.target_date else "")
    rows.append((target, with_unit(ind.target, unit, missing=MISSING)))
    table = table_html(("Date", ind.name or "Value"), rows, caption=ind.name or "")
    return described(svg, trend_label(row, ind), table)


def effect_chart_html(svg: str, es: EffectSize) -> str:
    """A drawn effect-size chart with its name and its numbers as a table."""
    pct = round(es.ci_level * 100)
    label = (
        f"Effect size d = {es.d:.2f}, {pct}% confidence interval {es.ci_low:.2f} to "
        f"{es.ci_high:.2f}; hinge point {es.hinge:.2f}; n pre {es.n_pre}, n post {es.n_post}."
    )
    table = table_html(
        ("Effect size d", f"{pct}% CI low", f"{pct}% CI high", "Hinge point"),
        [(f"{es.d:.2f}", f"{es.ci_low:.2f}", f"{es.ci_high:.2f}", f"{es.hinge:.2f}")],
    )
    return described(svg, label, table)


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


def overview_html(frame: pd.DataFrame, names: Mapping[str, Any]) -> tuple[str, str]:
    """The all-collectives overview: the summary line and the table (one row a collective;
    ``names`` maps a code to its collective, with ``name`` and ``theme``)."""
    totals = {s: int(frame[s].sum()) for s in STATUSES}
    parts = " ".join(f"{status_badge(s)}&nbsp;{totals[s]}" for s in STATUSES)
    summary = (
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
    table = (
        "<div class='ilc'><table class='ilc-table ilc-rv-overview'>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    return summary, table
