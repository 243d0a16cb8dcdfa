"""Small pieces shared by the kit's widgets: escaping, styles, notices, saving and polling."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import html
import inspect
import weakref
from typing import TYPE_CHECKING, Any

import ipywidgets as W

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

esc = html.escape

CSS = """
<style>
.ilc { font-family: var(--jp-ui-font-family, system-ui, sans-serif); color: #1b1f24; }
.ilc h2 { font-size: 1.35em; margin: .2em 0 .4em; }
.ilc h3 { font-size: 1.1em; margin: .6em 0 .3em; }
.ilc .muted { color: #57606a; }
.ilc table.ilc-table { border-collapse: collapse; margin: .3em 0; font-size: .92em; }
.ilc table.ilc-table th, .ilc table.ilc-table td {
  border: 1px solid #d0d7de; padding: 3px 8px; text-align: left; vertical-align: top; }
.ilc table.ilc-table th { background: #f3f5f7; }
.ilc .card { border: 1px solid #d0d7de; border-radius: 6px; padding: .6em .8em; margin: .3em 0;
  background: #fff; }
.ilc .pill { display: inline-block; border-radius: 10px; padding: 0 .5em; font-size: .85em;
  border: 1px solid #8c959f; margin-right: .3em; }
.ilc .ok { color: #1a7f37; } .ilc .warn { color: #9a6700; } .ilc .bad { color: #cf222e; }
.ilc-notice { padding: .4em .7em; border-radius: 5px; margin: .3em 0; }
.ilc-notice.info { background: #ddf4ff; border: 1px solid #54aeff; }
.ilc-notice.success { background: #dafbe1; border: 1px solid #4ac26b; }
.ilc-notice.error { background: #ffebe9; border: 1px solid #ff8182; }
.ilc-notice.warning { background: #fff8c5; border: 1px solid #d4a72c; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
.ilc-restricted p, .ilc-intake-only p { font-size: 1.05em; max-width: 44em; }
.ilc-denied { font-size: 1.2em; padding: 1em; border: 1px solid #ff8182; border-radius: 6px;
  background: #ffebe9; max-width: 40em; }
</style>
"""


def style() -> W.HTML:
    """The kit's stylesheet, as a widget to put once on a page."""
    return W.HTML(CSS)


def html_table(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[str],
    *,
    empty: str = "Nothing yet.",
    raw_columns: Iterable[int] = (),
) -> str:
    """An HTML table with every cell escaped (except the columns listed in ``raw_columns``)."""
    raw = set(raw_columns)
    body = []
    for row in rows:
        cells = "".join(
            f"<td>{cell if i in raw else esc('' if cell is None else str(cell))}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return f"<p class='muted'>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    rows_html = "".join(body)
    return (
        f"<table class='ilc-table'><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>"
    )


class Notice(W.HTML):  # type: ignore[misc]
    """A one-line message area: info, success, warning or error (text is escaped)."""

    def show(self, text: str, kind: str = "info") -> None:
        """Show ``text``; ``kind`` picks the colour."""
        self.value = f"<div class='ilc-notice {kind}'>{esc(text)}</div>" if text else ""

    def clear(self) -> None:
        """Hide the message."""
        self.value = ""

    @property
    def text(self) -> str:
        """The message shown, without markup (for tests and logs)."""
        import re

        return html.unescape(re.sub(r"<[^>]+>", "", self.value))


_SHARED: dict[tuple[Any, ...], Any] = {}


def shared(kind: Any, **traits: Any) -> Any:
    """One Layout or Style per distinct setting, shared by every widget that uses it.

    Each Layout and Style is a model the browser creates before the page is usable, so
    sharing them keeps a workbook quick to open. Never change a shared one in place. A
    model closed since (its comm gone) is made again.
    """
    key = (kind, tuple(sorted(traits.items())))
    found = _SHARED.get(key)
    if found is None or getattr(found, "comm", None) is None:
        found = _SHARED[key] = kind(**traits)
    return found


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's running event loop, or None outside a kernel (plain pytest) and in a
    kernel that no browser watches (papermill), where work is done at once instead."""
    # Only a kernel's loop counts: another library in the same process (Playwright's sync
    # API in the test session) may leave a "running" loop behind that nothing drives.
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return None
    from ..session import has_front_end

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


_pending: weakref.WeakSet[Debouncer] = weakref.WeakSet()
SHUTDOWN_GRACE = 0.5


def install_shutdown_grace(seconds: float = SHUTDOWN_GRACE) -> bool:
    """Let the kernel finish the messages already sent before it stops (True if installed).

    Voilà shuts the kernel down the moment the tab closes; ipykernel handles that request
    on its control thread and stops the main loop, dropping widget messages still queued
    (the last keystrokes). Waiting ``seconds`` in ``do_shutdown`` (control thread) lets the
    main loop take them in; the exit hooks then save them.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
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


class Debouncer:
    """Call ``func`` once typing pauses for ``delay`` seconds (immediately without a loop).

    Pending calls are also flushed when the kernel exits, so closing a tab right after
    typing still saves.
    """

    def __init__(self, func: Callable[[], None], delay: float = 0.8) -> None:
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


def button(description: str, *, style: str = "", icon: str = "", tooltip: str = "") -> W.Button:
    """A button with the kit's defaults."""
    return W.Button(
        description=description,
        button_style=style,
        icon=icon,
        tooltip=tooltip or description,
        layout=W.Layout(width="auto"),
    )


def labeled(label: str, widget: W.Widget, *, width: str = "11em") -> W.HBox:
    """A row with a fixed-width label in front of ``widget``."""
    return W.HBox([W.HTML(f"<b>{esc(label)}</b>", layout=W.Layout(width=width)), widget])
