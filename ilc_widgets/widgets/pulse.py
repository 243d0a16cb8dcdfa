"""Workbook 05's efficacy pulse and its results: now in the package
:mod:`ilc_widgets.widgets.review` (this module keeps the old import path for one release).
"""

from __future__ import annotations

from .review import ITEM_SET_SETTING, PulseResults, PulseSurvey, network_item_set

__all__ = ["ITEM_SET_SETTING", "PulseResults", "PulseSurvey", "network_item_set"]
