"""Workbook 02, forming collectives: the facilitator's collective board.

The board opens on the saved collectives, so a facilitator sees the current state; edits
made there (name, facilitator, lock, meeting region, moving a member) are saved as they
are made. **Form collectives** runs :func:`ilc_widgets.grouping.form_collectives` over
everyone with a theme (in a worker thread under a kernel) and shows a *proposal*: one card
per collective with its composition table, role and district mix, and warnings, plus the
optimizer's explanation of every rule it could not keep. The facilitator renames, assigns
facilitators, moves members and locks collectives (locked members stay together when
forming again), then **Save collectives** writes the plan with :meth:`Network.save_plan`.

Saving keeps the work already done: a proposed collective continues an existing one (same
id, link, name, facilitator, placemat and evidence) when it has the same theme and shares
members with it, the pairs sharing the most members matched first (:func:`match_collectives`);
existing collectives left without members are removed only when they have no saved work.

The *Links and exports* tab gives each saved collective's link with a QR code, a printable
links sheet (without the facilitator link) and the roster as CSV and XLSX.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

import traitlets as T

from .._kit.autosave import Debouncer
from .._kit.board import Board
from . import charts, editing, forming, links, summary
from .card import CollectiveCard, card_html
from .layout import CHARTS_TAB, LINKS_TAB, PAGE_CARDS, build
from .state import (
    Group,
    Person,
    Rules,
    Saved,
    card_warnings,
    details,
    has_work,
    kept,
    meta_problem,
    modality,
    text,
    work_text,
)
from .styles import Shared

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd

    from ...network import Collective
    from ...session import SessionContext
    from .._kit.jobs import Job
    from .state import Formed

__all__ = ["POLL_SECONDS", "CollectiveBoard"]

esc = html.escape
log = logging.getLogger(__name__)

POLL_SECONDS = 3.0
"""Seconds between two looks at the network's revision (changes made elsewhere)."""


class CollectiveBoard(Board):
    """Form, shape and save the network's collectives; then hand out links (facilitators only)."""

    value = T.Dict(
        help=(
            "The working plan: collectives (code, name, theme, region, modality, facilitator_name, "
            "facilitator_email, locked, members = participant_ids, continues = the saved id it "
            "keeps, saved), unthemed (participant_ids without a theme), proposal (True while a "
            "formed plan is not saved) and saved (True when the board matches the database)"
        )
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(ctx, Shared(), **kwargs)
        self._shared: Shared
        self._people: dict[str, Person] = {}
        self._groups: list[Group] = []
        self._cards: dict[str, CollectiveCard] = {}
        self._saved_meta: dict[str, Collective] = {}
        self._saved_members: dict[str, set[str]] = {}
        self._work: dict[str, dict[str, int]] = {}
        self._explanations: list[tuple[str, str, tuple[str, ...]]] = []
        self._violations: list[tuple[str, str, tuple[str, ...]]] = []
        self._debouncers: dict[str, Debouncer] = {}
        self._proposal = False
        self._told_external = False
        self._fingerprint = 0
        self._limit = PAGE_CARDS
        self._links_built = False
        self._links_stale = True
        self._charts_stale = True
        self.job: Job[Formed] | None = None
        build(self)
        self.add_class("ilc-app")
        self.add_class("ilc-collective-board")
        self.load_saved()
        self.follow(POLL_SECONDS)

    # ------------------------------------------------------------------ reading

    def _read_people(self) -> pd.DataFrame:
        frame = self.net.participants_frame()
        self._people = {
            text(r.participant_id): Person(
                text(r.participant_id),
                text(r.name),
                text(r.email),
                text(r.role),
                text(r.organization),
                text(r.district),
                text(r.region),
                text(r.modality) or "either",
                text(r.theme),
                text(r.second_theme),
                text(r.collective),
            )
            for r in frame.itertuples()
        }
        return frame

    def _stamp(self, collectives: Sequence[Collective]) -> int:
        """A fingerprint of who is where and of the collectives' details.

        Revision counters are left out: evidence or a placemat saved in a collective is no
        change to the board.
        """
        people = tuple(sorted((p.pid, p.theme, p.collective) for p in self._people.values()))
        return hash((people, details(collectives)))

    def _current_stamp(self) -> int:
        frame = self.net.participants_frame()
        people = tuple(
            sorted(
                (text(p), text(t), text(c))
                for p, t, c in zip(
                    frame["participant_id"], frame["theme"], frame["collective"], strict=True
                )
            )
        )
        return hash((people, details(self.net.collective_list())))

    def _after_write(self) -> None:
        self._read_people()
        self._fingerprint = self._stamp(list(self._saved_meta.values()))
        if self.poller is not None:
            self.poller.mark_seen()

    def load_saved(self, *, announce: bool = False) -> None:
        """Show the saved collectives and their members (drops any proposal)."""
        self._flush()
        self._read_people()
        saved = self.net.collective_list()
        self._saved_meta = {c.code: c for c in saved}
        members: dict[str, list[str]] = {c.code: [] for c in saved}
        for person in self._people.values():
            if person.collective in members:
                members[person.collective].append(person.pid)
        self._saved_members = {code: set(m) for code, m in members.items()}
        work = self.net.collective_work()
        self._work = {
            str(r["collective"]): {
                str(k): int(v) for k, v in r.items() if k not in ("collective", "has_work")
            }
            for r in work.to_dict("records")
        }
        self._groups = [
            Group(
                code=c.code,
                name=c.name,
                theme=c.theme,
                region="" if c.modality == "virtual" else c.region,
                members=members[c.code],
                facilitator_name=c.facilitator_name,
                facilitator_email=c.facilitator_email,
                locked=c.locked,
                saved=True,
                continues=c.code,
            )
            for c in saved
        ]
        self._proposal = False
        self._confirm_replace = False
        self._told_external = False
        self._explanations, self._violations = [], []
        self._fingerprint = self._stamp(saved)
        self._rebuild()
        if announce:
            self.notice.show("The board shows the saved collectives again.", "info")
        elif not saved:
            themed = sum(1 for p in self._people.values() if p.theme)
            if themed:
                self.notice.show(
                    f"No collectives yet: check the settings and click Form collectives to "
                    f"propose collectives for the {themed} participants with a theme.",
                    "info",
                )
            elif self._people:
                self.notice.show(
                    "Nobody has a theme yet: accept themes in workbook 1 first.", "warning"
                )
            else:
                self.notice.show(
                    "No participants yet: import a roster in workbook 1 first.", "warning"
                )

    # ------------------------------------------------------------------ state helpers

    def _group(self, code: str) -> Group | None:
        for group in self._groups:
            if group.code == code:
                return group
        return None

    def _card(self, code: str) -> CollectiveCard:
        card = self._cards.get(code)
        if card is None:
            card = self._cards[code] = CollectiveCard(self, code)
        return card

    def card(self, code: str) -> CollectiveCard:
        """The card of collective ``code`` (drawn)."""
        group = self._group(code)
        if group is None:
            raise KeyError(f"there is no collective {code!r} on the board")
        card = self._card(code)
        card.render(group)
        return card

    def _kept(self, group: Group) -> int:
        """How many members of the saved collective it continues a group still has."""
        return kept(group, self._saved_members)

    def _has_work(self, code: str) -> bool:
        return has_work(self._work, code)

    def _work_text(self, code: str) -> str:
        return work_text(self._work, code)

    def _meta_problem(self, group: Group) -> str:
        return meta_problem(group)

    def _settings(self) -> tuple[int, int]:
        return int(self.max_size.value), int(self.min_size.value)

    # ------------------------------------------------------------------ drawing

    def _rebuild(self) -> None:
        """Make the cards match the groups (reusing cards by id) and redraw everything."""
        codes = [g.code for g in self._groups]
        for code in [c for c in self._cards if c not in codes]:
            del self._cards[code]
        self._redraw_cards(codes)
        self._sync()

    def _redraw_cards(self, codes: Iterable[str]) -> None:
        shown = self._groups[: self._limit]
        for code in codes:
            group = self._group(code)
            if group is not None and (code in self._cards or group in shown):
                self._card(code).render(group)
        self.cards_box.children = [self._card(g.code) for g in shown]
        rest = len(self._groups) - len(shown)
        self.more_button.description = f"Show {min(rest, PAGE_CARDS)} more of {rest}"
        self.more_button.layout.display = "" if rest > 0 else "none"

    def _show_more(self) -> None:
        self._limit += PAGE_CARDS
        self._redraw_cards([g.code for g in self._groups[self._limit - PAGE_CARDS : self._limit]])

    def _warnings(self, group: Group) -> list[str]:
        """What a facilitator should look at in a collective (HTML, typed text escaped)."""
        hi, lo = self._settings()
        rules = Rules(hi, lo, bool(self.region_rule.value), bool(self.use_second.value))
        return card_warnings(group, self._members(group), rules, self._saved())

    def _saved(self) -> Saved:
        """What the cards are drawn against (the proposal flag and the saved collectives)."""
        return Saved(self._proposal, self._saved_meta, self._saved_members, self._work)

    def _members(self, group: Group) -> list[Person]:
        """The people of ``group`` (those still on the roster)."""
        return [self._people[p] for p in group.members if p in self._people]

    def _card_html(self, group: Group, warnings: Sequence[str]) -> str:
        return card_html(group, self._members(group), warnings, self._saved())

    def _sync(self) -> None:
        """Update ``value``, the summary, the explanations and the buttons after a change."""
        unthemed = [p for p in self._people.values() if not p.theme]
        placed = {pid for g in self._groups for pid in g.members}
        self.value = {
            "collectives": [
                {
                    "code": g.code,
                    "name": g.name,
                    "theme": g.theme,
                    "region": g.region,
                    "modality": self._group_modality(g),
                    "facilitator_name": g.facilitator_name,
                    "facilitator_email": g.facilitator_email,
                    "locked": g.locked,
                    "members": list(g.members),
                    "continues": g.continues,
                    "saved": g.saved,
                }
                for g in self._groups
            ],
            "unthemed": [p.pid for p in unthemed],
            "proposal": self._proposal,
            "saved": not self._proposal,
        }
        self._render_summary(placed)
        self._render_people(unthemed, placed)
        self._render_explanations()
        self.save_button.disabled = self._busy or not self._proposal
        self.save_button.description = "Save collectives" if self._proposal else "Saved"
        self.reload_button.disabled = self._busy or not self._proposal
        worked = self._unlocked_with_work()
        self.lock_worked_button.disabled = self._busy or not worked
        self.lock_worked_button.description = (
            f"Lock the {len(worked)} with saved work" if worked else "Lock those with saved work"
        )
        self._links_stale = self._charts_stale = True
        if self._links_built and self.tabs.selected_index == LINKS_TAB:
            self.render_links()
        elif self.tabs.selected_index == CHARTS_TAB:
            self.render_charts()

    def _unlocked_with_work(self) -> list[Group]:
        if self._proposal:
            return []
        return [g for g in self._groups if g.saved and self._has_work(g.code) and not g.locked]

    def _group_modality(self, group: Group) -> str:
        people = [self._people[p] for p in group.members if p in self._people]
        return modality(people, group.region) if people else "virtual"

    def _render_summary(self, placed: set[str]) -> None:
        summary.render_summary(self, placed)

    def _left_behind(self, code: str) -> int:
        """Members of saved collective ``code`` whom the board does not place (no theme)."""
        return summary.left_behind(self, code)

    def _render_people(self, unthemed: Sequence[Person], placed: set[str]) -> None:
        summary.render_people(self, unthemed, placed)

    def _render_explanations(self) -> None:
        summary.render_explanations(self)

    # ------------------------------------------------------------------ forming and saving

    def form(self) -> None:
        """Propose collectives for everyone with a theme (locked collectives stay together)."""
        forming.form(self)

    def save(self) -> bool:
        """Save the proposal: collectives and memberships; False (with a message) when blocked."""
        return forming.save(self)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.form_button.disabled = busy
        self.save_button.disabled = busy or not self._proposal
        self.reload_button.disabled = busy or not self._proposal
        self.progress.layout.display = "" if busy else "none"
        self.progress.value = 5 if busy else 0
        self.status.value = (
            f"<div class='ilc'><span class='muted'>{esc(message)}</span></div>" if message else ""
        )

    # ------------------------------------------------------------------ editing

    def _edit(self, code: str, field_name: str, value: str) -> None:
        group = self._group(code)
        if group is None or getattr(group, field_name) == value:
            return
        setattr(group, field_name, value)
        if code in self._cards:
            self._cards[code].render(group)
        if not self._proposal and group.saved:
            debouncer = self._debouncers.get(code)
            if debouncer is None:
                debouncer = self._debouncers[code] = Debouncer(lambda: self._persist(code))
            debouncer()
        self._sync()

    def _flush(self) -> None:
        for debouncer in list(self._debouncers.values()):
            debouncer.flush()

    def _persist(self, code: str) -> None:
        """Save a saved collective's name and facilitator as typed (saved mode)."""
        editing.persist(self, code)

    def _write(self, code: str, changes: Mapping[str, Any]) -> bool:
        """``update_collective`` with a message instead of an error; True when saved."""
        return editing.write(self, code, changes)

    def _set_lock(self, code: str, locked: bool) -> None:
        group = self._group(code)
        if group is None or group.locked == locked:
            return
        group.locked = locked
        if not self._proposal and group.saved:
            self._write(code, {"locked": locked})
        self._card(code).render(group)
        self._sync()
        if locked:
            self.notice.show(
                f"Locked {group.name or code}: its members stay together when you form again.",
                "info",
            )

    def _set_region(self, code: str, region: str) -> None:
        group = self._group(code)
        if group is None or group.region == region:
            return
        group.region = region
        self._save_place(group)
        self._card(code).render(group)
        self._sync()

    def _save_place(self, group: Group) -> None:
        """In saved mode, store where a collective meets when that changed."""
        editing.save_place(self, group)

    def _move(self, pid: str, target: str) -> None:
        editing.move_member(self, pid, target)

    def lock_worked(self) -> int:
        """Lock every saved collective with saved work; returns how many were locked.

        Only on the saved collectives (a proposal's members are not the ones who did the work).
        """
        worked = self._unlocked_with_work()
        for group in worked:
            self._set_lock(group.code, True)
        if worked:
            self.notice.show(
                f"Locked {len(worked)} collective{'s' if len(worked) != 1 else ''} with saved "
                "work: Form collectives now places everyone else around them.",
                "info",
            )
        return len(worked)

    def rename(self, code: str, name: str) -> None:
        """Rename collective ``code`` (as typing in its card does)."""
        self.card(code).name_box.value = name

    def set_facilitator(self, code: str, name: str, email: str = "") -> None:
        """Assign the facilitator of ``code`` (as typing in its panel does)."""
        card = self.card(code)
        card.edit.value = True
        card.fac_name.value = name
        card.fac_email.value = email

    def lock(self, code: str, locked: bool = True) -> None:
        """Lock (or unlock) collective ``code`` (as its Lock button does)."""
        self.card(code).lock.value = locked

    def move(self, pid: str, code: str) -> None:
        """Move participant ``pid`` to collective ``code`` (as the Move button does)."""
        source = next((g for g in self._groups if pid in g.members), None)
        if source is None:
            raise KeyError(f"{pid} is not on the board")
        card = self.card(source.code)
        card.edit.value = True
        card.move_member.value = pid
        card.move_target.value = code
        card.move_button.click()

    # ------------------------------------------------------------------ live updates

    def refresh(self) -> None:
        """Follow changes made elsewhere (another facilitator, the intake form)."""
        if self._busy:
            return
        current = self._current_stamp()
        if current == self._fingerprint:
            return
        if not self._proposal:
            self.load_saved()
            self.notice.show(
                "The collectives or the roster changed elsewhere; the board shows them now.",
                "info",
            )
        elif not self._told_external:
            self._told_external = True
            self.notice.show(
                "The saved collectives or the roster changed since this proposal was made. "
                "Form collectives again to include the changes; saving will ask you to confirm.",
                "warning",
            )

    # ------------------------------------------------------------------ links and charts

    def _tab_changed(self) -> None:
        if self.tabs.selected_index == LINKS_TAB and (self._links_stale or not self._links_built):
            self.render_links()
        elif self.tabs.selected_index == CHARTS_TAB and self._charts_stale:
            self.render_charts()

    def render_charts(self) -> None:
        """Draw the mix charts: roles in each collective, and districts and roles per collective.

        Matplotlib is loaded here, the first time the tab is opened, not when the page loads.
        """
        charts.render_charts(self)

    def render_links(self, *, sheet: bool = False) -> None:
        """Draw the saved collectives' links, QR codes and downloads (builds the tab)."""
        links.render_links(self, sheet=sheet)
