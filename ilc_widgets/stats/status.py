"""Indicator status: on track, at risk or off track against the baseline-to-target line."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from .. import format as fmt
from ..format import STATUS_LABELS
from ..vocab import CADENCES
from ._common import _opt_float, _to_days, _to_float
from ._match import naming
from .series import _count, _daily, _indicator_daily, _per_key

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..placemat import Indicator
else:
    from .._lazy import np, pd

__all__ = [
    "AT_RISK_SHARE",
    "ON_TRACK_SHARE",
    "STATUSES",
    "STATUS_LABELS",
    "STATUS_RULE_TEXT",
    "IndicatorStatus",
    "indicator_status",
    "summarize_indicators",
]

STATUSES: Final = ("on_track", "at_risk", "off_track", "not_enough_data")

ON_TRACK_SHARE: Final = 0.9
"""Share of the expected progress at or above which an indicator is on track."""

AT_RISK_SHARE: Final = 0.5
"""Share of the expected progress at or above which an indicator is at risk (not off track)."""

STATUS_RULE_TEXT: Final = (
    "How the status is worked out. Each indicator is judged against a straight line from its "
    "baseline to its target: the line starts at the baseline on the date of the first "
    "evidence (or on the inquiry's start date, when one is set) and reaches the target on "
    "the target date. We take the latest value (the mean of that day's entries, weighted by "
    "n when every entry of that day has one) and ask how far it has moved from the baseline "
    "toward the target, compared with how far the line says it should have moved by that date. "
    f"On track: at least {ON_TRACK_SHARE:.0%} of the expected progress, or the target "
    f"already reached. At risk: at least {AT_RISK_SHARE:.0%} of the expected progress. "
    "Off track: less than that, or moving away from the target. Not enough data: fewer "
    "than two dated values, or no baseline, target or target date yet. Where lower is "
    "better (as for chronic absenteeism), progress means going down. When the target equals "
    "the baseline, the goal is to hold it: on track while the value stays at or above it."
)


_CADENCE_DAYS: Final[dict[str, int]] = {
    "weekly": 7,
    "biweekly": 14,
    "monthly": 31,
    "quarterly": 92,
    "termly": 122,
    "annually": 366,
}
_EPS: Final = 1e-9


@dataclass(frozen=True)
class IndicatorStatus:
    """Where one indicator stands against its baseline-to-target line, and why."""

    indicator: str
    status: str
    reason: str
    n_observations: int = 0
    first_date: date | None = None
    latest_date: date | None = None
    latest_value: float | None = None
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    expected_value: float | None = None
    progress: float | None = None
    expected_progress: float | None = None

    @property
    def label(self) -> str:
        """The status as people read it ("On track")."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class _Judgement:
    status: str
    reason: str
    expected_value: float | None = None
    progress: float | None = None
    expected_progress: float | None = None


def _judge(
    *,
    baseline: float | None,
    target: float | None,
    target_date: date | None,
    start: date | None,
    first_date: date | None,
    latest_date: date | None,
    latest_value: float | None,
    n_points: int,
    unit: str,
    cadence: str,
    today: date | None,
) -> _Judgement:
    """The status rule of :data:`STATUS_RULE_TEXT`, for one indicator's numbers."""
    missing = [
        word for word, value in (("baseline", baseline), ("target", target)) if value is None
    ]
    if baseline is None or target is None:
        return _Judgement(
            "not_enough_data",
            f"Not enough data: no {' or '.join(missing)} yet. Add "
            f"{'them' if len(missing) > 1 else 'it'} on the placemat so progress can be judged.",
        )
    if n_points == 0 or latest_value is None or latest_date is None or first_date is None:
        return _Judgement(
            "not_enough_data", "Not enough data: no evidence with a value has been logged yet."
        )
    latest = f"{fmt.with_unit(latest_value, unit)} on {fmt.date_text(latest_date)}"
    if n_points == 1:
        return _Judgement(
            "not_enough_data",
            f"Not enough data: one dated value so far ({latest}); at least two are needed to "
            "see a trend.",
        )
    higher = target >= baseline
    reached = latest_value >= target - _EPS if higher else latest_value <= target + _EPS
    notes = _notes(latest_date, target_date, today, cadence, reached)
    if reached:
        if target == baseline:
            text = f"holding the target of {fmt.with_unit(target, unit)}: {latest}."
        else:
            text = (
                f"the target is reached: {latest}, against a target of "
                f"{fmt.with_unit(target, unit)} "
                f"(baseline {fmt.with_unit(baseline, unit)})."
            )
        return _Judgement(
            "on_track",
            f"On track: {text}{notes}",
            expected_value=target,
            progress=1.0 if target == baseline else (latest_value - baseline) / (target - baseline),
            expected_progress=None,
        )
    if target == baseline:
        return _Judgement(
            "at_risk",
            f"At risk: the goal is to hold {fmt.with_unit(target, unit)} (baseline and target are "
            f"equal), and the latest value is {latest}.{notes}",
        )
    if target_date is None:
        return _Judgement(
            "not_enough_data",
            f"Not enough data: no target date yet, so the expected progress by now cannot be "
            f"worked out (latest value {latest}). Add a target date on the placemat.",
        )
    origin = start if start is not None else first_date
    total_days = (target_date - origin).days
    elapsed = (latest_date - origin).days
    expected = 1.0 if total_days <= 0 else min(max(elapsed / total_days, 0.0), 1.0)
    progress = (latest_value - baseline) / (target - baseline)
    expected_value = baseline + expected * (target - baseline)
    base = f"baseline of {fmt.with_unit(baseline, unit)}"
    goal = f"target of {fmt.with_unit(target, unit)}"
    against = (
        f"against about {expected:.0%} expected by that date (a value of "
        f"{fmt.with_unit(expected_value, unit)})"
    )
    if progress >= ON_TRACK_SHARE * expected - _EPS:
        status = "on_track"
    elif progress >= AT_RISK_SHARE * expected - _EPS:
        status = "at_risk"
    else:
        status = "off_track"
    if progress < 0:
        detail = f"{latest} has moved away from the {goal} ({base}), {against}."
    else:
        detail = f"{latest} is {progress:.0%} of the way from the {base} to the {goal}, {against}."
    if status != "on_track":
        detail += f" On track needs at least {ON_TRACK_SHARE * expected:.0%} of the way."
    return _Judgement(
        status,
        f"{STATUS_LABELS[status]}: {detail}{notes}",
        expected_value=expected_value,
        progress=progress,
        expected_progress=expected,
    )


def _notes(
    latest_date: date, target_date: date | None, today: date | None, cadence: str, reached: bool
) -> str:
    notes = ""
    if not reached and target_date is not None:
        if latest_date > target_date:
            notes += f" The target date ({fmt.date_text(target_date)}) has passed."
        elif today is not None and today > target_date:
            notes += (
                f" The target date ({fmt.date_text(target_date)}) has passed; is there newer "
                "evidence?"
            )
    period = _CADENCE_DAYS.get(cadence)
    if today is not None and period is not None:
        age = (today - latest_date).days
        if age > 2 * period:
            notes += (
                f" The latest value is {age} days old; with a "
                f"{CADENCES[cadence].lower()} cadence, a newer one is due."
            )
    return notes


def indicator_status(
    indicator: Indicator,
    observations: pd.DataFrame | Sequence[tuple[Any, Any]],
    today: date | None = None,
    *,
    start: date | None = None,
    window: int = 1,
) -> IndicatorStatus:
    """Judge one indicator by the rule in :data:`STATUS_RULE_TEXT`.

    ``observations`` is a DataFrame with ``date`` and ``value`` columns (and optionally
    ``n``, to weight entries of the same day; if it has an ``indicator`` column, only the
    rows of this indicator, by name or id, are used) or a sequence of ``(date, value)``
    pairs. ``start`` is where the expected-progress line begins (default: the first
    observation). ``window`` > 1 uses the mean of the last ``window`` dated values instead of
    the latest one. ``today`` (default: today's date) only adds notes about stale evidence
    and a passed target date; it never changes the status.
    """
    frame = _observations_frame(observations)
    if "indicator" in frame.columns:
        frame = frame[naming(frame["indicator"], indicator)]
    keys = np.zeros(len(frame), dtype=np.int64)
    daily = _daily(
        keys,
        _to_days(frame["date"]),
        _to_float(frame["value"]),
        _to_float(frame["n"]) if "n" in frame.columns else np.full(len(frame), np.nan),
    )
    per_key = _per_key(daily, window)
    return _status_for(indicator, per_key, 0, start, today if today is not None else date.today())


def _status_for(
    indicator: Indicator,
    per_key: pd.DataFrame,
    key: int,
    start: date | None,
    today: date | None,
) -> IndicatorStatus:
    if key in per_key.index:
        n_points = _count(per_key, key, "n_observations")
        first: date | None = fmt.as_date(per_key.at[key, "first_date"])
        last: date | None = fmt.as_date(per_key.at[key, "last_date"])
        latest: float | None = _opt_float(per_key.at[key, "latest_value"])
    else:
        n_points, first, last, latest = 0, None, None, None
    target_date = fmt.as_date(indicator.target_date)
    j = _judge(
        baseline=_opt_float(indicator.baseline),
        target=_opt_float(indicator.target),
        target_date=target_date,
        start=start,
        first_date=first,
        latest_date=last,
        latest_value=latest,
        n_points=n_points,
        unit=indicator.unit or "",
        cadence=indicator.cadence or "",
        today=today,
    )
    return IndicatorStatus(
        indicator=indicator.name,
        status=j.status,
        reason=j.reason,
        n_observations=n_points,
        first_date=first,
        latest_date=last,
        latest_value=latest,
        baseline=_opt_float(indicator.baseline),
        target=_opt_float(indicator.target),
        target_date=target_date,
        expected_value=j.expected_value,
        progress=j.progress,
        expected_progress=j.expected_progress,
    )


def summarize_indicators(
    evidence: pd.DataFrame,
    indicators: Sequence[Indicator] | Mapping[Any, Sequence[Indicator]],
    *,
    today: date | None = None,
    start: date | Mapping[Any, date] | None = None,
    window: int = 1,
) -> pd.DataFrame:
    """One row per indicator with its latest value, baseline, target, status and reason.

    ``indicators`` is one collective's list of indicators (then pass that collective's
    evidence only: rows are matched on the indicator alone), or a mapping from collective to
    its indicators (then evidence is matched on ``collective`` and ``indicator`` together,
    so two collectives can both have "Chronic absenteeism"). Evidence is matched to an
    indicator by its name or id, ignoring case and extra spaces; deleted entries (a set
    ``deleted_at``) and entries without a value or date are left out; an indicator with
    whole-group entries (subgroup blank, "all", ...) is judged on those alone, its subgroup
    breakdowns being details of them. ``start`` may be one
    date or one per collective. The work is done with grouped numpy/pandas operations, so
    100,000 evidence rows take a few tens of milliseconds.

    Columns: ``collective`` (mapping form only), ``indicator_id, indicator, kind,
    evidence_type, unit, n_observations, entries, first_date, last_date, latest_value,
    baseline, target, target_date, expected_value, progress, expected_progress, status,
    status_label, reason``.
    """
    per_collective = isinstance(indicators, Mapping)
    pairs: list[tuple[Hashable | None, Indicator]] = (
        [(c, ind) for c, inds in indicators.items() for ind in inds]
        if isinstance(indicators, Mapping)
        else [(None, ind) for ind in indicators]
    )
    daily = _indicator_daily(evidence, pairs, per_collective)
    per_key = _per_key(daily, window)
    today = today if today is not None else date.today()
    rows: list[dict[str, Any]] = []
    for key, (coll, ind) in enumerate(pairs):
        if isinstance(start, Mapping):
            first_day = start.get(coll) if coll is not None else None
        else:
            first_day = start
        st = _status_for(ind, per_key, key, first_day, today)
        row: dict[str, Any] = {"collective": coll} if per_collective else {}
        row.update(vars(st))  # indicator, status, reason, values: already the column names
        row.update(
            indicator_id=ind.id,
            kind=ind.kind,
            evidence_type=ind.evidence_type,
            unit=ind.unit,
            entries=_count(per_key, key, "entries"),
            last_date=st.latest_date,
            status_label=st.label,
        )
        rows.append(row)
    columns = [
        *(["collective"] if per_collective else []),
        "indicator_id",
        "indicator",
        "kind",
        "evidence_type",
        "unit",
        "n_observations",
        "entries",
        "first_date",
        "last_date",
        "latest_value",
        "baseline",
        "target",
        "target_date",
        "expected_value",
        "progress",
        "expected_progress",
        "status",
        "status_label",
        "reason",
    ]
    return pd.DataFrame(rows, columns=columns)


def _observations_frame(observations: pd.DataFrame | Sequence[tuple[Any, Any]]) -> pd.DataFrame:
    if isinstance(observations, pd.DataFrame):
        missing = [c for c in ("date", "value") if c not in observations.columns]
        if missing:
            raise ValueError(
                f"The observations need 'date' and 'value' columns; missing: {', '.join(missing)}."
            )
        return observations
    rows = list(observations)
    for position, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise ValueError(f"Observation number {position} is {row!r}, not a (date, value) pair.")
    return pd.DataFrame(rows, columns=["date", "value"])
