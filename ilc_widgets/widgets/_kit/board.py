"""What the facilitator's boards (themes, collectives) share: their base and shared models.

A board holds a session's working plan, follows the network's revision through the page's
one poller, runs its long step (suggesting themes, forming collectives) as a background
job and says in plain words when that step failed. :class:`Board` is that base;
:class:`BoardModels` the Layout and Style models every card and row of a board shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W
from ipywidgets.widgets.widget_bool import CheckboxStyle, ToggleButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ...errors import IlcError
from .notice import Notice, report
from .page import Subscription, page_of
from .styles import shared, stylesheet

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...network import Network
    from ...session import SessionContext

__all__ = ["Board", "BoardModels", "Card", "follow_network", "sheets", "write_failed"]


def sheets(name: str) -> list[W.HTML]:
    """The base stylesheet and the stylesheet ``name`` (each sent once per page)."""
    return [stylesheet("base"), stylesheet(name)]


def write_failed(notice: Notice, what: str, error: Exception, prefix: str, hint: str) -> None:
    """Say on ``notice`` that a write (saving, importing) did not happen: an
    :class:`IlcError` after ``prefix`` ("Not saved"), anything else (logged by its kind
    only) as a database that could not be reached, followed by ``hint``."""
    if isinstance(error, IlcError):
        notice.show(f"{prefix}: {error}", "error")
        return
    report(what, error)
    notice.show(f"{prefix}: the database could not be reached. {hint}", "error")


class BoardModels:
    """Layouts and styles shared by every card and row of a board (fewer models to load)."""

    def __init__(self) -> None:
        self.plain = shared(W.Layout)
        self.auto = shared(W.Layout, width="auto")
        self.html_style = shared(HTMLStyle)
        self.text_style = shared(TextStyle)
        self.toggle_style = shared(ToggleButtonStyle)
        self.button_style = shared(W.ButtonStyle)
        self.check_style = shared(CheckboxStyle)

    def button(
        self,
        description: str,
        *,
        style: str = "",
        icon: str = "",
        tooltip: str = "",
        css: str = "",
        on_click: Callable[[W.Button], object] | None = None,
    ) -> W.Button:
        """A button with the shared layout and style (and the CSS class ``css``, calling
        ``on_click`` when clicked)."""
        options = {"button_style": style, "icon": icon, "tooltip": tooltip or description}
        button = W.Button(
            description=description, layout=self.auto, style=self.button_style, **options
        )
        if css:
            button.add_class(css)
        if on_click is not None:
            button.on_click(on_click)
        return button

    def toggle(
        self,
        description: str,
        *,
        tooltip: str,
        css: str,
        on_change: Callable[[dict[str, Any]], None],
        icon: str = "",
    ) -> W.ToggleButton:
        """An off toggle button with the CSS class ``css`` that calls ``on_change`` when
        flipped."""
        options = {"icon": icon, "tooltip": tooltip, "layout": self.auto}
        button = W.ToggleButton(
            value=False, description=description, style=self.toggle_style, **options
        )
        button.add_class(css)
        button.observe(on_change, "value")
        return button


def follow_network(
    ctx: SessionContext, net: Network, callback: Callable[[], None], interval: float
) -> Subscription:
    """Call ``callback`` whenever the network's revision moves, through the page's one
    poller of it (its first subscriber sets the interval)."""
    poller = page_of(ctx).poller(("network", "revision"), net.revision, interval=interval)
    return poller.subscribe(callback)


class Board(W.VBox):  # type: ignore[misc]
    """The base of a facilitator's board: its session and network, shared models, the busy
    flag of its background step and its subscription to the network's revision."""

    children: tuple[W.Widget, ...]
    notice: Notice

    def __init__(self, ctx: SessionContext, models: BoardModels, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.net: Network = ctx.require_network()
        self._shared = models
        self._busy = False
        self._confirm_replace = False
        self.poller: Subscription | None = None

    def follow(self, interval: float) -> None:
        """Start following changes made elsewhere (:meth:`refresh` runs on each)."""
        self.poller = follow_network(self.ctx, self.net, self.refresh, interval)

    def refresh(self) -> None:
        """Take in what changed elsewhere (each board says how)."""
        raise NotImplementedError

    def _set_busy(self, busy: bool, message: str = "") -> None:
        raise NotImplementedError

    def asked_to_replace(self, changed: bool, question: str) -> bool:
        """Someone else saved since this board read the database (``changed``): the first
        time, ask ``question`` (Save again replaces theirs) and stop; True when stopped."""
        if not changed or self._confirm_replace:
            return False
        self._confirm_replace = True
        self.notice.show(question, "warning")
        return True

    def step_failed(
        self,
        what: str,
        error: BaseException,
        next_step: str,
        expected: tuple[type[BaseException], ...] = (IlcError,),
    ) -> None:
        """The background step ``what`` ("Themes could not be suggested") failed: an
        ``expected`` error is shown as it is, anything else in general words (and logged by
        its kind only); the board is unchanged."""
        self._set_busy(False)
        if isinstance(error, expected):
            self.notice.show(f"{what}: {error}", "error")
            return
        report(what, error)
        self.notice.show(
            f"{what} because of an internal error; the board is unchanged. {next_step}",
            "error",
        )


class Card(W.VBox):  # type: ignore[misc]
    """The base of a board's card: its board, an HTML body and the toggle that opens the
    card's editing panel (built by the card when first opened)."""

    children: tuple[W.Widget, ...]

    def __init__(
        self,
        board: Board,
        css: str,
        edit: tuple[str, str, str],
        on_edit: Callable[[], None],
    ) -> None:
        """``edit``: the toggle's label, tooltip and CSS class."""
        models = board._shared
        super().__init__(layout=models.plain)
        self.board = board
        self.add_class(css)
        description, tooltip, edit_css = edit
        self.edit = models.toggle(
            description, tooltip=tooltip, css=edit_css, on_change=lambda _c: on_edit()
        )
        self.body = W.HTML(layout=models.plain, style=models.html_style)
        self.panel: W.VBox | None = None
