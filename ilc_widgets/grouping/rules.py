"""The rules of forming collectives: their names, the plan's records, meeting regions and
the themes a participant may be placed in."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from ..vocab import slug

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Method = Literal["optimize", "greedy", "random"]

#: Columns the optimizer reads; ``name`` and ``second_theme`` are used when present.
REQUIRED_COLUMNS: tuple[str, ...] = (
    "participant_id",
    "role",
    "district",
    "region",
    "modality",
    "theme",
)
#: A block: this many members of one district in one collective.
BLOCK_SIZE = 3

RULE_THEME_TOO_SMALL = "theme_too_small"
RULE_NO_THEME = "no_theme"
RULE_IN_PERSON_REGION = "in_person_region"
RULE_SECOND_THEME_REPAIR = "second_theme_repair"
RULE_MIN_SIZE = "min_size"
RULE_MAX_SIZE = "max_size"
RULE_LOCKED = "locked_outside_theme"
RULE_PLACEMENT = "placement"
RULE_THEME = "theme"

#: The rules an :class:`Explanation` or a :class:`Violation` can name, in words.
RULES: dict[str, str] = {
    RULE_THEME_TOO_SMALL: "a theme too small to form a collective; its members went elsewhere",
    RULE_NO_THEME: "no theme given",
    RULE_IN_PERSON_REGION: "an in-person member joins a collective of another region virtually",
    RULE_SECOND_THEME_REPAIR: "placed in the second theme so that the collectives keep the rules",
    RULE_MIN_SIZE: "a collective smaller than the minimum size",
    RULE_MAX_SIZE: "a collective larger than the maximum size",
    RULE_LOCKED: "locked by the facilitator in a collective of another theme",
    RULE_PLACEMENT: "a participant not placed exactly once",
    RULE_THEME: "placed in a collective of neither their theme nor their second theme",
}

_UNTHEMED = "unthemed"


@dataclass(frozen=True)
class Explanation:
    """Why the plan departs from a rule: which rule, for whom, in words fit for a facilitator."""

    rule: str
    participant_ids: tuple[str, ...]
    message: str
    collective: str | None = None


@dataclass(frozen=True)
class Violation:
    """A hard constraint that an assignment breaks (see :func:`check_plan`)."""

    rule: str
    collective: str | None
    participant_ids: tuple[str, ...]
    message: str


@dataclass
class GroupingPlan:
    """A complete plan: one row per participant, a summary per collective, and the reasons."""

    assignments: pd.DataFrame
    collectives: pd.DataFrame
    explanations: list[Explanation] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def meeting_region(places: Iterable[tuple[str, str]], current: str = "") -> str:
    """Where a collective meets, from its members' ``(region, modality)``.

    ``current`` is kept while a member who can meet in person is of that region; else the
    in-person members' most common region, else the 'either' members' ('' = it meets
    virtually; ties go to the first name in alphabetical order).
    """
    people = list(places)
    if current and any(r == current and m != "virtual" for r, m in people):
        return current
    for kind in ("in_person", "either"):
        regions: Counter[str] = Counter(r for r, m in people if m == kind)
        if regions:
            return min(regions, key=lambda r: (-regions[r], r))
    return ""


def allowed_themes(
    theme: str, second_theme: str = "", *, use_second_theme: bool = True
) -> set[str]:
    """The theme slugs a participant may be placed in: their theme, and their second theme
    when second themes are used."""
    first, second = slug(theme), slug(second_theme)
    return {first} | ({second} if use_second_theme and second else set())
