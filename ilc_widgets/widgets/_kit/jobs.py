"""Background work with progress: long builds run off the kernel's thread.

A :class:`Job` runs ``work(progress)`` in a worker thread while the page stays usable. The
worker reports ``progress(done, total)`` as often as it likes; the kit hands the latest
report to ``on_progress`` on the kernel's event loop (never from the worker thread, and at
most one waiting at a time), then ``on_done(result)`` or ``on_error(exc)`` there too, so
widgets are only ever changed from the kernel's thread. Without a running loop (plain
pytest, papermill) the work runs at once, in line, with the same callbacks.
"""

from __future__ import annotations

import functools
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from ...progress import Progress
from .loop import running_loop

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

__all__ = ["Job", "JobCancelled", "Progress", "run_job"]

T = TypeVar("T")
"""``progress(done, total)``: how far a job has come."""

WORKERS: Final = 2
"""Jobs running at once per kernel (more wait their turn)."""

log = logging.getLogger("ilc_widgets")


@functools.cache
def _pool() -> ThreadPoolExecutor:
    """The kernel's worker threads, started with the first job."""
    return ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ilc-job")


class JobCancelled(Exception):
    """Raised inside a job's work by its progress callback once the job was cancelled."""


class Job(Generic[T]):
    """One piece of background work: ``work(progress)`` returns the result.

    ``state`` is ``"waiting"``, ``"running"``, ``"done"``, ``"failed"`` or
    ``"cancelled"``; ``result`` and ``error`` hold the outcome.
    """

    def __init__(
        self,
        work: Callable[[Progress], T],
        *,
        on_progress: Progress | None = None,
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        heartbeat: float | None = None,
    ) -> None:
        self.work = work
        self.heartbeat = heartbeat
        """Seconds between the ``progress(0, 0)`` reports the kit makes itself while the
        work runs in a worker thread (for work that cannot tell how far it is)."""
        self.on_progress = on_progress
        self.on_done = on_done
        self.on_error = on_error
        self.state = "waiting"
        self.result: T | None = None
        self.error: Exception | None = None
        self.future: Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self._latest: tuple[int, int] | None = None
        self._cancelled = False
        self._finished = threading.Event()

    # -- running
    def start(self) -> Job[T]:
        """Run the work: in a worker thread under a kernel's running loop, else at once."""
        if self.state != "waiting":
            raise RuntimeError("a job runs once")
        self.state = "running"
        self._loop = running_loop()
        if self._loop is None:
            self._run(inline=True)
        else:
            self.future = _pool().submit(self._run, inline=False)
            if self.heartbeat:
                self._loop.call_later(self.heartbeat, self._beat)
        return self

    def cancel(self) -> None:
        """Ask the work to stop: its next progress report raises :class:`JobCancelled`."""
        self._cancelled = True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has finished (for scripts and tests; True when it has).
        The callbacks may still be waiting for the kernel's loop."""
        return self._finished.wait(timeout)

    @property
    def running(self) -> bool:
        """True until the outcome has been delivered."""
        return self.state in ("waiting", "running")

    # -- the worker's side
    def _progress(self, done: int, total: int) -> None:
        if self._cancelled:
            raise JobCancelled
        if self._loop is None:
            self._deliver_progress_now(done, total)
            return
        with self._lock:
            waiting = self._latest is not None
            self._latest = (done, total)
        if not waiting:
            self._loop.call_soon_threadsafe(self._deliver_progress)

    def _run(self, *, inline: bool) -> None:
        loop = None if inline else self._loop
        try:
            result = self.work(self._progress)
        except Exception as exc:
            self._finished.set()
            if loop is None:
                self._fail(exc)
            else:
                loop.call_soon_threadsafe(self._fail, exc)
            return
        self._finished.set()
        if loop is None:
            self._succeed(result)
        else:
            loop.call_soon_threadsafe(self._succeed, result)

    # -- the kernel's side
    def _beat(self) -> None:
        if not self.running or self._loop is None or not self.heartbeat:
            return
        self._deliver_progress_now(0, 0)
        self._loop.call_later(self.heartbeat, self._beat)

    def _deliver_progress(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None:
            self._deliver_progress_now(*latest)

    def _deliver_progress_now(self, done: int, total: int) -> None:
        if self.on_progress is None or not self.running:
            return
        try:
            self.on_progress(done, total)
        except Exception as exc:  # a progress bar must not stop the work
            log.error("showing a job's progress failed: %s", type(exc).__name__)

    def _succeed(self, result: T) -> None:
        self._deliver_progress()
        self.state, self.result = "done", result
        if self.on_done is not None:
            try:
                self.on_done(result)
            except Exception as exc:  # logged by kind only, never as a traceback
                log.error("showing a job's result failed: %s", type(exc).__name__)

    def _fail(self, exc: Exception) -> None:
        self._deliver_progress()
        self.state = "cancelled" if isinstance(exc, JobCancelled) else "failed"
        self.error = exc
        if not isinstance(exc, JobCancelled):
            log.error("a background job failed: %s", type(exc).__name__)
        if self.on_error is not None:
            try:
                self.on_error(exc)
            except Exception as again:
                log.error("showing a job's failure failed: %s", type(again).__name__)


def run_job(
    work: Callable[[Progress], T],
    *,
    on_progress: Progress | None = None,
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
) -> Job[T]:
    """Start ``work`` as a :class:`Job` (see there) and return it."""
    return Job(work, on_progress=on_progress, on_done=on_done, on_error=on_error).start()
