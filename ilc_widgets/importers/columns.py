"""Resolving a table's headers to contract columns, and reporting what is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import Problem
from ..vocab import EVIDENCE_COLUMNS, PARTICIPANT_COLUMNS, slug
from ._table import _sheet_list, _use_sheet
from .cells import _blank
from .contract import _JOINABLE, Kind
from .headers import _title_text
from .mapping import suggest_column_map
from .problems import _Problems, _row_list

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence


@dataclass
class _Columns:
    values: dict[str, pd.Series[str]]
    ignored: list[str]
    sources: dict[str, list[str]]
    """Contract column -> the file's headers that fill it."""


def _resolve_columns(
    table: pd.DataFrame,
    contract: Sequence[str],
    column_map: Mapping[str, str] | None,
    problems: _Problems,
    kind: Kind,
) -> _Columns:
    """Map the table's headers to contract columns (explicit map first, then by name)."""
    headers = [str(h) for h in table.columns]
    by_exact = {h: h for h in headers}
    by_slug: dict[str, str] = {}
    for h in headers:
        by_slug.setdefault(slug(h), h)
    explicit: dict[str, list[str]] = {}  # contract column -> source headers, in map order
    claimed: set[str] = set()
    for key, target in (column_map or {}).items():
        header = by_exact.get(key) or by_exact.get(key.strip()) or by_slug.get(slug(key))
        if header is None:
            problems.add(None, key, "the column mapping names this column, but the file has none")
            continue
        claimed.add(header)
        target = (target or "").strip()
        if not target:
            continue
        if target not in contract:
            problems.add(None, header, f"cannot map to '{target}': it is not a {kind} column")
            continue
        explicit.setdefault(target, []).append(header)
    sources: dict[str, list[str]] = {}
    for target, found in explicit.items():
        if len(found) > 1 and target not in _JOINABLE:
            names = " and ".join(f"'{h}'" for h in found)
            problems.add(None, target, f"{names} are both mapped to '{target}'; map only one")
        sources[target] = found
    ignored: list[str] = []
    for header in headers:
        if header in claimed:
            if not any(header in found for found in explicit.values()):
                ignored.append(header)
            continue
        key = slug(header)
        if key in contract and key not in explicit:
            if key in sources:
                problems.add(
                    None,
                    key,
                    f"'{sources[key][0]}' and '{header}' are both the '{key}' column; "
                    "delete or rename one of them",
                )
            else:
                sources[key] = [header]
        else:
            ignored.append(header)
    values: dict[str, pd.Series[str]] = {}
    for target, found in sources.items():
        parts = [table[h].str.strip() for h in found]
        combined = parts[0]
        for part in parts[1:]:
            combined = (combined + " " + part).str.strip()
        values[target] = combined
    return _Columns(values, ignored, sources)


def _hint_for_missing(column: str, ignored: Sequence[str], kind: Kind) -> str:
    guesses = [h for h, c in suggest_column_map(ignored, kind).items() if c == column]
    if guesses:
        return f"; the column '{guesses[0]}' may be it: map it to '{column}'"
    return ""


def _report_missing(
    table: pd.DataFrame,
    missing: Sequence[str],
    resolved: _Columns,
    problems: _Problems,
    kind: Kind,
) -> None:
    """Problems for required columns not found, saying where they were looked for.

    An XLSX names its sheets; when another sheet holds the columns, that one line replaces
    the per-column ones (they would only mislead). A header that looks like a title says so.
    """
    if not missing:
        return
    sheet = table.attrs.get("sheet")
    sheets = [str(t) for t in table.attrs.get("sheets") or []]
    data_sheet = table.attrs.get("data_sheet")
    if sheet is not None and data_sheet:
        names = ", ".join(f"'{c}'" for c in missing)
        problems.add(
            None,
            None,
            f"sheet '{sheet}' has no {names} column{'s' if len(missing) != 1 else ''}; the data "
            f"seems to be on sheet '{data_sheet}': use {_use_sheet(str(data_sheet))} "
            f"(the workbook's sheets: {_sheet_list(sheets)})",
        )
        return
    for column in missing:
        hint = _hint_for_missing(column, resolved.ignored, kind)
        problems.add(None, column, f"the required column '{column}' is missing{hint}")
    header_row = int(table.attrs.get("header_row") or 1)
    titles: Mapping[int, str] = table.attrs.get("title_rows") or {}
    named = [str(c) for c in table.columns if not str(c).startswith("(column ")]
    if len(named) == 1 and len(table.columns) > 1:
        problems.add(
            header_row,
            None,
            f"this row ('{_title_text(named)}') was read as the header but looks like a title; "
            "the column names must be in one row (delete the rows above them, or map the "
            "columns)",
        )
    elif sheet is not None or titles:
        where = f"the columns were looked for in row {header_row}"
        if sheet is not None:
            where += f" of sheet '{sheet}'"
        if titles:
            shown = "; ".join(f"'{text}'" for text in titles.values())
            where += f", below the title in {_row_list(list(titles))} ({shown})"
        if sheet is not None:
            where += f" (the workbook's sheets: {_sheet_list(sheets)})"
            if len(sheets) > 1:
                where += f"; choose another sheet with {_use_sheet('NAME')}"
        problems.add(None, None, where)


_UNSAVED_FORMULA = (
    "a formula with no saved value; open the file in a spreadsheet program and save it, "
    "or paste values"
)


def _report_formulas(
    table: pd.DataFrame, resolved: _Columns, problems: _Problems
) -> dict[str, pd.Series[bool]]:
    """Problems for imported cells holding a formula with no saved value (read as blank).

    Returns, per contract column, the mask of those cells, so that they are not also
    reported as blank.
    """
    cells = table.attrs.get("uncomputed") or []
    if not cells:
        return {}
    target_of = {header: target for target, found in resolved.sources.items() for header in found}
    rows_of: dict[str, set[int]] = {}
    for row, header in cells:
        target = target_of.get(header)
        if target is not None:
            problems.add(int(row), target, _UNSAVED_FORMULA)
            rows_of.setdefault(target, set()).add(int(row))
    return {
        target: pd.Series(table.index.isin(sorted(rows)), index=table.index)
        for target, rows in rows_of.items()
    }


def _blank_unless(
    values: pd.Series[str], column: str, formulas: Mapping[str, pd.Series[bool]]
) -> pd.Series[bool]:
    """Blank cells of ``values``, leaving out those already reported as unsaved formulas."""
    blank = _blank(values)
    mask = formulas.get(column)
    return blank if mask is None else blank & ~mask


def _title_notes(table: pd.DataFrame, name: str) -> list[Problem]:
    """One note per title row skipped above the header."""
    titles: Mapping[int, str] = table.attrs.get("title_rows") or {}
    header_row = table.attrs.get("header_row")
    return [
        Problem(
            name,
            int(row),
            None,
            f"skipped as a title above the header (row {header_row}): '{text}'",
        )
        for row, text in titles.items()
    ]


@dataclass
class _Draft:
    """Where both loaders start: a table's contract columns as text, with the problems found
    so far (a column missing, a formula with no saved value, a required value blank)."""

    table: pd.DataFrame
    name: str
    problems: _Problems
    resolved: _Columns
    formulas: dict[str, pd.Series[bool]]
    out: dict[str, pd.Series[Any]]
    """Every contract column (blank where the file has none), filled in by the loader."""

    def frame(self, text_columns: Collection[str]) -> pd.DataFrame:
        """The loaded frame: :attr:`out` on the file's row numbers, ``text_columns`` as
        strings; ``attrs`` ``file``, ``ignored_columns`` and ``warnings`` (title rows)."""
        result = pd.DataFrame(self.out, index=self.table.index)
        result = result.astype(dict.fromkeys(text_columns, str))
        result.attrs = {
            "file": self.name,
            "ignored_columns": self.resolved.ignored,
            "warnings": _title_notes(self.table, self.name),
        }
        return result


def _draft(
    table: pd.DataFrame,
    kind: Kind,
    column_map: Mapping[str, str] | None,
    required: Collection[str],
) -> _Draft:
    """Resolve ``table``'s columns for ``kind`` and report missing required columns, unsaved
    formulas and blank ``required`` values."""
    contract = PARTICIPANT_COLUMNS if kind == "participants" else EVIDENCE_COLUMNS
    name = str(table.attrs["file"])
    problems = _Problems(name, contract)
    resolved = _resolve_columns(table, contract, column_map, problems, kind)
    cols = resolved.values
    missing = [c for c in contract if c in required and c not in cols]
    _report_missing(table, missing, resolved, problems, kind)
    formulas = _report_formulas(table, resolved, problems)
    empty = pd.Series("", index=table.index, dtype=str)
    out: dict[str, pd.Series[Any]] = {c: cols.get(c, empty) for c in contract}
    for column in sorted(required, key=contract.index):
        if column in cols:
            problems.add_rows(
                _blank_unless(out[column], column, formulas), column, f"{column} is blank"
            )
    return _Draft(table, name, problems, resolved, formulas, out)
