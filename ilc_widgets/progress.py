"""Progress reports for long work: the ``progress(done, total)`` callback and a step counter.

Long jobs outside the widgets (loading the demo, writing the network report) take an optional
``progress`` callback; :func:`step_counter` is the one way they count their steps for it.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "step_counter"]

Progress = Callable[[int, int], None]
"""Called with ``(done, total)`` as work advances."""


def step_counter(progress: Progress | None, steps: int) -> Callable[[], None]:
    """A ``tick()`` that counts one more of ``steps`` steps done and reports it to ``progress``.

    With ``progress=None`` the ticks are only counted, so callers need not check.
    """
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    return tick
