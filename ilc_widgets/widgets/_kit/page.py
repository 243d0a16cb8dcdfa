"""One page per session, and one poller per page: what several sections of a workbook share.

Under Voilà a kernel serves one page and a page has one session context, so the context
names the page. Sections of the same page that follow the same revision counter share one
:class:`Poller` through :meth:`Page.poller`: each subscribes a callback, and every tick
reads the counter once for all of them (a workbook of three sections no longer asks the
database three times every two seconds). A subscription ends when the section asks
(:meth:`Subscription.stop`) or is garbage-collected; the poller stops when nobody is
left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from typing import TYPE_CHECKING, Any, TypeVar

from .loop import running_loop

if TYPE_CHECKING:
    from collections.abc import Callable, Hashable

__all__ = ["Page", "PagePoller", "Poller", "Subscription", "page_of"]

T = TypeVar("T")

log = logging.getLogger("ilc_widgets")


class Poller:
    """Check a revision counter every ``interval`` seconds and call ``on_change`` when it moves.

    This is how what one person saves appears on everyone else's page without reloading.
    """

    def __init__(
        self, read: Callable[[], int], on_change: Callable[[], None], interval: float = 2.0
    ) -> None:
        self.read = read
        self.on_change = on_change
        self.interval = interval
        self.seen = read()
        self._task: asyncio.Task[None] | None = None

    def poll_once(self) -> bool:
        """Check now; True when something changed (and ``on_change`` ran)."""
        current = self.read()
        if current != self.seen:
            self.seen = current
            self.on_change()
            return True
        return False

    def mark_seen(self) -> None:
        """Record the current revision as seen (after one's own save)."""
        self.seen = self.read()

    @property
    def running(self) -> bool:
        """True while polling in the kernel's event loop."""
        return self._task is not None

    def start(self) -> None:
        """Start polling in the kernel's event loop (no-op outside one)."""
        loop = running_loop()
        if loop is None or self._task is not None:
            return
        self._task = loop.create_task(self._run())

    def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.poll_once()
            except Exception:  # a database hiccup must not end live updates
                continue


class Subscription:
    """A section's subscription to a :class:`PagePoller`.

    It remembers the revision its section last saw, so a section can also check at once
    (:meth:`poll_once`) or note its own save (:meth:`mark_seen`) without taking the news
    from the page's other sections; :meth:`stop` ends it.
    """

    def __init__(self, poller: PagePoller, callback: Callable[[], None], seen: int) -> None:
        self.poller = poller
        """The page's poller this subscription follows."""
        self._ref: Callable[[], Callable[[], None] | None]
        if hasattr(callback, "__self__") and hasattr(callback, "__func__"):
            # a bound method: do not keep its section alive
            self._ref = weakref.WeakMethod(callback)
        else:
            self._ref = lambda: callback
        self.seen = seen
        self.active = True

    @property
    def callback(self) -> Callable[[], None] | None:
        """The callback, or None once its owner is gone."""
        return self._ref() if self.active else None

    def poll_once(self) -> bool:
        """Check now for this section; True when the revision moved since it last saw it
        (and its callback ran)."""
        return self._notify(self.poller.read())

    def mark_seen(self) -> None:
        """Record the current revision as seen by this section (after its own save)."""
        self.seen = self.poller.read()

    def stop(self) -> None:
        """Stop calling back (the page's poller stops when nobody is left)."""
        if self.active:
            self.active = False
            self.poller._drop(self)

    def _notify(self, current: int) -> bool:
        if current == self.seen or not self.active:
            return False
        self.seen = current
        callback = self.callback
        if callback is None:  # its section is gone
            self.stop()
            return False
        try:
            callback()
        except Exception as exc:  # one section's failure must not silence the others
            log.error("a section failed to follow a change: %s", type(exc).__name__)
        return True


class PagePoller:
    """One revision poller shared by the sections of a page: one read per tick, and each
    subscriber called back when the revision moved since it last saw it."""

    def __init__(self, read: Callable[[], int], interval: float = 2.0) -> None:
        self.read = read
        self.subscriptions: list[Subscription] = []
        self._poller = Poller(read, self._changed, interval)

    @property
    def interval(self) -> float:
        """Seconds between two reads."""
        return self._poller.interval

    @property
    def running(self) -> bool:
        """True while polling in the kernel's event loop."""
        return self._poller.running

    def subscribe(self, callback: Callable[[], None], seen: int | None = None) -> Subscription:
        """Call ``callback`` whenever the revision moves from ``seen`` (default: what it is
        now); polling starts with the first subscriber (in a kernel's event loop).

        A section passes the revision it read *before* loading what it shows: a save landing
        between that load and this call is then taken in at the next tick, not counted as seen.
        """
        subscription = Subscription(self, callback, self.read() if seen is None else seen)
        if seen is not None and seen != self._poller.seen:
            self._poller.seen = seen  # the next tick reports the move to whoever has not seen it
        self.subscriptions.append(subscription)
        self._poller.start()
        return subscription

    def poll_once(self) -> bool:
        """Read the revision now (once for every subscriber); True when it moved."""
        return self._poller.poll_once()

    def mark_seen(self) -> None:
        """Record the current revision as seen by the whole page."""
        self._poller.mark_seen()
        for subscription in self.subscriptions:
            subscription.seen = self._poller.seen

    def stop(self) -> None:
        """Stop polling (subscribing again starts it)."""
        self._poller.stop()

    def _changed(self) -> None:
        current = self._poller.seen
        for subscription in list(self.subscriptions):
            subscription._notify(current)

    def _drop(self, subscription: Subscription) -> None:
        with contextlib.suppress(ValueError):
            self.subscriptions.remove(subscription)
        if not self.subscriptions:
            self._poller.stop()


class Page:
    """What the sections of one page share (one page per session context): its pollers,
    and whatever else its sections keep together (:meth:`keep`, :attr:`values`)."""

    def __init__(self) -> None:
        self.pollers: dict[Hashable, PagePoller] = {}
        self.values: dict[Hashable, Any] = {}
        """What the sections of the page keep together, by key (dropped with the page)."""

    def keep(self, key: Hashable, make: Callable[[], T]) -> T:
        """The page's value of ``key``, made by ``make()`` the first time it is asked for
        (e.g. the collective every section of the page shows). ``make`` is not kept."""
        if key not in self.values:
            self.values[key] = make()
        found: T = self.values[key]
        return found

    def poller(
        self, key: Hashable, read: Callable[[], int], *, interval: float = 2.0
    ) -> PagePoller:
        """The page's poller of ``key`` (e.g. ``("collective", "literacy-1")``), made with
        ``read`` and ``interval`` the first time it is asked for."""
        found = self.pollers.get(key)
        if found is None:
            found = self.pollers[key] = PagePoller(read, interval)
        return found

    def close(self) -> None:
        """Stop every poller of the page."""
        for poller in self.pollers.values():
            poller.stop()
        self.pollers.clear()
        self.values.clear()


_PAGES: dict[int, Page] = {}


def page_of(ctx: Any) -> Page:
    """The page of a session context (made on first use, dropped with the context)."""
    key = id(ctx)
    found = _PAGES.get(key)
    if found is None:
        found = _PAGES[key] = Page()
        weakref.finalize(ctx, _forget, key)
    return found


def _forget(key: int) -> None:
    page = _PAGES.pop(key, None)
    if page is not None:
        page.close()
