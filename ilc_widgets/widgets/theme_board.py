"""Workbook 01, identifying themes: the facilitator's theme board.

"Suggest themes" groups participants' focus statements with
:func:`ilc_widgets.themes.suggest_themes`; each theme is a card with its name (editable),
size, key phrases and its statements with who wrote them. The facilitator renames, merges
(tick themes), splits (tick statements -> new theme), moves statements between themes, and
accepts: :meth:`Network.accept_themes` saves the themes and fills each participant's
``theme``. Statements that fit no theme wait in an "Unthemed" card: accepting while some
remain needs an explicit tick, and those people keep a blank theme (so they are not placed
in a collective until they get one). The board opens on the saved themes, so a facilitator
who comes back sees their work. Charts (theme sizes, by role, by district) render when
their tab is opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_bool import CheckboxStyle, ToggleButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..errors import IlcError
from ..vocab import label
from ._base import CSS, Notice, Poller, esc, running_loop

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from ..network import Network
    from ..session import SessionContext
    from ..themes import ThemeSuggestion

log = logging.getLogger(__name__)

UNTHEMED = "Unthemed"
"""The group of statements that fit no theme (same name as :data:`ilc_widgets.themes.UNTHEMED`,
repeated here so that opening the board does not import the theme model's module)."""

UNTHEMED_KEY = -1
LARGE_BOARD = 150
"""With more statements than this, cards show their first few statements until opened."""
PREVIEW_ROWS = 4
PAGE_ROWS = 60
"""Statements with a checkbox shown at once in a card's move/split panel."""
MAX_NAME = 200
MAX_CHART_DISTRICTS = 7

BOARD_CSS = """
<style>
.ilc-theme-board .widget-html-content { line-height: 1.45; }
.ilc-theme-board .widget-html-content p { margin: .3em 0; }
.ilc-theme-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .35em .6em;
  margin: .35em 0; background: #fff; }
.ilc-theme-card.ilc-unthemed { border-color: #d4a72c; background: #fffdf0; }
.ilc-theme-card.ilc-invalid { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
.ilc-theme-card .ilc-theme-name input { font-weight: 600; font-size: 1.05em; }
.ilc table.ilc-statements { border-collapse: collapse; width: 100%; font-size: .9em;
  margin: .2em 0; }
.ilc table.ilc-statements td { border-top: 1px solid #eaeef2; padding: 2px 6px;
  vertical-align: top; }
.ilc table.ilc-statements td.who { width: 16em; color: #57606a; font-size: .92em; }
.ilc .kw { display: inline-block; border-radius: 9px; padding: 0 .45em; font-size: .82em;
  background: #eef2f6; margin: 0 .25em .1em 0; }
.ilc-statement-row { border-top: 1px solid #eaeef2; }
.ilc-statement-row .widget-checkbox { width: 2em; }
.ilc-board-actions { position: sticky; top: 0; z-index: 5; background: #fff;
  padding: .2em 0; border-bottom: 1px solid #eaeef2; }
.ilc-charts svg { max-width: 100%; height: auto; }
</style>
"""


@dataclass(frozen=True)
class _Person:
    pid: str
    name: str
    role: str
    district: str
    focus: str
    theme: str


@dataclass
class _Theme:
    key: int
    name: str
    keywords: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


def _who(person: _Person) -> str:
    bits = [label("role", person.role), person.district]
    return " · ".join(esc(b) for b in bits if b)


def _statement(person: _Person) -> str:
    text = person.focus.strip()
    return esc(text) if text else "<i class='muted'>(no focus statement)</i>"


def _chart_label(text: str, limit: int = 38) -> str:
    """A label for matplotlib: shortened, and with ``$`` not read as mathematics."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


class _Shared:
    """Layouts and styles shared by every card and row of one board.

    Each ipywidget otherwise brings its own Layout and Style models; sharing them keeps the
    number of models the page loads (and so the time until it is usable) small.
    """

    def __init__(self) -> None:
        self.plain = W.Layout()
        self.auto = W.Layout(width="auto")
        self.name = W.Layout(width="24em")
        self.tick = W.Layout(width="1.8em")
        self.grow = W.Layout(flex="1 1 auto", margin="0 0 0 .6em")
        self.center = W.Layout(align_items="center")
        self.top = W.Layout(align_items="flex-start")
        self.check_style = CheckboxStyle()
        self.text_style = TextStyle()
        self.html_style = HTMLStyle()
        self.toggle_style = ToggleButtonStyle()
        self.button_style = W.ButtonStyle()

    def button(
        self, description: str, *, style: str = "", icon: str = "", tooltip: str = ""
    ) -> W.Button:
        """A button like :func:`._base.button`, with the shared layout and style."""
        return W.Button(
            description=description,
            button_style=style,
            icon=icon,
            tooltip=tooltip or description,
            layout=self.auto,
            style=self.button_style,
        )


class _StatementRow(W.HBox):  # type: ignore[misc]
    """A statement with a checkbox, for moving or splitting it off."""

    def __init__(self, person: _Person, shared: _Shared) -> None:
        self.pid = person.pid
        self.check = W.Checkbox(
            value=False, indent=False, layout=shared.tick, style=shared.check_style
        )
        self.check.add_class("ilc-statement-check")
        self.text = W.HTML(layout=shared.grow, style=shared.html_style)
        super().__init__([self.check, self.text], layout=shared.top)
        self.add_class("ilc-statement-row")
        self.update(person)

    def update(self, person: _Person) -> None:
        """Show the person's current statement and details."""
        self.text.value = (
            f"<div class='ilc'>{_statement(person)} <span class='muted'>— "
            f"<b>{esc(person.name)}</b>, {_who(person)}</span></div>"
        )


class ThemeCard(W.VBox):  # type: ignore[misc]
    """One theme on the board: name, size, key phrases, statements, move/split tools."""

    children: tuple[W.Widget, ...]

    def __init__(self, board: ThemeBoard, theme: _Theme | None) -> None:
        shared = board._shared
        super().__init__(layout=shared.plain)
        self.board = board
        self.key = UNTHEMED_KEY if theme is None else theme.key
        self.add_class("ilc-theme-card")
        self.meta = W.HTML(layout=shared.grow, style=shared.html_style)
        self.edit = W.ToggleButton(
            value=False,
            description="Move or split…",
            tooltip="Tick statements to move them to another theme or into a new theme",
            layout=shared.auto,
            style=shared.toggle_style,
        )
        self.edit.add_class("ilc-theme-edit")
        self.edit.observe(lambda _c: self.render(), "value")
        self.body = W.HTML(layout=shared.plain, style=shared.html_style)
        self.panel: W.VBox | None = None
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
                layout=shared.tick,
                style=shared.check_style,
                tooltip="Tick two or more themes, then Merge",
            )
            self.select.add_class("ilc-theme-select")
            self.name_box = W.Text(
                value=theme.name,
                continuous_update=False,
                layout=shared.name,
                style=shared.text_style,
            )
            self.name_box.add_class("ilc-theme-name")
            self.name_box.observe(self._renamed, "value")
            header = [self.select, self.name_box, self.meta, self.edit]
        self.header = W.HBox(header, layout=shared.center)
        self.children = (self.header, self.body)

    # -- state

    @property
    def theme(self) -> _Theme | None:
        """The theme shown (None for the Unthemed card)."""
        return self.board._theme(self.key)

    @property
    def members(self) -> list[str]:
        """participant_ids of the card's statements, in board order."""
        theme = self.theme
        return self.board._unthemed if theme is None else theme.members

    def _renamed(self, change: dict[str, Any]) -> None:
        self.board._rename(self.key, str(change["new"]))

    def set_invalid(self, invalid: bool) -> None:
        """Outline the card in red while its name cannot be accepted."""
        if invalid:
            self.add_class("ilc-invalid")
        else:
            self.remove_class("ilc-invalid")

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
                f"<div class='ilc'><span class='pill' title='statements'>{n} "
                f"statement{'s' if n != 1 else ''}</span>{pills}</div>"
            )
        self.edit.description = "Done" if self.edit.value else "Move or split…"
        if self.edit.value:
            self._render_panel(members)
            self.children = (self.header, self._panel())
        else:
            self._render_table(members)
            extra = [self.show_all] if self.show_all is not None and n > PREVIEW_ROWS else []
            self.children = (self.header, self.body, *extra)

    def _render_table(self, members: list[str]) -> None:
        people = self.board._people
        collapsed = self.board._large and not (self.show_all is not None and self.show_all.value)
        shown = members[:PREVIEW_ROWS] if collapsed else members
        if self.board._large and len(members) > PREVIEW_ROWS and self.show_all is None:
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
            f"<tr><td>{_statement(people[pid])}</td><td class='who'><b>"
            f"{esc(people[pid].name)}</b><br>{_who(people[pid])}</td></tr>"
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
            self.move_target = W.Dropdown(layout=W.Layout(width="18em"))
            self.move_target.add_class("ilc-move-target")
            self.move_button = sh.button("Move ticked", icon="arrow-right")
            self.move_button.add_class("ilc-move")
            self.move_button.on_click(lambda _: self.move_checked())
            self.split_button = sh.button("New theme from ticked", icon="code-fork")
            self.split_button.add_class("ilc-split")
            self.split_button.on_click(lambda _: self.split_checked())
            actions = W.HBox(
                [
                    W.HTML("<div class='ilc'><span class='muted'>Ticked statements:</span></div>"),
                    self.move_button,
                    W.HTML("<div class='ilc'><span class='muted'>to</span></div>"),
                    self.move_target,
                    self.split_button,
                ],
                layout=W.Layout(align_items="center", flex_flow="row wrap"),
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
        options = [(t.name or "(no name)", t.key) for t in self.board._themes if t.key != self.key]
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

    def move_checked(self) -> None:
        """Move the ticked statements to the theme chosen in the dropdown."""
        pids = self.checked()
        if not pids:
            self.board.notice.show("Tick the statements to move first.", "warning")
            return
        if self.move_target.value is None:
            self.board.notice.show("There is no other theme to move them to.", "warning")
            return
        self.board._move(pids, int(self.move_target.value))

    def split_checked(self) -> None:
        """Make a new theme of the ticked statements."""
        pids = self.checked()
        if not pids:
            self.board.notice.show("Tick the statements for the new theme first.", "warning")
            return
        self.board._split(self.key, pids, None)


class ThemeBoard(W.VBox):  # type: ignore[misc]
    """Suggest, shape and accept the network's themes (facilitators and researchers only)."""

    children: tuple[W.Widget, ...]

    value = T.Dict(
        help=(
            "The board's working state: themes (name, keywords, members = participant_ids, in "
            "board order), unthemed (participant_ids) and saved (True when it matches the "
            "database)"
        )
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self._themes: list[_Theme] = []
        self._unthemed: list[str] = []
        self._people: dict[str, _Person] = {}
        self._rows: dict[str, _StatementRow] = {}
        self._cards: dict[int, ThemeCard] = {}
        self._next_key = 0
        self._accepted_at: Any = None
        self._confirm_replace = False
        self._charts_stale = True
        self._busy = False
        self.poller: Poller | None = None
        self._shared = _Shared()
        self.net: Network = ctx.require_network()
        self._build()
        self.add_class("ilc-app")
        self.add_class("ilc-theme-board")
        self.load_saved()
        self.poller = Poller(self.net.revision, self.refresh, interval=3.0)
        self.poller.start()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        sh = self._shared
        head = W.HTML(
            CSS + BOARD_CSS + "<div class='ilc'><h2>Themes</h2><p class='muted'>"
            "<b>Suggest themes</b> groups the focus statements by what they are about. Then "
            "make the themes yours: edit a name (press Enter), tick two or more themes and "
            "<b>Merge</b>, or open <b>Move or split…</b> on a card to move statements to "
            "another theme or make a new theme of them. <b>Accept themes</b> saves them and "
            "gives each person their theme; nothing is saved before that.</p></div>",
            layout=sh.plain,
            style=sh.html_style,
        )
        choices = [("Automatic", 0), *((str(k), k) for k in range(2, 31))]
        self.n_themes = W.Dropdown(
            options=choices,
            value=0,
            description="Themes",
            layout=W.Layout(width="12em"),
            style={"description_width": "4em"},
        )
        self.n_themes.add_class("ilc-n-themes")
        self.suggest_button = sh.button(
            "Suggest themes", style="primary", icon="magic", tooltip="Group the focus statements"
        )
        self.suggest_button.add_class("ilc-suggest")
        self.suggest_button.on_click(lambda _: self.suggest(self.n_themes.value or None))
        self.status = W.HTML(layout=sh.grow, style=sh.html_style)
        self.status.add_class("ilc-board-status")
        self.progress = W.IntProgress(
            value=0, min=0, max=10, bar_style="info", layout=W.Layout(display="none", width="10em")
        )
        self.notice = Notice(layout=sh.plain, style=sh.html_style)
        self.notice.add_class("ilc-board-notice")
        self.summary = W.HTML(layout=sh.plain, style=sh.html_style)
        self.summary.add_class("ilc-board-summary")
        self.merge_button = sh.button("Merge ticked themes", icon="compress")
        self.merge_button.add_class("ilc-merge")
        self.merge_button.on_click(lambda _: self.merge_checked())
        self.reload_button = sh.button("Back to saved themes", icon="undo")
        self.reload_button.add_class("ilc-reload")
        self.reload_button.on_click(lambda _: self.load_saved(announce=True))
        self.leave_unthemed = W.Checkbox(
            value=False, indent=False, description="", layout=W.Layout(width="auto")
        )
        self.leave_unthemed.add_class("ilc-leave-unthemed")
        self.accept_button = sh.button("Accept themes", style="success", icon="check")
        self.accept_button.add_class("ilc-accept")
        self.accept_button.on_click(lambda _: self.accept())
        self.cards_box = W.VBox(layout=sh.plain)
        self.cards_box.add_class("ilc-theme-cards")
        self.charts_box = W.VBox(layout=sh.plain)
        self.charts_box.add_class("ilc-charts")
        self.chart_sizes: W.HTML | None = None
        self.chart_roles: W.HTML | None = None
        self.chart_districts: W.HTML | None = None
        self.tabs = W.Tab(children=[self.cards_box, self.charts_box], titles=("Board", "Charts"))
        self.tabs.observe(lambda _c: self._maybe_render_charts(), "selected_index")
        actions = W.HBox(
            [self.merge_button, self.reload_button, self.leave_unthemed, self.accept_button],
            layout=W.Layout(align_items="center", flex_flow="row wrap"),
        )
        actions.add_class("ilc-board-actions")
        self.children = (
            head,
            W.HBox(
                [self.n_themes, self.suggest_button, self.progress, self.status],
                layout=sh.center,
            ),
            self.notice,
            self.summary,
            actions,
            self.tabs,
        )

    # ------------------------------------------------------------------ state

    def _theme(self, key: int) -> _Theme | None:
        for theme in self._themes:
            if theme.key == key:
                return theme
        return None

    def _by_name(self, name: str) -> _Theme | None:
        if name == UNTHEMED:
            return None
        for theme in self._themes:
            if theme.name == name:
                return theme
        raise KeyError(f"there is no theme {name!r} on the board")

    def _new_theme(
        self, name: str, keywords: Iterable[str] = (), members: Iterable[str] = ()
    ) -> _Theme:
        self._next_key += 1
        return _Theme(self._next_key, name, list(keywords), list(members))

    @property
    def _large(self) -> bool:
        return len(self._people) > LARGE_BOARD

    def _row(self, pid: str) -> _StatementRow:
        row = self._rows.get(pid)
        if row is None:
            row = self._rows[pid] = _StatementRow(self._people[pid], self._shared)
        return row

    def labels(self) -> dict[str, str]:
        """Each participant's theme on the board ('' for Unthemed)."""
        found = dict.fromkeys(self._unthemed, "")
        for theme in self._themes:
            found.update(dict.fromkeys(theme.members, theme.name))
        return found

    @property
    def dirty(self) -> bool:
        """True when the board differs from what is saved (someone's theme would change)."""
        board = self.labels()
        return any(board.get(pid, "") != p.theme for pid, p in self._people.items())

    def _read_people(self) -> pd.DataFrame:
        frame = self.net.participants_frame()
        self._people = {
            str(r.participant_id): _Person(
                str(r.participant_id),
                str(r.name or ""),
                str(r.role or ""),
                str(r.district or ""),
                str(r.focus or ""),
                str(r.theme or ""),
            )
            for r in frame.itertuples()
        }
        return frame

    def _saved_stamp(self, saved: pd.DataFrame) -> Any:
        if saved.empty:
            return None
        return str(saved["accepted_at"].max())

    def load_saved(self, *, announce: bool = False) -> None:
        """Show the saved themes and who has each (participants' ``theme``)."""
        self._read_people()
        saved = self.net.themes_frame()
        self._accepted_at = self._saved_stamp(saved)
        self._confirm_replace = False
        keywords: dict[str, list[str]] = {
            str(name): [str(k) for k in (words or [])]
            for name, words in zip(saved["name"].tolist(), saved["keywords"].tolist(), strict=True)
        }
        groups: dict[str, list[str]] = {str(n): [] for n in saved["name"]}
        unthemed: list[str] = []
        for pid, person in self._people.items():
            if person.theme.strip():
                groups.setdefault(person.theme, []).append(pid)
            else:
                unthemed.append(pid)
        accepted = [n for n in groups if n in keywords]
        others = sorted((n for n in groups if n not in keywords), key=lambda n: -len(groups[n]))
        self._themes = [
            self._new_theme(n, keywords.get(n, []), groups[n])
            for n in [*accepted, *others]
            if groups[n]
        ]
        self._unthemed = unthemed
        self._rebuild()
        if announce:
            self.notice.show("The board shows the saved themes again.", "info")
        elif not self._themes and self._people:
            self.notice.show(
                f"No themes yet: click Suggest themes to group the {len(self._people)} "
                "participants' focus statements.",
                "info",
            )

    def _sync(self) -> None:
        """Update ``value``, the summary line and the buttons after a change."""
        themes = [t for t in self._themes if t.members]
        self.value = {
            "themes": [
                {"name": t.name, "keywords": list(t.keywords), "members": list(t.members)}
                for t in themes
            ],
            "unthemed": list(self._unthemed),
            "saved": not self.dirty,
        }
        themed = sum(len(t.members) for t in themes)
        n_un = len(self._unthemed)
        if not self._people:
            state = "No participants yet: import a roster or share the intake form above."
        elif not themes:
            state = f"{len(self._people)} participants, no themes yet."
        else:
            state = (
                f"<b>{len(themes)}</b> theme{'s' if len(themes) != 1 else ''} · "
                f"<b>{themed}</b> people in a theme · "
                + (f"<span class='warn'><b>{n_un}</b> unthemed</span>" if n_un else "0 unthemed")
            )
            if self.dirty:
                state += " · <span class='warn'>not saved: accept to save</span>"
            elif self._accepted_at:
                when = str(self._accepted_at)[:16]
                state += f" · <span class='ok'>saved (accepted {esc(when)} UTC)</span>"
        self.summary.value = f"<div class='ilc'><p>{state}</p></div>"
        self.leave_unthemed.description = (
            f"Accept with {n_un} {'person' if n_un == 1 else 'people'} unthemed"
        )
        self.leave_unthemed.disabled = n_un == 0
        self.leave_unthemed.layout.display = "" if n_un else "none"
        if not n_un:
            self.leave_unthemed.value = False
        self.reload_button.disabled = not self.dirty
        self.merge_button.disabled = len(themes) < 2
        self.accept_button.disabled = not themes
        invalid = self._name_problems()
        for key, card in self._cards.items():
            card.set_invalid(key in invalid)
        self._charts_stale = True
        self._maybe_render_charts()

    # ------------------------------------------------------------------ rendering

    def _rebuild(self) -> None:
        """Make the cards match the themes (reusing cards) and redraw them."""
        self._themes = [t for t in self._themes if t.members]
        wanted = [t.key for t in self._themes]
        if self._unthemed:
            wanted.append(UNTHEMED_KEY)
        for key in wanted:
            if key not in self._cards:
                self._cards[key] = ThemeCard(self, self._theme(key))
        for key in [k for k in self._cards if k not in wanted]:
            del self._cards[key]
        self.cards_box.children = [self._cards[k] for k in wanted]
        for card in self._cards.values():
            card.render()
            card.update_targets()
        self._sync()

    def _redraw(self, keys: Iterable[int]) -> None:
        """Redraw some cards (or rebuild when a theme appeared or emptied)."""
        self._themes = [t for t in self._themes if t.members]
        present = {t.key for t in self._themes} | ({UNTHEMED_KEY} if self._unthemed else set())
        if present != set(self._cards):
            self._rebuild()
            return
        for key in keys:
            if key in self._cards:
                self._cards[key].render()
        self._sync()

    def _maybe_render_charts(self) -> None:
        tabs = getattr(self, "tabs", None)
        if self._charts_stale and tabs is not None and tabs.selected_index == 1:
            self.render_charts()

    def render_charts(self) -> None:
        """Draw the three charts: theme sizes, themes by role, themes by district."""
        from .. import charts

        self._charts_stale = False
        if self.chart_sizes is None or self.chart_roles is None or self.chart_districts is None:
            sh = self._shared
            self.chart_sizes = W.HTML(layout=sh.plain, style=sh.html_style)
            self.chart_roles = W.HTML(layout=sh.plain, style=sh.html_style)
            self.chart_districts = W.HTML(layout=sh.plain, style=sh.html_style)
            self.charts_box.children = (self.chart_sizes, self.chart_roles, self.chart_districts)
        self.chart_sizes.value = "<div class='ilc'><p class='muted'>Drawing the charts…</p></div>"
        groups = [(t.name, t.members) for t in self._themes if t.members]
        if self._unthemed:
            groups.append((UNTHEMED, self._unthemed))
        if not groups:
            self.chart_sizes.value = charts.empty_svg("No themes yet")
            self.chart_roles.value = self.chart_districts.value = ""
            return
        names = [_chart_label(n) for n, _ in groups]
        self.chart_sizes.value = charts.bar_svg(
            names,
            [len(m) for _, m in groups],
            title="Statements per theme",
            xlabel="participants",
        )
        people = self._people

        def series(key: str, top: int | None = None) -> dict[str, list[float]]:
            totals: dict[str, int] = {}
            for _, members in groups:
                for pid in members:
                    value = getattr(people[pid], key) or "(blank)"
                    totals[value] = totals.get(value, 0) + 1
            ordered = sorted(totals, key=lambda v: (-totals[v], v))
            kept = ordered if top is None or len(ordered) <= top + 1 else ordered[:top]
            out: dict[str, list[float]] = {}
            for value in kept:
                shown = label("role", value) if key == "role" else value
                out[_chart_label(shown, 30)] = [
                    float(sum(1 for pid in m if (getattr(people[pid], key) or "(blank)") == value))
                    for _, m in groups
                ]
            if len(kept) < len(ordered):
                rest = set(ordered[len(kept) :])
                out[f"{len(rest)} other districts"] = [
                    float(sum(1 for pid in m if (getattr(people[pid], key) or "(blank)") in rest))
                    for _, m in groups
                ]
            return out

        self.chart_roles.value = charts.stacked_bar_svg(
            names, series("role"), title="Themes by role", xlabel="participants"
        )
        self.chart_districts.value = charts.stacked_bar_svg(
            names,
            series("district", MAX_CHART_DISTRICTS),
            title="Themes by district",
            xlabel="participants",
        )

    # ------------------------------------------------------------------ suggesting

    def suggest(self, n_themes: int | None = None) -> None:
        """Group the focus statements into themes (replaces the board; nothing is saved)."""
        if self._busy:
            return
        people = [p for p in self._people.values() if p.focus.strip()]
        if not people:
            self.notice.show(
                "There are no focus statements yet: import a roster or collect them with the "
                "intake form first.",
                "warning",
            )
            return
        if n_themes is not None and n_themes > len(people):
            n_themes = len(people)
        texts = [p.focus for p in people]
        pids = [p.pid for p in people]
        self._set_busy(
            True,
            f"Suggesting themes for {len(texts)} statements… (the first time loads the "
            "language model: a few seconds)",
        )
        loop = running_loop()
        if loop is None:
            try:
                result = _compute(texts, n_themes)
            except Exception as error:
                self._suggest_failed(error)
                return
            self._apply(pids, result)
            return
        future = loop.run_in_executor(None, _compute, texts, n_themes)

        def done(fut: Any) -> None:
            try:
                result = fut.result()
            except Exception as error:
                self._suggest_failed(error)
                return
            try:
                self._apply(pids, result)
            except Exception as error:
                self._suggest_failed(error)

        future.add_done_callback(done)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        self.suggest_button.disabled = busy
        self.accept_button.disabled = busy or not self._themes
        self.progress.layout.display = "" if busy else "none"
        self.progress.bar_style = "info"
        self.progress.value = 5 if busy else 0
        self.status.value = (
            f"<div class='ilc'><span class='muted'>{esc(message)}</span></div>" if message else ""
        )

    def _suggest_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, IlcError):
            self.notice.show(f"Themes could not be suggested: {error}", "error")
        else:
            log.error("suggesting themes failed", exc_info=error)
            self.notice.show(
                "Themes could not be suggested because of an internal error; the board is "
                "unchanged. Try again, or shape the themes by hand.",
                "error",
            )

    def _apply(self, pids: Sequence[str], result: ThemeSuggestion) -> None:
        present = set(self._people)
        themes: list[_Theme] = []
        placed: set[str] = set()
        unthemed: list[str] = []
        for theme in result.themes:
            members = [pids[i] for i in theme.members if pids[i] in present]
            placed.update(members)
            if theme.name == UNTHEMED:
                unthemed.extend(members)
            elif members:
                themes.append(self._new_theme(theme.name, theme.keywords, members))
        unthemed += [pid for pid in self._people if pid not in placed]
        self._themes, self._unthemed = themes, unthemed
        for row in self._rows.values():
            row.check.value = False
        self._rebuild()
        self._set_busy(False)
        self.accept_button.disabled = not themes
        n_un = len(unthemed)
        self.notice.show(
            f"Suggested {len(themes)} themes"
            + (f"; {n_un} {'person is' if n_un == 1 else 'people are'} unthemed" if n_un else "")
            + ". Rename, merge, split or move statements, then accept. Nothing is saved yet.",
            "success",
        )

    # ------------------------------------------------------------------ editing

    def _name_problems(self) -> dict[int, str]:
        problems: dict[int, str] = {}
        seen: dict[str, int] = {}
        for theme in self._themes:
            if not theme.members:
                continue
            name = theme.name.strip()
            if not name:
                problems[theme.key] = "a theme has no name"
            elif name.casefold() == UNTHEMED.casefold():
                problems[theme.key] = f"'{UNTHEMED}' is kept for statements without a theme"
            elif len(name) > MAX_NAME:
                problems[theme.key] = f"'{name[:40]}…' is longer than {MAX_NAME} characters"
            elif name.casefold() in seen:
                problems[theme.key] = f"two themes are called '{name}'"
            else:
                seen[name.casefold()] = theme.key
        return problems

    def _rename(self, key: int, name: str) -> None:
        theme = self._theme(key)
        if theme is None or theme.name == name:
            return
        old = theme.name
        theme.name = name
        for card in self._cards.values():
            card.update_targets()
        self._sync()
        problem = self._name_problems().get(key)
        if problem:
            self.notice.show(f"This name cannot be accepted: {problem}. Choose another.", "error")
        else:
            self.notice.show(f"Renamed '{old}' to '{name.strip()}'.", "info")

    def _move(self, pids: Sequence[str], target: int) -> None:
        moving = [p for p in pids if p in self._people]
        wanted = set(moving)
        sources = {UNTHEMED_KEY} if wanted & set(self._unthemed) else set()
        for theme in self._themes:
            if wanted & set(theme.members):
                sources.add(theme.key)
                theme.members = [p for p in theme.members if p not in wanted]
        self._unthemed = [p for p in self._unthemed if p not in wanted]
        destination = self._theme(target)
        if destination is None:
            self._unthemed.extend(moving)
            where = UNTHEMED
        else:
            destination.members.extend(moving)
            where = destination.name
        for pid in moving:
            if pid in self._rows:
                self._rows[pid].check.value = False
        self._redraw({*sources, target})
        n = len(moving)
        self.notice.show(f"Moved {n} statement{'s' if n != 1 else ''} to '{where}'.", "info")

    def _split(self, source: int, pids: Sequence[str], name: str | None) -> str:
        wanted = [p for p in pids if p in self._people]
        theme = self._theme(source)
        members = self._unthemed if theme is None else theme.members
        if theme is not None and set(members) <= set(wanted):
            self.notice.show(
                "Every statement of this theme is ticked: rename the theme instead, or untick "
                "the statements that should stay.",
                "warning",
            )
            return ""
        used = {t.name.casefold() for t in self._themes}
        base = (name or "New theme").strip() or "New theme"
        new_name, i = base, 1
        while new_name.casefold() in used:
            i += 1
            new_name = f"{base} {i}"
        keep = set(wanted)
        if theme is None:
            self._unthemed = [p for p in self._unthemed if p not in keep]
        else:
            theme.members = [p for p in theme.members if p not in keep]
        new = self._new_theme(new_name, [], wanted)
        position = len(self._themes)
        if theme is not None:
            position = self._themes.index(theme) + 1
        self._themes.insert(position, new)
        for pid in wanted:
            if pid in self._rows:
                self._rows[pid].check.value = False
        self._rebuild()
        self.notice.show(
            f"Made a new theme '{new_name}' of {len(wanted)} statement"
            f"{'s' if len(wanted) != 1 else ''}: give it a name that says what it is about.",
            "info",
        )
        return new_name

    def merge_checked(self) -> str:
        """Merge the themes whose box is ticked into the first of them (board order)."""
        keys = [k for k, c in self._cards.items() if c.select is not None and c.select.value]
        order = [t.key for t in self._themes]
        return self._merge(sorted(keys, key=order.index))

    def _merge(self, keys: Sequence[int]) -> str:
        themes = [t for t in (self._theme(k) for k in keys) if t is not None]
        if len(themes) < 2:
            self.notice.show("Tick the box of two or more themes to merge them.", "warning")
            return ""
        first, rest = themes[0], themes[1:]
        for theme in rest:
            first.members.extend(theme.members)
            first.keywords += [k for k in theme.keywords if k not in first.keywords]
            theme.members = []
        for card in self._cards.values():
            if card.select is not None:
                card.select.value = False
        self._rebuild()
        names = ", ".join(f"'{t.name}'" for t in rest)
        self.notice.show(
            f"Merged {names} into '{first.name}' ({len(first.members)} statements). "
            "Rename it if another name fits better.",
            "info",
        )
        return first.name

    # -- the same actions by theme name (for researchers and tests)

    def rename(self, old: str, new: str) -> None:
        """Rename theme ``old`` to ``new`` (as typing in its card does)."""
        theme = self._by_name(old)
        if theme is None:
            raise KeyError(f"{UNTHEMED} cannot be renamed")
        box = self._cards[theme.key].name_box
        assert box is not None
        box.value = new

    def merge(self, names: Sequence[str]) -> str:
        """Merge the named themes into the first; returns the merged theme's name."""
        keys = []
        for name in names:
            theme = self._by_name(name)
            if theme is not None:
                keys.append(theme.key)
        return self._merge(keys)

    def split(self, name: str, pids: Sequence[str], new_name: str | None = None) -> str:
        """Make a new theme of some statements of theme ``name`` (or of Unthemed)."""
        theme = self._by_name(name)
        return self._split(UNTHEMED_KEY if theme is None else theme.key, pids, new_name)

    def move(self, pids: Sequence[str], target: str) -> None:
        """Move statements (by participant_id) to the theme ``target`` (or Unthemed)."""
        theme = self._by_name(target)
        self._move(pids, UNTHEMED_KEY if theme is None else theme.key)

    def card(self, name: str) -> ThemeCard:
        """The card of theme ``name`` (``Unthemed`` for the unthemed card)."""
        theme = self._by_name(name)
        return self._cards[UNTHEMED_KEY if theme is None else theme.key]

    # ------------------------------------------------------------------ saving

    def accept(self) -> bool:
        """Save the themes and each person's theme; False (with a message) when blocked."""
        themes = [t for t in self._themes if t.members]
        if not themes:
            self.notice.show("There are no themes to accept yet: suggest themes first.", "error")
            return False
        problems = self._name_problems()
        if problems:
            first = next(iter(problems.values()))
            self.notice.show(
                f"Not accepted: {first}. Fix the name outlined in red, then accept.", "error"
            )
            return False
        n_un = len(self._unthemed)
        if n_un and not self.leave_unthemed.value:
            self.notice.show(
                f"Not accepted: {n_un} {'person is' if n_un == 1 else 'people are'} still "
                "Unthemed. Move their statements into a theme, or tick "
                f"'Accept with {n_un} unthemed': they then get no theme for now and are not "
                "placed in a collective until they have one.",
                "error",
            )
            return False
        try:
            current = self._saved_stamp(self.net.themes_frame())
            if current != self._accepted_at and not self._confirm_replace:
                self._confirm_replace = True
                self.notice.show(
                    "Someone else accepted themes since this board was opened. Click Accept "
                    "again to replace them with this board, or 'Back to saved themes' to see "
                    "theirs.",
                    "warning",
                )
                self.reload_button.disabled = False
                return False
            labels = {pid: t.name.strip() for t in themes for pid in t.members}
            labels.update(dict.fromkeys(self._unthemed, ""))
            self.net.accept_themes(
                labels,
                [{"name": t.name.strip(), "keywords": list(t.keywords)} for t in themes],
                actor=self.ctx.actor,
            )
            saved = self.net.themes_frame()
        except IlcError as error:
            self.notice.show(f"Not accepted: {error}", "error")
            return False
        except Exception:
            log.exception("accepting themes failed")
            self.notice.show(
                "Not accepted: the database could not be reached. The board is unchanged; "
                "try again.",
                "error",
            )
            return False
        for theme in themes:
            theme.name = theme.name.strip()
        self._accepted_at = self._saved_stamp(saved)
        self._confirm_replace = False
        self._read_people()
        if self.poller is not None:
            self.poller.mark_seen()
        self._redraw([])
        themed = sum(len(t.members) for t in themes)
        message = (
            f"Accepted {len(themes)} themes: {themed} people now have a theme"
            + (f", {n_un} have none yet" if n_un else "")
            + ". Next: form collectives in workbook 2."
        )
        if not self.net.collectives_frame().empty:
            message += (
                " Collectives already formed keep their members: re-form them there if the "
                "themes changed."
            )
        self.notice.show(message, "success")
        return True

    # ------------------------------------------------------------------ live updates

    def refresh(self) -> None:
        """Take in participants added or changed since the board was drawn.

        New people's statements go to Unthemed, or to their theme when their row came with
        one; people who left are removed. The board's own edits are kept.
        """
        before = dict(self._people)
        was_dirty = self.dirty
        self._read_people()
        placed = {pid for t in self._themes for pid in t.members} | set(self._unthemed)
        gone = placed - set(self._people)
        changed_cards: set[int] = set()
        if gone:
            for theme in self._themes:
                if gone & set(theme.members):
                    theme.members = [p for p in theme.members if p not in gone]
                    changed_cards.add(theme.key)
            self._unthemed = [p for p in self._unthemed if p not in gone]
            changed_cards.add(UNTHEMED_KEY)
        arrivals = [pid for pid in self._people if pid not in placed]
        names = {t.name: t for t in self._themes}
        for pid in arrivals:
            theme_name = self._people[pid].theme.strip()
            if not theme_name:
                self._unthemed.append(pid)
                changed_cards.add(UNTHEMED_KEY)
                continue
            home = names.get(theme_name)
            if home is None:  # a roster that came with its own themes
                home = names[theme_name] = self._new_theme(theme_name)
                self._themes.append(home)
            home.members.append(pid)
            changed_cards.add(home.key)
        for pid, person in self._people.items():
            old = before.get(pid)
            if old is not None and old != person:
                if pid in self._rows:
                    self._rows[pid].update(person)
                for theme in self._themes:
                    if pid in theme.members:
                        changed_cards.add(theme.key)
                if pid in self._unthemed:
                    changed_cards.add(UNTHEMED_KEY)
        stamp = self._saved_stamp(self.net.themes_frame())
        if stamp != self._accepted_at and not was_dirty:
            self.load_saved()
            self.notice.show("Themes were accepted elsewhere; the board shows them.", "info")
            return
        if changed_cards:
            self._redraw(changed_cards)
        if arrivals:
            n = len(arrivals)
            self.notice.show(
                f"{n} new participant{'s' if n != 1 else ''} since the board opened: "
                "their statements are in Unthemed (or in their theme).",
                "info",
            )


def _compute(texts: list[str], n_themes: int | None) -> ThemeSuggestion:
    """Run the theme suggestion (in a worker thread under a kernel)."""
    from ..themes import suggest_themes

    return suggest_themes(texts, n_themes=n_themes)
