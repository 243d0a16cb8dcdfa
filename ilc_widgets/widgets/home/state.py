"""What a home page says about the inquiry cycle (pure: no ipywidgets, no storage).

Which step a collective works in today (its own setting wins over the one for all), the
titles and one-sentence descriptions of the steps, the facilitator's choices, and the
"done" lines a collective's link shows for the facilitators' workbooks (01, 02).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...access import HOME_NOTEBOOK, NOTEBOOKS
from ...network.settings import (
    ALL_COLLECTIVES,
    FACILITATOR_WORKBOOKS,
    TODAY_NOTEBOOKS,
    TODAY_SETTING,
)

__all__ = [
    "ALL_COLLECTIVES",
    "ALL_LABEL",
    "FACILITATOR_WORKBOOKS",
    "NO_STEP_LABEL",
    "SECTION_WORKBOOK",
    "STEP_SENTENCES",
    "TODAY_NOTEBOOKS",
    "Step",
    "form_done",
    "gather_done",
    "notebook_options",
    "scope_options",
    "steps_from_settings",
    "today_for",
    "today_summary",
    "workbook_steps",
]

ALL_LABEL = "All collectives"
"""The "For" choice that sets the step of every collective without its own."""
NO_STEP_LABEL = "No step (clear)"
"""The workbook choice that clears the step."""

SECTION_WORKBOOK: dict[str, str] = {
    "intake_form": FACILITATOR_WORKBOOKS[0],
    "roster_import": FACILITATOR_WORKBOOKS[0],
    "theme_board": FACILITATOR_WORKBOOKS[0],
    "collective_board": FACILITATOR_WORKBOOKS[1],
}
"""The sections of the facilitators' workbooks, by workbook (what a collective's link sees
there is what happened for the group)."""

STEP_SENTENCES: dict[str, str] = {
    "03_design_inquiry.ipynb": (
        "Write your collective's placemat together: the problem of practice, the theory of "
        "action, the indicators and the evidence plan."
    ),
    "04_collect_evidence.ipynb": (
        "Carry out your plan and log the evidence you collect, one entry at a time."
    ),
    "05_review_progress.ipynb": (
        "Look at your progress against your indicators and reflect on it as a group."
    ),
    "06_share_knowledge.ipynb": (
        "Share what your collective learned and see what the other collectives found."
    ),
}
"""One sentence per workbook a collective works in: what today is for."""


def steps_from_settings(settings: Mapping[str, Any]) -> dict[str, str]:
    """The ``today`` setting as ``{code or "*": notebook}``, keeping only known workbooks."""
    raw = settings.get(TODAY_SETTING)
    if not isinstance(raw, Mapping):
        return {}
    return {
        str(code): str(nb)
        for code, nb in raw.items()
        if isinstance(code, str) and isinstance(nb, str) and nb in TODAY_NOTEBOOKS
    }


def today_for(steps: Mapping[str, str], code: str | None) -> str | None:
    """The workbook collective ``code`` works in today: its own step, else the one for all,
    else None (``code=None``: the step for all)."""
    if code is not None and code != ALL_COLLECTIVES and code in steps:
        return steps[code]
    return steps.get(ALL_COLLECTIVES)


def notebook_options() -> list[tuple[str, str]]:
    """The facilitator's workbook choices: (label, notebook), clearing last."""
    return [(NOTEBOOKS[nb], nb) for nb in TODAY_NOTEBOOKS] + [(NO_STEP_LABEL, "")]


def scope_options(collectives: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The "For" choices: all collectives first, then each (``(code, name)`` pairs)."""
    return [(ALL_LABEL, ALL_COLLECTIVES)] + [
        (f"{name} ({code})", code) for code, name in collectives
    ]


def today_summary(steps: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    """Lines for the facilitator: the step for all, then each collective's own step."""
    lines = []
    if ALL_COLLECTIVES in steps:
        lines.append(f"{ALL_LABEL}: {NOTEBOOKS[steps[ALL_COLLECTIVES]]}")
    for code, nb in sorted(steps.items()):
        if code != ALL_COLLECTIVES and code in names:
            lines.append(f"{names[code]}: {NOTEBOOKS[nb]}")
    return lines


def gather_done(theme: str) -> str:
    """What workbook 01 did for a collective, in one line."""
    if theme:
        return f"{NOTEBOOKS[FACILITATOR_WORKBOOKS[0]]} - done: your theme is {theme}"
    return f"{NOTEBOOKS[FACILITATOR_WORKBOOKS[0]]} - done"


def form_done(members: Sequence[str]) -> str:
    """What workbook 02 did for a collective, in one line (its own members only)."""
    title = NOTEBOOKS[FACILITATOR_WORKBOOKS[1]]
    if not members:
        return f"{title} - done"
    count = len(members)
    return (
        f"{title} - done: you are {count} member{'s' if count != 1 else ''}: {', '.join(members)}"
    )


@dataclass(frozen=True)
class Step:
    """One line of a collective's workbook list."""

    notebook: str
    title: str
    done: str = ""
    """The "done" line for a facilitators' workbook (no link); empty for a workbook to open."""
    today: bool = False


def workbook_steps(
    *, participant: bool, theme: str = "", members: Sequence[str] = (), today: str | None = None
) -> list[Step]:
    """The workbooks a home page lists, in order: for a collective's link 01 and 02 are done
    steps (theme, members), the others links; ``today`` marks one."""
    steps = []
    for nb, title in NOTEBOOKS.items():
        if nb == HOME_NOTEBOOK:
            continue
        done = ""
        if participant and nb == FACILITATOR_WORKBOOKS[0]:
            done = gather_done(theme)
        elif participant and nb == FACILITATOR_WORKBOOKS[1]:
            done = form_done(members)
        steps.append(Step(nb, title, done, today=nb == today))
    return steps
