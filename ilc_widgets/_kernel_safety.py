"""Keep server details out of the page: errors in a Voilà kernel go to the server's log.

In a kernel, a widget event that fails (a forged ``comm_msg`` such as a Dropdown ``index``
of 999, or a button callback that raises) reaches ``shell.showtraceback()`` through
ipywidgets, and ipykernel publishes the whole traceback, server paths and all, on the IOPub
channel to the page; Voilà's ``show_tracebacks=False`` only covers the cells it runs while
rendering. Log records with no handler end in :data:`logging.lastResort`, which writes to
``sys.stderr``: in a kernel that is forwarded to the page too.

:func:`install` (called once per session by ``workbook.start``, under Voilà only) sends the
page a bare error message (the exception's type, no text, no traceback) and writes one line
per error to the kernel's real standard error, which Voilà's process (``ilc serve``) prints.
Set ``ILC_DEBUG=1`` in the server's environment to log full tracebacks there as well.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger("ilc_widgets.kernel")

PAGE_MESSAGE = "the error was logged on the server"
ENV_DEBUG = "ILC_DEBUG"
_MAX_CHARS = 300


def summary(exc: BaseException | None) -> str:
    """One line about an exception: its type, the first line of its text, where it was raised.

    Only the first line of the text is kept (SQLAlchemy puts the SQL on the following ones),
    and only the file's name, not its path.
    """
    if exc is None:
        return ""
    text = str(exc).strip().partition("\n")[0][:_MAX_CHARS]
    where = ""
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    if frames:
        last = frames[-1]
        where = f" (at {Path(last.filename).name}:{last.lineno} in {last.name})"
    return f"{type(exc).__name__}: {text}{where}" if text else f"{type(exc).__name__}{where}"


class OneLineFormatter(logging.Formatter):
    """Log records as one line each; an exception adds its :func:`summary`, not a traceback.

    With ``ILC_DEBUG=1`` the traceback follows, for whoever runs the server.
    """

    def __init__(self, debug: bool = False) -> None:
        super().__init__("[ilc kernel] %(asctime)s %(levelname)s %(name)s: %(message)s")
        self.debug = debug

    def format(self, record: logging.LogRecord) -> str:
        """The record's message on one line, with a one-line summary of its exception."""
        exc_info, exc_text, stack_info = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            line = super().format(record).replace("\n", " | ")
        finally:
            record.exc_info, record.exc_text, record.stack_info = exc_info, exc_text, stack_info
        if exc_info and exc_info[1] is not None:
            line += f" | {summary(exc_info[1])}"
            if self.debug:
                line += "\n" + "".join(traceback.format_exception(*exc_info)).rstrip()
        return line


def _server_stream() -> TextIO:
    """The kernel process's own standard error, as the server sees it.

    ipykernel (``capture_fd_output``) turns file descriptor 2 into a pipe that it forwards
    to the page, and keeps a copy of the original descriptor: that copy is the server's.
    """
    original = getattr(sys.stderr, "_original_stdstream_copy", None)
    if isinstance(original, int):
        return open(original, "w", buffering=1, closefd=False, encoding="utf-8")
    if sys.__stderr__ is not None:
        return sys.__stderr__
    return Path(os.devnull).open("w", encoding="utf-8")  # pragma: no cover


def _forwarded(stream: Any) -> bool:
    """True for a stream whose output ends up on the page (ipykernel's OutStream)."""
    if stream is None:
        return False
    return type(stream).__name__ == "OutStream" or stream is sys.stdout or stream is sys.stderr


def _route_logging(debug: bool) -> logging.Handler:
    """Send every log record to the server's stderr, and none to the page."""
    handler = logging.StreamHandler(_server_stream())
    handler.setFormatter(OneLineFormatter(debug))
    handler.set_name("ilc-server-log")
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, logging.StreamHandler) and _forwarded(old.stream):
            root.removeHandler(old)
    root.addHandler(handler)
    logging.lastResort = handler  # loggers that do not propagate and have no handler
    logging.captureWarnings(True)  # warnings name server paths too
    return handler


def _quiet_tracebacks(shell: Any) -> None:
    """Make the kernel publish errors without their traceback or text, and log them.

    ipykernel's ``_showtraceback`` is what sends an error to the page; it still runs (it
    also marks a failed cell), but with this module's message and an empty traceback.
    """
    publish = shell._showtraceback

    def _showtraceback(etype: type[BaseException], evalue: BaseException, _stb: Any) -> None:
        log.error("a widget event or cell failed", exc_info=(etype, evalue, evalue.__traceback__))
        publish(etype, PAGE_MESSAGE, [])

    shell._showtraceback = _showtraceback


def install(*, force: bool = False) -> bool:
    """Keep tracebacks and server paths out of the page for the rest of this kernel.

    Does nothing outside a Voilà kernel (JupyterLab and papermill keep their tracebacks)
    unless ``force``, and nothing the second time. True when it installed.
    """
    from .session import in_voila

    if not force and not in_voila(os.environ):
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    if getattr(shell, "_ilc_kernel_safety", False):
        return False
    _route_logging(os.environ.get(ENV_DEBUG) == "1")
    _quiet_tracebacks(shell)
    shell._ilc_kernel_safety = True
    return True
