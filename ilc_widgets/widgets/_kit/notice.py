"""The message line of a section, and the one error guard every button handler goes through.

A failure never reaches the page as a traceback: an :class:`~ilc_widgets.errors.IlcError`
carries a message written for people and is shown as it is; anything else (a database
that did not answer, a bug) is logged by its kind only (its text may hold SQL or someone's
data) and the page says, in general words, what did not work.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import ipywidgets as W

from ...errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ALERT_CLASS",
    "GENERIC_HINT",
    "LIVE_CLASS",
    "Notice",
    "guard",
    "guarded",
    "report",
    "user_message",
]

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger("ilc_widgets")

GENERIC_HINT: Final = "Try again in a moment; if it keeps happening, tell your facilitator."
"""What a person can do about a failure the kit did not foresee."""

_TAGS = re.compile(r"<[^>]+>")


LIVE_CLASS: Final = "ilc-live"
"""The class the page template turns into a polite live region (role=status)."""
ALERT_CLASS: Final = "ilc-alert"
"""The class the page template turns into an alert (role=alert): set while an error shows."""


class Notice(W.HTML):  # type: ignore[misc]
    """A one-line message area: info, success, warning or error (text is escaped).

    It is the section's live region: the page template announces what it shows (politely;
    an error as an alert, see the contract in the kit's Voilà template).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_class(LIVE_CLASS)

    def show(self, text: str, kind: str = "info") -> None:
        """Show ``text``; ``kind`` picks the colour ("error" also makes it an alert)."""
        if kind == "error" and text:
            self.add_class(ALERT_CLASS)
        else:
            self.remove_class(ALERT_CLASS)
        self.value = f"<div class='ilc-notice {kind}'>{html.escape(text)}</div>" if text else ""

    def clear(self) -> None:
        """Hide the message."""
        self.remove_class(ALERT_CLASS)
        self.value = ""

    @property
    def text(self) -> str:
        """The message shown, without markup (for tests and logs)."""
        return html.unescape(_TAGS.sub("", self.value))


def user_message(what: str, exc: BaseException) -> str:
    """What to tell people about a failure of ``what`` ("Saving the reflection"): an
    :class:`IlcError`'s own message (capitalised), otherwise a general sentence that
    carries nothing of the exception's text."""
    if isinstance(exc, IlcError):
        text = str(exc).strip() or f"{what} did not work."
        return text[:1].upper() + text[1:]
    return f"{what} did not work. {GENERIC_HINT}"


def report(what: str, exc: BaseException) -> None:
    """Log an unforeseen failure by its kind only: no message, no traceback (either may hold
    SQL, a key or someone's data)."""
    if not isinstance(exc, IlcError):
        log.error("%s failed: %s", what, type(exc).__name__)


def guard(notice: Notice, what: str, func: Callable[[], object]) -> bool:
    """Run ``func``; a failure is shown on ``notice`` (see :func:`user_message`) and never
    raised. True when it worked."""
    try:
        func()
    except Exception as exc:
        report(what, exc)
        notice.show(user_message(what, exc), "error")
        return False
    return True


def guarded(
    what: str, *, notice: str = "notice"
) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    """Decorate a handler method so that a failure shows on ``self.<notice>`` instead of
    raising::

        @guarded("Building the report")
        def build(self, _button: W.Button | None = None) -> None: ...

    The handler returns None when it failed.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                report(what, exc)
                target: Any = getattr(args[0], notice, None) if args else None
                if isinstance(target, Notice):
                    target.show(user_message(what, exc), "error")
                else:  # nowhere to say it: the log has it, the page shows no traceback
                    log.error("%s failed and %s has no notice %r", what, func.__name__, notice)
                return None

        return run

    return decorate
