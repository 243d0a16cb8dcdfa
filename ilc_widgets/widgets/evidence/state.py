"""The pure rules of workbook 04's sections: what the evidence table lets through and how it
pages, what a form's problems say, the coverage counts, and the implementation log's
grouping by step.

No widgets, no SQL, no event loop: plain data in, plain data out (tested in
tests/test_evidence_state.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from ...format import _blank, as_date, date_text, indicator_key, number, with_unit
from ...stats.coverage import NO_INDICATOR, coverage_counts
from ...vocab import EVIDENCE_TYPES, INDICATOR_KINDS

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping, Sequence

    from ...errors import Problem
    from ...placemat import Placemat, TheoryStep

    Entries = Sequence[Mapping[str, Any]]
    """Evidence entries as records (``Network.evidence_records``): the page needs no pandas."""

__all__ = [
    "ALL",
    "COMMON_UNITS",
    "FIELD_LABELS",
    "PAGE_SIZE",
    "TYPE_HELP",
    "CoverageRow",
    "Filters",
    "FormProblems",
    "LogGroup",
    "PageWindow",
    "action_records",
    "blank",
    "common_values",
    "coverage_rows",
    "entry_name",
    "entry_summary",
    "filter_entries",
    "form_problems",
    "friendly",
    "group_actions",
    "indicator_prompts",
    "kept_options",
    "log_summary",
    "short",
    "step_text",
    "text",
    "type_counts",
    "unique_labels",
    "who_label",
]

PAGE_SIZE: Final = 25
"""Entries per page of the evidence table."""

ALL: Final = "*"
"""The "no filter" choice of the filter dropdowns."""

NEITHER: Final = "the row has neither a value nor a description"
"""The validation message of an entry with neither a value nor a description."""

TYPE_HELP: dict[str, str] = {
    "demographic": "Who is involved: enrollment, attendance, subgroups, staff.",
    "perceptions": "What people think and feel: surveys, focus groups, interviews.",
    "student_learning": "What students know and can do: assessments, work samples, grades.",
    "school_processes": "What adults do: walkthroughs, programs, schedules, practices.",
}
FIELD_LABELS: dict[str, str] = {
    "evidence_type": "Evidence type",
    "indicator": "Indicator",
    "date": "Date",
    "value": "Value",
    "unit": "Unit",
    "n": "n",
    "subgroup": "Subgroup",
    "description": "Description",
    "source": "Source",
    "entered_by": "Entered by",
    "collective": "Collective",
}
COMMON_UNITS = ("%", "students", "teachers", "classrooms", "days", "points", "visits", "responses")


# --------------------------------------------------------------------------- values


def blank(value: Any) -> bool:
    """True for None, NaN, NA and empty text (the rule of :mod:`ilc_widgets.format`)."""
    return _blank(value)


def text(value: Any) -> str:
    """A stored value as trimmed text ("" for a blank one)."""
    return "" if blank(value) else str(value).strip()


def short(words: str, limit: int) -> str:
    """``words`` on one line, cut to ``limit`` characters with an ellipsis."""
    words = " ".join(str(words).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def step_text(step: TheoryStep, limit: int = 60) -> str:
    """A theory-of-action step in one short line: "If ..., then ..."."""
    if_text = short(step.if_text, limit) or "…"
    then_text = short(step.then_text, limit) or "…"
    return f"If {if_text}, then {then_text}"


def who_label(names: Mapping[str, str], entered_by: Any) -> str:
    """A member's name for the email stored in ``entered_by`` (``names``: email -> name),
    "Shared link" for a collective's link, else the text itself."""
    found = text(entered_by)
    if found.endswith(" link") and found.lower() not in names:
        return "Shared link"
    return names.get(found.lower(), found)


def entry_name(entry: Mapping[str, Any]) -> str:
    """How a button names the entry of its row: "entry of 12 Oct 2026, Perceptions, 64 %"
    (its date, type and value or indicator)."""
    parts = [
        date_text(entry.get("date")),
        EVIDENCE_TYPES.get(text(entry.get("evidence_type")), ""),
        with_unit(entry.get("value"), entry.get("unit")) or text(entry.get("indicator")),
    ]
    return "entry of " + ", ".join(p for p in parts if p) if any(parts) else "this entry"


def entry_summary(entry: Mapping[str, Any]) -> str:
    """An entry in one line: date · type · indicator · value · n · subgroup · “description”."""
    day = as_date(entry.get("date"))
    parts = [
        day.isoformat() if day else "",
        EVIDENCE_TYPES.get(text(entry.get("evidence_type")), ""),
        text(entry.get("indicator")),
        with_unit(entry.get("value"), entry.get("unit")),
        f"n {number(entry.get('n'))}" if text(entry.get("n")) else "",
        text(entry.get("subgroup")),
        f"“{short(text(entry.get('description')), 60)}”" if text(entry.get("description")) else "",
    ]
    return " · ".join(p for p in parts if p)


# --------------------------------------------------------------------------- choices


def kept_options(options: Sequence[tuple[str, Any]], current: Any) -> list[tuple[str, Any]]:
    """A dropdown's new choices, keeping what is chosen now as an extra choice when it is no
    longer offered (so a refresh never changes a half-filled form)."""
    wanted = list(options)
    if current is not None and current not in [v for _, v in options]:
        wanted.append((str(current), current))
    return wanted


def unique_labels(options: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Dropdown choices with unique labels and values (a dropdown needs unique labels)."""
    seen_labels: set[str] = set()
    seen_values: set[str] = set()
    out = []
    for label_text, value in options:
        if value in seen_values:
            continue
        shown = label_text
        if shown in seen_labels:
            shown = f"{label_text} ({value})"
        seen_labels.add(shown)
        seen_values.add(value)
        out.append((shown, value))
    return out


def common_values(
    entries: Entries, column: str, defaults: Sequence[str], limit: int = 30
) -> list[str]:
    """Suggestions for a text field: the defaults, then the values used most often (ties in
    the order first used)."""
    counts = Counter(text(e.get(column)) for e in entries)
    counts.pop("", None)
    used = [value for value, _ in counts.most_common(limit)]
    return list(dict.fromkeys([*defaults, *used]))


def indicator_filter_options(entries: Entries, planned: Iterable[str]) -> list[tuple[str, str]]:
    """The indicator filter's choices: all, none, the placemat's indicators, then other
    indicator names found in the entries."""
    names = list(planned)
    seen = [text(e.get("indicator")) for e in entries]
    keys = {indicator_key(n) for n in names}
    extra = sorted({s for s in seen if s and indicator_key(s) not in keys})
    return (
        [("All indicators", ALL), ("(no indicator)", "")]
        + [(n, n) for n in names]
        + [(n, n) for n in extra]
    )


def who_filter_options(entries: Entries, names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The "Entered by" filter's choices: anyone, then everyone who entered something, by
    name."""
    values = sorted({text(e.get("entered_by")) for e in entries} - {""})
    people = sorted(((who_label(names, v), v) for v in values), key=lambda o: o[0].casefold())
    return [("Anyone", ALL), *people]


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Filters:
    """What the evidence table's filters let through (``ALL``: no filter)."""

    evidence_type: str = ALL
    indicator: str = ALL
    start: dt.date | None = None
    end: dt.date | None = None
    entered_by: str = ALL
    deleted: bool = False
    """Show the deleted entries (to restore them) instead of the others."""

    @property
    def active(self) -> bool:
        """True when a filter (not "Show deleted") narrows the list."""
        return (
            self.evidence_type != ALL
            or self.indicator != ALL
            or self.start is not None
            or self.end is not None
            or self.entered_by != ALL
        )


def filter_entries(entries: Entries, filters: Filters) -> list[Mapping[str, Any]]:
    """The entries ``filters`` let through, in the order of ``entries``."""
    wanted = indicator_key(filters.indicator) if filters.indicator != ALL else None

    def keep(e: Mapping[str, Any]) -> bool:
        if bool(e["deleted"]) != bool(filters.deleted):
            return False
        if filters.evidence_type != ALL and e.get("evidence_type") != filters.evidence_type:
            return False
        if wanted is not None and indicator_key(e.get("indicator")) != wanted:
            return False
        if filters.start is not None and not e["date"] >= filters.start:
            return False
        if filters.end is not None and not e["date"] <= filters.end:
            return False
        return filters.entered_by == ALL or (e.get("entered_by") or "") == filters.entered_by

    return [e for e in entries if keep(e)]


@dataclass(frozen=True)
class PageWindow:
    """One page of a list of ``total`` entries: which page (0 = the newest), how many
    pages, and the position of its first entry."""

    page: int
    pages: int
    first: int
    total: int
    size: int = PAGE_SIZE

    @classmethod
    def of(cls, total: int, page: int, size: int = PAGE_SIZE) -> PageWindow:
        """The page ``page`` of ``total`` entries, moved to the last page if beyond it."""
        pages = max(1, math.ceil(total / size))
        page = min(max(0, page), pages - 1)
        return cls(page, pages, page * size, total, size)

    @property
    def count(self) -> int:
        """Entries on this page."""
        return max(0, min(self.size, self.total - self.first))

    def label(self, *, filtered: bool) -> str:
        """ "1–25 of 66 · page 1 of 3" ("" when there is nothing)."""
        if not self.total:
            return ""
        match = " matching" if filtered else ""
        shown = f"{self.first + 1}–{self.first + self.count} of {self.total}"
        return f"{shown}{match} · page {self.page + 1} of {self.pages}"


def empty_text(filters: Filters) -> str:
    """What an empty table says."""
    if filters.deleted:
        return "No deleted entries."
    if filters.active:
        return "No entries match these filters."
    return "No evidence logged yet: add the first entry above."


def entry_counts(entries: Entries) -> tuple[int, int]:
    """(live, deleted) of entries that include the deleted ones."""
    deleted = sum(1 for e in entries if e["deleted"])
    return len(entries) - deleted, deleted


# --------------------------------------------------------------------------- the form


def friendly(column: str | None, message: str) -> str:
    """A validation message phrased for the form."""
    if message.endswith(" is blank"):
        return {
            "evidence_type": "Choose the type of evidence.",
            "date": "Pick the date the evidence is from.",
        }.get(column or "", f"{FIELD_LABELS.get(column or '', column)} is needed.")
    if message == NEITHER:
        return "Give a value or a description (or both)."
    if column == "date" and "in the future" in message:
        return f"The date {message}; evidence is logged once it exists."
    if column == "n":
        return message
    return message[:1].upper() + message[1:]


@dataclass(frozen=True)
class FormProblems:
    """What the form shows for the problems of an entry: messages under fields, by
    column, and the summary line."""

    by_field: dict[str, list[str]] = field(default_factory=dict)
    summary: str = ""


def form_problems(problems: Iterable[Problem], fields: Iterable[str]) -> FormProblems:
    """Sort an entry's problems under the form's ``fields`` (the rest go to the summary)."""
    known = set(fields)
    by_field: dict[str, list[str]] = {}
    loose: list[str] = []
    for problem in problems:
        said = friendly(problem.column, problem.message)
        column = problem.column or ""
        if problem.message == NEITHER:
            by_field.setdefault("description", []).append(said)
        if column in known:
            by_field.setdefault(column, []).append(said)
        else:
            loose.append(said)
    names = ", ".join(FIELD_LABELS.get(c, c) for c in by_field)
    summary = f"Please check {names}: nothing was saved." if names else "Nothing was saved."
    return FormProblems(by_field, " ".join([summary, *loose]))


# --------------------------------------------------------------------------- coverage


def type_counts(entries: Entries) -> dict[str, int]:
    """Live entries of each of the four evidence types."""
    counts = dict.fromkeys(EVIDENCE_TYPES, 0)
    for row in coverage_counts(entries).values():
        for kind in counts:
            counts[kind] += row.get(kind, 0)
    return counts


@dataclass(frozen=True)
class CoverageRow:
    """One row of the coverage table: an indicator, its kind and planned type ("" when it
    is not on the placemat), and its counts per type and in total."""

    name: str
    kind: str
    planned: str
    counts: dict[str, int]


def coverage_rows(entries: Entries, placemat: Placemat) -> list[CoverageRow]:
    """The placemat's indicators in order, then other indicator names found in the evidence,
    then no indicator."""
    matrix = coverage_counts(entries)
    by_key = {indicator_key(name): name for name in matrix}
    rows: list[CoverageRow] = []
    used: set[str] = set()
    for ind in placemat.indicators:
        name = ind.name.strip()
        if not name or indicator_key(name) in used:
            continue
        used.add(indicator_key(name))
        key = by_key.get(indicator_key(name))
        counts = (
            dict(matrix[key])
            if key is not None
            else {**dict.fromkeys(EVIDENCE_TYPES, 0), "total": 0}
        )
        rows.append(CoverageRow(name, ind.kind, ind.evidence_type, counts))
    others = [n for n in matrix if indicator_key(n) not in used and n != NO_INDICATOR]
    for name in [*sorted(others, key=str.casefold), NO_INDICATOR]:
        if name in matrix:
            rows.append(CoverageRow(name, "", "", dict(matrix[name])))
    return rows


def indicator_prompts(entries: Entries, placemat: Placemat) -> list[str]:
    """What is missing per indicator: a placemat with none, an indicator with no entry."""
    seen = {indicator_key(e.get("indicator")) for e in entries}
    prompts = []
    if not any(i.name.strip() for i in placemat.indicators):
        prompts.append(
            "The placemat has no indicators yet: name the leading and lagging indicators in "
            "workbook 3, so evidence can be tied to what the group wants to move."
        )
    for ind in placemat.indicators:
        name = ind.name.strip()
        if name and indicator_key(name) not in seen:
            kind = INDICATOR_KINDS.get(ind.kind, ind.kind).lower()
            prompts.append(
                f"No evidence yet for the {kind} indicator “{name}”: log its first value, "
                "even a rough one."
            )
    return prompts


# --------------------------------------------------------------------------- implementation log


def action_records(log: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The logged actions (``Network.action_list``) as plain records: id, date (YYYY-MM-DD),
    action, toa_step, entered_by."""
    actions = []
    for row in log:
        day = as_date(row["date"])
        actions.append(
            {
                "id": int(row["id"]),
                "date": day.isoformat() if day else "",
                "action": text(row["action"]),
                "toa_step": text(row["toa_step"]),
                "entered_by": text(row["entered_by"]),
            }
        )
    return actions


def log_summary(actions: Sequence[Mapping[str, Any]], steps: Sequence[TheoryStep]) -> str:
    """ "3 actions logged, covering 2 of 3 steps; the latest on 2026-10-02."."""
    count = len(actions)
    if not count:
        return "No actions logged yet."
    known = {s.id for s in steps}
    linked = {a["toa_step"] for a in actions if a["toa_step"] in known}
    latest = max((str(a["date"]) for a in actions), default="")
    said = f"{count} action{'s' if count != 1 else ''} logged"
    if steps:
        said += f", covering {len(linked)} of {len(steps)} steps"
    return said + (f"; the latest on {latest}." if latest else ".")


@dataclass(frozen=True)
class LogGroup:
    """A group of the timeline: a step of the theory of action (numbered from 1), or the
    actions linked to no step (``step`` None, ``number`` 0, ``orphans`` False), or those
    linked to a step no longer in the theory of action (``orphans`` True)."""

    step: TheoryStep | None
    number: int
    actions: list[dict[str, Any]]
    orphans: bool = False


def group_actions(actions: Sequence[dict[str, Any]], steps: Sequence[TheoryStep]) -> list[LogGroup]:
    """The timeline by step: every step in order (with its actions, maybe none), then the
    actions linked to no step and those linked to a removed step, each by date (groups
    of these two only when they have actions)."""
    by_step: dict[str, list[dict[str, Any]]] = {}
    for action in actions:
        by_step.setdefault(action["toa_step"], []).append(action)
    known = {s.id for s in steps}
    groups = [LogGroup(step, i, by_step.get(step.id, [])) for i, step in enumerate(steps, 1)]
    unlinked = by_step.get("", [])
    orphans = [a for s, group in by_step.items() if s and s not in known for a in group]
    for items, orphan in ((unlinked, False), (orphans, True)):
        if items:
            groups.append(LogGroup(None, 0, sorted(items, key=lambda a: a["date"]), orphan))
    return groups
