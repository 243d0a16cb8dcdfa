"""The collective board's state and rules: people, collectives, and what a card warns about.

Plain dataclasses and functions (no widgets, no SQL). The grouping rules themselves (where
a collective meets, which themes a participant may be placed in, what a block is) live in
:mod:`ilc_widgets.grouping`; this module applies them to what the board shows.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...grouping import BLOCK_SIZE, allowed_themes, meeting_region
from ...vocab import label, slug

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd

    from ...network import Collective

__all__ = [
    "EMAIL",
    "MAX_NAME",
    "Formed",
    "Group",
    "Person",
    "Rules",
    "Saved",
    "attends",
    "card_warnings",
    "default_names",
    "details",
    "group_region",
    "has_work",
    "kept",
    "match_collectives",
    "meta_problem",
    "modality",
    "new_code",
    "renamed",
    "text",
    "work_text",
]

esc = html.escape

MAX_NAME = 200
"""The longest name a collective may have."""
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Person:
    """A participant as the board shows them."""

    pid: str
    name: str
    email: str
    role: str
    organization: str
    district: str
    region: str
    modality: str
    theme: str
    second_theme: str
    collective: str


@dataclass
class Group:
    """One collective on the board: saved, or proposed by the optimizer."""

    code: str
    name: str
    theme: str
    region: str
    members: list[str]
    facilitator_name: str = ""
    facilitator_email: str = ""
    locked: bool = False
    saved: bool = False
    """The collective exists in the database under ``code``."""
    continues: str = ""
    """The id of the saved collective this one continues ('' for a new collective)."""
    placed_by: dict[str, str] = field(default_factory=dict)
    """Members placed other than by their own theme: pid -> second_theme/fallback/moved."""


@dataclass
class Formed:
    """What the optimizer returned, reduced to what the board shows."""

    assignments: pd.DataFrame
    explanations: list[tuple[str, str, tuple[str, ...]]]
    violations: list[tuple[str, str, tuple[str, ...]]]


@dataclass(frozen=True)
class Saved:
    """What the cards are drawn against: whether the board shows a proposal, and the saved
    collectives (by id), their members and their saved work."""

    proposal: bool = False
    meta: Mapping[str, Collective] = field(default_factory=dict)
    members: Mapping[str, set[str]] = field(default_factory=dict)
    work: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """The board's settings that its warnings check."""

    max_size: int
    min_size: int
    region_for_in_person: bool = True
    use_second_theme: bool = True


def text(value: Any) -> str:
    """A cell as stripped text ('' for None and NaN)."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    return str(value).strip()


def attends(person: Person, region: str) -> str:
    """'in_person' when the person can meet in person and the collective meets in their region."""
    if person.modality != "virtual" and region and person.region == region:
        return "in_person"
    return "virtual"


def group_region(people: Sequence[Person], current: str = "") -> str:
    """Where a collective of ``people`` meets (:func:`ilc_widgets.grouping.meeting_region`)."""
    return meeting_region(((p.region, p.modality) for p in people), current)


def modality(people: Sequence[Person], region: str) -> str:
    """How a collective meeting in ``region`` meets: in_person, hybrid or virtual."""
    n_ip = sum(1 for p in people if attends(p, region) == "in_person")
    if n_ip == 0:
        return "virtual"
    return "in_person" if n_ip == len(people) else "hybrid"


def _same_theme(proposed: str, existing: str) -> bool:
    return not existing.strip() or slug(proposed) == slug(existing)


def match_collectives(
    proposed: Mapping[str, tuple[str, Sequence[str]]],
    existing: Mapping[str, tuple[str, Iterable[str]]],
) -> dict[str, tuple[str, int]]:
    """Which existing collective each proposed one continues: ``{proposed: (existing, shared)}``.

    Both map an id to ``(theme, member ids)``. A proposed collective can continue an existing
    one of the same theme (or one without a theme) with which it shares at least one member;
    pairs are matched one to one, the largest number of shared members first (ties: the
    existing id, then the proposed id, in alphabetical order).
    """
    existing_sets = {code: (theme, set(members)) for code, (theme, members) in existing.items()}
    pairs: list[tuple[int, str, str]] = []
    for pid, (theme, members) in proposed.items():
        wanted = set(members)
        for code, (old_theme, old_members) in existing_sets.items():
            shared = len(wanted & old_members)
            if shared and _same_theme(theme, old_theme):
                pairs.append((shared, code, pid))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    matched: dict[str, tuple[str, int]] = {}
    taken: set[str] = set()
    for shared, code, pid in pairs:
        if pid in matched or code in taken:
            continue
        matched[pid] = (code, shared)
        taken.add(code)
    return matched


def new_code(theme: str, used: set[str]) -> str:
    """A link-friendly id for a new collective of ``theme`` not in ``used``."""
    base = slug(theme).replace("_", "-")[:60].strip("-") or "collective"
    number = 1
    while f"{base}-{number}" in used:
        number += 1
    return f"{base}-{number}"


def details(collectives: Iterable[Collective]) -> tuple[tuple[Any, ...], ...]:
    """What the board shows of each collective (not its revision counter), sorted by id."""
    return tuple(
        sorted(
            (
                c.code,
                c.name,
                c.theme,
                c.region,
                c.modality,
                c.facilitator_name,
                c.facilitator_email,
                c.locked,
            )
            for c in collectives
        )
    )


def default_names(groups: Sequence[Group], people: Mapping[str, Person]) -> None:
    """Name new collectives after theme and meeting place: 'Math discourse (North Lakes)'."""
    taken = {g.name.casefold() for g in groups if g.name}
    for group in groups:
        if group.name:
            continue
        members = [people[p] for p in group.members if p in people]
        virtual = not members or modality(members, group.region) == "virtual"
        where = "virtual" if virtual else group.region
        theme = group.theme or "Collective"
        name, k = f"{theme} ({where})", 1
        while name.casefold() in taken:
            k += 1
            name = f"{theme} {k} ({where})"
        group.name = name
        taken.add(name.casefold())


def renamed(
    items: Sequence[tuple[str, str, tuple[str, ...]]], by_id: Mapping[str, Group]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The optimizer's messages with its collective ids replaced by the board's names and ids."""
    if not by_id:
        return list(items)
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(c) for c in sorted(by_id, key=len, reverse=True))
        + r")(?![\w-])"
    )

    def name(found: re.Match[str]) -> str:
        group = by_id[found.group(1)]
        return f"'{group.name}' ({group.code})"

    return [(rule, pattern.sub(name, message), pids) for rule, message, pids in items]


def has_work(work: Mapping[str, Mapping[str, int]], code: str) -> bool:
    """True when collective ``code`` has saved work (placemat, evidence, reflections …)."""
    return any(work.get(code, {}).values())


def work_text(work: Mapping[str, Mapping[str, int]], code: str) -> str:
    """The saved work of collective ``code`` in words ('placemat v2, 3 evidence entries')."""
    found = work.get(code, {})
    bits = []
    if found.get("placemat_version"):
        bits.append(f"placemat v{found['placemat_version']}")
    for key, one, many in (
        ("evidence", "evidence entry", "evidence entries"),
        ("actions", "action logged", "actions logged"),
        ("reflections", "reflection", "reflections"),
        ("pulse_responses", "pulse answer", "pulse answers"),
        ("scores", "score", "scores"),
    ):
        if found.get(key):
            bits.append(f"{found[key]} {one if found[key] == 1 else many}")
    return ", ".join(bits)


def kept(group: Group, saved_members: Mapping[str, set[str]]) -> int:
    """How many members of the saved collective it continues a group still has."""
    return len(set(group.members) & saved_members.get(group.continues, set()))


def meta_problem(group: Group) -> str:
    """What blocks saving a collective's name and facilitator ('' when nothing)."""
    name = group.name.strip()
    if not name:
        return f"collective {group.code} has no name"
    if len(name) > MAX_NAME:
        return f"the name of {group.code} is longer than {MAX_NAME} characters"
    email = group.facilitator_email.strip()
    if email and not EMAIL.match(email):
        return f"'{email}' (facilitator of {name}) is not an email address"
    return ""


def card_warnings(
    group: Group,
    people: Sequence[Person],
    rules: Rules,
    saved: Saved,
) -> list[str]:
    """What a facilitator should look at in a collective (HTML, typed text escaped);
    ``people`` are its members."""
    work, saved_members = saved.work, saved.members
    n = len(people)
    out: list[str] = []
    if n == 0:
        if group.saved and has_work(work, group.code):
            out.append("No members. It has saved work, so saving keeps it (empty).")
        else:
            out.append("No members: it is removed when collectives are saved.")
        return out
    hi, lo = rules.max_size, rules.min_size
    if n < lo:
        out.append(f"{n} member{'s' if n != 1 else ''}, fewer than the minimum of {lo}.")
    if n > hi:
        out.append(f"{n} members, more than the maximum of {hi}.")
    districts = Counter(p.district for p in people)
    top, top_n = districts.most_common(1)[0]
    if top_n >= BLOCK_SIZE:
        lone = [p for p in people if districts[p.district] == 1]
        if lone:
            who = ", ".join(esc(p.name) for p in lone[:5])
            out.append(
                f"{who} {'is the only one' if len(lone) == 1 else 'are each the only one'} "
                f"from their district, next to {top_n} colleagues from "
                f"{esc(top or '(no district)')}."
            )
    if n >= 4 and top_n * 2 > n:
        out.append(f"{top_n} of {n} members come from {esc(top or '(no district)')}.")
    roles = {p.role for p in people}
    if n >= 3 and len(roles) == 1:
        out.append(f"Everyone has the same role ({esc(label('role', next(iter(roles))))}).")
    if group.region and rules.region_for_in_person:
        away = [
            p for p in people if p.modality == "in_person" and attends(p, group.region) == "virtual"
        ]
        if away:
            who = ", ".join(f"{esc(p.name)} ({esc(p.region or 'no region')})" for p in away[:5])
            out.append(
                f"In person elsewhere, joining virtually: {who}; it meets in {esc(group.region)}."
            )
    elif not group.region:
        wanting = [p for p in people if p.modality == "in_person"]
        if wanting:
            who = ", ".join(esc(p.name) for p in wanting[:5])
            out.append(f"Meets virtually, but {who} asked to meet in person.")
    theme = slug(group.theme)
    outside = [
        p
        for p in people
        if theme
        and p.theme
        and theme
        not in allowed_themes(p.theme, p.second_theme, use_second_theme=rules.use_second_theme)
    ]
    if outside:
        who = ", ".join(f"{esc(p.name)} ({esc(p.theme)})" for p in outside[:5])
        out.append(f"Outside their themes: {who}.")
    if saved.proposal and group.continues and group.continues in saved.meta:
        before = len(saved_members.get(group.continues, ()))
        still = kept(group, saved_members)
        if has_work(work, group.continues) and before and still * 2 < before:
            out.append(
                f"It continues a collective with saved work but keeps only {still} of "
                f"its {before} members: lock that collective first if its members should "
                "stay together."
            )
    problem = meta_problem(group)
    if problem:
        out.append(f"<b>{esc(problem[0].upper() + problem[1:])}.</b>")
    return out
