"""Pre/post effect sizes as schools compute them, with a confidence interval and a plain reading.

Also :func:`parse_scores`, which reads the scores people type or paste into a box.
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .. import format as fmt
from ._common import _as_number

if TYPE_CHECKING:
    from collections.abc import Iterable

    import numpy as np
    import pandas as pd
else:
    from .._lazy import np, pd

__all__ = [
    "CI_LEVEL",
    "DEFAULT_MIN_N",
    "EFFECT_SIZE_METHOD",
    "HINGE_POINT",
    "MISSING_SCORE_TOKENS",
    "EffectSize",
    "effect_size",
    "effect_size_from_summary",
    "parse_scores",
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
        _Group(float(np.mean(pre_values)), sd_pre, int(pre_values.size), dropped_pre),
        _Group(float(np.mean(post_values)), sd_post, int(post_values.size), dropped_post),
        min_n,
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
        _Group(checked["mean_pre"], checked["sd_pre"], whole["n_pre"]),
        _Group(checked["mean_post"], checked["sd_post"], whole["n_post"]),
        min_n,
    )


@dataclass(frozen=True)
class _Group:
    """One group's scores in summary: the mean, the sample SD, the count and how many were
    left out as missing."""

    mean: float
    sd: float
    n: int
    dropped: int = 0


def _effect_size(pre: _Group, post: _Group, min_n: int) -> EffectSize:
    """The effect size, its interval and its caveats from the two groups' summaries (the one
    computation behind :func:`effect_size` and :func:`effect_size_from_summary`)."""
    mean_pre, sd_pre, n_pre, dropped_pre = pre.mean, pre.sd, pre.n, pre.dropped
    mean_post, sd_post, n_post, dropped_post = post.mean, post.sd, post.n, post.dropped
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


_T_SERIES_LIMIT = 20_000


@functools.lru_cache(maxsize=256)
def _t_critical(df: int, level: float) -> float:
    """Two-sided critical value of Student's t with ``df`` (a whole number) degrees of
    freedom: the ``t`` with P(|T| <= t) = ``level``.

    Computed in plain Python (no SciPy in a page's kernel: 12 MB and 0.12 s each) from the
    exact finite series for whole ``df`` (Abramowitz and Stegun 26.7.3-4), by bisection on
    the angle ``atan(t / sqrt(df))``; within 1e-9 of ``scipy.special.stdtrit`` (tested).
    """
    if df < 1 or not 0 < level < 1:
        raise ValueError(f"no t critical value for df={df}, level={level}")
    if df > _T_SERIES_LIMIT:  # the series grows with df; Cornish-Fisher is exact enough here
        z = statistics.NormalDist().inv_cdf(0.5 + level / 2)
        return (
            z
            + (z**3 + z) / (4 * df)
            + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
            + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
        )
    low, high = 0.0, math.pi / 2
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if _t_central(middle, df) < level:
            low = middle
        else:
            high = middle
    return math.sqrt(df) * math.tan((low + high) / 2)


def _t_central(theta: float, df: int) -> float:
    """P(|T| <= sqrt(df) tan(theta)) for Student's t with whole ``df``."""
    sin, cos = math.sin(theta), math.cos(theta)
    cos2 = cos * cos
    if df % 2 == 0:  # sin(theta) (1 + 1/2 cos^2 + 1*3/(2*4) cos^4 + ... up to cos^(df-2))
        term = total = 1.0
        for k in range(1, df // 2):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        return sin * total
    if df == 1:
        return 2 * theta / math.pi
    term = total = 1.0  # (2/pi)(theta + sin cos (1 + 2/3 cos^2 + ... up to cos^(df-3)))
    for k in range(1, (df - 1) // 2):
        term *= cos2 * (2 * k) / (2 * k + 1)
        total += term
    return 2 / math.pi * (theta + sin * cos * total)


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
