"""What the importers accept: the kinds of table, their required and key columns, limits."""

from __future__ import annotations

from datetime import date
from typing import IO, TYPE_CHECKING, Literal, TypeAlias

from ..vocab import EVIDENCE_COLUMNS

if TYPE_CHECKING:
    import os

    import pandas as pd

FileSource: TypeAlias = "str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]"
"""A path, the bytes of a file (an upload widget gives a ``memoryview``), or an open binary file."""
TableSource: TypeAlias = "FileSource | pd.DataFrame"
"""What the loaders read: a file, or a table already returned by :func:`read_table` (so a
column-mapping step does not parse the file twice)."""

Kind: TypeAlias = Literal["participants", "evidence"]

DEFAULT_MAX_BYTES = 200 * 1024**2
MAX_PROBLEMS = 500
"""Problems listed in one error at most; the error still counts all of them."""


HEADER_SEARCH_ROWS = 20
"""Non-blank rows searched for the header row (the rows above it are title rows)."""

EVIDENCE_REQUIRED: frozenset[str] = frozenset({"collective", "date", "evidence_type"})
"""``collective`` is not required when the caller passes ``collective=``."""
EVIDENCE_KEY: tuple[str, ...] = tuple(
    c for c in EVIDENCE_COLUMNS if c not in ("source", "entered_by")
)
"""Two evidence rows equal in these columns say the same thing: an import skips a row equal
to one already present (or to an earlier row of the same file) unless duplicates are
allowed. ``source`` and ``entered_by`` say who or what reported it, not what was seen, and are
left out; ``unit``, ``n`` and ``subgroup`` are in, so that 50 % of grade 9 and 50 % of grade
10 stay two facts."""

MAX_LENGTHS: dict[str, int] = {
    "participant_id": 64,
    "name": 200,
    "email": 320,
    "organization": 200,
    "district": 200,
    "region": 200,
    "theme": 200,
    "second_theme": 200,
    "collective": 80,
    "indicator": 300,
    "unit": 40,
    "subgroup": 200,
    "source": 300,
    "entered_by": 320,
}
"""Longest text the database columns hold (PostgreSQL enforces them)."""

_JOINABLE = frozenset({"name", "focus", "description"})
"""Contract columns that several source columns may fill together (joined with a space)."""

_N_MAX = 2**31 - 1
_EARLIEST = date(1900, 1, 1)
