"""Workbook 04, implementing and collecting evidence: the evidence logger, the coverage
tracker and the implementation log.

One module per concern:

* :mod:`.state`: the pure rules (filters, pages, form problems, coverage counts, the
  implementation log's grouping), no widgets;
* :mod:`.section`: what the three sections share (the page's room, the section base on the
  kit's staged section, small widget makers, the stylesheet);
* :mod:`.table`, :mod:`.logger`, :mod:`.importer`, :mod:`.projector`: the evidence logger
  (its entries table, its form, its import panel, its projector view);
* :mod:`.coverage`: the coverage tracker; :mod:`.implementation_log`: the implementation log.

The workbook registry names ``ilc_widgets.widgets.evidence:EvidenceLogger`` (and the two
others), so the sections are re-exported here.
"""

from __future__ import annotations

from .coverage import CoverageTracker
from .implementation_log import ImplementationLog
from .implementation_log import _ActionRow as _ActionRow
from .importer import _ImportPanel as _ImportPanel
from .logger import EvidenceLogger
from .section import (
    CSS,
    POLL_SECONDS,
    STAGE_DELAY_SECONDS,
    STAGE_FALLBACK_SECONDS,
    TYPE_COLOURS,
)
from .section import _Room as _Room
from .section import _Section as _Section
from .state import COMMON_UNITS, FIELD_LABELS, PAGE_SIZE, TYPE_HELP
from .table import _EntryRow as _EntryRow

__all__ = [
    "COMMON_UNITS",
    "CSS",
    "FIELD_LABELS",
    "PAGE_SIZE",
    "POLL_SECONDS",
    "STAGE_DELAY_SECONDS",
    "STAGE_FALLBACK_SECONDS",
    "TYPE_COLOURS",
    "TYPE_HELP",
    "CoverageTracker",
    "EvidenceLogger",
    "ImplementationLog",
]
