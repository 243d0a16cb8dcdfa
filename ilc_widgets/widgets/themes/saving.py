"""Accepting the board: the themes and each person's theme are saved together, unless a
name cannot be accepted, people are left unthemed unasked, or someone else accepted first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._kit.board import write_failed

if TYPE_CHECKING:
    from .board import ThemeBoard

__all__ = ["REPLACE", "accept"]

REPLACE = (
    "Someone else accepted themes since this board was opened. Click Accept again to "
    "replace them with this board, or 'Back to saved themes' to see theirs."
)
"""What the board asks before replacing themes someone else accepted meanwhile."""


def _blocked(board: ThemeBoard) -> str:
    """Why the board cannot be accepted now ('' when it can)."""
    state = board.state
    if not state.filled():
        return "There are no themes to accept yet: suggest themes first."
    problems = state.name_problems()
    if problems:
        first = next(iter(problems.values()))
        return f"Not accepted: {first}. Fix the name outlined in red, then accept."
    n_un = len(state.unthemed)
    if n_un and not board.leave_unthemed.value:
        return (
            f"Not accepted: {n_un} {'person is' if n_un == 1 else 'people are'} still "
            "Unthemed. Move their statements into a theme, or tick "
            f"'Accept with {n_un} unthemed': they then get no theme for now and are not "
            "placed in a collective until they have one."
        )
    return ""


def accept(board: ThemeBoard) -> bool:
    """Save the board's themes and each person's theme; False (with a message) when
    blocked."""
    blocked = _blocked(board)
    if blocked:
        board.notice.show(blocked, "error")
        invalid = next(iter(board.state.name_problems()), None)
        if invalid is not None and invalid in board._cards:
            board._cards[invalid].focus_name()  # the name the message is about
        elif board.state.unthemed and not board.leave_unthemed.value:
            board.leave_unthemed.focus()
        return False
    themes = board.state.filled()
    unthemed = board.state.unthemed
    net = board.net
    try:
        current = board._saved_stamp(net.themes_frame())
        if board.asked_to_replace(current != board._accepted_at, REPLACE):
            board.reload_button.disabled = False
            return False
        labels = {pid: t.name.strip() for t in themes for pid in t.members}
        labels.update(dict.fromkeys(unthemed, ""))
        net.accept_themes(
            labels,
            [{"name": t.name.strip(), "keywords": list(t.keywords)} for t in themes],
            actor=board.ctx.actor,
        )
        saved = net.themes_frame()
    except Exception as error:
        hint = "The board is unchanged; try again."
        write_failed(board.notice, "Accepting themes", error, "Not accepted", hint)
        return False
    for theme in themes:
        theme.name = theme.name.strip()
    board._accepted_at = board._saved_stamp(saved)
    board._confirm_replace = False
    board.state.people = board._read_people()
    if board.poller is not None:
        board.poller.mark_seen()
    board._redraw([])
    themed = sum(len(t.members) for t in themes)
    n_un = len(unthemed)
    message = (
        f"Accepted {len(themes)} themes: {themed} people now have a theme"
        + (f", {n_un} have none yet" if n_un else "")
        + ". Next: form collectives in workbook 2."
    )
    if not net.collectives_frame().empty:
        message += (
            " Collectives already formed keep their members: re-form them there if the "
            "themes changed."
        )
    board.notice.show(message, "success")
    return True
