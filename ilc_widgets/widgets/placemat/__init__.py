"""The Collaborative Inquiry Placemat builder of workbook 03, in small rooms.

* :mod:`.state`: the pure rules (numbers people type, times, the status line, history
  labels, the order of new steps); no widgets;
* :mod:`.parts`: the placemat's stylesheet and widget makers;
* :mod:`.check`: the completeness and quality check beside the form;
* :mod:`.rows`: a priority, a theory-of-action step, an indicator;
* :mod:`.form`: the form laid out like the placemat, kept in step with its document;
* :mod:`.conflict`: keep mine, take theirs, or merge when two edits meet;
* :mod:`.history`: the version history; :mod:`.export`: the printable downloads;
* :mod:`.editor`: the form saving as people type (the kit's AutoSave);
* :mod:`.builder`: the workbook section (:class:`PlacematBuilder`).

The domain model (:mod:`ilc_widgets.placemat`) and the merge rules
(:mod:`ilc_widgets.merge`) stay outside the widgets layer; the names the old
``ilc_widgets.widgets.placemat`` module offered are re-exported here.
"""

from __future__ import annotations

from ...merge import MergeResult, apply_choices, clone, merge_placemats, resolve
from ...merge import merge_order as merge_order
from ...merge import merge_priorities as merge_priorities
from .builder import PlacematBuilder
from .check import check_html, placemat_map
from .conflict import ConflictPanel
from .editor import PlacematEditor
from .form import PlacematForm
from .parts import CSS
from .rows import _IndicatorCard, _PriorityRow, _StepRow
from .state import (
    CHECK_TITLES,
    EXIT_NOTE,
    POLL_INTERVAL,
    SAVE_DELAY,
    parse_number,
)
from .state import clock as _clock
from .state import when as _when

__all__ = [
    "CHECK_TITLES",
    "CSS",
    "EXIT_NOTE",
    "POLL_INTERVAL",
    "SAVE_DELAY",
    "ConflictPanel",
    "MergeResult",
    "PlacematBuilder",
    "PlacematEditor",
    "PlacematForm",
    "_IndicatorCard",
    "_PriorityRow",
    "_StepRow",
    "_clock",
    "_when",
    "apply_choices",
    "check_html",
    "clone",
    "merge_order",
    "merge_placemats",
    "merge_priorities",
    "parse_number",
    "placemat_map",
    "resolve",
]
