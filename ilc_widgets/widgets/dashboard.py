"""Workbook 05's progress dashboard and effect-size calculator: now in the package
:mod:`ilc_widgets.widgets.review`.

This module keeps the old import path (and the names benchmarks use: the cache
``_RESULTS``, :func:`review_data`) working for one release.
"""

from __future__ import annotations

from .review import (
    EffectSizeCalculator,
    ProgressDashboard,
    ReviewData,
    ReviewSection,
    load_review_data,
    review_data,
)
from .review.data import _RESULTS as _RESULTS

__all__ = [
    "EffectSizeCalculator",
    "ProgressDashboard",
    "ReviewData",
    "ReviewSection",
    "load_review_data",
    "review_data",
]
