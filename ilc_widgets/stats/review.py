"""What the review-progress dashboard (workbook 05) shows, as plain data: one collective's
review, and the network's progress one row per collective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import format as fmt
from ..vocab import EVIDENCE_TYPES
from ._common import _live, _to_days
from .coverage import INTERSECTIONS, answerable_intersections, coverage, missing_type_prompts
from .series import trend_frame
from .status import STATUSES, summarize_indicators

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date

    import numpy as np
    import pandas as pd

    from ..placemat import Indicator
else:
    from .._lazy import np, pd

__all__ = ["ProgressReview", "network_progress", "progress_review"]


@dataclass(frozen=True)
class ProgressReview:
    """Everything the progress dashboard shows for one collective.

    ``statuses`` is :func:`summarize_indicators` (one row per indicator, placemat order),
    ``trends`` maps each indicator id to its :func:`trend_frame`, ``coverage`` is
    :func:`coverage` over the four types, ``intersections`` is
    :func:`answerable_intersections`, ``missing`` the prompts of
    :func:`missing_type_prompts`, ``entries`` the number of live evidence entries and
    ``latest`` the date of the newest one.
    """

    statuses: pd.DataFrame
    trends: dict[str, pd.DataFrame]
    coverage: pd.DataFrame
    intersections: pd.DataFrame
    missing: list[str]
    entries: int
    latest: date | None
    start: date | None

    @property
    def status_counts(self) -> dict[str, int]:
        """How many indicators have each status (every status present, 0 when none)."""
        counts = self.statuses["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    @property
    def answerable(self) -> int:
        """How many of Bernhardt's intersections the evidence can answer."""
        return int(self.intersections["answerable"].sum())


def progress_review(
    evidence: pd.DataFrame,
    indicators: Sequence[Indicator],
    *,
    start: date | None = None,
    today: date | None = None,
) -> ProgressReview:
    """Statuses, trends, coverage and intersections of one collective's evidence.

    ``evidence`` is that collective's evidence (deleted entries are left out);
    ``indicators`` its placemat's indicators; ``start`` where the expected-progress line
    begins (the cycle start) and ``today`` as in :func:`summarize_indicators`.
    """
    live = _live(evidence, ("date", "value", "indicator", "evidence_type"))
    statuses = summarize_indicators(live, list(indicators), today=today, start=start)
    trends = {ind.id: trend_frame(live, ind) for ind in indicators}
    cov = coverage(live)
    days = _to_days(live["date"]) if len(live) else np.array([], dtype="datetime64[D]")
    days = days[~np.isnat(days)]
    latest = fmt.as_date(days.max()) if days.size else None
    return ProgressReview(
        statuses=statuses,
        trends=trends,
        coverage=cov,
        intersections=answerable_intersections(live),
        missing=missing_type_prompts(cov),
        entries=len(live),
        latest=latest,
        start=start,
    )


def network_progress(
    evidence: pd.DataFrame,
    indicators: Mapping[Any, Sequence[Indicator]],
    *,
    start: date | Mapping[Any, date] | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """One row per collective (the keys of ``indicators``, in order): indicator statuses,
    evidence of each type and how many intersections it can answer.

    ``evidence`` has a ``collective`` column; rows of collectives not in ``indicators`` are
    ignored. Columns: ``collective, indicators`` and one count per status of
    :data:`STATUSES`, ``entries``, one count per evidence type, ``types_covered``,
    ``answerable`` and ``intersections`` (the number of intersections, for "7 of 11").
    """
    codes = [str(c) for c in indicators]
    live = _live(evidence, ("date", "value", "indicator", "evidence_type", "collective"))
    live = live[live["collective"].astype(str).isin(codes)]
    statuses = summarize_indicators(
        live, {str(c): list(v) for c, v in indicators.items()}, today=today, start=start
    )
    frame = pd.DataFrame({"collective": codes})
    frame["indicators"] = [len(indicators[c]) for c in indicators]
    if len(statuses):
        counts = pd.crosstab(statuses["collective"].astype(str), statuses["status"])
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(index=codes, columns=list(STATUSES), fill_value=0)
    for status in STATUSES:
        frame[status] = counts[status].to_numpy(dtype=np.int64)
    type_ids = list(EVIDENCE_TYPES)
    cov = coverage(live, by=("collective", "evidence_type"))
    if len(cov):
        wide = cov.pivot_table(
            index="collective", columns="evidence_type", values="entries", aggfunc="sum"
        )
        wide.index = wide.index.astype(str)
    else:
        wide = pd.DataFrame()
    wide = wide.reindex(index=codes, columns=type_ids).fillna(0).astype(np.int64)
    for t in type_ids:
        frame[t] = wide[t].to_numpy()
    frame["entries"] = frame[type_ids].sum(axis=1)
    frame["types_covered"] = (frame[type_ids] > 0).sum(axis=1)
    ixs = answerable_intersections(live, by="collective")
    if len(ixs):
        answerable = ixs.groupby(ixs["collective"].astype(str))["answerable"].sum()
    else:
        answerable = pd.Series(dtype=np.int64)
    frame["answerable"] = answerable.reindex(codes, fill_value=0).to_numpy(dtype=np.int64)
    frame["intersections"] = len(INTERSECTIONS)
    columns = [
        "collective",
        "indicators",
        *STATUSES,
        "entries",
        *type_ids,
        "types_covered",
        "answerable",
        "intersections",
    ]
    return frame[columns]
