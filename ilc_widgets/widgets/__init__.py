"""The kit's ipywidgets, one module per workbook family; none of them touches SQL."""

from __future__ import annotations
