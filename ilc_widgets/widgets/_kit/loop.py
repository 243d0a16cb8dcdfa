"""The kernel's event loop: whether one runs (a browser watches), and a graceful shutdown.

Outside a kernel (plain pytest, scripts) and in a kernel no browser watches (papermill,
nbconvert) there is no loop to wait on: sections build at once, saves happen at once and
background jobs run in line, so a run's output is complete and in order.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Final

__all__ = ["SHUTDOWN_GRACE", "current_kernel", "install_shutdown_grace", "running_loop"]

SHUTDOWN_GRACE: Final = 0.5
"""Seconds a closing kernel waits for the widget messages already sent to it."""


def current_kernel() -> Any:
    """The IPython kernel this code runs in, or None (plain Python, pytest, a script)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return getattr(get_ipython(), "kernel", None)


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's running event loop, or None outside a kernel (plain pytest) and in a
    kernel that no browser watches (papermill), where work is done at once instead."""
    # Only a kernel's loop counts: another library in the same process (Playwright's sync
    # API in the test session) may leave a "running" loop behind that nothing drives.
    if current_kernel() is None:
        return None
    from ...session import has_front_end

    if not has_front_end():
        return None  # papermill and friends: build and draw everything now, in order
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return None
    return loop if loop.is_running() else None


def install_shutdown_grace(seconds: float = SHUTDOWN_GRACE) -> bool:
    """Let the kernel finish the messages already sent before it stops (True if installed).

    Voilà shuts the kernel down the moment the tab closes; ipykernel handles that request
    on its control thread and stops the main loop, dropping widget messages still queued
    (the last keystrokes). Waiting ``seconds`` in ``do_shutdown`` (control thread) lets the
    main loop take them in; the exit hooks then save them.
    """
    kernel = current_kernel()
    if kernel is None or getattr(kernel, "_ilc_shutdown_grace", False):
        return False
    original = kernel.do_shutdown

    async def do_shutdown(restart: bool) -> Any:
        await asyncio.sleep(seconds)
        result = original(restart)
        return await result if inspect.isawaitable(result) else result

    kernel.do_shutdown = do_shutdown
    kernel._ilc_shutdown_grace = True
    return True
