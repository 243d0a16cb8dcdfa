"""Collecting a file's problems, refusing a file whole, and telling what an import did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from ..errors import ImportValidationError, Problem
from .contract import MAX_PROBLEMS, Kind

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import pandas as pd


class _Problems:
    """Collects problems for one file, keeping at most ``cap`` but counting all of them."""

    def __init__(self, file: str, columns: Sequence[str] = (), cap: int = MAX_PROBLEMS) -> None:
        self.file = file
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0
        self._order = {c: i for i, c in enumerate(columns)}

    def add(self, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(Problem(self.file, row, column, message))

    def add_rows(
        self,
        mask: pd.Series[bool],
        column: str | None,
        message: str | Callable[[int], str],
    ) -> None:
        """One problem per row where ``mask`` is true; ``message`` may be built from the row."""
        hits = mask.to_numpy(dtype=bool, na_value=False)
        count = int(hits.sum())
        if not count:
            return
        rows = mask.index.to_numpy()[hits][: self.cap]
        self.total += count
        for row in rows:
            text = message(int(row)) if callable(message) else message
            self.items.append(Problem(self.file, int(row), column, text))

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self) -> None:
        if not self.total:
            return
        ordered = sorted(
            self.items,
            key=lambda p: (
                p.row is not None,
                p.row or 0,
                self._order.get(p.column or "", len(self._order)),
            ),
        )
        raise ImportValidationError(ordered[: self.cap], total=self.total)


class ImportFileError(ImportValidationError):
    """A file refused as a whole (not found, a folder, unreadable, not a table, a zip bomb):
    its message is one line naming the file, and ``problems`` holds that one problem."""

    def __init__(
        self, file: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__([Problem(file, row, column, message)])

    def __str__(self) -> str:
        return f"{self.problems[0]}; nothing was imported"


def _fail(file: str, message: str, row: int | None = None, column: str | None = None) -> NoReturn:
    raise ImportFileError(file, message, row, column)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: how many rows it added, which it skipped, and what to tell.

    ``skipped_rows`` are the spreadsheet rows (header = row 1) not added because an equal row
    was already present (evidence, see :data:`EVIDENCE_KEY`). ``notes`` are things worth
    checking that did not stop the import (a title row skipped, an in-person member with no
    region); ``ignored_columns`` the headers that were not imported.
    """

    file: str
    kind: Kind
    added: int
    skipped_rows: tuple[int, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def skipped(self) -> int:
        """How many rows were skipped as already present."""
        return len(self.skipped_rows)

    def summary(self) -> str:
        """One sentence: what was imported from where, and how many rows were skipped."""
        text = f"Imported {self.added} {self.kind} row{'s' if self.added != 1 else ''}"
        text += f" from {self.file}"
        if self.skipped:
            text += (
                f"; {self.skipped} row{'s' if self.skipped != 1 else ''} already present "
                f"{'were' if self.skipped != 1 else 'was'} skipped"
            )
        return text + "."

    def note_lines(self) -> list[str]:
        """The notes as lines to show, ignored columns first."""
        lines = []
        if self.ignored_columns:
            shown = ", ".join(f"'{c}'" for c in self.ignored_columns)
            lines.append(f"{self.file}: columns not imported (ignored): {shown}")
        if self.skipped:
            rows = _row_list(self.skipped_rows)
            lines.append(
                f"{self.file}: already present (in the network, or higher up in the file), "
                f"not imported again: {rows}"
            )
        lines.extend(str(note) for note in self.notes)
        return lines


def _row_list(rows: Sequence[int], limit: int = 10) -> str:
    """``row 2`` / ``rows 2, 5, 9`` / ``rows 2, 3, ... and 40 more``."""
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) != 1 else ''} {shown}{more}"
