"""Share-out cards: one collective's placemat, indicators, effect sizes and lessons."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..format import date_text, with_unit
from ..placemat import Placemat, completeness
from ..privacy import is_publishable, statistic_marker
from ..stats import STATUS_LABELS, STATUSES, latest_n
from ..vocab import EVIDENCE_TYPES, INDICATOR_KINDS, TOA_LEVELS
from ._text import _count_text
from .model import (
    EffectSizeSummary,
    IndicatorSummary,
    Lesson,
    ShareOutCard,
    ThemeGroup,
    TheoryLink,
    modality_label,
)
from .related import related_themes

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ..network import Collective
    from .redact import Redactor


def _effect_summary(
    row: Mapping[str, Any], names: Mapping[str, str], redact: Redactor, min_n: int
) -> EffectSizeSummary:
    n_pre, n_post = int(row["n_pre"]), int(row["n_post"])
    code = str(row["collective"])
    common = {
        "collective": code,
        "collective_name": names.get(code, code),
        "assessment": redact(str(row["assessment"])),
        "n_pre": _count_text(n_pre, min_n),
        "n_post": _count_text(n_post, min_n),
    }
    if not is_publishable([n_pre, n_post], min_n):
        return EffectSizeSummary(
            **common,
            d=None,
            ci_low=None,
            ci_high=None,
            suppressed=True,
            text=(f"Built on fewer than {min_n} scores in a group, so it is not shown."),
            d_text=statistic_marker(min_n),
        )
    if str(row.get("problem") or ""):
        return EffectSizeSummary(
            **common,
            d=None,
            ci_low=None,
            ci_high=None,
            suppressed=False,
            text=f"No effect size: {row['problem']}",
            d_text="—",
        )
    return EffectSizeSummary(
        **common,
        d=float(row["d"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        suppressed=False,
        text=str(row["interpretation"]),
        d_text=f"{float(row['d']):.2f}",
    )


def _card(
    c: Collective,
    placemat: tuple[Placemat, int],
    evidence: pd.DataFrame,
    status_rows: Mapping[tuple[str, str], Mapping[str, Any]],
    effects: Sequence[EffectSizeSummary],
    reflections: pd.DataFrame,
    members: pd.DataFrame,
    *,
    redact: Redactor,
    min_n: int,
    show_names: bool,
) -> ShareOutCard:
    mat, version = placemat
    latest = latest_n(evidence, mat.indicators)
    indicators = []
    for ind in mat.indicators:
        row = status_rows.get((c.code, ind.id), {})
        value = row.get("latest_value")
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        n, day = latest.get(ind.id, (None, None))
        n_int = None if n is None else round(n)
        if value is None:
            shown, suppressed = "", False
        elif is_publishable(n_int, min_n):
            shown, suppressed = with_unit(float(value), ind.unit), False
        else:
            shown, suppressed = statistic_marker(min_n), True
        indicators.append(
            IndicatorSummary(
                name=redact(ind.name) or "(unnamed)",
                kind=ind.kind,
                kind_label=INDICATOR_KINDS.get(ind.kind, ind.kind),
                evidence_type=ind.evidence_type,
                evidence_type_label=EVIDENCE_TYPES.get(ind.evidence_type, ind.evidence_type),
                baseline=with_unit(ind.baseline, ind.unit),
                target=with_unit(ind.target, ind.unit),
                target_date=date_text(ind.target_date) if ind.target_date else "",
                latest=shown,
                latest_n=_count_text(n_int, min_n) if value is not None else "",
                latest_date=date_text(day) if value is not None else "",
                suppressed=suppressed,
                status=str(row.get("status", "not_enough_data")),
                status_label=str(row.get("status_label", STATUS_LABELS["not_enough_data"])),
            )
        )
    types = evidence["evidence_type"].astype(str).value_counts() if len(evidence) else pd.Series()
    used = tuple(label for key, label in EVIDENCE_TYPES.items() if types.get(key, 0) > 0)
    missing = tuple(label for key, label in EVIDENCE_TYPES.items() if types.get(key, 0) == 0)
    lessons = []
    for r in reflections.sort_values("meeting_date").to_dict("records"):
        learned, adjust = redact(r.get("learned") or ""), redact(r.get("adjust") or "")
        if learned.strip() or adjust.strip():
            lessons.append(Lesson(date_text(r["meeting_date"]), learned.strip(), adjust.strip()))
    return ShareOutCard(
        **_as_in_collective(c),
        modality_label=modality_label(c.modality),
        facilitator=c.facilitator_name if show_names else "",
        members=tuple(sorted(str(n) for n in members["name"])) if show_names else (),
        problem_of_practice=redact(mat.problem_of_practice).strip(),
        surfacing_data=redact(mat.surfacing_data).strip(),
        priorities=tuple(redact(p).strip() for p in mat.priorities if p.strip()),
        theory_of_action=tuple(
            TheoryLink(
                TOA_LEVELS.get(s.level, s.level),
                redact(s.if_text).strip(),
                redact(s.then_text).strip(),
            )
            for s in mat.theory_of_action
        ),
        indicators=tuple(indicators),
        effect_sizes=tuple(effects),
        evidence_entries=f"{len(evidence):,}",
        evidence_types_used=used,
        evidence_types_missing=missing,
        lessons=tuple(lessons),
        completeness=round(completeness(mat), 2),
        placemat_saved=version > 0,
    )


def _as_in_collective(c: Collective) -> dict[str, Any]:
    """The fields a card shows as its collective has them (code, name, theme, region, ...)."""
    shown = {f.name for f in fields(ShareOutCard)}
    return {f.name: getattr(c, f.name) for f in fields(c) if f.name in shown}


def _theme_groups(cards: Sequence[ShareOutCard]) -> tuple[ThemeGroup, ...]:
    grouped: dict[str, list[ShareOutCard]] = {}
    for card in cards:
        grouped.setdefault(card.theme or "(no theme)", []).append(card)
    texts = {
        theme: " ".join(
            [theme, theme]
            + [
                " ".join(
                    [
                        k.problem_of_practice,
                        *(i.name for i in k.indicators),
                        *(f"{s.if_text} {s.then_text}" for s in k.theory_of_action),
                    ]
                )
                for k in members
            ]
        )
        for theme, members in grouped.items()
    }
    related = related_themes(texts)
    groups = []
    for theme, members in grouped.items():
        counts = Counter(i.status for k in members for i in k.indicators)
        groups.append(
            ThemeGroup(
                theme,
                tuple(k.code for k in members),
                related.get(theme, ()),
                {s: counts.get(s, 0) for s in STATUSES},
            )
        )
    return tuple(groups)
