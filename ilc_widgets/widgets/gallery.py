"""The old home of workbook 06's sections, kept so old imports keep working: they live in
:mod:`ilc_widgets.widgets.share` now (every name it exports is exported here too)."""

from __future__ import annotations

from .share import *  # noqa: F403
from .share import __all__ as __all__
