"""Workbook 01's theme board: now the package :mod:`ilc_widgets.widgets.themes`.

This module keeps the old import path (and the workbook registry target
``ilc_widgets.widgets.theme_board:ThemeBoard``) working.
"""

from __future__ import annotations

from . import themes
from .themes import *  # noqa: F403  (every public name of the package)
from .themes.suggest import _compute

__all__ = [*themes.__all__, "_compute"]
