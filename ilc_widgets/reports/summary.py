"""The network-wide parts of the report: status, pulse, evidence use, roles, headline."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from ..efficacy import DEFAULT_ITEM_SET, DIMENSIONS, PULSE_DISCLAIMER, pulse_change
from ..privacy import count_marker, is_publishable, statistic_marker, suppress_counts
from ..stats import (
    EFFECT_SIZE_METHOD,
    HINGE_POINT,
    INTERSECTIONS,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    STATUSES,
    answerable_intersections,
)
from ..vocab import EVIDENCE_TYPES, ROLES
from ._text import _count_text
from .model import (
    CountTable,
    EffectSizeSummary,
    EvidenceTypeUse,
    IntersectionUse,
    PulseRow,
    ShareOutCard,
    ThemeGroup,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..network import Network


def _counts_table(
    frame: pd.DataFrame, row_header: str, min_n: int, *, suppress: bool = True
) -> CountTable:
    """Publish a table of counts (with margins labelled Total) through ``suppress_counts``."""
    if frame.empty:
        return CountTable(row_header, tuple(map(str, frame.columns)), (), (), ())
    if suppress:
        result = suppress_counts(frame, min_n=min_n)
        shown, mask = result.table, result.mask
        primary, complementary = result.n_primary, result.n_complementary
    else:
        shown = frame.astype(object)
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        primary = complementary = 0
    cells: list[tuple[str, ...]] = []
    values: list[tuple[int | None, ...]] = []
    for label in frame.index:
        row_cells: list[str] = []
        row_values: list[int | None] = []
        for column in frame.columns:
            hidden = bool(mask.at[label, column]) if column in mask.columns else False
            raw = frame.at[label, column]
            if hidden:
                row_cells.append(str(shown.at[label, column]))
                row_values.append(None)
            else:
                number = int(np.asarray(raw, dtype=np.int64))
                row_cells.append(f"{number:,}")
                row_values.append(number)
        cells.append(tuple(row_cells))
        values.append(tuple(row_values))
    return CountTable(
        row_header,
        tuple(str(c) for c in frame.columns),
        tuple(str(i) for i in frame.index),
        tuple(cells),
        tuple(values),
        primary,
        complementary,
    )


def _status_table(themes: Sequence[ThemeGroup]) -> CountTable:
    columns = [STATUS_LABELS[s] for s in STATUSES]
    rows = {g.theme: [g.status_counts[s] for s in STATUSES] for g in themes}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    if frame.empty:
        return CountTable("Theme", (*columns, "Total"), (), (), ())
    frame["Total"] = frame.sum(axis=1)
    frame.loc["Total"] = frame.sum(axis=0)
    return _counts_table(frame.astype(int), "Theme", 1, suppress=False)


def _pulse(network: Network, codes: set[str], min_n: int) -> tuple[tuple[PulseRow, ...], str]:
    responses = network.pulse_frame()
    responses = responses[responses["collective"].isin(codes)]
    own = responses[responses["item_set"] == DEFAULT_ITEM_SET.name]
    other_sets = sorted(set(responses["item_set"]) - {DEFAULT_ITEM_SET.name})
    note = PULSE_DISCLAIMER
    if other_sets:
        note += (
            " Answers to researchers' own item sets ("
            + ", ".join(map(str, other_sets))
            + ") are not included here."
        )
    if own.empty:
        return (), note + " No pulse answers yet."
    change = pulse_change(own[["respondent", "wave", "item_id", "score"]])
    rows = []
    for r in change.to_dict("records"):
        n_start, n_review, n_both = int(r["n_start"]), int(r["n_review"]), int(r["n_both"])

        def keep(value: Any, n: int | list[int]) -> float | None:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return None
            return float(value) if is_publishable(n, min_n) else None

        rows.append(
            PulseRow(
                dimension=str(r["dimension"]),
                label=str(r["dimension_label"] or DIMENSIONS.get(str(r["dimension"]), "")),
                mean_start=keep(r["mean_start"], n_start),
                n_start=_count_text(n_start, min_n),
                mean_review=keep(r["mean_review"], n_review),
                n_review=_count_text(n_review, min_n),
                change=keep(r["change"], [n_start, n_review]),
                n_both=_count_text(n_both, min_n),
                paired_change=keep(r["paired_change"], n_both),
            )
        )
    return tuple(rows), note


_NEGLECT_PROMPTS: Final[dict[str, str]] = {
    "demographic": (
        "Demographic evidence is scarce: which students and adults are involved, and are "
        "results the same for every group? Enrollment, attendance and subgroup counts are "
        "often already in the student information system."
    ),
    "perceptions": (
        "Perceptions are scarce: how do students, staff and families experience the change? "
        "A five-question survey or a short focus group before and after would answer it."
    ),
    "student_learning": (
        "Student learning evidence is scarce: is the work changing what students know and "
        "can do? A common formative assessment given twice is enough for an effect size."
    ),
    "school_processes": (
        "School processes evidence is scarce: are adults doing what the theory of action "
        "says? Walkthrough look-fors or an implementation log show it."
    ),
}


def _evidence_use(
    evidence: pd.DataFrame, cards: Sequence[ShareOutCard], min_n: int
) -> tuple[tuple[EvidenceTypeUse, ...], str]:
    counts = (
        evidence["evidence_type"].astype(str).value_counts()
        if len(evidence)
        else pd.Series(dtype=int)
    )
    frame = pd.DataFrame(
        {"Entries": [int(counts.get(k, 0)) for k in EVIDENCE_TYPES]},
        index=list(EVIDENCE_TYPES.values()),
    )
    frame.loc["Total"] = int(frame["Entries"].sum())
    table = _counts_table(frame, "Evidence type", min_n, suppress=False)
    total_value = table.values[-1][0]
    total_text = table.cells[-1][0]
    n_cards = len(cards)
    uses = []
    for i, (key, label) in enumerate(EVIDENCE_TYPES.items()):
        value = table.values[i][0]
        using = sum(label in c.evidence_types_used for c in cards)
        share = (
            f"{value / total_value:.0%}"
            if value is not None and total_value
            else ("" if value is not None else statistic_marker(min_n))
        )
        uses.append((key, label, table.cells[i][0], value, share, using))
    published = [u for u in uses if u[3] is not None]
    most = max(published, key=lambda u: (u[5], u[3] or 0)) if published else None
    result = []
    for key, label, text, value, share, using in uses:
        scarce = n_cards > 0 and (
            using < max(1, math.ceil(n_cards / 2))
            or (value is not None and total_value and value / total_value < 0.1)
            or value is None
        )
        if most is not None and key == most[0] and not scarce:
            verdict = "relied on most"
        elif scarce:
            verdict = "neglected"
        else:
            verdict = ""
        prompt = _NEGLECT_PROMPTS[key] if scarce else ""
        result.append(EvidenceTypeUse(key, label, text, value, share, using, verdict, prompt))
    return tuple(result), total_text


def _evidence_by_theme(
    evidence: pd.DataFrame, cards: Sequence[ShareOutCard], min_n: int
) -> CountTable:
    theme_of = {c.code: c.theme or "(no theme)" for c in cards}
    columns = list(EVIDENCE_TYPES.values())
    themes = list(dict.fromkeys(theme_of.values()))
    frame = pd.DataFrame(0, index=themes, columns=columns, dtype=int)
    if len(evidence):
        grouped = (
            evidence.assign(theme=evidence["collective"].map(theme_of))
            .groupby(["theme", "evidence_type"])
            .size()
        )
        for key, n in grouped.items():
            theme, kind = key if isinstance(key, tuple) else (key, "")
            label = EVIDENCE_TYPES.get(str(kind))
            if label is not None and theme in frame.index:
                frame.at[theme, label] = int(n)
    if frame.empty:
        return CountTable("Theme", (*columns, "Total"), (), (), ())
    frame["Total"] = frame.sum(axis=1)
    frame.loc["Total"] = frame.sum(axis=0)
    return _counts_table(frame.astype(int), "Theme", min_n, suppress=False)


def _intersections(evidence: pd.DataFrame) -> tuple[IntersectionUse, ...]:
    if len(evidence):
        table = answerable_intersections(evidence, by="collective")
        answered = table[table["answerable"]].groupby("intersection")["collective"].nunique()
    else:
        answered = pd.Series(dtype=int)
    return tuple(
        IntersectionUse(ix.label, ix.question, int(answered.get(ix.id, 0))) for ix in INTERSECTIONS
    )


def _roles_table(members: pd.DataFrame, min_n: int) -> CountTable:
    counts = members["role"].astype(str).value_counts()
    rows = {ROLES.get(r, r): int(counts[r]) for r in [*ROLES, *counts.index] if r in counts}
    frame = pd.DataFrame({"Participants": list(rows.values())}, index=list(rows))
    if frame.empty:
        return CountTable("Role", ("Participants",), (), (), ())
    frame.loc["Total"] = int(frame["Participants"].sum())
    return _counts_table(frame, "Role", min_n)


def _headline(
    cards: Sequence[ShareOutCard],
    effects: Sequence[EffectSizeSummary],
    pulse: Sequence[PulseRow],
    types: Sequence[EvidenceTypeUse],
    min_n: int,
) -> tuple[str, ...]:
    lines = []
    n = len(cards)
    if not n:
        return ("No collectives have been formed yet.",)
    complete = sum(c.completeness >= 1 for c in cards)
    started = sum(c.placemat_saved for c in cards)
    lines.append(
        f"{complete} of {n} collectives have a complete placemat; "
        f"{started - complete if started >= complete else 0} more have started theirs"
        + (f" and {n - started} have not saved one yet." if n - started else ".")
    )
    statuses = Counter(i.status for c in cards for i in c.indicators)
    judged = sum(statuses[s] for s in ("on_track", "at_risk", "off_track"))
    if judged:
        lines.append(
            f"Of {judged} indicators with enough data to judge, {statuses['on_track']} are on "
            f"track, {statuses['at_risk']} at risk and {statuses['off_track']} off track; "
            f"{statuses['not_enough_data']} more do not have enough data yet."
        )
    elif statuses:
        lines.append(
            f"None of the {sum(statuses.values())} indicators has enough data to judge yet."
        )
    shown = [e for e in effects if e.d is not None]
    hidden = [e for e in effects if e.suppressed]
    if shown:
        parts = ", ".join(f"{e.collective_name}: d = {e.d:.2f}" for e in shown[:6])
        above = sum(e.d is not None and e.d >= HINGE_POINT for e in shown)
        lines.append(
            f"{len(shown)} pre/post effect size{'s' if len(shown) != 1 else ''} can be "
            f"reported ({parts}); {above} reach{'es' if above == 1 else ''} the "
            f"{HINGE_POINT:.2f} hinge point."
        )
    if hidden:
        lines.append(
            f"{len(hidden)} effect size{'s are' if len(hidden) != 1 else ' is'} built on "
            f"fewer than {min_n} scores in a group and not shown."
        )
    changes = [p for p in pulse if p.change is not None]
    if changes:
        best = max(changes, key=lambda p: p.change or 0)
        assert best.mean_start is not None and best.mean_review is not None
        lines.append(
            f"In the efficacy pulse, {best.label.lower()} changed most across the network: "
            f"{best.mean_start:.1f} at the start, {best.mean_review:.1f} at review "
            f"(n = {best.n_start} and {best.n_review}; a reflective pulse, not a validated "
            "scale)."
        )
    elif pulse:
        lines.append(
            f"Too few pulse answers to report network-wide change (fewer than {min_n} "
            "respondents in a wave)."
        )
    relied = [t for t in types if t.verdict == "relied on most"]
    neglected = [t for t in types if t.verdict == "neglected"]
    if relied:
        r = relied[0]
        lines.append(
            f"The network relies most on {r.label.lower()} evidence ({r.share} of entries, "
            f"used by {r.collectives_using} of {n} collectives)"
            + (
                "; it neglects "
                + " and ".join(
                    f"{t.label.lower()} ({t.collectives_using} of {n} collectives)"
                    for t in neglected
                )
                + "."
                if neglected
                else "."
            )
        )
    return tuple(lines)


def _at_a_glance(
    cards: Sequence[ShareOutCard],
    themes: Sequence[ThemeGroup],
    members: pd.DataFrame,
    reflections: pd.DataFrame,
    evidence_total: str,
    min_n: int,
) -> tuple[tuple[str, str], ...]:
    districts = {str(d) for d in members["district"] if str(d).strip()}
    return (
        ("Collectives", f"{len(cards):,}"),
        ("Themes", f"{len(themes):,}"),
        ("Participants in collectives", _count_text(len(members), min_n)),
        ("Districts represented", f"{len(districts):,}"),
        (
            "Complete placemats",
            f"{sum(c.completeness >= 1 for c in cards)} of {len(cards)}",
        ),
        ("Indicators", f"{sum(len(c.indicators) for c in cards):,}"),
        ("Evidence entries", evidence_total),
        ("Review meetings with reflections", f"{len(reflections):,}"),
    )


def _privacy_note(min_n: int, show_names: bool) -> str:
    return (
        f"Privacy: any count of fewer than {min_n} people is shown as "
        f"{count_marker(min_n)}, and any mean, value or effect size built on fewer than "
        f"{min_n} people (or on an unknown number) as {statistic_marker(min_n)}; where a "
        "table shows a total, further cells are hidden so the total cannot give a hidden one "
        "back. "
        + (
            "Participant names are shown (the report was built with names on)."
            if show_names
            else "No participant names are shown."
        )
        + " Student names and references are never printed."
    )


def _method_notes(min_n: int) -> tuple[tuple[str, str], ...]:
    return (
        (
            "Small numbers",
            f"Counts of fewer than {min_n} people are shown as "
            f"{count_marker(min_n)}, and a mean, indicator value or effect size built on fewer "
            f"than {min_n} people as {statistic_marker(min_n)} (a value whose n was not "
            "recorded counts as too few). Where a table has a Total, the next smallest cell "
            "of a row or column with one hidden cell is hidden too, so the total cannot give "
            "it back. Counts of collectives, indicators and evidence entries are shown as "
            "they are: they describe the network's work, not people (whether an entry's value "
            "may be shown depends on its own n, the people it covers).",
        ),
        ("Indicator status", STATUS_RULE_TEXT),
        ("Effect size", EFFECT_SIZE_METHOD),
        ("Efficacy pulse", PULSE_DISCLAIMER),
        (
            "Lessons learned",
            "The 'what we learned' and 'what we will adjust' answers of each review meeting, "
            "as the collective wrote them for sharing; names of participants are replaced "
            "by [name] unless the report was built with names on.",
        ),
    )
