"""Statistics for reviewing progress: effect sizes, indicator status and evidence coverage.

Everything here is plain Python, numpy and pandas (the t distribution too: no SciPy),
with no widget or database code, so the review-progress workbook, the
network report and researchers in JupyterLab all compute the same numbers.

* :func:`effect_size` and :func:`effect_size_from_summary`: pre/post effect size as schools
  compute it, with a 95% confidence interval and a plain-language interpretation
  (:mod:`.effect`, with :func:`parse_scores` for typed scores).
* :func:`indicator_status` and :func:`summarize_indicators`: on track / at risk / off track
  by the rule in :data:`STATUS_RULE_TEXT` (:mod:`.status`); :func:`trend_frame` gives the
  dated trend and :func:`latest_n` how many people the latest value covers (:mod:`.series`).
  How values and statuses read (numbers, units, dates, marks) is :mod:`ilc_widgets.format`;
  which evidence names which indicator is decided in one place, :mod:`._match`.
* :func:`coverage`, :func:`coverage_matrix`, :func:`missing_type_prompts`: how much evidence
  of each of Bernhardt's four types a collective has, and what is missing; :data:`INTERSECTIONS`
  and :func:`answerable_intersections`: the questions that crossing the evidence types
  answers, and which of them a collective's evidence can answer (:mod:`.coverage`).
* :func:`progress_review` and :func:`network_progress`: what the progress dashboard shows
  (:mod:`.review`).
"""

from __future__ import annotations

from .coverage import (
    INTERSECTIONS,
    MISSING_TYPE_PROMPTS,
    NO_INDICATOR,
    Intersection,
    answerable_intersections,
    coverage,
    coverage_counts,
    coverage_matrix,
    missing_type_prompts,
    type_id,
)
from .effect import (
    CI_LEVEL,
    DEFAULT_MIN_N,
    EFFECT_SIZE_METHOD,
    HINGE_POINT,
    MISSING_SCORE_TOKENS,
    EffectSize,
    effect_size,
    effect_size_from_summary,
    parse_scores,
)
from .review import ProgressReview, network_progress, progress_review
from .series import WHOLE_GROUP as WHOLE_GROUP  # public before the split, not in __all__
from .series import latest_n, trend_frame
from .status import (
    AT_RISK_SHARE,
    ON_TRACK_SHARE,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    STATUSES,
    IndicatorStatus,
    indicator_status,
    summarize_indicators,
)

__all__ = [
    "AT_RISK_SHARE",
    "CI_LEVEL",
    "DEFAULT_MIN_N",
    "EFFECT_SIZE_METHOD",
    "HINGE_POINT",
    "INTERSECTIONS",
    "MISSING_SCORE_TOKENS",
    "MISSING_TYPE_PROMPTS",
    "NO_INDICATOR",
    "ON_TRACK_SHARE",
    "STATUSES",
    "STATUS_LABELS",
    "STATUS_RULE_TEXT",
    "EffectSize",
    "IndicatorStatus",
    "Intersection",
    "ProgressReview",
    "answerable_intersections",
    "coverage",
    "coverage_counts",
    "coverage_matrix",
    "effect_size",
    "effect_size_from_summary",
    "indicator_status",
    "latest_n",
    "missing_type_prompts",
    "network_progress",
    "parse_scores",
    "progress_review",
    "summarize_indicators",
    "trend_frame",
    "type_id",
]
