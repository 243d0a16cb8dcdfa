"""Workbook 06, sharing knowledge across groups: the gallery of share-outs, the view across
collectives and the network report, in small rooms.

* :mod:`.state`: the filters, counts, file names and settings warnings (pure);
* :mod:`.styles`: the stylesheet and the small widgets the sections share;
* :mod:`.base`: the page's one report model and the sections' staged base;
* :mod:`.card`: one collective's share-out card;
* :mod:`.gallery`, :mod:`.across`, :mod:`.report`: the three sections.
"""

from __future__ import annotations

from ..collectives.exports import download_link
from ..home import FACILITATORS_ONLY
from .across import AcrossCollectives
from .base import STAGE_DELAY_SECONDS, STAGE_FALLBACK_SECONDS, shared_report
from .card import ShareOutCardView, card_detail_html, card_summary_html
from .gallery import POLL_SECONDS, Gallery
from .report import NetworkReport
from .state import SUMMARY_PROBLEM_CHARS
from .styles import CSS

__all__ = [
    "CSS",
    "FACILITATORS_ONLY",
    "POLL_SECONDS",
    "STAGE_DELAY_SECONDS",
    "STAGE_FALLBACK_SECONDS",
    "SUMMARY_PROBLEM_CHARS",
    "AcrossCollectives",
    "Gallery",
    "NetworkReport",
    "ShareOutCardView",
    "card_detail_html",
    "card_summary_html",
    "download_link",
    "shared_report",
]
