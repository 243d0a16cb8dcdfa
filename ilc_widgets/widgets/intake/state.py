"""The intake form's and the roster import's rules, without widgets: what each field is
called, what a person must fill in, how the importer's problems are said on the form, and
how a file's columns are mapped to the data contract."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...vocab import PARTICIPANT_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

    from ...errors import Problem

__all__ = [
    "FIELD_LABELS",
    "FORM_FIELDS",
    "MAPPED_FIELDS",
    "NOT_IN_FILE",
    "PREVIEW_LABELS",
    "SLOT_LABELS",
    "column_map",
    "duplicate_choices",
    "form_problems",
    "guess_slots",
    "problem_message",
    "raw_preview",
    "short",
]

FIELD_LABELS: dict[str, str] = {
    "participant_id": "Participant id",
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "organization": "School or office",
    "district": "District",
    "region": "Region",
    "modality": "How you will meet",
    "focus": "Focus for inquiry",
    "theme": "Theme",
    "second_theme": "Second theme",
}
"""How each contract column is named on the page."""

PREVIEW_LABELS = {"modality": "In person / virtual", "focus": "Focus"}
"""Column headings of the import preview that differ from :data:`FIELD_LABELS`."""

FORM_FIELDS = PARTICIPANT_COLUMNS[1:9]
"""The contract columns a person fills in on the intake form (name through focus)."""

NOT_IN_FILE = ""
"""The mapping choice for a field the file does not have."""

MAPPED_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("name_2", "name"),
    ("email", "email"),
    ("role", "role"),
    ("organization", "organization"),
    ("district", "district"),
    ("region", "region"),
    ("modality", "modality"),
    ("focus", "focus"),
    ("focus_2", "focus"),
    ("participant_id", "participant_id"),
    ("theme", "theme"),
    ("second_theme", "second_theme"),
)
"""Mapping slots: (slot, contract column). ``name_2``/``focus_2`` are joined to the first."""

SLOT_LABELS: dict[str, str] = {
    "name": "Name *",
    "name_2": "… and last name",
    "email": "Email *",
    "role": "Role *",
    "organization": "School or office",
    "district": "District *",
    "region": "Region",
    "modality": "In person / virtual",
    "focus": "Focus for inquiry",
    "focus_2": "… joined with",
    "participant_id": "Participant id",
    "theme": "Theme",
    "second_theme": "Second theme",
}
"""How each mapping slot is named on the page (* = required)."""


def short(text: Any, limit: int = 70) -> str:
    """``text`` on one line, cut to ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# ---------------------------------------------------------------------- intake form


def form_problems(fields: Mapping[str, str], role: str) -> dict[str, str]:
    """What is missing from a submitted form, by field (the intake link must give a focus)."""
    whose = "your" if role == "intake" else "the"
    required = ["name", "email", "role", "district"]
    if role == "intake":
        required.append("focus")
    found: dict[str, str] = {}
    for name in required:
        if not fields.get(name, "").strip():
            verb = "choose" if name == "role" else "enter"
            found[name] = f"Please {verb} {whose} {FIELD_LABELS[name].lower()}."
    if fields.get("modality") == "in_person" and not fields.get("region", "").strip():
        found["region"] = f"Please enter {whose} region: in-person groups meet by region."
    return found


def problem_message(problem: Problem, role: str) -> str:
    """An importer's problem with a submitted form, said to the person who typed it."""
    text = problem.message
    if "already in the network" in text:
        if role == "intake":
            return (
                "This email address has already been used to submit a focus. "
                "To change yours, tell your facilitator."
            )
        return "Someone with this email address is already in the network."
    if text.endswith(" is blank"):
        return f"Please enter the {FIELD_LABELS.get(problem.column or '', 'value').lower()}."
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# ---------------------------------------------------------------------- roster mapping


def guess_slots(guess: Mapping[str, str]) -> dict[str, str]:
    """Mapping slots filled from the importer's guess (file header -> contract column):
    a second header for the same column goes to its ``_2`` slot when there is one."""
    chosen: dict[str, str] = {}
    for header, column in guess.items():
        slot = column if column not in chosen else f"{column}_2"
        if slot in SLOT_LABELS and slot not in chosen:
            chosen[slot] = header
    return chosen


def column_map(headers: Iterable[str], chosen: Mapping[str, str]) -> dict[str, str]:
    """The map passed to the importer: every file header -> contract column or '' (the
    headers chosen by slot, joined columns in their slots' order, first)."""
    result = {str(h): "" for h in headers}
    for slot, column in MAPPED_FIELDS:
        header = chosen.get(slot, NOT_IN_FILE)
        if header:
            result[header] = column
    ordered = {h: c for h, c in result.items() if c}
    for slot in ("name", "focus"):
        first = chosen.get(slot, NOT_IN_FILE)
        if first and first in ordered:
            ordered = {first: ordered.pop(first), **ordered}
    return {**ordered, **{h: c for h, c in result.items() if not c}}


def duplicate_choices(chosen: Mapping[str, str]) -> list[str]:
    """A sentence for every file column chosen for two fields."""
    used: dict[str, list[str]] = {}
    for slot, _column in MAPPED_FIELDS:
        header = chosen.get(slot, NOT_IN_FILE)
        if header:
            used.setdefault(header, []).append(SLOT_LABELS[slot].rstrip(" *"))
    return [
        f"The column '{header}' is chosen for {' and '.join(slots)}; choose it once."
        for header, slots in used.items()
        if len(slots) > 1
    ]


def raw_preview(table: pd.DataFrame, mapping: Mapping[str, str], rows: int) -> pd.DataFrame:
    """The first ``rows`` rows of a file that did not pass, under contract column names
    (joined columns joined with a space)."""
    import pandas as pd

    head = table.head(rows)
    out: dict[str, pd.Series[str]] = {}
    for header, column in mapping.items():
        if not column:
            continue
        part = head[header].astype(str).str.strip()
        out[column] = (out[column] + " " + part).str.strip() if column in out else part
    return pd.DataFrame(out, index=head.index)
