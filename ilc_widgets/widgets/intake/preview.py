"""What the roster import shows about a file: the preview of its first rows and the table
of its problems, named by row and column (HTML, escaped)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...vocab import PARTICIPANT_COLUMNS, label
from .._base import html_table
from .state import FIELD_LABELS, PREVIEW_LABELS, short

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from ...errors import ImportValidationError, Problem

__all__ = [
    "MAX_PROBLEMS_SHOWN",
    "clean_preview",
    "preview_html",
    "problem_table",
    "problems_html",
    "valid_html",
]

MAX_PROBLEMS_SHOWN = 60
"""Problems listed at most (the rest are counted)."""
WORTH_CHECKING = "Worth checking (these do not stop the import):"


def clean_preview(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    """The first ``rows`` rows of a valid file, with roles and modalities as people say them."""
    head = frame.head(rows).copy()
    head["role"] = [label("role", str(v)) for v in head["role"]]
    head["modality"] = [label("modality", str(v)) for v in head["modality"]]
    return head


def preview_html(
    head: pd.DataFrame, bad_rows: set[int | None], mapping: Mapping[str, str], total: int
) -> str:
    """The preview of a file's first rows (⚠ marks a row with a problem)."""
    mapped = set(mapping.values())
    columns = [c for c in PARTICIPANT_COLUMNS if c in head.columns and c in mapped]
    rows = []
    for row_number, record in zip(head.index, head.to_dict("records"), strict=True):
        mark = "⚠" if row_number in bad_rows else ""
        rows.append(
            (
                f"{row_number} {mark}".strip(),
                *(short(str(record.get(c, "")), 60) for c in columns),
            )
        )
    caption = (
        f"<h3>Preview</h3><p class='muted'>The first {len(rows)} of {total} rows as they "
        "will be imported (row numbers as in the spreadsheet; ⚠ = a problem below).</p>"
    )
    headings = ["Row", *(PREVIEW_LABELS.get(c, FIELD_LABELS[c]) for c in columns)]
    return (
        "<div class='ilc' style='overflow-x:auto'>"
        + caption
        + html_table(rows, headings)
        + "</div>"
    )


def problem_table(
    problems: Sequence[Problem], total: int, mapping: Mapping[str, str], *, hint: bool = True
) -> str:
    """The problems as a table (file, row, column, problem), with the file's own column
    names where the mapping renamed them; ``hint``: say where to choose a missing column."""
    by_column: dict[str, list[str]] = {}
    for header, column in mapping.items():
        if column:
            by_column.setdefault(column, []).append(header)
    rows = []
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        column = p.column or ""
        headers = by_column.get(column, [])
        shown = (
            f"{column} (file column '{' + '.join(headers)}')"
            if headers and headers != [column]
            else column
        )
        message = p.message
        if p.row is None and "required column" in message and hint:
            message += " (choose the file column that holds it above)"
        rows.append((p.file, "" if p.row is None else p.row, shown, message))
    more = total - len(rows)
    extra = f"<p class='muted'>… and {more} more.</p>" if more > 0 else ""
    return html_table(rows, ["File", "Row", "Column", "Problem"]) + extra


def problems_html(error: ImportValidationError, mapping: Mapping[str, str], *, hint: bool) -> str:
    """What stops a file from being imported."""
    n = error.total
    return (
        "<div class='ilc'><p class='bad'><b>"
        f"{n} problem{'s' if n != 1 else ''} found; nothing will be imported until "
        "they are fixed</b> (fix them in the file and choose it again, or change a column "
        "choice above).</p>" + problem_table(error.problems, n, mapping, hint=hint) + "</div>"
    )


def valid_html(n: int, generated: int, warnings: str) -> str:
    """What is said of a file whose ``n`` rows are all valid (``generated`` of them without
    a participant id; ``warnings``: the table of what is worth checking, or '')."""
    notes = [
        f"<p class='ok'><b>All {n} rows are valid.</b> Nothing is saved until you click Import.</p>"
    ]
    if generated:
        notes.append(
            f"<p class='muted'>{generated} row{'s have' if generated != 1 else ' has'} no "
            "participant id: one is made from the email address.</p>"
        )
    if warnings:
        notes.append(
            "<p class='warn'>Worth checking (these do not stop the import):</p>" + warnings
        )
    return "<div class='ilc'>" + "".join(notes) + "</div>"
