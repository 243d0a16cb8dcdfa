"""Workbook 01, identifying themes: the facilitator's theme board, in small rooms.

* :mod:`.state`: the themes, the unthemed and the rules of editing them (pure);
* :mod:`.styles`: the board's stylesheet and shared models;
* :mod:`.card`: one theme's card and its statement rows;
* :mod:`.suggest`: suggesting themes (a background job);
* :mod:`.saving`: accepting the board;
* :mod:`.charts`: the Charts tab;
* :mod:`.board`: :class:`ThemeBoard`, which ties them together.
"""

from __future__ import annotations

from .board import LARGE_BOARD, POLL_SECONDS, ThemeBoard
from .card import PAGE_ROWS, PREVIEW_ROWS, StatementRow, ThemeCard
from .charts import MAX_CHART_DISTRICTS
from .state import MAX_NAME, UNTHEMED, UNTHEMED_KEY, BoardState, Person, Theme
from .styles import BOARD_CSS

__all__ = [
    "BOARD_CSS",
    "LARGE_BOARD",
    "MAX_CHART_DISTRICTS",
    "MAX_NAME",
    "PAGE_ROWS",
    "POLL_SECONDS",
    "PREVIEW_ROWS",
    "UNTHEMED",
    "UNTHEMED_KEY",
    "BoardState",
    "Person",
    "StatementRow",
    "Theme",
    "ThemeBoard",
    "ThemeCard",
]
