"""Workbook 05's reflection protocol: now in the package :mod:`ilc_widgets.widgets.review`
(this module keeps the old import path for one release).
"""

from __future__ import annotations

from .review import AREAS, PROMPTS, ReflectionProtocol, merge_reflection

__all__ = ["AREAS", "PROMPTS", "ReflectionProtocol", "merge_reflection"]
