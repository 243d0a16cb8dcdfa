"""Run a coroutine on its own event loop, in its own thread.

Playwright's sync API (the browser tests) leaves a "running" loop on the main thread for the
rest of the session, and ``asyncio.run`` refuses to start under it; a fresh thread has none.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any


def run_isolated(coro: Coroutine[Any, Any, Any], timeout: float = 300) -> Any:
    """``asyncio.run(coro)`` in a new thread; re-raises what the coroutine raised."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="test-event-loop", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"the coroutine did not finish within {timeout} s")
    if "error" in result:
        raise result["error"]
    return result.get("value")
