"""A collective's card: name, lock, composition and mix; facilitator, region and moves."""

from __future__ import annotations

import html
from collections import Counter
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...vocab import label
from .._kit.board import Card
from .._kit.controls import field
from .state import (
    MAX_NAME,
    Group,
    Person,
    Saved,
    attends,
    has_work,
    kept,
    modality,
    work_text,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .board import CollectiveBoard

__all__ = ["MODALITY_LABELS", "CollectiveCard", "bars", "card_html"]

esc = html.escape

MODALITY_LABELS = {"in_person": "In person", "virtual": "Virtual", "hybrid": "Hybrid"}


EDIT = (
    "Facilitator and moves…",
    "Assign a facilitator, choose where it meets, move a member",
    "ilc-collective-edit",
)
"""The card's editing toggle: label, tooltip and CSS class."""


class CollectiveCard(Card):
    """One collective: name, lock, composition and mix; facilitator, region and moves on request."""

    board: CollectiveBoard

    def __init__(self, board: CollectiveBoard, code: str) -> None:
        sh = board._shared
        super().__init__(board, "ilc-collective-card", EDIT, self._show_panel)
        self.code = code
        self._quiet = False
        self.name_box = field(
            "Name",
            self._text_box("name", "Name this collective", "ilc-collective-name", layout=sh.name),
            label_width="3.5em",
        )
        self.code_html = W.HTML(layout=sh.auto, style=sh.html_style)
        self.lock = sh.toggle(
            f"Lock {code}",
            tooltip="Locked collectives keep their members together when you form again",
            css="ilc-collective-lock",
            on_change=self._locked,
        )
        self.body.add_class("ilc-collective-body")
        self.header = W.HBox(
            [self.name_box, self.code_html, self.lock, self.edit], layout=sh.center
        )
        self.children = (self.header, self.body)

    # -- events

    def _typed(self, field_name: str) -> Any:
        def changed(change: dict[str, Any]) -> None:
            if not self._quiet:
                self.board._edit(self.code, field_name, str(change["new"]))

        return changed

    def _text_box(
        self, field_name: str, placeholder: str, css: str, layout: W.Layout | None = None
    ) -> W.Text:
        """A text box whose typing is saved into ``field_name`` of the collective."""
        sh = self.board._shared
        box = W.Text(
            placeholder=placeholder,
            continuous_update=True,
            layout=layout or sh.text,
            style=sh.text_style,
        )
        box.add_class(css)
        box.observe(self._typed(field_name), "value")
        return box

    def _locked(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self.board._set_lock(self.code, bool(change["new"]))

    def _region_chosen(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"] is not None:
            self.board._set_region(self.code, str(change["new"]))

    # -- the panel (built the first time it is opened)

    def _build_panel(self) -> W.VBox:
        sh = self.board._shared
        wide = "7em"
        self.fac_name = field(
            "Facilitator",
            self._text_box(
                "facilitator_name", "Facilitator's name", "ilc-facilitator-name", sh.labelled
            ),
            label_width=wide,
        )
        self.fac_email = field(
            "Email",
            self._text_box(
                "facilitator_email", "Facilitator's email", "ilc-facilitator-email", sh.email
            ),
            label_width="3.5em",
        )
        self.region = field(
            "Meets", W.Dropdown(layout=sh.labelled, style=sh.choice_style), label_width=wide
        )
        self.region.add_class("ilc-collective-region")
        self.region.observe(self._region_chosen, "value")
        self.move_member = field(
            "Move", W.Dropdown(layout=sh.labelled_choice, style=sh.choice_style), label_width=wide
        )
        self.move_member.add_class("ilc-move-member")
        self.move_target = field(
            "to", W.Dropdown(layout=sh.short_choice, style=sh.choice_style), label_width="1.6em"
        )
        self.move_target.add_class("ilc-move-target")
        self.move_button = sh.button(
            f"Move out of {self.code}", tooltip="Move the member chosen to that collective"
        )
        self.move_button.add_class("ilc-move")
        self.move_button.on_click(lambda _b: self.move_chosen())
        self.panel = W.VBox(
            [
                W.HBox([self.fac_name, self.fac_email], layout=sh.center),
                W.HBox([self.region], layout=sh.center),
                W.HBox([self.move_member, self.move_target, self.move_button], layout=sh.center),
            ],
            layout=sh.plain,
        )
        self.panel.add_class("ilc-collective-panel")
        return self.panel

    def _show_panel(self) -> None:
        if self.edit.value and self.panel is None:
            self._build_panel()
        group = self.board._group(self.code)
        if group is not None:
            self.render(group)

    def move_chosen(self) -> None:
        """Move the member chosen in the panel to the collective chosen."""
        pid, target = self.move_member.value, self.move_target.value
        if not pid or not target:
            self.board.notice.show("Choose a member and a collective to move them to.", "warning")
            return
        self.board._move(str(pid), str(target))

    # -- drawing

    def render(self, group: Group) -> None:
        """Show ``group`` (widget values are set without triggering saves)."""
        board = self.board
        self._quiet = True
        try:
            if self.name_box.value != group.name:
                self.name_box.value = group.name
            self.lock.value = group.locked
            self.lock.description = f"{group.code} locked" if group.locked else f"Lock {group.code}"
            self.code_html.value = (
                f"<div class='ilc'><span class='ilc-code'>{esc(group.code)}</span></div>"
            )
            self.edit.description = "Done" if self.edit.value else "Facilitator and moves…"
            if self.panel is not None:
                self._render_panel(group)
        finally:
            self._quiet = False
        warnings = board._warnings(group)
        self.body.value = board._card_html(group, warnings)
        problem = bool(board._meta_problem(group))
        wrong = self._field_of(group) if problem else None
        email = self.fac_email if self.panel is not None else None
        for widget, cls, on in (
            (self, "ilc-locked", group.locked),
            (self, "ilc-warned", bool(warnings)),
            (self, "ilc-collective-invalid", problem),
            # the field at fault: the page template sets its aria-invalid from this class
            (self.name_box, "ilc-invalid", wrong is self.name_box),
            (email, "ilc-invalid", wrong is not None and wrong is email),
        ):
            if widget is None:
                continue
            if on:
                widget.add_class(cls)
            else:
                widget.remove_class(cls)
        shown = (self.header, self.body, self.panel) if self.edit.value and self.panel else None
        self.children = shown or (self.header, self.body)

    def _field_of(self, group: Group) -> W.Text | None:
        """The field a problem of ``group``'s name or facilitator is in (None when the
        facilitator panel was never opened)."""
        name = group.name.strip()
        if not name or len(name) > MAX_NAME:
            return self.name_box
        return self.fac_email if self.panel is not None else None

    def focus_problem(self) -> None:
        """Move the keyboard focus to the field whose value blocks saving (opening the
        facilitator panel when the problem is the email)."""
        group = self.board._group(self.code)
        if group is None:
            return
        if self._field_of(group) is not self.name_box and not self.edit.value:
            self.edit.value = True  # builds and shows the panel
        wrong = self._field_of(group)
        if wrong is not None:
            wrong.focus()

    def _render_panel(self, group: Group) -> None:
        board = self.board
        if self.fac_name.value != group.facilitator_name:
            self.fac_name.value = group.facilitator_name
        if self.fac_email.value != group.facilitator_email:
            self.fac_email.value = group.facilitator_email
        people = [board._people[p] for p in group.members if p in board._people]
        regions = sorted({p.region for p in people if p.region and p.modality != "virtual"})
        if group.region and group.region not in regions:
            regions.append(group.region)
        options = [
            ("Virtually (no meeting region)", ""),
            *((f"In person in {r}", r) for r in regions),
        ]
        if list(self.region.options) != options:
            self.region.options = options
        self.region.value = group.region
        members = [
            (f"{p.name} ({p.district})" if p.district else p.name, p.pid)
            for p in sorted(people, key=lambda p: p.name.casefold())
        ]
        current = self.move_member.value
        if list(self.move_member.options) != members:
            self.move_member.options = members
        if current in group.members:
            self.move_member.value = current
        elif members:
            self.move_member.value = members[0][1]
        targets = [
            (f"{g.name or g.code} · {g.code}", g.code)
            for g in board._groups
            if g.code != group.code
        ]
        chosen = self.move_target.value
        if list(self.move_target.options) != targets:
            self.move_target.options = targets
        if chosen in {c for _n, c in targets}:
            self.move_target.value = chosen
        elif targets:
            self.move_target.value = targets[0][1]
        self.move_button.disabled = not members or not targets


def card_html(
    group: Group,
    people: Sequence[Person],
    warnings: Sequence[str],
    saved: Saved,
) -> str:
    """The body of a collective's card: its pills, origin, warnings, members and mix."""
    saved_meta, saved_members, work = saved.meta, saved.members, saved.work
    n = len(people)
    how_it_meets = modality(people, group.region) if people else "virtual"
    n_ip = sum(1 for p in people if attends(p, group.region) == "in_person")
    districts = Counter(p.district or "(no district)" for p in people)
    roles = Counter(label("role", p.role) or "(no role)" for p in people)
    where = MODALITY_LABELS[how_it_meets] + (
        f" · {esc(group.region)}" if group.region and how_it_meets != "virtual" else ""
    )
    pills = [
        f"<span class='pill' title='theme'>{esc(group.theme or 'no theme')}</span>",
        f"<span class='pill' title='how it meets'>{where}</span>",
        f"<span class='pill'><b>{n}</b> member{'s' if n != 1 else ''}"
        + (f" ({n_ip} in person, {n - n_ip} virtual)" if n and 0 < n_ip < n else "")
        + "</span>",
        f"<span class='pill' title='distinct districts and roles'><b>{len(districts)}</b> "
        f"district{'s' if len(districts) != 1 else ''} · <b>{len(roles)}</b> "
        f"role{'s' if len(roles) != 1 else ''}</span>",
    ]
    facilitator = (
        f"Facilitator: <b>{esc(group.facilitator_name)}</b>"
        + (f" &lt;{esc(group.facilitator_email)}&gt;" if group.facilitator_email else "")
        if group.facilitator_name or group.facilitator_email
        else "<span class='muted'>No facilitator yet</span>"
    )
    if not saved.proposal:
        done = work_text(work, group.code)
        origin = "Saved" + (f" · work so far: {esc(done)}" if done else " · no work saved yet")
    elif group.continues and group.continues in saved_meta:
        old = saved_meta[group.continues]
        before = len(saved_members.get(group.continues, ()))
        origin = (
            f"Continues <b>{esc(old.name)}</b> (same id and link): keeps "
            f"{kept(group, saved_members)} of its {before} member{'s' if before != 1 else ''}"
            + (" and its saved work" if has_work(work, group.continues) else "")
        )
    else:
        origin = "New collective (a new id and link when saved)"
    if group.locked:
        origin += " · <b>locked</b>"
    meta = (
        f"<div class='ilc-meta'>{''.join(pills)}</div>"
        f"<div class='muted'>{facilitator} · {origin}</div>"
    )
    warn = (
        "<ul class='ilc-warnings'>" + "".join(f"<li>{w}</li>" for w in warnings) + "</ul>"
        if warnings
        else ""
    )
    if not people:
        return f"<div class='ilc'>{meta}{warn}</div>"
    rows = []
    for p in sorted(people, key=lambda p: (p.district.casefold(), p.name.casefold())):
        attending = attends(p, group.region)
        notes = []
        how = group.placed_by.get(p.pid, "")
        if how == "second_theme":
            notes.append("second-choice theme")
        elif how == "fallback":
            notes.append(f"theme: {esc(p.theme)}")
        elif how == "moved":
            notes.append("moved here")
        if p.modality == "in_person" and attending == "virtual":
            notes.append("asked for in person")
        rows.append(
            f"<tr><td>{esc(p.name)}</td><td>{esc(label('role', p.role))}</td>"
            f"<td>{esc(p.district)}</td><td class='nowrap'>{esc(p.region)}</td>"
            f"<td class='nowrap'>{'In person' if attending == 'in_person' else 'Virtual'}</td>"
            f"<td class='note'>{', '.join(notes)}</td></tr>"
        )
    table = (
        "<table class='ilc-table ilc-members-table'><thead><tr><th>Name</th><th>Role</th>"
        "<th>District</th><th>Region</th><th>Attends</th><th>Note</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    mix = (
        "<div class='ilc-mix'><h4>Roles</h4>"
        + bars(roles, n, "")
        + "<h4>Districts</h4>"
        + bars(districts, n, "d")
        + "</div>"
    )
    return (
        f"<div class='ilc'>{meta}{warn}<div class='ilc-card-grid'>"
        f"<div class='ilc-members'>{table}</div>{mix}</div></div>"
    )


def bars(counts: Counter[str], total: int, css: str) -> str:
    """Counts as small horizontal bars, largest first."""
    rows = []
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        width = max(4, round(90 * n / max(total, 1)))
        rows.append(
            f"<tr><td class='lbl' title='{esc(name)}'>{esc(name)}</td><td><span class='ilc-bar "
            f"{css}' style='width:{width}px'></span>{n}</td></tr>"
        )
    rest = len(counts) - 8
    if rest > 0:
        rows.append(f"<tr><td class='lbl muted'>{rest} more</td><td></td></tr>")
    return f"<table>{''.join(rows)}</table>"
