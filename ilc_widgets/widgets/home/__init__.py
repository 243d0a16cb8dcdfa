"""Workbook 00, the home page: who is here, today's step and where to go next.

* :mod:`.state`: which step applies to which collective, the steps' titles and sentences,
  the "done" lines for 01 and 02 (pure);
* :mod:`.styles`: the stylesheet (the Today card, the workbook list);
* :mod:`.today`: the facilitator's control and the Today card;
* :mod:`.notes`: the short notes in place of a section (not valid, intake only, and what a
  collective's link sees on 01 and 02);
* :mod:`.page`: the home page itself.
"""

from __future__ import annotations

from .notes import (
    DONE_HERE,
    FACILITATORS_ONLY,
    INTAKE_ONLY,
    DeniedView,
    IntakeOnlyView,
    RestrictedView,
    _Note,
)
from .page import HomePage, _chooser, _modality, collective_link, phase_links
from .today import TodayControl, steps_html, today_card_html

__all__ = [
    "DONE_HERE",
    "FACILITATORS_ONLY",
    "INTAKE_ONLY",
    "DeniedView",
    "HomePage",
    "IntakeOnlyView",
    "RestrictedView",
    "TodayControl",
    "_Note",
    "_chooser",
    "_modality",
    "collective_link",
    "phase_links",
    "steps_html",
    "today_card_html",
]
