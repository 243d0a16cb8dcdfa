"""The board's summary, its notes about people not placed, and the optimizer's explanations."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .board import CollectiveBoard
    from .state import Person

__all__ = ["MAX_LISTED", "left_behind", "render_explanations", "render_people", "render_summary"]

esc = html.escape

MAX_LISTED = 40
"""The most names, or explanations, listed in one note."""


def render_summary(board: CollectiveBoard, placed: set[str]) -> None:
    """The line of figures over the cards, and whether the board shows a proposal."""
    groups = [g for g in board._groups if g.members]
    if not board._groups:
        board.summary.value = ""
        return
    mixes = []
    for g in groups:
        people = [board._people[p] for p in g.members if p in board._people]
        mixes.append((len({p.district for p in people}), len({p.role for p in people}), g))
    warned = sum(1 for g in board._groups if board._warnings(g))
    parts = [
        f"<b>{len(groups)}</b> collective{'s' if len(groups) != 1 else ''}",
        f"<b>{len(placed)}</b> people placed",
    ]
    if mixes:
        worst_d = min(m[0] for m in mixes)
        worst_r = min(m[1] for m in mixes)
        mean_d = sum(m[0] for m in mixes) / len(mixes)
        mean_r = sum(m[1] for m in mixes) / len(mixes)
        parts.append(
            f"every collective has at least <b>{worst_d}</b> district"
            f"{'s' if worst_d != 1 else ''} and <b>{worst_r}</b> role"
            f"{'s' if worst_r != 1 else ''} (on average {mean_d:.1f} and {mean_r:.1f})"
        )
    if warned:
        parts.append(
            f"<span class='warn'><b>{warned}</b> card{'s' if warned != 1 else ''} with "
            "something to check</span>"
        )
    if board._proposal:
        state = (
            "<span class='warn'><b>Proposal, not saved yet</b>: Save collectives keeps it, "
            "Back to saved collectives drops it.</span>"
        )
        retired = [c for c in board._saved_meta if board._group(c) is None]
        if retired:
            keep = [c for c in retired if board._has_work(c) or left_behind(board, c)]
            drop = [c for c in retired if c not in keep]
            bits = []
            if keep:
                bits.append(
                    "kept, with their saved work, but without these members: "
                    + ", ".join(f"{esc(board._saved_meta[c].name)} ({esc(c)})" for c in keep)
                )
            if drop:
                bits.append(
                    "removed (no saved work): "
                    + ", ".join(f"{esc(board._saved_meta[c].name)} ({esc(c)})" for c in drop)
                )
            state += (
                "<br><span class='muted'>Saved collectives this proposal does not continue "
                f"would be {'; '.join(bits)}.</span>"
            )
    else:
        state = (
            "<span class='ok'>Showing the saved collectives: changes to names, facilitators, "
            "locks, meeting places and members are saved as you make them.</span>"
        )
    board.summary.value = f"<div class='ilc'><p>{' · '.join(parts)}</p><p>{state}</p></div>"


def left_behind(board: CollectiveBoard, code: str) -> int:
    """Members of saved collective ``code`` whom the board does not place (no theme)."""
    placed = {pid for g in board._groups for pid in g.members}
    return len(board._saved_members.get(code, set()) - placed)


def render_people(board: CollectiveBoard, unthemed: Sequence[Person], placed: set[str]) -> None:
    """The notes about participants without a theme, or not yet in a collective."""
    parts = []
    if unthemed:
        n = len(unthemed)
        names = ", ".join(esc(p.name or p.pid) for p in unthemed[:MAX_LISTED])
        more = f" and {n - MAX_LISTED} more" if n > MAX_LISTED else ""
        link = esc(board.ctx.link("01_gather_themes.ipynb"))
        parts.append(
            f"<div class='ilc-notice warning'><b>{n} participant"
            f"{'s have' if n != 1 else ' has'} no theme yet</b>, so Form collectives does "
            f"not place them: {names}{more}. Give them a theme in "
            f"<a class='ilc-link' href='{link}' "
            "target='_self'>workbook 1 (Gather themes)</a>, then form collectives again."
            "</div>"
        )
    waiting = [p for p in board._people.values() if p.theme and p.pid not in placed]
    if waiting and not board._proposal:
        n = len(waiting)
        names = ", ".join(esc(p.name or p.pid) for p in waiting[:MAX_LISTED])
        more = f" and {n - MAX_LISTED} more" if n > MAX_LISTED else ""
        parts.append(
            f"<div class='ilc-notice info'><b>{n} participant{'s' if n != 1 else ''} with a "
            f"theme {'are' if n != 1 else 'is'} not in a collective yet</b>: {names}{more}. "
            "Lock the collectives that should stay as they are (Lock on their card, or "
            "Lock … with saved work), then Form collectives: it places everyone else around "
            "them.</div>"
        )
    board.unthemed.value = f"<div class='ilc'>{''.join(parts)}</div>" if parts else ""


def render_explanations(board: CollectiveBoard) -> None:
    """The optimizer's explanations of the rules it could not keep, and rules still broken."""
    if not board._proposal or not (board._explanations or board._violations):
        board.explain.value = ""
        return
    items = "".join(
        f"<li><b>{esc(rule)}</b>: {esc(message)}</li>"
        for rule, message, _ in board._explanations[:MAX_LISTED]
    )
    if len(board._explanations) > MAX_LISTED:
        items += f"<li>… and {len(board._explanations) - MAX_LISTED} more</li>"
    body = ""
    if items:
        body += (
            "<div class='ilc-notice warning ilc-explain'><b>Rules the plan could not fully "
            f"keep, and why</b><ul>{items}</ul></div>"
        )
    explained = {pid for _, _, pids in board._explanations for pid in pids}
    # a broken rule that concerns people an explanation names is explained there
    broken = [v for v in board._violations if not explained & set(v[2])]
    if broken:
        rows = "".join(f"<li><b>{esc(r)}</b>: {esc(m)}</li>" for r, m, _ in broken[:MAX_LISTED])
        body += (
            "<div class='ilc-notice error ilc-explain'><b>Rules still broken</b>"
            f"<ul>{rows}</ul></div>"
        )
    board.explain.value = f"<div class='ilc'>{body}</div>"
