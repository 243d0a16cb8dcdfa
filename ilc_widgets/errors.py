"""Exceptions the kit raises for people, each with a message fit to show as is."""

from __future__ import annotations

from dataclasses import dataclass


class IlcError(Exception):
    """Base of every error whose message is meant for the person at the keyboard."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file: where it is and what is wrong."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ImportValidationError(IlcError):
    """A file that cannot be imported; nothing from it was written."""

    def __init__(
        self, problems: list[Problem], limit: int = 50, *, total: int | None = None
    ) -> None:
        self.problems = list(problems)
        # ``total`` counts problems beyond the listed ones when the finder stopped collecting.
        self.total = max(total or 0, len(self.problems))
        shown = [str(p) for p in self.problems[:limit]]
        more = self.total - len(shown)
        head = f"{self.total} problem{'s' if self.total != 1 else ''} found; nothing was imported"
        lines = [head, *("  - " + s for s in shown)]
        if more:
            lines.append(f"  ... and {more} more")
        super().__init__("\n".join(lines))


class ConflictError(IlcError):
    """A save based on a version that someone else has since replaced."""

    def __init__(self, what: str, expected: int, current: int) -> None:
        self.expected = expected
        self.current = current
        super().__init__(
            f"{what} was changed by someone else (you edited version {expected}, "
            f"the saved one is version {current}); nothing was overwritten"
        )


class AccessDenied(IlcError):
    """A link whose key does not verify."""


class NotFound(IlcError):
    """A collective, participant or entry that does not exist."""


class DatabaseUnavailable(IlcError):
    """The database cannot be read or written; the message names the cause in one line.

    Raised at the storage boundary (:mod:`ilc_widgets.db`) in place of SQLAlchemy's and the
    driver's exceptions, whose text carries SQL and the values of the rows. The original
    stays in ``__context__`` (shown by ``ilc --debug``) but is not printed by default.
    """


class ReadOnlySession(IlcError):
    """A change asked of a network opened read-only (a researcher's default session)."""
