"""Workbook 02, forming collectives: the facilitator's collective board, in small rooms.

* :mod:`.state`: people, collectives and the card warnings (pure; grouping rules come from
  :mod:`ilc_widgets.grouping`);
* :mod:`.exports`: the roster as CSV/XLSX, download links, the server's address;
* :mod:`.styles`: the board's stylesheet and shared models;
* :mod:`.layout`: the board's controls and tabs;
* :mod:`.card`: one collective's card;
* :mod:`.summary`: the summary, the notes about people and the optimizer's explanations;
* :mod:`.forming`: forming (a background job) and saving the plan;
* :mod:`.charts` and :mod:`.links`: the Mix charts and Links and exports tabs;
* :mod:`.board`: :class:`CollectiveBoard`, which ties them together.
"""

from __future__ import annotations

from ..home import FACILITATORS_ONLY
from .board import POLL_SECONDS, CollectiveBoard
from .card import MODALITY_LABELS, CollectiveCard
from .charts import CHARTED
from .exports import (
    ROSTER_COLUMNS,
    download_link,
    roster_csv,
    roster_frame,
    roster_xlsx,
    server_base_url,
)
from .forming import LARGE_ROSTER, TICK, TIME_LIMIT
from .layout import CHARTS_TAB, COLLECTIVES_TAB, ID_RULE, LINKS_TAB, PAGE_CARDS
from .links import LINK_CARDS
from .state import EMAIL, MAX_NAME, match_collectives
from .styles import BOARD_CSS
from .summary import MAX_LISTED

__all__ = [
    "BOARD_CSS",
    "CHARTED",
    "CHARTS_TAB",
    "COLLECTIVES_TAB",
    "EMAIL",
    "FACILITATORS_ONLY",
    "ID_RULE",
    "LARGE_ROSTER",
    "LINKS_TAB",
    "LINK_CARDS",
    "MAX_LISTED",
    "MAX_NAME",
    "MODALITY_LABELS",
    "PAGE_CARDS",
    "POLL_SECONDS",
    "ROSTER_COLUMNS",
    "TICK",
    "TIME_LIMIT",
    "CollectiveBoard",
    "CollectiveCard",
    "download_link",
    "match_collectives",
    "roster_csv",
    "roster_frame",
    "roster_xlsx",
    "server_base_url",
]
