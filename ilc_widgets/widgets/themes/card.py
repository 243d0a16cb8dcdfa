"""A theme's card on the board: name, size, key phrases, statements, move and split tools."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...vocab import label
from .._kit.board import Card
from .._kit.controls import field
from .state import UNTHEMED, UNTHEMED_KEY, Person, Theme, plural

if TYPE_CHECKING:
    from .board import ThemeBoard
    from .styles import Shared

__all__ = ["PAGE_ROWS", "PREVIEW_ROWS", "StatementRow", "ThemeCard"]

esc = html.escape

PREVIEW_ROWS = 4
"""Statements a card of a large board shows until opened."""
PAGE_ROWS = 60
"""Statements with a checkbox shown at once in a card's move/split panel."""


def who(person: Person) -> str:
    """A person's role and district (HTML)."""
    bits = [label("role", person.role), person.district]
    return " · ".join(esc(b) for b in bits if b)


def statement(person: Person) -> str:
    """A person's focus statement (HTML)."""
    text = person.focus.strip()
    return esc(text) if text else "<i class='muted'>(no focus statement)</i>"


class StatementRow(W.HBox):  # type: ignore[misc]
    """A statement with a checkbox, for moving or splitting it off."""

    def __init__(self, person: Person, shared: Shared) -> None:
        self.pid = person.pid
        self.check = W.Checkbox(
            value=False, indent=False, layout=shared.auto, style=shared.check_style
        )
        # the person's name is the box's label: "tick Ana Ruiz" says whose statement moves
        field(person.name or "(no name)", self.check, label_width="auto")
        self.check.add_class("ilc-statement-check")
        self.text = W.HTML(layout=shared.grow, style=shared.html_style)
        super().__init__([self.check, self.text], layout=shared.top)
        self.add_class("ilc-statement-row")
        self.update(person)

    def update(self, person: Person) -> None:
        """Show the person's current statement and details."""
        self.check.description = person.name or "(no name)"
        self.text.value = (
            f"<div class='ilc'>{statement(person)} <span class='muted'>— {who(person)}</span></div>"
        )


EDIT = (
    "Move or split…",
    "Tick statements to move them to another theme or into a new theme",
    "ilc-theme-edit",
)
"""The card's editing toggle: label, tooltip and CSS class."""


class ThemeCard(Card):
    """One theme on the board: name, size, key phrases, statements, move/split tools."""

    board: ThemeBoard

    def __init__(self, board: ThemeBoard, theme: Theme | None) -> None:
        shared = board._shared
        super().__init__(board, "ilc-theme-card", EDIT, self.render)
        self.key = UNTHEMED_KEY if theme is None else theme.key
        self.meta = W.HTML(layout=shared.grow, style=shared.html_style)
        self.show_all: W.ToggleButton | None = None
        self.limit = PAGE_ROWS
        header: list[W.Widget]
        if theme is None:
            self.add_class("ilc-unthemed")
            self.select: W.Checkbox | None = None
            self.name_box: W.Text | None = None
            title = W.HTML(
                f"<div class='ilc'><b>{UNTHEMED}</b></div>",
                layout=shared.name,
                style=shared.html_style,
            )
            header = [title, self.meta, self.edit]
        else:
            self.select = W.Checkbox(
                value=False,
                indent=False,
                layout=shared.auto,
                style=shared.check_style,
                tooltip="Tick two or more themes, then Merge",
            )
            field("Merge", self.select, label_width="auto")
            self.select.add_class("ilc-theme-select")
            self.name_box = W.Text(
                value=theme.name,
                continuous_update=False,
                layout=shared.name,
                style=shared.text_style,
            )
            field("Theme name", self.name_box, label_width="6.5em")
            self.name_box.add_class("ilc-theme-name")
            self.name_box.observe(self._renamed, "value")
            header = [self.select, self.name_box, self.meta, self.edit]
        self.header = W.HBox(header, layout=shared.center)
        self.children = (self.header, self.body)

    # -- state

    @property
    def theme(self) -> Theme | None:
        """The theme shown (None for the Unthemed card)."""
        return self.board.state.theme(self.key)

    @property
    def members(self) -> list[str]:
        """participant_ids of the card's statements, in board order."""
        return self.board.state.members(self.key)

    def _renamed(self, change: dict[str, Any]) -> None:
        self.board._rename(self.key, str(change["new"]))

    def set_invalid(self, invalid: bool) -> None:
        """Outline the card in red while its name cannot be accepted (the name field is
        marked invalid: the page template sets its aria-invalid)."""
        for widget, css in ((self, "ilc-theme-invalid"), (self.name_box, "ilc-invalid")):
            if widget is None:
                continue
            if invalid:
                widget.add_class(css)
            else:
                widget.remove_class(css)

    def focus_name(self) -> None:
        """Move the keyboard focus to the theme's name (after an error about it)."""
        if self.name_box is not None:
            self.name_box.focus()

    # -- rendering

    def render(self) -> None:
        """Redraw the card from the board's state."""
        theme = self.theme
        members = self.members
        n = len(members)
        if theme is None:
            detail = (
                "statements that fit no theme (and people with no focus statement): move them "
                "into a theme, or leave them unthemed when you accept"
            )
            self.meta.value = (
                f"<div class='ilc'><span class='pill'>{n}</span>"
                f"<span class='muted'>{esc(detail)}</span></div>"
            )
        else:
            if self.name_box is not None and self.name_box.value != theme.name:
                self.name_box.value = theme.name
            pills = "".join(f"<span class='kw'>{esc(k)}</span>" for k in theme.keywords[:6])
            self.meta.value = (
                f"<div class='ilc'><span class='pill' title='statements'>"
                f"{plural(n, 'statement')}</span>{pills}</div>"
            )
        self.edit.description = "Done" if self.edit.value else EDIT[0]
        if self.edit.value:
            self._render_panel(members)
            self.children = (self.header, self._panel())
        else:
            self._render_table(members)
            extra = [self.show_all] if self.show_all is not None and n > PREVIEW_ROWS else []
            self.children = (self.header, self.body, *extra)

    def _render_table(self, members: list[str]) -> None:
        people = self.board.state.people
        large = self.board.large
        collapsed = large and not (self.show_all is not None and self.show_all.value)
        shown = members[:PREVIEW_ROWS] if collapsed else members
        if large and len(members) > PREVIEW_ROWS and self.show_all is None:
            self.show_all = W.ToggleButton(
                value=False,
                description="Show all statements",
                layout=self.board._shared.auto,
                style=self.board._shared.toggle_style,
            )
            self.show_all.observe(lambda _c: self.render(), "value")
        if self.show_all is not None:
            self.show_all.description = (
                "Show fewer" if self.show_all.value else f"Show all {len(members)} statements"
            )
        rows = "".join(
            f"<tr><td>{statement(people[pid])}</td><td class='who'><b>"
            f"{esc(people[pid].name)}</b><br>{who(people[pid])}</td></tr>"
            for pid in shown
        )
        self.body.value = (
            f"<div class='ilc'><table class='ilc-statements'>{rows}</table></div>" if rows else ""
        )

    def _panel(self) -> W.VBox:
        if self.panel is None:
            self.rows_box = W.VBox()
            sh = self.board._shared
            self.more = W.Button(description="Show more", layout=W.Layout(width="auto"))
            self.more.on_click(lambda _: self._show_more())
            self.move_target = field(
                "Move ticked to", W.Dropdown(layout=W.Layout(width="24em")), label_width="7em"
            )
            self.move_target.add_class("ilc-move-target")
            self.move_button = sh.button("Move ticked", css="ilc-move", on_click=self.move_checked)
            self.split_button = sh.button(
                "New theme from ticked", css="ilc-split", on_click=self.split_checked
            )
            actions = W.HBox(
                [
                    W.HTML("<div class='ilc'><span class='muted'>Ticked statements:</span></div>"),
                    self.move_target,
                    self.move_button,
                    self.split_button,
                ],
                layout=sh.wrap,
            )
            self.panel = W.VBox([self.rows_box, self.more, actions])
            self.update_targets()
        return self.panel

    def _render_panel(self, members: list[str]) -> None:
        self._panel()
        rows = [self.board._row(pid) for pid in members[: self.limit]]
        self.rows_box.children = rows
        rest = len(members) - len(rows)
        self.more.description = f"Show {min(rest, PAGE_ROWS)} more of {rest}"
        self.more.layout.display = "" if rest > 0 else "none"

    def _show_more(self) -> None:
        self.limit += PAGE_ROWS
        self.render()

    def update_targets(self) -> None:
        """Offer every other theme (and Unthemed) as a place to move statements to."""
        if self.panel is None:
            return
        themes = self.board.state.themes
        options = [(t.name or "(no name)", t.key) for t in themes if t.key != self.key]
        if self.key != UNTHEMED_KEY:
            options.append((UNTHEMED, UNTHEMED_KEY))
        current = self.move_target.value
        self.move_target.options = options
        keys = [k for _n, k in options]
        if current in keys:
            self.move_target.value = current
        elif keys:
            self.move_target.value = keys[0]

    # -- actions

    def checked(self) -> list[str]:
        """participant_ids whose statements are ticked in this card."""
        rows = self.board._rows
        return [pid for pid in self.members if pid in rows and rows[pid].check.value]

    def move_checked(self, _button: W.Button | None = None) -> None:
        """Move the ticked statements to the theme chosen in the dropdown."""
        pids = self.checked()
        if not pids:
            self.board.notice.show("Tick the statements to move first.", "warning")
            return
        if self.move_target.value is None:
            self.board.notice.show("There is no other theme to move them to.", "warning")
            return
        self.board._move(pids, int(self.move_target.value))

    def split_checked(self, _button: W.Button | None = None) -> None:
        """Make a new theme of the ticked statements."""
        pids = self.checked()
        if not pids:
            self.board.notice.show("Tick the statements for the new theme first.", "warning")
            return
        self.board._split(self.key, pids, None)
