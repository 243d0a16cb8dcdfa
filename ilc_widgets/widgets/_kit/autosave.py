"""Saving as people type: debounce, version check, conflict, merge and retry, flush on exit.

:class:`Debouncer` calls a function once typing pauses. :class:`AutoSave` is the whole
shape a form that saves itself follows:

1. every change marks the form dirty and (re)starts the debouncer;
2. when typing pauses, the document is saved from the version it was read at;
3. when someone else saved a newer version meanwhile (the store raises
   :class:`~ilc_widgets.errors.ConflictError`), theirs is read, the three-way ``merge``
   of (what we both started from, mine, theirs) is made and saved on top of theirs, a few
   times at most; where both changed the same thing, either the merge settles it (both
   texts kept) or, if the form gives an ``on_conflict`` handler, a person decides;
4. what is unsaved when the kernel exits (the tab closed) is saved then, a clash settled
   by the merge since nobody is left to ask.

The form supplies the storage (``save``, ``load``), the ``merge`` rule and what to show;
the kit supplies the timing and the retry logic. Nothing here touches widgets.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import weakref
from typing import TYPE_CHECKING, Generic, TypeVar

from ...errors import ConflictError
from .loop import install_shutdown_grace, running_loop

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable

__all__ = ["AutoSave", "Debouncer", "SaveFailed"]

DocT = TypeVar("DocT")

log = logging.getLogger("ilc_widgets")

_pending: weakref.WeakSet[Debouncer] = weakref.WeakSet()
_open_savers: weakref.WeakSet[AutoSave[object]] = weakref.WeakSet()


class Debouncer:
    """Call ``func`` once typing pauses for ``delay`` seconds (immediately without a loop).

    Pending calls are also flushed when the kernel exits, so closing a tab right after
    typing still saves.
    """

    def __init__(self, func: Callable[[], object], delay: float = 0.8) -> None:
        self.func = func
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None
        _pending.add(self)
        install_shutdown_grace()

    def __call__(self) -> None:
        loop = running_loop()
        if loop is None or self.delay <= 0:
            self.func()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self._fire)

    @property
    def pending(self) -> bool:
        """True while a call is waiting."""
        return self._handle is not None

    def _fire(self) -> None:
        self._handle = None
        self.func()

    def cancel(self) -> None:
        """Forget a waiting call."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        """Run a waiting call now."""
        if self._handle is not None:
            self._handle.cancel()
            self._fire()


@atexit.register
def _flush_all() -> None:  # pragma: no cover - runs at kernel exit
    for debouncer in list(_pending):
        with contextlib.suppress(Exception):
            debouncer.flush()


class SaveFailed(Exception):
    """A save that could not be made: someone kept saving, or the record is gone."""


class AutoSave(Generic[DocT]):
    """Save a document as people type, from the version it was read at; merge and retry
    when someone else saved in between.

    ``read()`` gives what the form holds now; ``save(doc, version)`` stores ``doc`` on top
    of ``version`` and returns the new version, raising ``ConflictError`` when a newer one
    exists; ``load()`` gives the saved document and its version (None when there is none);
    ``merge(base, mine, theirs)`` gives the merged document and whether both sides changed
    the same thing; ``ready(doc)``, if given, says whether ``doc`` may be saved yet (False:
    wait, still dirty). The callbacks tell the form what happened:

    * ``on_merged(merged, clash)``: someone else's save was merged in; the form must now
      show ``merged`` (what is saved next is read from the form);
    * ``on_saved(wrote)``: saved (``wrote`` False when theirs already held everything);
    * ``on_conflict(theirs, version, merged)``: both changed the same thing and a person
      should decide (without this handler the merge settles it);
    * ``on_failed(exc)``: not saved (``SaveFailed`` or the store's error); the form stays
      dirty, so the next change tries again.
    """

    def __init__(
        self,
        *,
        read: Callable[[], DocT],
        save: Callable[[DocT, int], int],
        load: Callable[[], tuple[DocT, int] | None],
        merge: Callable[[DocT, DocT, DocT], tuple[DocT, bool]],
        on_merged: Callable[[DocT, bool], None],
        base: DocT,
        version: int = 0,
        delay: float = 0.8,
        attempts: int = 3,
        ready: Callable[[DocT], bool] | None = None,
        on_saved: Callable[[bool], None] | None = None,
        on_conflict: Callable[[DocT, int, DocT], None] | None = None,
        on_failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self._read = read
        self._save = save
        self._load = load
        self._merge = merge
        self.base = base
        self.version = version
        self.attempts = attempts
        self.ready = ready
        self.on_saved = on_saved
        self.on_merged = on_merged
        self.on_conflict = on_conflict
        self.on_failed = on_failed
        self.dirty = False
        self.exiting = False
        self.debouncer = Debouncer(self.save_now, delay)
        _open_savers.add(self)  # type: ignore[arg-type]

    # -- state
    @property
    def pending(self) -> bool:
        """True while a save waits for typing to pause."""
        return self.debouncer.pending

    def reset(self, base: DocT, version: int) -> None:
        """Start again from ``base`` at ``version`` (a document opened or reloaded): nothing
        unsaved, nothing waiting."""
        self.debouncer.cancel()
        self.base, self.version, self.dirty = base, version, False

    # -- saving
    def changed(self) -> None:
        """The form changed: save once typing pauses."""
        self.dirty = True
        self.debouncer()

    def flush(self) -> None:
        """Save now what waits to be saved."""
        if self.debouncer.pending:
            self.debouncer.flush()
        elif self.dirty:
            self.save_now()

    def save_on_exit(self) -> None:
        """The page is closing: save what is unsaved, a clash settled by the merge."""
        self.exiting = True
        self.flush()

    def save_now(self) -> bool:
        """Save what the form holds (the debouncer calls this); True when it is stored."""
        if not self.dirty:
            return False
        try:
            mine = self._read()
            if self.ready is not None and not self.ready(mine):
                return False  # not yet (the form says why); still dirty
            return self._save_from(mine)
        except Exception as exc:
            self._failed(exc)
            return False

    def _save_from(self, mine: DocT) -> bool:
        if mine == self.base:
            self.dirty = False
            return False
        version = self.version
        for _ in range(max(1, self.attempts)):
            try:
                new_version = self._save(mine, version)
            except ConflictError:
                loaded = self._load()
                if loaded is None:
                    raise SaveFailed("the saved record is gone") from None
                theirs, version = loaded
                merged, clash = self._merge(self.base, mine, theirs)
                if clash and self.on_conflict is not None and not self.exiting:
                    self.debouncer.cancel()
                    self.on_conflict(theirs, version, merged)
                    return False
                self.base, self.version = theirs, version
                self.on_merged(merged, clash)
                if merged == theirs:  # theirs already holds everything
                    self.dirty = self._read() != theirs
                    if self.on_saved is not None:
                        self.on_saved(False)
                    return True
                mine = merged
                continue
            self._stored(mine, new_version)
            return True
        raise SaveFailed("someone else kept saving at the same time")

    def _stored(self, doc: DocT, version: int) -> None:
        self.base, self.version = doc, version
        self.dirty = self._read() != doc
        if self.on_saved is not None:
            self.on_saved(True)
        if self.dirty and not self.exiting:
            self.debouncer()  # typed while saving: save that too

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, (SaveFailed, ConflictError)):
            log.error("saving failed: %s", type(exc).__name__)
        if self.on_failed is not None:
            self.on_failed(exc)


@atexit.register
def _save_all() -> None:  # pragma: no cover - runs at kernel exit
    # Registered after the Debouncer's hook, so it runs first (atexit is LIFO): a clash
    # found while saving at exit is settled by the merge instead of waiting for a person.
    for saver in list(_open_savers):
        with contextlib.suppress(Exception):
            saver.save_on_exit()
