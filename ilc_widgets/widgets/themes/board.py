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

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from .._kit.board import Board, sheets
from .._kit.notice import Notice
from . import suggest as suggesting
from .card import StatementRow, ThemeCard
from .charts import render_charts
from .saving import accept
from .state import UNTHEMED, BoardState, Person, plural
from .styles import Shared

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from ...session import SessionContext
    from ...themes import ThemeSuggestion
    from .._kit.jobs import Job

__all__ = ["LARGE_BOARD", "POLL_SECONDS", "ThemeBoard"]

esc = html.escape

LARGE_BOARD = 150
"""With more statements than this, cards show their first few statements until opened."""
POLL_SECONDS = 3.0
"""Seconds between two looks at the network's revision (changes made elsewhere)."""

INTRO = (
    "<div class='ilc'><h2>Themes</h2><p class='muted'>"
    "<b>Suggest themes</b> groups the focus statements by what they are about. Then "
    "make the themes yours: edit a name (press Enter), tick two or more themes and "
    "<b>Merge</b>, or open <b>Move or split…</b> on a card to move statements to "
    "another theme or make a new theme of them. <b>Accept themes</b> saves them and "
    "gives each person their theme; nothing is saved before that.</p></div>"
)


class ThemeBoard(Board):
    """Suggest, shape and accept the network's themes (facilitators and researchers only)."""

    value = T.Dict(
        help=(
            "The board's working state: themes (name, keywords, members = participant_ids, in "
            "board order), unthemed (participant_ids) and saved (True when it matches the "
            "database)"
        )
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(ctx, Shared(), **kwargs)
        self._shared: Shared
        self.state = BoardState()
        self._rows: dict[str, StatementRow] = {}
        self._cards: dict[int, ThemeCard] = {}
        self._accepted_at: Any = None
        self._charts_stale = True
        self.job: Job[ThemeSuggestion] | None = None
        self._build()
        self.add_class("ilc-app")
        self.add_class("ilc-theme-board")
        self.load_saved()
        self.follow(POLL_SECONDS)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        sh = self._shared
        head = W.HTML(INTRO, layout=sh.plain, style=sh.html_style)
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
            "Suggest themes",
            style="primary",
            tooltip="Group the focus statements",
            css="ilc-suggest",
            on_click=lambda _: self.suggest(self.n_themes.value or None),
        )
        self.status = W.HTML(layout=sh.grow, style=sh.html_style)
        self.status.add_class("ilc-board-status")
        self.progress = W.IntProgress(
            value=0, min=0, max=10, bar_style="info", layout=W.Layout(display="none", width="10em")
        )
        self.notice = Notice(layout=sh.plain, style=sh.html_style)
        self.notice.add_class("ilc-board-notice")
        self.summary = W.HTML(layout=sh.plain, style=sh.html_style)
        self.summary.add_class("ilc-board-summary")
        self.merge_button = sh.button(
            "Merge ticked themes", css="ilc-merge", on_click=self.merge_checked
        )
        self.reload_button = sh.button(
            "Back to saved themes",
            css="ilc-reload",
            on_click=lambda _: self.load_saved(announce=True),
        )
        self.leave_unthemed = W.Checkbox(
            value=False, indent=False, description="", layout=W.Layout(width="auto")
        )
        self.leave_unthemed.add_class("ilc-leave-unthemed")
        self.accept_button = sh.button(
            "Accept themes", style="success", css="ilc-accept", on_click=self.accept
        )
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
            layout=sh.wrap,
        )
        actions.add_class("ilc-board-actions")
        self.children = (
            *sheets("themes"),
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

    @property
    def large(self) -> bool:
        """True when cards show their first few statements until opened."""
        return len(self.state.people) > LARGE_BOARD

    def _row(self, pid: str) -> StatementRow:
        row = self._rows.get(pid)
        if row is None:
            row = self._rows[pid] = StatementRow(self.state.people[pid], self._shared)
        return row

    def labels(self) -> dict[str, str]:
        """Each participant's theme on the board ('' for Unthemed)."""
        return self.state.labels()

    @property
    def dirty(self) -> bool:
        """True when the board differs from what is saved (someone's theme would change)."""
        return self.state.dirty

    def _read_people(self) -> dict[str, Person]:
        frame = self.net.participants_frame()
        return {
            str(r.participant_id): Person(
                str(r.participant_id),
                str(r.name or ""),
                str(r.role or ""),
                str(r.district or ""),
                str(r.focus or ""),
                str(r.theme or ""),
            )
            for r in frame.itertuples()
        }

    def _saved_stamp(self, saved: pd.DataFrame) -> Any:
        if saved.empty:
            return None
        return str(saved["accepted_at"].max())

    def load_saved(self, *, announce: bool = False) -> None:
        """Show the saved themes and who has each (participants' ``theme``)."""
        people = self._read_people()
        saved = self.net.themes_frame()
        self._accepted_at = self._saved_stamp(saved)
        self._confirm_replace = False
        keywords: dict[str, list[str]] = {
            str(name): [str(k) for k in (words or [])]
            for name, words in zip(saved["name"].tolist(), saved["keywords"].tolist(), strict=True)
        }
        self.state.load(people, keywords)
        self._rebuild()
        if announce:
            self.notice.show("The board shows the saved themes again.", "info")
        elif not self.state.themes and people:
            self.notice.show(
                f"No themes yet: click Suggest themes to group the {len(people)} "
                "participants' focus statements.",
                "info",
            )

    def _summary(self) -> str:
        themes = self.state.filled()
        people = self.state.people
        n_un = len(self.state.unthemed)
        if not people:
            return "No participants yet: import a roster or share the intake form above."
        if not themes:
            return f"{len(people)} participants, no themes yet."
        themed = sum(len(t.members) for t in themes)
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
        return state

    def _sync(self) -> None:
        """Update ``value``, the summary line and the buttons after a change."""
        self.value = self.state.value()
        n_un = len(self.state.unthemed)
        self.summary.value = f"<div class='ilc'><p>{self._summary()}</p></div>"
        self.leave_unthemed.description = (
            f"Accept with {n_un} {'person' if n_un == 1 else 'people'} unthemed"
        )
        self.leave_unthemed.disabled = n_un == 0
        self.leave_unthemed.layout.display = "" if n_un else "none"
        if not n_un:
            self.leave_unthemed.value = False
        self.reload_button.disabled = not self.dirty
        n_themes = len(self.state.filled())
        self.merge_button.disabled = n_themes < 2
        self.accept_button.disabled = n_themes == 0
        invalid = self.state.name_problems()
        for key, card in self._cards.items():
            card.set_invalid(key in invalid)
        self._charts_stale = True
        self._maybe_render_charts()

    # ------------------------------------------------------------------ rendering

    def _rebuild(self) -> None:
        """Make the cards match the themes (reusing cards) and redraw them."""
        self.state.drop_empty()
        wanted = self.state.keys()
        for key in wanted:
            if key not in self._cards:
                self._cards[key] = ThemeCard(self, self.state.theme(key))
        for key in [k for k in self._cards if k not in wanted]:
            del self._cards[key]
        self.cards_box.children = [self._cards[k] for k in wanted]
        for card in self._cards.values():
            card.render()
            card.update_targets()
        self._sync()

    def _redraw(self, keys: Iterable[int]) -> None:
        """Redraw some cards (or rebuild when a theme appeared or emptied)."""
        self.state.drop_empty()
        if set(self.state.keys()) != set(self._cards):
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
        render_charts(self)

    # ------------------------------------------------------------------ suggesting

    def suggest(self, n_themes: int | None = None) -> None:
        """Group the focus statements into themes (replaces the board; nothing is saved)."""
        suggesting.suggest(self, n_themes)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        suggesting.set_busy(self, busy, message)

    # ------------------------------------------------------------------ editing

    def _untick(self, pids: Iterable[str]) -> None:
        for pid in pids:
            if pid in self._rows:
                self._rows[pid].check.value = False

    def _rename(self, key: int, name: str) -> None:
        theme = self.state.theme(key)
        if theme is None or theme.name == name:
            return
        old = theme.name
        theme.name = name
        for card in self._cards.values():
            card.update_targets()
        self._sync()
        problem = self.state.name_problems().get(key)
        if problem:
            self.notice.show(f"This name cannot be accepted: {problem}. Choose another.", "error")
            named = self._cards.get(key)
            if named is not None:
                named.focus_name()
        else:
            self.notice.show(f"Renamed '{old}' to '{name.strip()}'.", "info")

    def _move(self, pids: Sequence[str], target: int) -> None:
        moving, changed, where = self.state.move(pids, target)
        self._untick(moving)
        self._redraw(changed)
        self.notice.show(f"Moved {plural(len(moving), 'statement')} to '{where}'.", "info")

    def _split(self, source: int, pids: Sequence[str], name: str | None) -> str:
        new = self.state.split(source, pids, name)
        if new is None:
            self.notice.show(
                "Every statement of this theme is ticked: rename the theme instead, or untick "
                "the statements that should stay.",
                "warning",
            )
            return ""
        self._untick(new.members)
        self._rebuild()
        self.notice.show(
            f"Made a new theme '{new.name}' of {plural(len(new.members), 'statement')}: "
            "give it a name that says what it is about.",
            "info",
        )
        return new.name

    def merge_checked(self, _button: W.Button | None = None) -> str:
        """Merge the themes whose box is ticked into the first of them (board order)."""
        keys = [k for k, c in self._cards.items() if c.select is not None and c.select.value]
        order = [t.key for t in self.state.themes]
        return self._merge(sorted(keys, key=order.index))

    def _merge(self, keys: Sequence[int]) -> str:
        themes = self.state.merge(keys)
        if len(themes) < 2:
            self.notice.show("Tick the box of two or more themes to merge them.", "warning")
            return ""
        first, rest = themes[0], themes[1:]
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
        theme = self.state.by_name(old)
        if theme is None:
            raise KeyError(f"{UNTHEMED} cannot be renamed")
        box = self._cards[theme.key].name_box
        assert box is not None
        box.value = new

    def merge(self, names: Sequence[str]) -> str:
        """Merge the named themes into the first; returns the merged theme's name."""
        return self._merge([self.state.key_of(n) for n in names if n != UNTHEMED])

    def split(self, name: str, pids: Sequence[str], new_name: str | None = None) -> str:
        """Make a new theme of some statements of theme ``name`` (or of Unthemed)."""
        return self._split(self.state.key_of(name), pids, new_name)

    def move(self, pids: Sequence[str], target: str) -> None:
        """Move statements (by participant_id) to the theme ``target`` (or Unthemed)."""
        self._move(pids, self.state.key_of(target))

    def card(self, name: str) -> ThemeCard:
        """The card of theme ``name`` (``Unthemed`` for the unthemed card)."""
        return self._cards[self.state.key_of(name)]

    # ------------------------------------------------------------------ saving

    def accept(self, _button: W.Button | None = None) -> bool:
        """Save the themes and each person's theme; False (with a message) when blocked."""
        return accept(self)

    # ------------------------------------------------------------------ live updates

    def refresh(self) -> None:
        """Take in participants added or changed since the board was drawn.

        New people's statements go to Unthemed, or to their theme when their row came with
        one; people who left are removed. The board's own edits are kept.
        """
        before = dict(self.state.people)
        was_dirty = self.dirty
        changed, arrivals = self.state.take_in(self._read_people())
        for pid, person in self.state.people.items():
            if pid in self._rows and before.get(pid, person) != person:
                self._rows[pid].update(person)
        stamp = self._saved_stamp(self.net.themes_frame())
        if stamp != self._accepted_at and not was_dirty:
            self.load_saved()
            self.notice.show("Themes were accepted elsewhere; the board shows them.", "info")
            return
        if changed:
            self._redraw(changed)
        if arrivals:
            n = len(arrivals)
            self.notice.show(
                f"{plural(n, 'new participant')} since the board opened: "
                "their statements are in Unthemed (or in their theme).",
                "info",
            )
