"""Pieces shared by the CSV and XLSX readers: sizes, column letters, sheet names, and
naming and checking the columns of a table just read."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .problems import _fail, _Problems

if TYPE_CHECKING:
    from collections.abc import Sequence


def _size(n: int) -> str:
    if n >= 1024**2:
        return f"{n / 1024**2:.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_list(titles: Sequence[str]) -> str:
    return ", ".join(f"'{t}'" for t in titles)


def _use_sheet(title: str) -> str:
    """How to choose a sheet: ``--sheet NAME`` (quoted for a shell when needed)."""
    return f"--sheet {shlex.quote(title)}"


def _finish_table(
    frame: pd.DataFrame, header: Sequence[str], name: str, header_row: int
) -> tuple[pd.DataFrame, dict[int, str]]:
    """Name columns from the header, drop blank rows and unnamed blank columns, check it.

    Returns the table and the label of each kept column by its 0-based position in the file.
    """
    names = [str(h).strip() for h in header]
    if not any(names):
        _fail(name, "the file has no header row")
    keep: list[int] = []
    labels: list[str] = []
    for index, label in enumerate(names):
        column = frame[frame.columns[index]] if index < frame.shape[1] else None
        if not label:
            if column is None or not column.str.strip().astype(bool).any():
                continue  # a stray empty column, as spreadsheets often leave at the right
            label = f"(column {_column_letter(index)}, no header)"
        keep.append(index)
        labels.append(label)
    seen: dict[str, int] = {}
    problems = _Problems(name)
    for index, label in zip(keep, labels, strict=True):
        key = label.casefold()
        if key in seen:
            problems.add(
                header_row,
                label,
                f"the header '{label}' appears twice (columns {_column_letter(seen[key])} "
                f"and {_column_letter(index)}); rename or delete one of them",
            )
        else:
            seen[key] = index
    problems.raise_if_any()
    table = frame.iloc[:, keep].copy()
    table.columns = pd.Index(labels)
    table.index.name = "row"
    blank = np.ones(len(table), dtype=bool)
    for label in labels:
        values = table[label]
        blank &= (values.str.len().to_numpy() == 0) | (values.str.strip().to_numpy() == "")
    table = table.loc[~blank]
    if table.empty:
        _fail(name, "the file has a header row but no data rows")
    return table, dict(zip(keep, labels, strict=True))
