"""Workbook 01, gathering: the participant intake form and the roster import, in small rooms.

* :mod:`.state`: field names, what a person must fill in, the column mapping (pure);
* :mod:`.styles`: the stylesheet and shared models;
* :mod:`.form`: :class:`IntakeForm`, what the intake link shows;
* :mod:`.preview`: the import's preview and problem tables;
* :mod:`.roster`: :class:`RosterImport`, the facilitator's import of a roster or survey.
"""

from __future__ import annotations

from .form import IntakeForm
from .roster import RosterImport
from .state import FIELD_LABELS, NOT_IN_FILE, PREVIEW_LABELS
from .styles import CSS

__all__ = ["CSS", "FIELD_LABELS", "NOT_IN_FILE", "PREVIEW_LABELS", "IntakeForm", "RosterImport"]
