"""The roster as the optimizer reads it: validated, coded and with readable names."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..vocab import normalize_choice, slug
from .rules import REQUIRED_COLUMNS, IntArray, meeting_region

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def _text(value: object) -> str:
    """A cell as stripped text; None, NaN and pandas NA become ''."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


@dataclass
class _Roster:
    ids: list[str]
    names: list[str]
    role: IntArray
    district: IntArray
    region: IntArray
    region_names: list[str]
    modality: list[str]
    theme: list[str]
    second: list[str]
    theme_names: dict[str, str]

    def who(self, rows: Sequence[int], limit: int = 12) -> str:
        """Participants named for a message: 'Ana Ruiz (P01), P02, ...'."""
        parts = [
            f"{self.names[i]} ({self.ids[i]})" if self.names[i] else self.ids[i]
            for i in rows[:limit]
        ]
        more = len(rows) - limit
        if more > 0:
            parts.append(f"and {more} more")
        return ", ".join(parts)


def _codes(values: list[str]) -> tuple[IntArray, list[str]]:
    names = sorted(set(values))
    index = {v: i for i, v in enumerate(names)}
    return np.array([index[v] for v in values], dtype=np.int64), names


def _validate(
    participants: pd.DataFrame,
    max_size: int,
    min_size: int,
    locked: Mapping[str, Sequence[str]] | None,
) -> None:
    if not isinstance(participants, pd.DataFrame):
        raise ValueError("participants must be a pandas DataFrame")
    missing = [c for c in REQUIRED_COLUMNS if c not in participants.columns]
    if missing:
        raise ValueError(
            f"participants is missing the column(s) {', '.join(missing)}; "
            f"forming collectives needs {', '.join(REQUIRED_COLUMNS)}"
        )
    if max_size < 2:
        raise ValueError(f"max_size must be at least 2 (got {max_size})")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1 (got {min_size})")
    if max_size < min_size:
        raise ValueError(f"max_size ({max_size}) is smaller than min_size ({min_size})")
    ids = [_text(v) for v in participants["participant_id"].tolist()]
    blank = [str(i + 1) for i, v in enumerate(ids) if not v]
    if blank:
        raise ValueError(f"participant_id is blank in row(s) {', '.join(blank[:10])}")
    rows: dict[str, list[int]] = defaultdict(list)
    for i, v in enumerate(ids):
        rows[v].append(i + 1)
    dups = [f"{v} (rows {', '.join(map(str, r))})" for v, r in rows.items() if len(r) > 1]
    if dups:
        raise ValueError(f"duplicate participant_id: {'; '.join(dups[:10])}")
    bad = [
        f"{pid} ('{_text(m)}')"
        for pid, m in zip(ids, participants["modality"].tolist(), strict=True)
        if _text(m) and normalize_choice("modality", _text(m)) is None
    ]
    if bad:
        raise ValueError(
            f"unknown modality for participant(s) {', '.join(bad[:10])}; "
            "use in_person, virtual or either"
        )
    if locked:
        known = set(ids)
        seen: dict[str, str] = {}
        for cid, members in locked.items():
            if not _text(cid):
                raise ValueError("a locked collective has a blank id")
            if isinstance(members, str):
                raise ValueError(f"locked['{cid}'] must be a list of participant ids")
            for pid in (_text(m) for m in members):
                if pid not in known:
                    raise ValueError(f"locked collective '{cid}' names unknown participant {pid}")
                if pid in seen and seen[pid] != cid:
                    raise ValueError(
                        f"participant {pid} is locked in two collectives: '{seen[pid]}' and '{cid}'"
                    )
                seen[pid] = cid


def _roster(participants: pd.DataFrame) -> _Roster:
    cols = participants.columns
    n = len(participants)

    def column(name: str) -> list[str]:
        if name not in cols:
            return [""] * n
        return [_text(v) for v in participants[name].tolist()]

    ids = column("participant_id")
    roles = []
    for v in column("role"):
        norm = normalize_choice("role", v) if v else "other"
        roles.append(norm or slug(v) or "other")
    modality = [
        normalize_choice("modality", v) or "either" if v else "either" for v in column("modality")
    ]
    role_codes, _ = _codes(roles)
    district_codes, _ = _codes(column("district"))
    region_codes, region_names = _codes(column("region"))
    theme_names: dict[str, str] = {}
    themes: list[str] = []
    seconds: list[str] = []
    for t, s in zip(column("theme"), column("second_theme"), strict=True):
        tk = slug(t) if t else ""
        if t and not tk:
            tk = "theme"
        sk = slug(s) if s else ""
        for key, label in ((tk, t), (sk, s)):
            if key and key not in theme_names:
                theme_names[key] = label
        themes.append(tk)
        seconds.append(sk if sk != tk else "")
    return _Roster(
        ids=ids,
        names=column("name"),
        role=role_codes,
        district=district_codes,
        region=region_codes,
        region_names=region_names,
        modality=modality,
        theme=themes,
        second=seconds,
        theme_names=theme_names,
    )


def _meeting_region(
    members: list[int], ro: _Roster, away: set[int] | frozenset[int] = frozenset()
) -> str:
    """Where a collective meets: its in-person members' region, else its 'either' members'.

    Members in ``away`` (in-person members asked to join virtually) do not count.
    """
    return meeting_region(
        (ro.region_names[int(ro.region[i])], ro.modality[i]) for i in members if i not in away
    )
