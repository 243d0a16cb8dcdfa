"""Workbook 02's collective board: now the package :mod:`ilc_widgets.widgets.collectives`.

This module keeps the old import path (and the workbook registry target
``ilc_widgets.widgets.collective_board:CollectiveBoard``) working for one release.
"""

from __future__ import annotations

from . import collectives
from .collectives import *  # noqa: F403  (every public name of the package)
from .collectives.forming import _compute
from .collectives.state import Formed as _Formed
from .collectives.state import Group as _Group
from .collectives.state import Person as _Person
from .collectives.state import renamed as _renamed

__all__ = [*collectives.__all__, "_Formed", "_Group", "_Person", "_compute", "_renamed"]
