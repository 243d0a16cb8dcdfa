"""The placemat editor's pure rules: numbers people type, times shown, the save status line,
the version list and the order of new theory-of-action steps.

No widgets, no SQL, no event loop: everything here is tested in plain pytest.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from ...vocab import TOA_LEVELS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ...placemat import TheoryStep

__all__ = [
    "CHECK_TITLES",
    "EXIT_NOTE",
    "MERGE_NOTES",
    "POLL_INTERVAL",
    "SAVE_DELAY",
    "clock",
    "history_label",
    "next_step_level",
    "number_warning",
    "parse_number",
    "saved_status",
    "swap",
    "when",
]

SAVE_DELAY: Final = 0.8
"""Seconds of quiet typing before the placemat is saved."""
POLL_INTERVAL: Final = 2.0
"""Seconds between looks for someone else's save."""
EXIT_NOTE: Final = "saved as the page closed: both texts kept where two edits met"
"""The history note of a save made as the page closed over an unresolved clash."""

CHECK_TITLES: Final = {
    "problem_written": "Problem of practice written out",
    "problem_in_influence": "Problem within the group's influence",
    "problem_observable": "Problem is observable",
    "priorities": "At least one priority ranked",
    "theory_chain": "Theory of action: two or more if/then steps",
    "theory_ends_with_students": "Theory of action ends with students",
    "has_leading": "At least one leading indicator",
    "has_lagging": "At least one lagging indicator",
    "indicators_baseline_target": "Every indicator has a baseline and a target",
    "evidence_plan_types": "Evidence planned across three or more types",
    "indicators_named": "Every indicator named",
}
"""What a passed check is called in the "Done" list."""

MERGE_NOTES: Final = {"mine": "kept mine over", "theirs": "took", "merged": "merged with"}
"""How a settled clash is noted in the history, by the choice made."""


def parse_number(text: str) -> float | None:
    """A baseline or target typed by a person: ``38``, ``38.5``, ``38%``, ``1,200``.

    Empty text is None; anything else that is not a number raises ValueError.
    """
    cleaned = text.strip().replace(",", "").replace("%", "").replace(" ", "")
    if not cleaned:
        return None
    return float(cleaned)


def number_warning(name: str) -> str:
    """What to say when ``name`` ("baseline", "target") is not a number (plain text)."""
    return (
        f"{name.capitalize()}: write a number, such as 38 or 38.5 (put % or days in Unit). "
        "The last number is kept."
    )


def clock(stamp: dt.datetime | None) -> str:
    """HH:MM in the server's local time (stored times are UTC; None: now)."""
    if stamp is None:
        return dt.datetime.now().strftime("%H:%M")
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone().strftime("%H:%M")


def when(saved: Any) -> str:
    """A stored timestamp as "23 Nov 14:32" in the server's local time ("" for None/NaT)."""
    if saved is None or saved != saved:  # None or NaT
        return ""
    stamp: dt.datetime = saved.to_pydatetime() if hasattr(saved, "to_pydatetime") else saved
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone().strftime("%d %b %H:%M")


def saved_status(
    version: int, saved_at: dt.datetime | None, saved_by: str | None, extra: str = ""
) -> str:
    """The save status line: "Saved at 14:32 · version 7 by Ana", plus ``extra``."""
    if version == 0:
        text = "Nothing saved yet · version 0"
    else:
        by = f" by {saved_by}" if saved_by else ""
        text = f"Saved at {clock(saved_at)} · version {version}{by}"
    return f"{text} · {extra}" if extra else text


def history_label(row: Mapping[Any, Any]) -> str:
    """One saved version in the history list: number, time, who, note."""
    note = f" · {row['note']}" if row.get("note") else ""
    by = f" · {row['saved_by']}" if row.get("saved_by") else ""
    return f"Version {row['version']} · {when(row.get('saved_at'))}{by}{note}"


def next_step_level(steps: Sequence[TheoryStep]) -> str:
    """The level of a new theory-of-action step: one up the chain from the last step
    (leader actions, then adult practice, then student outcomes)."""
    levels = list(TOA_LEVELS)
    if not steps:
        return levels[0]
    last = levels.index(steps[-1].level) if steps[-1].level in levels else 0
    return levels[min(last + 1, len(levels) - 1)]


def swap(items: list[Any], index: int, delta: int) -> bool:
    """Move ``items[index]`` by ``delta`` places (-1 up, +1 down); False when it cannot."""
    j = index + delta
    if 0 <= index < len(items) and 0 <= j < len(items):
        items[index], items[j] = items[j], items[index]
        return True
    return False
