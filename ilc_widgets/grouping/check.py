"""An independent check of the hard constraints of any assignment."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from ..vocab import normalize_choice, slug
from ._roster import _text
from .rules import (
    RULE_IN_PERSON_REGION,
    RULE_MAX_SIZE,
    RULE_MIN_SIZE,
    RULE_PLACEMENT,
    RULE_THEME,
    Violation,
    allowed_themes,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd


def check_plan(
    participants: pd.DataFrame,
    assignments: pd.DataFrame,
    max_size: int = 10,
    min_size: int = 4,
    *,
    use_second_theme: bool = True,
    region_for_in_person: bool = True,
    locked: Mapping[str, Sequence[str]] | None = None,
) -> list[Violation]:
    """Every hard constraint that ``assignments`` (participant_id, collective, theme) breaks."""
    out: list[Violation] = []
    ids = [_text(v) for v in participants["participant_id"].tolist()]
    a_ids = [_text(v) for v in assignments["participant_id"].tolist()]
    a_col = [_text(v) for v in assignments["collective"].tolist()]
    count = Counter(a_ids)
    missing = [p for p in ids if count[p] == 0]
    twice = sorted(p for p, c in count.items() if c > 1)
    unknown = sorted(set(a_ids) - set(ids))
    unplaced = [p for p, c in zip(a_ids, a_col, strict=True) if not c]
    for what, pids in (
        ("not placed", missing + unplaced),
        ("placed more than once", twice),
        ("not in the roster", unknown),
    ):
        if pids:
            out.append(
                Violation(
                    RULE_PLACEMENT,
                    None,
                    tuple(pids),
                    f"{len(pids)} participant(s) {what}: {', '.join(pids[:12])}",
                )
            )
    col_of = dict(zip(a_ids, a_col, strict=True))
    members: dict[str, list[str]] = defaultdict(list)
    for p, c in zip(a_ids, a_col, strict=True):
        if c:
            members[c].append(p)
    for c, pids in sorted(members.items()):
        if not min_size <= len(pids) <= max_size:
            out.append(
                Violation(
                    RULE_MIN_SIZE if len(pids) < min_size else RULE_MAX_SIZE,
                    c,
                    tuple(pids),
                    f"Collective {c} has {len(pids)} members (allowed: {min_size} to {max_size})",
                )
            )
    info = {
        p: (_text(r), _text(m), slug(_text(t)), slug(_text(s)))
        for p, r, m, t, s in zip(
            ids,
            participants["region"].tolist(),
            participants["modality"].tolist(),
            participants["theme"].tolist(),
            participants["second_theme"].tolist()
            if "second_theme" in participants
            else [""] * len(ids),
            strict=True,
        )
    }
    if region_for_in_person:
        for c, pids in sorted(members.items()):
            regions: dict[str, list[str]] = defaultdict(list)
            for p in pids:
                if (
                    p in info
                    and normalize_choice("modality", info[p][1] or "either") == "in_person"
                ):
                    regions[info[p][0]].append(p)
            if len(regions) > 1:
                listing = "; ".join(
                    f"{r or '(no region)'}: {', '.join(v)}" for r, v in sorted(regions.items())
                )
                out.append(
                    Violation(
                        RULE_IN_PERSON_REGION,
                        c,
                        tuple(p for v in regions.values() for p in v),
                        f"Collective {c} has in-person members from several regions ({listing})",
                    )
                )
    locked_ids = {_text(p) for ms in (locked or {}).values() for p in ms}
    theme_col = assignments["theme"].tolist() if "theme" in assignments else None
    if theme_col is not None:
        col_theme: dict[str, set[str]] = defaultdict(set)
        for c, t in zip(a_col, theme_col, strict=True):
            col_theme[c].add(slug(_text(t)))
        bad = []
        for p in ids:
            c = col_of.get(p, "")
            if not c or p in locked_ids or not info[p][2]:
                continue
            allowed = allowed_themes(info[p][2], info[p][3], use_second_theme=use_second_theme)
            if not col_theme[c] & allowed:
                bad.append(p)
        if bad:
            out.append(
                Violation(
                    RULE_THEME,
                    None,
                    tuple(bad),
                    f"{len(bad)} participant(s) in a collective of neither their theme nor their "
                    f"second theme: {', '.join(bad[:12])}",
                )
            )
        mixed = sorted(c for c, ts in col_theme.items() if len(ts) > 1)
        if mixed:
            out.append(
                Violation(
                    RULE_THEME, None, (), f"Collective(s) with several themes: {', '.join(mixed)}"
                )
            )
    return out
