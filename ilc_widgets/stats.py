"""Statistics for reviewing progress: effect sizes, indicator status and evidence coverage.

Everything here is plain Python, numpy and pandas (scipy is imported lazily for the
t distribution), with no widget or database code, so the review-progress workbook, the
network report and researchers in JupyterLab all compute the same numbers.

* :func:`effect_size` and :func:`effect_size_from_summary`: pre/post effect size as schools
  compute it, with a 95% confidence interval and a plain-language interpretation.
* :func:`indicator_status` and :func:`summarize_indicators`: on track / at risk / off track
  by the rule in :data:`STATUS_RULE_TEXT`; :func:`trend_frame` gives the dated trend and
  :func:`latest_n` how many people the latest value covers. How values and statuses read
  (numbers, units, dates, marks) is :mod:`ilc_widgets.format`.
* :func:`coverage`, :func:`coverage_matrix`, :func:`missing_type_prompts`: how much evidence
  of each of Bernhardt's four types a collective has, and what is missing.
* :data:`INTERSECTIONS` and :func:`answerable_intersections`: the questions that crossing
  the evidence types answers, and which of them a collective's evidence can answer.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Final

import numpy as np
import pandas as pd

from . import format as fmt
from .format import STATUS_LABELS
from .placemat import Indicator
from .vocab import CADENCES, EVIDENCE_TYPES, normalize_choice

__all__ = [
    "AT_RISK_SHARE",
    "CI_LEVEL",
    "DEFAULT_MIN_N",
    "EFFECT_SIZE_METHOD",
    "HINGE_POINT",
    "INTERSECTIONS",
    "MISSING_TYPE_PROMPTS",
    "NO_INDICATOR",
    "ON_TRACK_SHARE",
    "STATUSES",
    "STATUS_LABELS",
    "STATUS_RULE_TEXT",
    "EffectSize",
    "IndicatorStatus",
    "Intersection",
    "answerable_intersections",
    "coverage",
    "coverage_matrix",
    "effect_size",
    "effect_size_from_summary",
    "indicator_status",
    "latest_n",
    "missing_type_prompts",
    "summarize_indicators",
    "trend_frame",
]

HINGE_POINT: Final = 0.40
"""The customary hinge point for an effect size worth having."""

DEFAULT_MIN_N: Final = 10
"""Below this many scores in a group, an effect size is flagged as too small to mean much."""

CI_LEVEL: Final = 0.95
"""Confidence level of the interval reported with every effect size."""

EFFECT_SIZE_METHOD: Final = (
    "Effect size d = (mean of post scores - mean of pre scores) / ((SD pre + SD post) / 2), "
    "with sample standard deviations (n - 1 in the denominator). The 95% confidence interval "
    "is d ± t × SE, where SE = sqrt((n_pre + n_post) / (n_pre × n_post) + d² / (2 × (n_pre + "
    "n_post))) is the Hedges & Olkin large-sample standard error of a standardized mean "
    "difference and t is the 97.5th percentile of Student's t with n_pre + n_post - 2 degrees "
    "of freedom. Pre and post are treated as two independent groups, so when the same "
    "students are measured twice the interval is conservative (wider than a paired analysis "
    "would give). Missing scores are left out and counted."
)


# ============================================================================ effect size


@dataclass(frozen=True)
class EffectSize:
    """A pre/post effect size with its confidence interval, the numbers behind it and caveats."""

    d: float
    ci_low: float
    ci_high: float
    n_pre: int
    n_post: int
    mean_pre: float
    mean_post: float
    sd_pre: float
    sd_post: float
    dropped_pre: int = 0
    dropped_post: int = 0
    hinge: float = HINGE_POINT
    small_n: bool = False
    warnings: list[str] = field(default_factory=list)
    se: float = math.nan
    critical_value: float = math.nan
    min_n: int = DEFAULT_MIN_N
    ci_level: float = CI_LEVEL

    @property
    def sd_mean(self) -> float:
        """The denominator of d: the mean of the two standard deviations."""
        return (self.sd_pre + self.sd_post) / 2

    @property
    def df(self) -> int:
        """Degrees of freedom of the t critical value (n_pre + n_post - 2)."""
        return self.n_pre + self.n_post - 2

    def to_dict(self) -> dict[str, Any]:
        """A flat dict for tables and exports (warnings joined into one string)."""
        data = asdict(self)
        data["warnings"] = " ".join(self.warnings)
        data["interpretation"] = self.interpretation()
        return data

    def interpretation(self) -> str:
        """One or two plain sentences: where d sits against the hinge point, how sure we are."""
        d, lo, hi, hinge = self.d, self.ci_low, self.ci_high, self.hinge
        pct = round(self.ci_level * 100)
        interval = f"{pct}% confidence interval {lo:.2f} to {hi:.2f}"
        if self.small_n:
            return (
                f"With only {self.n_pre} pre and {self.n_post} post scores, d = {d:.2f} is too "
                f"uncertain to mean much ({interval}). Collect results for at least "
                f"{self.min_n} people in each group before drawing conclusions."
            )
        if d >= hinge:
            where = (
                f"d = {d:.2f} is at or above the {hinge:.2f} hinge point: a larger change "
                "than the typical effect on learning."
            )
        elif d > 0:
            where = (
                f"d = {d:.2f} is positive but below the {hinge:.2f} hinge point: scores went "
                "up, by less than the typical effect on learning."
            )
        elif d == 0:
            where = "d = 0.00: on average, post scores are the same as pre scores."
        else:
            where = f"d = {d:.2f} is negative: on average, post scores are lower than pre scores."
        if lo > hinge:
            sure = f"The whole {interval} is above the hinge point too."
        elif lo > 0 and hi >= hinge:
            sure = (
                f"The {interval} is above zero but includes the hinge point, so the change "
                "is real but may be no larger than typical."
            )
        elif lo > 0:
            sure = (
                f"The {interval} is above zero and below the hinge point: a real but modest change."
            )
        elif hi >= 0:
            sure = (
                f"The {interval} includes zero, so these results are also consistent with "
                "no change at all."
            )
        else:
            sure = f"The whole {interval} is below zero: results went down."
        return f"{where} {sure}"


def effect_size(
    pre: Iterable[Any], post: Iterable[Any], *, min_n: int = DEFAULT_MIN_N
) -> EffectSize:
    """Pre/post effect size from two lists of scores (see :data:`EFFECT_SIZE_METHOD`).

    Missing scores (``None``, NaN, blank text) are left out and counted in
    ``dropped_pre``/``dropped_post``; numbers written as text ("12.5", with a decimal
    point) are accepted.
    Raises ``ValueError`` with a message fit for people when a value is not a number (naming
    its position, counting from 1), when a group has fewer than 2 scores, or when every
    score in both groups is the same (both SDs are 0, so d is undefined).

    >>> es = effect_size([8, 8, 10, 12, 12], [9, 9, 13, 17, 17])
    >>> round(es.d, 2), es.n_pre, es.small_n
    (1.0, 5, True)
    """
    pre_values, dropped_pre = _clean_scores(pre, "pre")
    post_values, dropped_post = _clean_scores(post, "post")
    for group, values, dropped in (
        ("pre", pre_values, dropped_pre),
        ("post", post_values, dropped_post),
    ):
        if values.size < 2:
            left = f" after leaving out {dropped} missing" if dropped else ""
            raise ValueError(
                f"The {group} group has {values.size} score{'s' if values.size != 1 else ''}"
                f"{left}; at least 2 are needed to compute a standard deviation."
            )
    sd_pre = float(np.std(pre_values, ddof=1))
    sd_post = float(np.std(post_values, ddof=1))
    if sd_pre == 0 and sd_post == 0:
        raise ValueError(
            f"Every pre score is {fmt.number(float(pre_values[0]))} and every post score is "
            f"{fmt.number(float(post_values[0]))}: both standard deviations are 0, so the effect "
            "size is undefined (it would divide by zero). Check that these are the right "
            "scores."
        )
    return _effect_size(
        mean_pre=float(np.mean(pre_values)),
        sd_pre=sd_pre,
        n_pre=int(pre_values.size),
        mean_post=float(np.mean(post_values)),
        sd_post=sd_post,
        n_post=int(post_values.size),
        dropped_pre=dropped_pre,
        dropped_post=dropped_post,
        min_n=min_n,
    )


def effect_size_from_summary(
    mean_pre: float,
    sd_pre: float,
    n_pre: int,
    mean_post: float,
    sd_post: float,
    n_post: int,
    *,
    min_n: int = DEFAULT_MIN_N,
) -> EffectSize:
    """Pre/post effect size from means, standard deviations and counts of each group.

    Use this when only summary results are at hand (a report's mean, SD and n). The
    standard deviations must be sample SDs (n - 1), as spreadsheets' STDEV gives them.
    Validation and the returned object are the same as for :func:`effect_size`.
    """
    means = {"mean_pre": mean_pre, "mean_post": mean_post}
    sds = {"sd_pre": sd_pre, "sd_post": sd_post}
    counts = {"n_pre": n_pre, "n_post": n_post}
    checked: dict[str, float] = {}
    for name, value in {**means, **sds}.items():
        number = _as_number(value)
        if number is None or not math.isfinite(number):
            raise ValueError(f"{name} is {value!r}, which is not a finite number.")
        if name in sds and number < 0:
            raise ValueError(
                f"{name} is {fmt.number(number)}; a standard deviation cannot be negative."
            )
        checked[name] = number
    whole: dict[str, int] = {}
    for name, value in counts.items():
        number = _as_number(value)
        if number is None or not math.isfinite(number) or number != int(number):
            raise ValueError(f"{name} is {value!r}; it must be a whole number of people.")
        if number < 2:
            raise ValueError(
                f"{name} is {int(number)}; at least 2 scores are needed for a standard deviation."
            )
        whole[name] = int(number)
    if checked["sd_pre"] == 0 and checked["sd_post"] == 0:
        raise ValueError(
            "Both standard deviations are 0, so the effect size is undefined (it would divide "
            "by zero). Check that these are the right figures."
        )
    return _effect_size(
        mean_pre=checked["mean_pre"],
        sd_pre=checked["sd_pre"],
        n_pre=whole["n_pre"],
        mean_post=checked["mean_post"],
        sd_post=checked["sd_post"],
        n_post=whole["n_post"],
        dropped_pre=0,
        dropped_post=0,
        min_n=min_n,
    )


def _effect_size(
    *,
    mean_pre: float,
    sd_pre: float,
    n_pre: int,
    mean_post: float,
    sd_post: float,
    n_post: int,
    dropped_pre: int,
    dropped_post: int,
    min_n: int,
) -> EffectSize:
    if min_n < 1:
        raise ValueError(f"min_n is {min_n}; it must be at least 1.")
    sd_mean = (sd_pre + sd_post) / 2
    d = (mean_post - mean_pre) / sd_mean
    n_total = n_pre + n_post
    se = math.sqrt(n_total / (n_pre * n_post) + d**2 / (2 * n_total))
    crit = _t_critical(n_total - 2, CI_LEVEL)
    small = n_pre < min_n or n_post < min_n
    notes: list[str] = []
    if small:
        notes.append(
            f"Only {n_pre} pre and {n_post} post scores: with fewer than {min_n} in a group "
            "the effect size is too uncertain to mean much."
        )
    if dropped_pre or dropped_post:
        notes.append(
            f"Left out {dropped_pre} missing pre score{'s' if dropped_pre != 1 else ''} and "
            f"{dropped_post} missing post score{'s' if dropped_post != 1 else ''}."
        )
    for group, sd, other in (("pre", sd_pre, "post"), ("post", sd_post, "pre")):
        if sd == 0:
            notes.append(
                f"Every {group} score is the same (SD 0), so the denominator is half the "
                f"{other} SD and d is probably overstated."
            )
    if sd_pre > 0 and sd_post > 0 and max(sd_pre, sd_post) / min(sd_pre, sd_post) > 2:
        notes.append(
            f"The spreads differ a lot (SD {fmt.number(sd_pre)} before, "
            f"{fmt.number(sd_post)} after); "
            "their mean may describe neither group well."
        )
    return EffectSize(
        d=d,
        ci_low=d - crit * se,
        ci_high=d + crit * se,
        n_pre=n_pre,
        n_post=n_post,
        mean_pre=mean_pre,
        mean_post=mean_post,
        sd_pre=sd_pre,
        sd_post=sd_post,
        dropped_pre=dropped_pre,
        dropped_post=dropped_post,
        hinge=HINGE_POINT,
        small_n=small,
        warnings=notes,
        se=se,
        critical_value=crit,
        min_n=min_n,
        ci_level=CI_LEVEL,
    )


@functools.lru_cache(maxsize=256)
def _t_critical(df: int, level: float) -> float:
    """Two-sided critical value of Student's t (scipy.special, imported only when needed).

    ``scipy.special.stdtrit`` is the inverse of Student's t distribution; importing it costs
    a fraction of importing ``scipy.stats``, which matters when a workbook opens.
    """
    from scipy.special import stdtrit

    return float(stdtrit(df, 0.5 + level / 2))


def _as_number(value: Any) -> float | None:
    """``value`` as a float, or None when it is not a number (bools are not numbers)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (numbers.Real, Decimal)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _clean_scores(values: Iterable[Any], group: str) -> tuple[np.ndarray[Any, Any], int]:
    """The finite scores of ``values`` as a float array, and how many were missing."""
    if isinstance(values, (str, bytes)):
        raise TypeError(f"The {group} scores must be a list of numbers, not one piece of text.")
    if isinstance(values, pd.Series):
        values = values.to_numpy()
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        arr = values.astype(float).ravel()
        bad = np.flatnonzero(np.isinf(arr))
        if bad.size:
            raise ValueError(
                f"{group.capitalize()} score number {bad[0] + 1} is {arr[bad[0]]}, "
                "which is not a finite number."
            )
        missing = np.isnan(arr)
        return arr[~missing], int(missing.sum())
    kept: list[float] = []
    dropped = 0
    for position, value in enumerate(values, start=1):
        if _is_missing(value):
            dropped += 1
            continue
        number = _as_number(value)
        if number is None:
            raise ValueError(
                f"{group.capitalize()} score number {position} is {value!r}, which is not a number."
            )
        if math.isnan(number):
            dropped += 1
            continue
        if math.isinf(number):
            raise ValueError(
                f"{group.capitalize()} score number {position} is {value!r}, which is not a "
                "finite number."
            )
        kept.append(number)
    return np.asarray(kept, dtype=float), dropped


# ============================================================================ indicator status

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

NO_INDICATOR: Final = "(no indicator)"
"""How evidence that is not tied to an indicator is labelled in coverage tables."""

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
        wanted = {fmt.indicator_key(indicator.name), fmt.indicator_key(indicator.id)} - {""}
        frame = frame[frame["indicator"].map(fmt.indicator_key).isin(wanted)]
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


def trend_frame(
    evidence: pd.DataFrame,
    indicator: Indicator | str,
    *,
    collective: Hashable | None = None,
) -> pd.DataFrame:
    """The dated trend of one indicator: one row per date with the day's value.

    Columns: ``date`` (datetime64), ``value`` (mean of that day's entries, weighted by
    ``n`` when every entry of the day has one), ``n`` (sum of the day's ``n``, NaN if none
    was given) and ``entries`` (how many entries). When some entries describe the whole
    group (subgroup blank, "all", "overall", ...), only those are used: subgroup rows are
    breakdowns of them. Entries match the indicator by name or id
    (ignoring case and extra spaces); those without a value are left out; when
    ``collective`` is given, only that collective's entries are used.
    """
    ev = _live(evidence, ("date", "value", "indicator"))
    names = (
        {fmt.indicator_key(indicator.name), fmt.indicator_key(indicator.id)}
        if isinstance(indicator, Indicator)
        else {fmt.indicator_key(indicator)}
    ) - {""}
    codes, uniques = pd.factorize(ev["indicator"])
    hit = np.array([fmt.indicator_key(u) in names for u in uniques] + [False], dtype=bool)
    mask = hit[codes]
    if collective is not None and "collective" in ev.columns:
        mask &= (ev["collective"].astype(str) == str(collective)).to_numpy()
    sub = ev[mask]
    whole = _whole_group(sub)
    if whole.any():
        sub = sub[whole]
    daily = _daily(
        np.zeros(len(sub), dtype=np.int64),
        _to_days(sub["date"]),
        _to_float(sub["value"]),
        _to_float(sub["n"]) if "n" in sub.columns else np.full(len(sub), np.nan),
    )
    return daily.drop(columns="key").reset_index(drop=True)


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
        row.update(
            indicator_id=ind.id,
            indicator=ind.name,
            kind=ind.kind,
            evidence_type=ind.evidence_type,
            unit=ind.unit,
            n_observations=st.n_observations,
            entries=_count(per_key, key, "entries"),
            first_date=st.first_date,
            last_date=st.latest_date,
            latest_value=st.latest_value,
            baseline=st.baseline,
            target=st.target,
            target_date=st.target_date,
            expected_value=st.expected_value,
            progress=st.progress,
            expected_progress=st.expected_progress,
            status=st.status,
            status_label=st.label,
            reason=st.reason,
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


def latest_n(
    evidence: pd.DataFrame, indicators: Sequence[Indicator]
) -> dict[str, tuple[float | None, pd.Timestamp | None]]:
    """Per indicator id: the day of its latest dated value and how many people that value
    covers (the sum of the day's ``n``; None when no entry of the day gave one).

    The entries are the ones :func:`summarize_indicators` judges the indicator on (matched
    by name or id, ignoring case and extra spaces; whole-group rows when there are any;
    with a value and a date), so whoever shows the latest value can tell whether it covers
    enough people to be published. ``(None, None)`` for an indicator with no dated value.
    """
    out: dict[str, tuple[float | None, pd.Timestamp | None]] = {
        ind.id: (None, None) for ind in indicators
    }
    if not len(evidence) or not indicators:
        return out
    pairs: list[tuple[Hashable | None, Indicator]] = [(None, ind) for ind in indicators]
    daily = _indicator_daily(evidence, pairs, False)
    last = daily.groupby("key", sort=True).tail(1)  # days are sorted within each key
    for key, day, n in zip(last["key"], last["date"], last["n"], strict=True):
        covered = None if math.isnan(float(n)) else float(n)
        out[pairs[int(key)][1].id] = (covered, pd.Timestamp(day))
    return out


def _indicator_daily(
    evidence: pd.DataFrame,
    pairs: Sequence[tuple[Hashable | None, Indicator]],
    per_collective: bool,
) -> pd.DataFrame:
    """One value per (indicator position in ``pairs``, date) from the live evidence."""
    ev = _live(evidence, ("date", "value", "indicator"))
    keys = _match_keys(ev, pairs, per_collective)
    # Where an indicator has whole-group figures, its subgroup breakdowns are details of
    # them: averaging both would count overlapping groups (grade 9, IEPs) twice.
    whole = _whole_group(ev)
    with_whole = np.unique(keys[(keys >= 0) & whole])
    keys = np.where(np.isin(keys, with_whole) & ~whole, -1, keys)
    valid = keys >= 0
    sub = ev[valid]
    return _daily(
        keys[valid],
        _to_days(sub["date"]),
        _to_float(sub["value"]),
        _to_float(sub["n"]) if "n" in sub.columns else np.full(len(sub), np.nan),
    )


def _match_keys(
    ev: pd.DataFrame,
    pairs: Sequence[tuple[Hashable | None, Indicator]],
    per_collective: bool,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """For each evidence row, the position in ``pairs`` of its indicator, or -1."""
    n_rows = len(ev)
    if not pairs or "indicator" not in ev.columns or n_rows == 0:
        return np.full(n_rows, -1, dtype=np.int64)
    ind_codes, ind_uniques = pd.factorize(ev["indicator"])
    ind_positions: dict[str, list[int]] = {}
    for pos, value in enumerate(ind_uniques):
        ind_positions.setdefault(fmt.indicator_key(value), []).append(pos)
    if per_collective:
        if "collective" not in ev.columns:
            raise ValueError(
                "The evidence has no 'collective' column, but indicators were given per collective."
            )
        coll_codes, coll_uniques = pd.factorize(ev["collective"])
        coll_positions: dict[str, list[int]] = {}
        for pos, value in enumerate(coll_uniques):
            coll_positions.setdefault(str(value), []).append(pos)
    else:
        coll_codes = np.zeros(n_rows, dtype=np.int64)
        coll_positions = {"": [0]}
    width = len(ind_uniques)
    lookup: dict[int, int] = {}
    for key, (coll, ind) in enumerate(pairs):
        colls = coll_positions.get("" if coll is None else str(coll), [])
        labels = {fmt.indicator_key(ind.name), fmt.indicator_key(ind.id)} - {""}
        for label in labels:
            for i_pos in ind_positions.get(label, []):
                for c_pos in colls:
                    lookup.setdefault(c_pos * width + i_pos, key)
    if not lookup:
        return np.full(n_rows, -1, dtype=np.int64)
    combined = coll_codes.astype(np.int64) * width + ind_codes.astype(np.int64)
    combined[(ind_codes < 0) | (coll_codes < 0)] = -1
    index = pd.Index(np.fromiter(lookup.keys(), dtype=np.int64, count=len(lookup)))
    found = index.get_indexer(pd.Index(combined))
    values = np.fromiter(lookup.values(), dtype=np.int64, count=len(lookup))
    return np.where(found >= 0, values[np.maximum(found, 0)], -1).astype(np.int64)


def _daily(
    keys: np.ndarray[Any, Any],
    days: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    ns: np.ndarray[Any, Any],
) -> pd.DataFrame:
    """Aggregate entries to one value per (key, date): n-weighted mean when all have n."""
    ok = ~np.isnan(values) & ~np.isnat(days)
    keys, days, values, ns = keys[ok], days[ok], values[ok], ns[ok]
    has_n = np.isfinite(ns) & (ns > 0)
    frame = pd.DataFrame(
        {
            "key": keys,
            "date": days,
            "v": values,
            "vn": np.where(has_n, values * np.where(has_n, ns, 0.0), 0.0),
            "w": np.where(has_n, ns, 0.0),
            "has_n": has_n.astype(np.int64),
        }
    )
    agg = frame.groupby(["key", "date"], sort=True).agg(
        sum_v=("v", "sum"),
        entries=("v", "size"),
        sum_vn=("vn", "sum"),
        w=("w", "sum"),
        with_n=("has_n", "sum"),
    )
    entries = agg["entries"].to_numpy(dtype=float)
    weights = agg["w"].to_numpy(dtype=float)
    all_n = agg["with_n"].to_numpy() == agg["entries"].to_numpy()
    plain = agg["sum_v"].to_numpy(dtype=float) / np.maximum(entries, 1)
    weighted = agg["sum_vn"].to_numpy(dtype=float) / np.where(weights > 0, weights, 1.0)
    return pd.DataFrame(
        {
            "key": agg.index.get_level_values("key").to_numpy(),
            "date": agg.index.get_level_values("date").to_numpy(),
            "value": np.where(all_n & (weights > 0), weighted, plain),
            "n": np.where(agg["with_n"].to_numpy() > 0, weights, np.nan),
            "entries": agg["entries"].to_numpy(dtype=np.int64),
        }
    )


def _per_key(daily: pd.DataFrame, window: int) -> pd.DataFrame:
    """Per key: number of dated values, entries, first/last date and latest value."""
    if window < 1:
        raise ValueError(f"window is {window}; it must be at least 1.")
    grouped = daily.groupby("key", sort=True)
    per = pd.DataFrame(
        {
            "n_observations": grouped.size(),
            "entries": grouped["entries"].sum(),
            "first_date": grouped["date"].min(),
            "last_date": grouped["date"].max(),
            "latest_value": grouped["value"].last(),
        }
    )
    if window > 1 and len(daily):
        per["latest_value"] = daily.groupby("key").tail(window).groupby("key")["value"].mean()
    return per


# ---------------------------------------------------------------------------- small helpers

WHOLE_GROUP = frozenset(
    {
        "",
        "all",
        "all students",
        "overall",
        "total",
        "whole school",
        "schoolwide",
        "school-wide",
        "school wide",
        "everyone",
        "whole group",
        "all staff",
        "all teachers",
    }
)


def _whole_group(evidence: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """True for rows describing the whole group (subgroup blank, "all", "overall", ...)."""
    if "subgroup" not in evidence.columns:
        return np.ones(len(evidence), dtype=bool)
    labels = evidence["subgroup"].fillna("").astype(str).str.strip().str.lower()
    return labels.isin(WHOLE_GROUP).to_numpy(dtype=bool)


def _live(evidence: pd.DataFrame, needed: Sequence[str] = ()) -> pd.DataFrame:
    """Evidence without deleted entries (rows with a ``deleted_at``), checked for columns.

    An empty frame may lack columns (they are added, empty); a non-empty one may not.
    """
    missing = [c for c in needed if c not in evidence.columns]
    if missing:
        if len(evidence):
            raise ValueError(f"The evidence has no column(s): {', '.join(missing)}.")
        evidence = evidence.assign(**{c: pd.Series(dtype=object) for c in missing})
    if "deleted_at" in evidence.columns:
        return evidence[evidence["deleted_at"].isna()]
    return evidence


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


def _to_float(series: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    if series.dtype.kind in "iuf":
        return series.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _to_days(series: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    """Dates of any common form (date, datetime, ISO text) as datetime64[D]; NaT if unreadable."""
    if len(series) == 0:
        return np.array([], dtype="datetime64[D]")
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    if series.dtype.kind == "M":
        return series.to_numpy().astype("datetime64[D]")
    codes, uniques = pd.factorize(series)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="mixed")
    table = np.append(parsed.to_numpy().astype("datetime64[D]"), np.datetime64("NaT", "D"))
    return table[codes]


def _count(per_key: pd.DataFrame, key: int, column: str) -> int:
    """A count column of one key of a :func:`_per_key` table (0 when the key has none)."""
    if key not in per_key.index:
        return 0
    return int(np.asarray(per_key.at[key, column], dtype=np.int64))


def _opt_float(value: Any) -> float | None:
    if value is None:
        return None
    number = _as_number(value)
    return None if number is None or math.isnan(number) else number


_SPACES = re.compile(r"\s+")


# ============================================================================ evidence coverage

MISSING_TYPE_PROMPTS: Final[dict[str, str]] = {
    "demographic": (
        "No demographic data yet: who are the students and adults involved (enrollment, "
        "attendance, subgroups)?"
    ),
    "perceptions": "No perceptions data yet: a short survey of teachers or students?",
    "student_learning": (
        "No student learning data yet: a common formative assessment, or recent test results?"
    ),
    "school_processes": (
        "No school processes data yet: walkthrough notes, program participation, or a log of "
        "what changed in practice?"
    ),
}


def _type_ids(series: pd.Series[Any]) -> pd.Series[Any]:
    """Evidence types normalized to their ids; unknown labels are kept as written."""
    codes, uniques = pd.factorize(series)
    mapped = [normalize_choice("evidence_type", str(u)) or str(u).strip() for u in uniques]
    table = np.array([*mapped, ""], dtype=object)
    return pd.Series(table[codes], index=series.index, dtype=object)


def _indicator_labels(values: pd.Series[Any]) -> np.ndarray[Any, Any]:
    """Indicator names with spacing tidied and case variants merged (first spelling wins);
    blanks become :data:`NO_INDICATOR`."""
    codes, uniques = pd.factorize(values)
    first: dict[str, str] = {}
    labels: list[str] = []
    for u in uniques:
        tidy = _SPACES.sub(" ", str(u)).strip()
        labels.append(first.setdefault(fmt.indicator_key(tidy), tidy) if tidy else NO_INDICATOR)
    table = np.array([*labels, NO_INDICATOR], dtype=object)
    return np.asarray(table[codes])


def _type_order(observed: Iterable[str]) -> list[str]:
    extra = sorted({t for t in observed if t and t not in EVIDENCE_TYPES})
    return [*EVIDENCE_TYPES, *extra]


def coverage(evidence: pd.DataFrame, by: Sequence[str] = ("evidence_type",)) -> pd.DataFrame:
    """How many evidence entries there are of each of the four types (long, tidy form).

    ``by`` must include ``"evidence_type"``; other columns (``"indicator"``,
    ``"collective"``, ...) split the counts further. All four types always appear, with 0
    when there is none, for every combination of the other columns that has evidence; types
    outside the four (should an import let one through) follow them. Evidence without an
    indicator is labelled :data:`NO_INDICATOR`. Deleted entries are left out.

    Columns: the ``by`` columns, ``type_label`` and ``entries``.
    """
    by = list(by)
    if "evidence_type" not in by:
        raise ValueError("coverage(): 'by' must include 'evidence_type'.")
    others = [c for c in by if c != "evidence_type"]
    ev = _live(evidence)
    missing = [c for c in by if c not in ev.columns]
    if missing and len(ev):
        raise ValueError(f"The evidence has no column(s): {', '.join(missing)}.")
    if len(ev) == 0:
        if others:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in by})
            empty["type_label"] = pd.Series(dtype=object)
            empty["entries"] = pd.Series(dtype=np.int64)
            return empty
        return pd.DataFrame(
            {
                "evidence_type": list(EVIDENCE_TYPES),
                "type_label": list(EVIDENCE_TYPES.values()),
                "entries": np.zeros(len(EVIDENCE_TYPES), dtype=np.int64),
            }
        )
    frame = pd.DataFrame({"evidence_type": _type_ids(ev["evidence_type"])})
    for col in others:
        values = ev[col]
        frame[col] = _indicator_labels(values) if col == "indicator" else values.to_numpy()
    order = _type_order(frame["evidence_type"].unique())
    frame["evidence_type"] = pd.Categorical(frame["evidence_type"], categories=order)
    if not others:
        counts = frame["evidence_type"].value_counts(sort=False).reindex(order, fill_value=0)
        return pd.DataFrame(
            {
                "evidence_type": order,
                "type_label": [EVIDENCE_TYPES.get(t, t) for t in order],
                "entries": counts.to_numpy(dtype=np.int64),
            }
        )
    wide = (
        frame.groupby([*others, "evidence_type"], dropna=False, observed=False, sort=True)
        .size()
        .unstack("evidence_type", fill_value=0)
    )
    wide = wide[wide.sum(axis=1) > 0].reindex(columns=order, fill_value=0)
    n_groups, n_types = wide.shape
    long = wide.index.to_frame(index=False).loc[np.repeat(np.arange(n_groups), n_types)]
    long = long.reset_index(drop=True)
    long["evidence_type"] = np.tile(np.asarray(order, dtype=object), n_groups)
    long["type_label"] = long["evidence_type"].map(lambda t: EVIDENCE_TYPES.get(t, t))
    long["entries"] = wide.to_numpy(dtype=np.int64).ravel()
    return long[[*by, "type_label", "entries"]]


def coverage_matrix(evidence: pd.DataFrame, rows: str = "indicator") -> pd.DataFrame:
    """Wide coverage: one row per value of ``rows``, one column per evidence type, a total.

    The column names are the evidence type ids (in the usual order) and ``total``; the
    coverage tracker shows it as a grid.
    """
    long = coverage(evidence, by=(rows, "evidence_type"))
    if long.empty:
        return pd.DataFrame(columns=[*EVIDENCE_TYPES, "total"], dtype=np.int64)
    wide = long.pivot_table(
        index=rows, columns="evidence_type", values="entries", aggfunc="sum", fill_value=0
    )
    order = _type_order(wide.columns)
    wide = wide.reindex(columns=order, fill_value=0).astype(np.int64)
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide


def _type_totals(cov: pd.DataFrame | Mapping[str, int]) -> dict[str, int]:
    if isinstance(cov, Mapping):
        return {t: int(cov.get(t, 0)) for t in EVIDENCE_TYPES}
    if "evidence_type" in cov.columns and "entries" in cov.columns:
        sums = cov.groupby(cov["evidence_type"].astype(str))["entries"].sum()
        return {t: int(sums.get(t, 0)) for t in EVIDENCE_TYPES}
    if any(t in cov.columns for t in EVIDENCE_TYPES):
        return {t: int(cov[t].sum()) if t in cov.columns else 0 for t in EVIDENCE_TYPES}
    raise ValueError(
        "Expected a coverage table (columns 'evidence_type' and 'entries', or one column per "
        "evidence type) or a mapping from evidence type to count."
    )


def missing_type_prompts(cov: pd.DataFrame | Mapping[str, int]) -> list[str]:
    """A prompt for each of the four evidence types with no entries, in the usual order.

    Accepts the result of :func:`coverage` or :func:`coverage_matrix`, or a mapping from
    evidence type to count.
    """
    totals = _type_totals(cov)
    return [MISSING_TYPE_PROMPTS[t] for t in EVIDENCE_TYPES if totals[t] == 0]


# ============================================================================ intersections


@dataclass(frozen=True)
class Intersection:
    """A crossing of two or more evidence types and the question it answers."""

    id: str
    types: tuple[str, ...]
    question: str

    @property
    def label(self) -> str:
        """The evidence types as people read them ("Demographic × Perceptions")."""
        return " × ".join(EVIDENCE_TYPES[t] for t in self.types)

    @property
    def size(self) -> int:
        """How many evidence types it crosses (2, 3 or 4)."""
        return len(self.types)


def _ix(types: tuple[str, ...], question: str) -> Intersection:
    return Intersection("+".join(types), types, question)


INTERSECTIONS: Final[tuple[Intersection, ...]] = (
    _ix(
        ("demographic", "perceptions"),
        "Do different groups of students experience school differently?",
    ),
    _ix(
        ("demographic", "student_learning"),
        "Do students of different groups achieve differently?",
    ),
    _ix(
        ("demographic", "school_processes"),
        "Are all groups of students represented in the programs we offer?",
    ),
    _ix(
        ("perceptions", "student_learning"),
        "Do students who feel they belong and are supported at school do better academically?",
    ),
    _ix(
        ("perceptions", "school_processes"),
        "What do students, staff and families think about the programs and practices we run?",
    ),
    _ix(
        ("student_learning", "school_processes"),
        "Is the program making a difference in learning results?",
    ),
    _ix(
        ("demographic", "perceptions", "student_learning"),
        "Do different groups of students feel differently about school, and do their results "
        "follow the same pattern?",
    ),
    _ix(
        ("demographic", "perceptions", "school_processes"),
        "Do different groups of students experience our programs differently?",
    ),
    _ix(
        ("demographic", "student_learning", "school_processes"),
        "Is the program making a difference in learning for every group of students?",
    ),
    _ix(
        ("perceptions", "student_learning", "school_processes"),
        "Do the programs that people feel good about also improve learning results?",
    ),
    _ix(
        ("demographic", "perceptions", "student_learning", "school_processes"),
        "Which programs work for which groups of students, both in how they experience school "
        "and in what they learn?",
    ),
)
"""Bernhardt's intersections of the four evidence types: the 2-, 3- and 4-way crossings."""


def answerable_intersections(evidence: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Which of :data:`INTERSECTIONS` the evidence can answer (evidence of all its types).

    One row per intersection (per value of ``by``, e.g. ``"collective"``, when given), with
    columns ``intersection`` (id), ``label``, ``size``, ``question``, ``answerable``,
    ``missing`` (labels of the types with no evidence, comma separated), ``min_entries``
    (entries of its scarcest type) and one column per evidence type with that type's count
    for the types in the intersection (<NA> for the others).
    """
    type_ids = list(EVIDENCE_TYPES)
    if by is None:
        cov = coverage(evidence)
        counts = (
            cov.set_index("evidence_type")["entries"].reindex(type_ids, fill_value=0).to_numpy()
        )
        groups: list[Any] = [None]
        matrix = counts.reshape(1, -1).astype(np.int64)
    else:
        cov = coverage(evidence, by=(by, "evidence_type"))
        if cov.empty:
            groups, matrix = [], np.zeros((0, len(type_ids)), dtype=np.int64)
        else:
            wide = cov.pivot_table(
                index=by, columns="evidence_type", values="entries", aggfunc="sum", fill_value=0
            ).reindex(columns=type_ids, fill_value=0)
            groups = list(wide.index)
            matrix = wide.to_numpy(dtype=np.int64)
    records: list[dict[str, Any]] = []
    for g, counts_row in zip(groups, matrix, strict=True):
        for ix in INTERSECTIONS:
            member = [t in ix.types for t in type_ids]
            present = {t: int(c) for t, c, m in zip(type_ids, counts_row, member, strict=True) if m}
            record: dict[str, Any] = {by: g} if by is not None else {}
            record.update(
                intersection=ix.id,
                label=ix.label,
                size=ix.size,
                question=ix.question,
                answerable=all(v > 0 for v in present.values()),
                missing=", ".join(EVIDENCE_TYPES[t] for t, v in present.items() if v == 0),
                min_entries=min(present.values()),
            )
            for t, m in zip(type_ids, member, strict=True):
                record[t] = present[t] if m else pd.NA
            records.append(record)
    columns = [
        *([by] if by is not None else []),
        "intersection",
        "label",
        "size",
        "question",
        "answerable",
        "missing",
        "min_entries",
        *type_ids,
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    for t in type_ids:
        out[t] = out[t].astype("Int64")
    return out


# ============================================================================ progress review
# What the review-progress dashboard (workbook 05) shows, as plain data.

__all__ += [
    "MISSING_SCORE_TOKENS",
    "ProgressReview",
    "network_progress",
    "parse_scores",
    "progress_review",
]

MISSING_SCORE_TOKENS: Final = frozenset(
    {"na", "n/a", "nan", "null", "none", "missing", "absent", "-", "--", "—", "."}
)
"""Words people type for a missing score; :func:`parse_scores` reads them as missing."""

_SCORE_SEPARATORS: Final = re.compile(r"[\s,;]+")


def parse_scores(text: str, group: str = "pre") -> list[float | None]:
    """The scores typed or pasted into a box: numbers separated by commas, spaces, semicolons
    or new lines (decimals with a point, an optional trailing ``%``).

    Missing marks (``NA``, ``-``, ... see :data:`MISSING_SCORE_TOKENS`) become ``None``, which
    :func:`effect_size` leaves out and counts. Raises ``ValueError`` naming the position
    (counting from 1) of the first value that is not a number.

    >>> parse_scores("12, 14.5\\n NA 9%")
    [12.0, 14.5, None, 9.0]
    """
    scores: list[float | None] = []
    tokens = [t for t in _SCORE_SEPARATORS.split(text.strip()) if t]
    for position, token in enumerate(tokens, start=1):
        if token.casefold() in MISSING_SCORE_TOKENS:
            scores.append(None)
            continue
        number = _as_number(token[:-1] if token.endswith("%") else token)
        if number is None:
            raise ValueError(
                f"{group.capitalize()} score number {position} is '{token}', which is not a "
                "number. Separate scores with commas, spaces or new lines, and write decimals "
                "with a point (12.5)."
            )
        if math.isinf(number):
            raise ValueError(
                f"{group.capitalize()} score number {position} is '{token}', which is not a "
                "finite number."
            )
        scores.append(None if math.isnan(number) else number)
    return scores


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
