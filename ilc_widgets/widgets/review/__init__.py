"""Workbook 05, reviewing progress: the progress dashboard, the effect-size calculator, the
efficacy pulse and its results, and the reflection protocol.

One module per concern:

* :mod:`.state`: the pure rules (the sections' headings, the effect size's inputs, the
  pulse's answers and scores as they read, a reflection's fields and its merge), no
  widgets;
* :mod:`.data`: what the sections read and draw, cached by the collective's revision;
  :mod:`.cards`: the dashboard's and the effect size's HTML;
* :mod:`.section`: what the sections share (the page's room and poller, the section base
  on the kit's staged section, small widget makers, the stylesheet);
* :mod:`.dashboard`, :mod:`.effect_size`, :mod:`.pulse_survey`, :mod:`.pulse_results`
  (over :mod:`.pulse_common`), :mod:`.reflection`: the five sections.

The workbook registry names ``ilc_widgets.widgets.review:ProgressDashboard`` (and the
others), so the sections are re-exported here.
"""

from __future__ import annotations

from .dashboard import ProgressDashboard
from .data import ReviewData, load_review_data, review_data
from .effect_size import EffectSizeCalculator
from .pulse_common import ITEM_SET_SETTING, network_item_set
from .pulse_results import PulseResults
from .pulse_survey import PulseSurvey
from .reflection import ReflectionProtocol
from .section import ReviewSection
from .state import AREAS, PROMPTS, merge_reflection

__all__ = [
    "AREAS",
    "ITEM_SET_SETTING",
    "PROMPTS",
    "EffectSizeCalculator",
    "ProgressDashboard",
    "PulseResults",
    "PulseSurvey",
    "ReflectionProtocol",
    "ReviewData",
    "ReviewSection",
    "load_review_data",
    "merge_reflection",
    "network_item_set",
    "review_data",
]
