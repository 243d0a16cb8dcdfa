"""Suggesting themes: :func:`ilc_widgets.themes.suggest_themes` runs as a background job and
its themes replace the board's (nothing is saved until the facilitator accepts)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from .._kit.jobs import Job

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...themes import ThemeSuggestion
    from .board import ThemeBoard

__all__ = ["apply", "failed", "set_busy", "suggest"]

esc = html.escape


def suggest(board: ThemeBoard, n_themes: int | None = None) -> None:
    """Group the focus statements into themes (replaces the board; nothing is saved)."""
    if board._busy:
        return
    people = [p for p in board.state.people.values() if p.focus.strip()]
    if not people:
        board.notice.show(
            "There are no focus statements yet: import a roster or collect them with the "
            "intake form first.",
            "warning",
        )
        return
    if n_themes is not None and n_themes > len(people):
        n_themes = len(people)
    texts = [p.focus for p in people]
    pids = [p.pid for p in people]
    board._set_busy(
        True,
        f"Suggesting themes for {len(texts)} statements… (the first time loads the "
        "language model: a few seconds)",
    )

    def work(_progress: object) -> ThemeSuggestion:
        return _compute(texts, n_themes)

    board.job = Job(
        work,
        on_done=lambda result: apply(board, pids, result),
        on_error=lambda error: failed(board, error),
    ).start()


def failed(board: ThemeBoard, error: BaseException) -> None:
    """Say that suggesting failed; the board is unchanged."""
    board.step_failed(
        "Themes could not be suggested", error, "Try again, or shape the themes by hand."
    )


def apply(board: ThemeBoard, pids: Sequence[str], result: ThemeSuggestion) -> None:
    """Show a suggestion on the board."""
    try:
        board.state.apply(pids, result)
        for row in board._rows.values():
            row.check.value = False
        board._rebuild()
    except Exception as error:
        failed(board, error)
        return
    board._set_busy(False)
    themes = board.state.themes
    board.accept_button.disabled = not themes
    n_un = len(board.state.unthemed)
    board.notice.show(
        f"Suggested {len(themes)} themes"
        + (f"; {n_un} {'person is' if n_un == 1 else 'people are'} unthemed" if n_un else "")
        + ". Rename, merge, split or move statements, then accept. Nothing is saved yet.",
        "success",
    )


def set_busy(board: ThemeBoard, busy: bool, message: str = "") -> None:
    """Show (or end) a suggestion at work: buttons off, a bar and a status line."""
    board._busy = busy
    board.suggest_button.disabled = busy
    board.accept_button.disabled = busy or not board.state.themes
    board.progress.layout.display = "" if busy else "none"
    board.progress.bar_style = "info"
    board.progress.value = 5 if busy else 0
    board.status.value = (
        f"<div class='ilc'><span class='muted'>{esc(message)}</span></div>" if message else ""
    )


def _compute(texts: list[str], n_themes: int | None) -> ThemeSuggestion:
    """Run the theme suggestion (in a worker thread under a kernel)."""
    from ...themes import suggest_themes

    return suggest_themes(texts, n_themes=n_themes)
