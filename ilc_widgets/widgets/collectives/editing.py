"""Edits on the saved collectives, saved as they are made: names and facilitators, where a
collective meets, and moving a member."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ...errors import IlcError
from .state import group_region

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .board import CollectiveBoard
    from .state import Group

__all__ = ["move_member", "persist", "save_place", "write"]

log = logging.getLogger(__name__)


def persist(board: CollectiveBoard, code: str) -> None:
    """Save a saved collective's name and facilitator as typed (saved mode)."""
    group = board._group(code)
    meta = board._saved_meta.get(code)
    if group is None or meta is None or board._proposal:
        return
    changes = {
        f: getattr(group, f).strip()
        for f in ("name", "facilitator_name", "facilitator_email")
        if getattr(group, f).strip() != getattr(meta, f)
    }
    if not changes:
        return
    problem = board._meta_problem(group)
    if problem:
        board.notice.show(f"Not saved yet: {problem}.", "error")
        return
    if board._write(code, changes):
        what = ["name"] if "name" in changes else []
        if {"facilitator_name", "facilitator_email"} & set(changes):
            what.append("facilitator")
        board.notice.show(f"Saved the {' and '.join(what)} of {group.name.strip()}.", "success")


def write(board: CollectiveBoard, code: str, changes: Mapping[str, Any]) -> bool:
    """``update_collective`` with a message instead of an error; True when saved."""
    try:
        board._saved_meta[code] = board.net.update_collective(
            code, actor=board.ctx.actor, **changes
        )
    except IlcError as error:
        board.notice.show(f"Not saved: {error}", "error")
        return False
    except Exception:
        log.exception("saving collective %s failed", code)
        board.notice.show("Not saved: the database could not be reached. Try again.", "error")
        return False
    board._after_write()
    return True


def save_place(board: CollectiveBoard, group: Group) -> None:
    """In saved mode, store where a collective meets when that changed."""
    meta = board._saved_meta.get(group.code)
    if board._proposal or meta is None:
        return
    modality = board._group_modality(group)
    region = group.region if modality != "virtual" else ""
    if (meta.region, meta.modality) != (region, modality):
        board._write(group.code, {"region": region, "modality": modality})


def move_member(board: CollectiveBoard, pid: str, target: str) -> None:
    """Move participant ``pid`` to collective ``target`` (saved at once in saved mode)."""
    source = next((g for g in board._groups if pid in g.members), None)
    dest = board._group(target)
    person = board._people.get(pid)
    if source is None or dest is None or person is None or source is dest:
        board.notice.show("Choose a member and another collective to move them to.", "warning")
        return
    if not board._proposal:
        try:
            board.net.move_member(pid, target, actor=board.ctx.actor)
        except IlcError as error:
            board.notice.show(f"Not moved: {error}", "error")
            return
        except Exception:
            log.exception("moving %s failed", pid)
            board.notice.show("Not moved: the database could not be reached.", "error")
            return
    source.members = [p for p in source.members if p != pid]
    dest.members.append(pid)
    dest.placed_by[pid] = "moved"
    source.placed_by.pop(pid, None)
    for group in (source, dest):
        people = [board._people[p] for p in group.members if p in board._people]
        group.region = group_region(people, group.region)
        if not board._proposal:
            board._save_place(group)
    if not board._proposal:
        board._after_write()
    board._redraw_cards([source.code, dest.code])
    for card in board._cards.values():
        shown = board._group(card.code) if card.panel is not None else None
        if shown is not None:
            card.render(shown)
    board._sync()
    saved = "" if board._proposal else " (saved)"
    board.notice.show(
        f"Moved {person.name or pid} from {source.name or source.code} to "
        f"{dest.name or dest.code}{saved}.",
        "info",
    )
