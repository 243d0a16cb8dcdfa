"""What the workbooks call: start a session, then build each phase's widgets.

Workbooks stay thin: a parameters cell, ``ctx = workbook.start(database, collective)`` and
one call per section. Every builder returns the "this link is not valid" view (and
nothing else) when the session may not see the network.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from .session import SessionContext, get_context
from .widgets._base import style
from .widgets.home import DeniedView, HomePage


def start(database: str | None = None, collective: str | None = None) -> SessionContext:
    """The session of this workbook (waits for the request under a preheated Voilà kernel)."""
    return get_context(database, collective=collective)


def _guard(ctx: SessionContext, build: Any, *args: Any, **kwargs: Any) -> W.Widget:
    if not ctx.allowed:
        return DeniedView()
    return build(ctx, *args, **kwargs)


def home(ctx: SessionContext) -> W.Widget:
    """The landing page of ``00_home.ipynb``."""
    return _guard(ctx, HomePage)


def empty() -> W.Widget:
    """Nothing (used where a section does not apply to the current role)."""
    return W.VBox([style()])
