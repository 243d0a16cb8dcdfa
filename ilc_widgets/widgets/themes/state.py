"""The theme board's working state, without widgets: who is in which theme, and the rules
of renaming, moving, splitting, merging and taking in a suggestion or new people.

:class:`BoardState` changes the themes and says what changed; the board's views draw it
and say it on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...vocab import label

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from ...themes import ThemeSuggestion

__all__ = [
    "MAX_NAME",
    "UNTHEMED",
    "UNTHEMED_KEY",
    "BoardState",
    "Person",
    "Theme",
    "chart_label",
    "chart_series",
    "plural",
]

UNTHEMED = "Unthemed"
"""The group of statements that fit no theme (same name as :data:`ilc_widgets.themes.UNTHEMED`,
repeated here so that opening the board does not import the theme model's module)."""

UNTHEMED_KEY = -1
"""The key of the Unthemed card."""
MAX_NAME = 200
"""The longest theme name that can be accepted."""


@dataclass(frozen=True)
class Person:
    """A participant as the theme board shows them."""

    pid: str
    name: str
    role: str
    district: str
    focus: str
    theme: str


@dataclass
class Theme:
    """A theme on the board: its key (stable while the board is open), name, key phrases
    and members (participant_ids, in board order)."""

    key: int
    name: str
    keywords: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


def plural(n: int, word: str) -> str:
    """``1 statement``, ``2 statements``."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def chart_label(text: str, limit: int = 38) -> str:
    """A label for matplotlib: shortened, and with ``$`` not read as mathematics."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def chart_series(
    groups: Sequence[tuple[str, Sequence[str]]],
    people: Mapping[str, Person],
    key: str,
    top: int | None = None,
) -> dict[str, list[float]]:
    """How many people of each ``key`` value (role, district) every group has; with ``top``,
    the most common values and one bar part for the rest."""

    def value_of(pid: str) -> str:
        return str(getattr(people[pid], key)) or "(blank)"

    totals: dict[str, int] = {}
    for _, members in groups:
        for pid in members:
            totals[value_of(pid)] = totals.get(value_of(pid), 0) + 1
    ordered = sorted(totals, key=lambda v: (-totals[v], v))
    kept = ordered if top is None or len(ordered) <= top + 1 else ordered[:top]
    out: dict[str, list[float]] = {}
    for value in kept:
        shown = label("role", value) if key == "role" else value
        out[chart_label(shown, 30)] = [
            float(sum(1 for pid in m if value_of(pid) == value)) for _, m in groups
        ]
    if len(kept) < len(ordered):
        rest = set(ordered[len(kept) :])
        out[f"{len(rest)} other districts"] = [
            float(sum(1 for pid in m if value_of(pid) in rest)) for _, m in groups
        ]
    return out


class BoardState:
    """The themes on the board, the unthemed people and everyone's saved details."""

    def __init__(self) -> None:
        self.themes: list[Theme] = []
        self.unthemed: list[str] = []
        self.people: dict[str, Person] = {}
        self._next_key = 0

    # -- finding

    def theme(self, key: int) -> Theme | None:
        """The theme of ``key`` (None for Unthemed or a theme no longer on the board)."""
        return next((t for t in self.themes if t.key == key), None)

    def by_name(self, name: str) -> Theme | None:
        """The theme called ``name`` (None for Unthemed); KeyError when there is none."""
        if name == UNTHEMED:
            return None
        found = next((t for t in self.themes if t.name == name), None)
        if found is None:
            raise KeyError(f"there is no theme {name!r} on the board")
        return found

    def key_of(self, name: str) -> int:
        """The card key of theme ``name`` (:data:`UNTHEMED_KEY` for Unthemed)."""
        theme = self.by_name(name)
        return UNTHEMED_KEY if theme is None else theme.key

    def members(self, key: int) -> list[str]:
        """participant_ids of a card's statements, in board order."""
        theme = self.theme(key)
        return self.unthemed if theme is None else theme.members

    def new_theme(
        self, name: str, keywords: Iterable[str] = (), members: Iterable[str] = ()
    ) -> Theme:
        """A theme with a fresh key (not yet on the board)."""
        self._next_key += 1
        return Theme(self._next_key, name, list(keywords), list(members))

    def filled(self) -> list[Theme]:
        """The themes that have members."""
        return [t for t in self.themes if t.members]

    def drop_empty(self) -> None:
        """Take the themes without members off the board."""
        self.themes = self.filled()

    def keys(self) -> list[int]:
        """The cards the board shows, in order (Unthemed last, while it has people)."""
        return [t.key for t in self.themes] + ([UNTHEMED_KEY] if self.unthemed else [])

    # -- reading

    def labels(self) -> dict[str, str]:
        """Each participant's theme on the board ('' for Unthemed)."""
        found = dict.fromkeys(self.unthemed, "")
        for theme in self.themes:
            found.update(dict.fromkeys(theme.members, theme.name))
        return found

    @property
    def dirty(self) -> bool:
        """True when the board differs from what is saved (someone's theme would change)."""
        board = self.labels()
        return any(board.get(pid, "") != p.theme for pid, p in self.people.items())

    def name_problems(self) -> dict[int, str]:
        """Why a theme's name cannot be accepted, by theme key."""
        problems: dict[int, str] = {}
        seen: set[str] = set()
        for theme in self.filled():
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
                seen.add(name.casefold())
        return problems

    def value(self) -> dict[str, Any]:
        """The board's working state as the widget's ``value``."""
        return {
            "themes": [
                {"name": t.name, "keywords": list(t.keywords), "members": list(t.members)}
                for t in self.filled()
            ],
            "unthemed": list(self.unthemed),
            "saved": not self.dirty,
        }

    # -- loading

    def load(self, people: dict[str, Person], saved: Mapping[str, list[str]]) -> None:
        """Show the saved themes (``saved``: name -> key phrases, in order) and who has each
        (people's ``theme``); themes people have but that were never accepted come after,
        largest first."""
        self.people = people
        groups: dict[str, list[str]] = {n: [] for n in saved}
        unthemed: list[str] = []
        for pid, person in people.items():
            if person.theme.strip():
                groups.setdefault(person.theme, []).append(pid)
            else:
                unthemed.append(pid)
        accepted = [n for n in groups if n in saved]
        others = sorted((n for n in groups if n not in saved), key=lambda n: -len(groups[n]))
        self.themes = [
            self.new_theme(n, saved.get(n, []), groups[n])
            for n in [*accepted, *others]
            if groups[n]
        ]
        self.unthemed = unthemed

    def apply(self, pids: Sequence[str], result: ThemeSuggestion) -> None:
        """Replace the board with a suggestion for the statements of ``pids`` (in order);
        everyone else goes to Unthemed."""
        themes: list[Theme] = []
        placed: set[str] = set()
        unthemed: list[str] = []
        for theme in result.themes:
            members = [pids[i] for i in theme.members if pids[i] in self.people]
            placed.update(members)
            if theme.name == UNTHEMED:
                unthemed.extend(members)
            elif members:
                themes.append(self.new_theme(theme.name, theme.keywords, members))
        unthemed += [pid for pid in self.people if pid not in placed]
        self.themes, self.unthemed = themes, unthemed

    def take_in(self, people: dict[str, Person]) -> tuple[set[int], list[str]]:
        """Take in the people as they are now: those who left are removed, new people go to
        their theme (made when new) or to Unthemed. Returns the keys of the cards that
        changed and the new people."""
        before, self.people = self.people, people
        placed = {pid for t in self.themes for pid in t.members} | set(self.unthemed)
        gone = placed - set(people)
        changed: set[int] = set()
        if gone:
            for theme in self.themes:
                if gone & set(theme.members):
                    theme.members = [p for p in theme.members if p not in gone]
                    changed.add(theme.key)
            self.unthemed = [p for p in self.unthemed if p not in gone]
            changed.add(UNTHEMED_KEY)
        arrivals = [pid for pid in people if pid not in placed]
        names = {t.name: t for t in self.themes}
        for pid in arrivals:
            theme_name = people[pid].theme.strip()
            if not theme_name:
                self.unthemed.append(pid)
                changed.add(UNTHEMED_KEY)
                continue
            home = names.get(theme_name)
            if home is None:  # a roster that came with its own themes
                home = names[theme_name] = self.new_theme(theme_name)
                self.themes.append(home)
            home.members.append(pid)
            changed.add(home.key)
        for pid, person in people.items():
            old = before.get(pid)
            if old is not None and old != person:
                changed.update(t.key for t in self.themes if pid in t.members)
                if pid in self.unthemed:
                    changed.add(UNTHEMED_KEY)
        return changed, arrivals

    # -- editing

    def move(self, pids: Sequence[str], target: int) -> tuple[list[str], set[int], str]:
        """Move statements to the theme ``target`` (or Unthemed). Returns who moved, the
        keys of the cards that changed and the name of where they went."""
        moving = [p for p in pids if p in self.people]
        wanted = set(moving)
        sources = {UNTHEMED_KEY} if wanted & set(self.unthemed) else set()
        for theme in self.themes:
            if wanted & set(theme.members):
                sources.add(theme.key)
                theme.members = [p for p in theme.members if p not in wanted]
        self.unthemed = [p for p in self.unthemed if p not in wanted]
        destination = self.theme(target)
        if destination is None:
            self.unthemed.extend(moving)
            where = UNTHEMED
        else:
            destination.members.extend(moving)
            where = destination.name
        return moving, {*sources, target}, where

    def split(self, source: int, pids: Sequence[str], name: str | None) -> Theme | None:
        """Make a new theme of some statements of ``source``, placed after it; None when
        every statement of a theme is chosen (renaming it is what is meant)."""
        wanted = [p for p in pids if p in self.people]
        theme = self.theme(source)
        if theme is not None and set(theme.members) <= set(wanted):
            return None
        used = {t.name.casefold() for t in self.themes}
        base = (name or "New theme").strip() or "New theme"
        new_name, i = base, 1
        while new_name.casefold() in used:
            i += 1
            new_name = f"{base} {i}"
        keep = set(wanted)
        if theme is None:
            self.unthemed = [p for p in self.unthemed if p not in keep]
        else:
            theme.members = [p for p in theme.members if p not in keep]
        new = self.new_theme(new_name, [], wanted)
        position = len(self.themes) if theme is None else self.themes.index(theme) + 1
        self.themes.insert(position, new)
        return new

    def merge(self, keys: Sequence[int]) -> list[Theme]:
        """Merge the themes of ``keys`` into the first; returns them, the merged one first
        (fewer than two: nothing is merged)."""
        themes = [t for t in (self.theme(k) for k in keys) if t is not None]
        if len(themes) < 2:
            return themes
        first = themes[0]
        for theme in themes[1:]:
            first.members.extend(theme.members)
            first.keywords += [k for k in theme.keywords if k not in first.keywords]
            theme.members = []
        return themes
