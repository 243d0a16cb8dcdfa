"""Forming and saving the plan: the optimizer runs as a background job with a moving bar,
its proposal becomes the board's collectives, and Save collectives writes them."""

from __future__ import annotations

import html
import logging
import time
from typing import TYPE_CHECKING, Any

import pandas as pd

from ...errors import IlcError
from ...vocab import slug
from .._kit.jobs import Job
from .layout import PAGE_CARDS
from .state import (
    Formed,
    Group,
    default_names,
    group_region,
    match_collectives,
    new_code,
    renamed,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .board import CollectiveBoard

__all__ = ["LARGE_ROSTER", "TICK", "TIME_LIMIT", "apply", "form", "save"]

esc = html.escape
log = logging.getLogger(__name__)

LARGE_ROSTER = 3000
"""With more participants than this the optimizer gets a time limit."""
TIME_LIMIT = 90.0
TICK = 0.5
"""Seconds between updates of the progress bar while the optimizer works."""
REPLACE = (
    "The saved collectives or the roster changed since this proposal was made (someone else "
    "saved). Click Save collectives again to replace them with this proposal, or Back to "
    "saved collectives to see theirs."
)
"""What the board asks before replacing collectives someone else saved meanwhile."""


def form(board: CollectiveBoard) -> None:
    """Propose collectives for everyone with a theme (locked collectives stay together)."""
    if board._busy:
        return
    hi, lo = board._settings()
    if lo > hi:
        board.notice.show(
            f"The minimum size ({lo}) is larger than the maximum ({hi}): change one of them.",
            "error",
        )
        return
    board._flush()
    locked = {g.code: list(g.members) for g in board._groups if g.locked and g.members}
    locked_groups = {g.code: g for g in board._groups if g.locked and g.members}
    in_lock = {pid for members in locked.values() for pid in members}
    people = [p for p in board._people.values() if p.theme or p.pid in in_lock]
    if not people:
        board.notice.show(
            "Nobody has a theme yet: accept themes in workbook 1, then form collectives.",
            "warning",
        )
        return
    frame = pd.DataFrame(
        {
            "participant_id": [p.pid for p in people],
            "name": [p.name for p in people],
            "role": [p.role for p in people],
            "district": [p.district for p in people],
            "region": [p.region for p in people],
            "modality": [p.modality for p in people],
            "theme": [p.theme for p in people],
            "second_theme": [p.second_theme for p in people],
        }
    )
    params: dict[str, Any] = {
        "max_size": hi,
        "min_size": lo,
        "use_second_theme": bool(board.use_second.value),
        "mix_roles": bool(board.mix_roles.value),
        "mix_districts": bool(board.mix_districts.value),
        "region_for_in_person": bool(board.region_rule.value),
        "locked": locked or None,
        "time_limit": TIME_LIMIT if len(people) > LARGE_ROSTER else None,
    }
    remember_settings(board, params)
    message = (
        f"Forming collectives for {len(people)} participants"
        + (f" around {len(locked)} locked collectives" if locked else "")
        + "…"
    )
    board._set_busy(True, message)
    started = time.monotonic()
    expected = max(1.0, len(people) / 400)  # seconds, roughly, on a small server

    def tick(_done: int, _total: int) -> None:
        """Keep the bar and the elapsed time moving while the optimizer works."""
        if not board._busy:
            return
        elapsed = time.monotonic() - started
        board.progress.value = min(9, 1 + int(8 * elapsed / (elapsed + expected)))
        board.status.value = (
            f"<div class='ilc'><span class='muted'>{esc(message)} {elapsed:.0f} s</span></div>"
        )

    def done(formed: Formed) -> None:
        try:
            apply(board, formed, locked_groups)
        except Exception as error:
            form_failed(board, error)

    board.job = Job(
        lambda _progress: _compute(frame, params),
        on_progress=tick,
        on_done=done,
        on_error=lambda error: form_failed(board, error),
        heartbeat=TICK,
    ).start()
    if board.job.running:  # in a worker thread: the bar starts from nothing
        board.progress.value = 0


def remember_settings(board: CollectiveBoard, params: Mapping[str, Any]) -> None:
    """Store the settings used in the network's settings (the board opens with them)."""
    keys = (
        "max_size",
        "min_size",
        "use_second_theme",
        "mix_roles",
        "mix_districts",
        "region_for_in_person",
    )
    wanted = {k: params[k] for k in keys}
    current = board.net.settings
    changes = {k: v for k, v in wanted.items() if current.get(k) != v}
    if not changes:
        return
    try:
        board.net.update_settings(actor=board.ctx.actor, **changes)
    except Exception:  # remembering the settings must never stop forming
        log.exception("saving the grouping settings failed")


def form_failed(board: CollectiveBoard, error: BaseException) -> None:
    """Say that forming failed; the board is unchanged."""
    board.step_failed(
        "Collectives could not be formed",
        error,
        "Try again, or change the settings.",
        expected=(IlcError, ValueError),
    )


def apply(board: CollectiveBoard, formed: Formed, locked_groups: Mapping[str, Group]) -> None:
    members: dict[str, list[str]] = {}
    theme_of: dict[str, str] = {}
    region_of: dict[str, str] = {}
    placed_by: dict[str, str] = {}
    for pid, cid, theme, region, how in zip(
        formed.assignments["participant_id"].astype(str),
        formed.assignments["collective"].astype(str),
        formed.assignments["theme"].astype(str),
        formed.assignments["collective_region"].astype(str),
        formed.assignments["placed_by"].astype(str),
        strict=True,
    ):
        if not cid:
            continue
        members.setdefault(cid, []).append(pid)
        theme_of.setdefault(cid, theme)
        region_of.setdefault(cid, region)
        placed_by[pid] = how
    existing = {
        code: (meta.theme, board._saved_members.get(code, set()))
        for code, meta in board._saved_meta.items()
        if code not in locked_groups
    }
    proposed = {cid: (theme_of[cid], m) for cid, m in members.items() if cid not in locked_groups}
    matches = match_collectives(proposed, existing)
    used = set(board._saved_meta) | set(locked_groups)
    groups: list[Group] = []
    by_id: dict[str, Group] = {}
    for cid in sorted(members):
        people = [board._people[p] for p in members[cid] if p in board._people]
        region = region_of[cid] if board.region_rule.value else group_region(people)
        extra = {p: h for p in members[cid] if (h := placed_by[p]) in ("second_theme", "fallback")}
        if cid in locked_groups:
            old = locked_groups[cid]
            group = Group(
                code=cid,
                name=old.name,
                theme=old.theme or theme_of[cid],
                region=region,
                members=members[cid],
                facilitator_name=old.facilitator_name,
                facilitator_email=old.facilitator_email,
                locked=True,
                saved=cid in board._saved_meta,
                continues=cid if cid in board._saved_meta else "",
            )
        elif cid in matches:
            code, _shared = matches[cid]
            meta = board._saved_meta[code]
            group = Group(
                code=code,
                name=meta.name,
                theme=theme_of[cid],
                region=region,
                members=members[cid],
                facilitator_name=meta.facilitator_name,
                facilitator_email=meta.facilitator_email,
                saved=True,
                continues=code,
            )
        else:
            code = new_code(theme_of[cid], used | {c for c, _ in matches.values()})
            used.add(code)
            group = Group(
                code=code, name="", theme=theme_of[cid], region=region, members=members[cid]
            )
        group.placed_by = extra
        groups.append(group)
        by_id[cid] = group
    default_names(groups, board._people)
    groups.sort(key=lambda g: (slug(g.theme), not g.continues, g.region or "~", g.code))
    board._groups = groups
    board._proposal = True
    board._confirm_replace = False
    board._told_external = False
    board._explanations = renamed(formed.explanations, by_id)
    board._violations = renamed(formed.violations, by_id)
    board._limit = PAGE_CARDS
    board._set_busy(False)
    board._rebuild()
    continued = sum(1 for g in groups if g.continues)
    placed = sum(len(g.members) for g in groups)
    message = f"Proposed {len(groups)} collectives for {placed} participants"
    if board._saved_meta:
        message += f" ({continued} continue saved collectives, {len(groups) - continued} are new)"
    message += ". Review the cards, then Save collectives. Nothing is saved yet."
    if board._explanations:
        message += " Some rules could not be fully kept: the reasons are listed below."
    board.notice.show(message, "success")


def save(board: CollectiveBoard) -> bool:
    """Save the proposal: collectives and memberships; False (with a message) when blocked."""
    board._flush()
    if not board._proposal:
        board.notice.show("Everything on the board is saved already.", "info")
        return True
    groups = [g for g in board._groups if g.members]
    if not groups:
        board.notice.show("There is nothing to save: form collectives first.", "error")
        return False
    for group in groups:
        problem = board._meta_problem(group)
        if problem:
            board.notice.show(f"Not saved: {problem}. Fix it on its card, then save.", "error")
            card = board._cards.get(group.code)
            if card is not None:
                card.focus_problem()
            return False
    try:
        if board.asked_to_replace(board._current_stamp() != board._fingerprint, REPLACE):
            return False
        rows = [(pid, g.code, g.locked) for g in groups for pid in g.members]
        assignments = pd.DataFrame(rows, columns=["participant_id", "collective", "locked"])
        metas = []
        for g in groups:
            modality = board._group_modality(g)
            metas.append(
                {
                    "code": g.code,
                    "name": g.name.strip(),
                    "theme": g.theme,
                    "region": g.region if modality != "virtual" else "",
                    "modality": modality,
                    "facilitator_name": g.facilitator_name.strip(),
                    "facilitator_email": g.facilitator_email.strip().lower(),
                    "locked": g.locked,
                }
            )
        board.progress.max = max(len(rows), 1)
        board._set_busy(True, f"Saving {len(groups)} collectives…")

        def progress(done: int, _total: int) -> None:
            board.progress.value = done

        board.net.save_plan(assignments, metas, actor=board.ctx.actor, progress=progress)
        retired = [c for c in board._saved_meta if c not in {g.code for g in groups}]
        removed = board.net.remove_empty_collectives(retired, actor=board.ctx.actor)
    except IlcError as error:
        board._set_busy(False)
        board.progress.max = 10
        board.notice.show(f"Not saved: {error}", "error")
        return False
    except Exception:
        log.exception("saving collectives failed")
        board._set_busy(False)
        board.progress.max = 10
        board.notice.show(
            "Not saved: the database could not be reached. The proposal is still here; try again.",
            "error",
        )
        return False
    board.progress.max = 10
    kept = [c for c in retired if c not in removed]
    kept_names = [f"{board._saved_meta[c].name} ({c})" for c in kept]
    new = sum(1 for g in groups if not g.continues)
    had_saved = bool(board._saved_meta)
    board._proposal = False
    board._busy = False
    board.load_saved()
    board._set_busy(False)
    message = f"Saved {len(groups)} collectives with {len(rows)} members"
    if had_saved:
        message += f" ({len(groups) - new} kept their id and link, {new} new)"
    if removed:
        message += (
            f"; removed {len(removed)} empty collective{'s' if len(removed) != 1 else ''} "
            f"without saved work ({', '.join(removed)})"
        )
    if kept_names:
        message += f"; kept with their saved work: {', '.join(kept_names)}"
    message += ". Next: hand out the links (Links and exports)."
    board.notice.show(message, "success")
    return True


def _compute(frame: pd.DataFrame, params: Mapping[str, Any]) -> Formed:
    """Run the optimizer (in a worker thread under a kernel)."""
    from ...grouping import RULES, form_collectives

    result = form_collectives(frame, **params)
    explanations = [
        (RULES.get(e.rule, e.rule).capitalize(), e.message, tuple(e.participant_ids))
        for e in result.attrs.get("explanations", [])
    ]
    violations = [
        (RULES.get(v.rule, v.rule).capitalize(), v.message, tuple(v.participant_ids))
        for v in result.attrs.get("violations", [])
    ]
    return Formed(result, explanations, violations)
