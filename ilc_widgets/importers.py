"""Read participant rosters and evidence logs from CSV or XLSX into clean DataFrames.

Nothing here touches the database: the storage layer calls :func:`load_participants` or
:func:`load_evidence`, gets a validated DataFrame in the data-contract column order, and
writes it in one transaction. A file with any problem raises one
:class:`~ilc_widgets.errors.ImportValidationError` that lists every problem found (file, row,
column, what is wrong) and nothing is returned. :func:`validate_participant_record` and
:func:`validate_evidence_record` apply the same rules to one entry typed in a form, and
:func:`to_records` turns a loaded DataFrame into plain Python rows for an insert.

Conventions, the same everywhere in this module:

- **Row numbers are the ones a person sees in a spreadsheet**: the header is row 1 and the
  first data row is row 2. Blank lines and blank rows keep their number (so a row number
  always matches what Excel shows), and DataFrames returned here use these numbers as their
  index (named ``row``).
- **CSV** must be UTF-8 (with or without BOM); the delimiter (comma, semicolon or tab) is
  sniffed from the header line. **XLSX** is read with openpyxl; date cells come through as
  ISO dates (``2026-09-15``), numbers in their shortest form, percent-formatted cells as
  ``"12%"``.
- **Dates** (evidence): ``YYYY-MM-DD`` (also with ``/`` or ``.``, and with a time that is
  ignored), Excel date cells, month names (``Sep 15, 2026``, ``15 September 2026``,
  ``15-Sep-2026``), and numeric day/month forms only when they are unambiguous
  (``15/09/2026``, ``9/15/2026``, ``05/05/2026``) or when the caller says the order
  (``dayfirst=``). ``03/04/2026`` with no order given, two-digit years, Excel serial numbers
  and impossible dates (``2026-02-30``, ``13/13/2026``) are rejected.
- **Numbers**: the file's decimal mark is a comma for semicolon-delimited CSV (European
  exports) and a point otherwise. The other mark is read as a thousands separator when it
  groups digits by three (``1.234`` in a semicolon file is 1234; ``1,234`` in a comma file is
  1234), otherwise as a decimal mark (``3.5`` is 3.5 anywhere). Spaces are thousands
  separators. ``12%`` is the value 12 and, when the unit is blank, the unit ``%``.
- **Refused whole, in one line** (:class:`ImportFileError`): a missing path, a folder, a file
  that cannot be read, a file that is neither UTF-8 text nor an XLSX workbook, and an XLSX
  whose unpacked size is far beyond its file size (a zip bomb: more than
  :data:`MAX_UNPACK_RATIO` times the file, or more than :data:`MAX_UNPACKED_BYTES`), which is
  refused before openpyxl reads any of it.
- **Header row**: when the loaders (or :func:`read_table` with ``kind=``) know what they read,
  the header is the first row (among the first :data:`HEADER_SEARCH_ROWS` non-blank rows)
  that holds the required columns; title rows above it are skipped and reported. An XLSX
  sheet without them names the workbook's sheets, and the sheet that has the data if one does.
- **XLSX formulas** with no saved value (a file written by a program, never opened and saved
  in a spreadsheet) are reported as such, not read as blanks.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import math
import os
import re
import shlex
import stat
import zipfile
import zlib
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, NoReturn, TypeAlias, cast

import numpy as np
import pandas as pd

from .errors import ImportValidationError, Problem
from .vocab import (
    EVIDENCE_COLUMNS,
    PARTICIPANT_COLUMNS,
    PARTICIPANT_REQUIRED,
    VOCABULARIES,
    normalize_choice,
    slug,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

__all__ = [
    "EVIDENCE_COLUMNS",
    "EVIDENCE_KEY",
    "EVIDENCE_REQUIRED",
    "MAX_LENGTHS",
    "PARTICIPANT_COLUMNS",
    "PARTICIPANT_REQUIRED",
    "ImportFileError",
    "ImportResult",
    "evidence_key",
    "load_evidence",
    "load_participants",
    "read_table",
    "suggest_column_map",
    "to_records",
    "validate_evidence_record",
    "validate_participant_record",
]

FileSource: TypeAlias = "str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]"
"""A path, the bytes of a file (an upload widget gives a ``memoryview``), or an open binary file."""
TableSource: TypeAlias = "FileSource | pd.DataFrame"
"""What the loaders read: a file, or a table already returned by :func:`read_table` (so a
column-mapping step does not parse the file twice)."""

Kind: TypeAlias = Literal["participants", "evidence"]

DEFAULT_MAX_BYTES = 200 * 1024**2
MAX_PROBLEMS = 500
"""Problems listed in one error at most; the error still counts all of them."""
MAX_UNPACK_RATIO = 100
"""An XLSX whose members unpack to more than this many times its size is refused unread
(real workbooks unpack to 4-25 times their size)."""
MAX_UNPACKED_BYTES = 500 * 1024**2
"""An XLSX whose members unpack to more than this is refused unread."""
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


# --------------------------------------------------------------------------- problems


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


# --------------------------------------------------------------------------- reading


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


def _read_bytes(source: FileSource, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        name = filename or "uploaded file"
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = filename or path.name or str(path)
        data = _read_path(path, name, max_bytes)
    else:
        raw_name = getattr(source, "name", None)
        name = filename or (Path(raw_name).name if isinstance(raw_name, str) else "uploaded file")
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        _fail(name, f"the file is larger than {_size(max_bytes)}, the most that is accepted")
    return data, name


def _read_path(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a file on disk; a missing, odd or unreadable path is one clear line."""
    shown = f" ({path})" if str(path) != name else ""
    folder = f"this is a folder, not a file{shown}; choose the CSV or XLSX file in it"
    denied = f"the file cannot be read: permission denied{shown}"
    try:
        info = path.stat()
    except FileNotFoundError:
        _fail(name, f"there is no such file{shown}")
    except NotADirectoryError:
        _fail(name, f"there is no such file{shown}: a part of the path is a file, not a folder")
    except PermissionError:
        _fail(name, denied)
    except OSError as exc:
        _fail(name, f"the file cannot be read ({exc.strerror or type(exc).__name__}){shown}")
    if stat.S_ISDIR(info.st_mode):
        _fail(name, folder)
    if not stat.S_ISREG(info.st_mode):
        _fail(name, f"this is not a regular file{shown}; choose a CSV or XLSX file")
    if info.st_size > max_bytes:
        _fail(
            name, f"the file is {_size(info.st_size)}; files up to {_size(max_bytes)} are accepted"
        )
    try:
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except PermissionError:
        _fail(name, denied)
    except IsADirectoryError:  # replaced by a folder since the check above
        _fail(name, folder)
    except OSError as exc:
        _fail(name, f"the file cannot be read ({exc.strerror or type(exc).__name__}){shown}")


def read_table(
    source: FileSource,
    filename: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sheet: str | int | None = None,
    kind: Kind | None = None,
    column_map: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Read a CSV or XLSX file into a DataFrame of strings, blanks as ``""``.

    Columns are the header cells as written (whitespace trimmed); the index holds
    spreadsheet row numbers (header = row 1). Blank rows are dropped. The format is detected
    from the content (an XLSX file is a zip archive), else from the extension. ``sheet``
    picks an XLSX sheet by name or 0-based position (default: the first). ``filename`` is
    the name used in messages (default: the path's name).

    With ``kind`` (``"participants"`` or ``"evidence"``) the header is the first of the first
    :data:`HEADER_SEARCH_ROWS` non-blank rows that holds that kind's required columns (by
    name, by :func:`suggest_column_map`, or by ``column_map``); rows above it are title rows,
    skipped. Without ``kind``, or when no row holds them, it is the first non-blank row.

    ``df.attrs`` holds ``file``, ``format`` (``"csv"``/``"xlsx"``), ``delimiter``,
    ``decimal``, ``header_row``, ``title_rows`` (``{row: text}`` of skipped title rows), and
    for XLSX ``sheet``, ``sheets`` (every worksheet's name), ``data_sheet`` (with ``kind``,
    when the chosen sheet lacks the required columns: another sheet that has them, else
    ``None``) and ``uncomputed`` (``[(row, header)]`` of formula cells with no saved value).

    Raises :class:`ImportFileError` (one line) for a missing, unreadable or odd path, an
    empty file, a file larger than ``max_bytes``, a file that is not UTF-8 text or XLSX, a zip
    bomb or unreadable workbook, and a header without rows; :class:`ImportValidationError`
    for text that is not UTF-8 (naming rows and columns), duplicate header names and rows with
    more cells than the header.
    """
    data, name = _read_bytes(source, filename, max_bytes)
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        _fail(name, "the file is empty")
    ext = Path(name).suffix.lower()
    header = _HeaderRule(kind, dict(column_map or {}))
    if data[:4] == b"PK\x03\x04":
        table = _read_xlsx(data, name, sheet, max_bytes, header)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        _fail(
            name,
            "this is an old-style .xls workbook or a password-protected one; "
            "save it as .xlsx (without a password) or as 'CSV UTF-8' and import that",
        )
    elif ext in (".xlsx", ".xlsm"):
        _fail(name, "this is not a valid XLSX workbook (it is not a zip archive)")
    elif data[:5] == b"%PDF-":
        _fail(name, "this is a PDF, not a CSV or XLSX file")
    else:
        if sheet is not None:
            _fail(name, f"this is a CSV file, which has no sheets (sheet {sheet!r} was asked for)")
        table = _read_csv(data, name, header)
    table.attrs["file"] = name
    return table


# Header row -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _HeaderRule:
    """What the header row of a table must hold (``kind is None``: the first non-blank row)."""

    kind: Kind | None
    column_map: Mapping[str, str]

    def holds_required(self, cells: Sequence[str]) -> bool:
        """Whether ``cells``, read as a header, name every required column of ``kind``."""
        if self.kind is None:
            return False
        labels = [str(c).strip() for c in cells if str(c).strip()]
        if not labels:
            return False
        found = set(suggest_column_map(labels, self.kind).values())
        explicit = {slug(k): (t or "").strip() for k, t in self.column_map.items()}
        found.update(explicit[slug(label)] for label in labels if slug(label) in explicit)
        required = PARTICIPANT_REQUIRED if self.kind == "participants" else EVIDENCE_REQUIRED
        return required - {"collective"} <= found

    def find(self, records: Sequence[Sequence[str]]) -> int | None:
        """Index in ``records`` (the first non-blank rows, in order) of the first row that
        holds the required columns; ``None`` if none does (or no kind is set)."""
        for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
            if self.holds_required(cells):
                return index
        return None

    def locate(self, records: Sequence[Sequence[str]]) -> int:
        """Index of the header row: the one :meth:`find` finds; failing that (with a kind),
        the first row of two or more cells, so that a one-cell title is not taken for the
        header (no table of a kind has a single column); else the first row."""
        found = self.find(records)
        if found is not None:
            return found
        if self.kind is not None:
            for index, cells in enumerate(records[:HEADER_SEARCH_ROWS]):
                if sum(1 for c in cells if str(c).strip()) >= 2:
                    return index
        return 0


def _title_text(cells: Sequence[str]) -> str:
    text = " ".join(str(c).strip() for c in cells if str(c).strip())
    return text if len(text) <= 60 else text[:59] + "…"


# CSV ------------------------------------------------------------------------------------


def _sniff_delimiter(line: str) -> str:
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


_SURROGATE = re.compile("[\udc80-\udcff]+")


def _encoding_problems(data: bytes, name: str) -> ImportValidationError:
    """Name each row and column holding bytes that are not UTF-8 (a file saved as ANSI)."""
    text = data.decode("utf-8", errors="surrogateescape")
    first_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    problems = _Problems(name, cap=20)
    header: list[str] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, record in enumerate(reader, start=1):
        if number == 1:
            header = record
        for index, cell in enumerate(record):
            match = _SURROGATE.search(cell)
            if not match:
                continue
            raw = cell.encode("utf-8", errors="surrogateescape")
            guess = raw.decode("cp1252", errors="replace").strip()
            column = header[index].strip() if number > 1 and index < len(header) else None
            byte = match.group()[0].encode("utf-8", errors="surrogateescape")[0]
            problems.add(
                number,
                column or (None if number > 1 else _column_letter(index)),
                f"text is not UTF-8 (byte 0x{byte:02X}; in Windows-1252 it would read "
                f"{guess[:60]!r}); save the file as 'CSV UTF-8' and import it again",
            )
    if not problems:  # an invalid byte inside something csv could not split
        problems.add(None, None, "the file is not UTF-8 text; save it as 'CSV UTF-8'")
    ordered = problems.items
    return ImportValidationError(ordered, total=problems.total)


_CONTROL_BYTES = bytes([*range(0x09), *range(0x0E, 0x20), 0x7F])
"""Bytes that text does not hold: control characters other than tab, the line breaks, and
vertical tab and form feed (some exports write those inside cells)."""


def _looks_binary(data: bytes) -> bool:
    """Whether ``data`` is not text at all (random bytes, an image, a program)."""
    sample = data[: 1 << 16]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls >= 3 and controls * 100 > len(sample)


def _first_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The first non-blank records of ``text`` with their 0-based record index."""
    found: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, record in enumerate(reader):
            if any(cell.strip() for cell in record):
                found.append((index, record))
                if len(found) >= HEADER_SEARCH_ROWS:
                    break
    except csv.Error:  # an unclosed quote and the like: reported when the rows are read
        pass
    return found


def _read_csv(data: bytes, name: str, rule: _HeaderRule) -> pd.DataFrame:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _fail(
            name,
            "the file is UTF-16 text (Excel's 'Unicode Text'); "
            "save it as 'CSV UTF-8 (Comma delimited)' and import that",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    nul = data.find(b"\x00")
    sample = data[:4096]
    if nul >= 0 and sample.count(b"\x00") * 3 >= len(sample):
        _fail(name, "the file looks like UTF-16 text; save it as 'CSV UTF-8' and import that")
    if _looks_binary(data):
        _fail(
            name,
            "this is not a CSV file (UTF-8 text) or an XLSX workbook; save the data as "
            "'CSV UTF-8' or as .xlsx and import that",
        )
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        _fail(name, "the file contains NUL bytes: it is not a text (CSV) file", row=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _encoding_problems(data, name) from None

    # Header: the first non-blank record, or (with a kind) the first that holds the required
    # columns, trying the other delimiters when the sniffed one finds none.
    head_text = text[: 1 << 20]
    first_line = next((ln for ln in head_text.splitlines() if ln.strip()), "")
    delimiter = _sniff_delimiter(first_line)
    records = _first_records(head_text, delimiter)
    found = rule.find([r for _, r in records])
    if found is None and rule.kind is not None:
        for other in (",", ";", "\t"):
            other_records = _first_records(head_text, other) if other != delimiter else []
            found = rule.find([r for _, r in other_records])
            if found is not None:
                delimiter, records = other, other_records
                break
    position = found if found is not None else rule.locate([r for _, r in records])
    header_index, header = records[position] if records else (0, [])
    titles = {index + 1: _title_text(record) for index, record in records[:position]}
    del text, head_text
    ncols = len(header)

    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=delimiter,
            header=None,
            names=list(range(ncols)),
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
            quotechar='"',
            doublequote=True,
        )
    except pd.errors.ParserError:
        frame = _read_csv_slowly(data.decode("utf-8"), name, delimiter, ncols)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    frame = frame.iloc[header_index + 1 :]
    table, _ = _finish_table(frame, header, name, header_row=header_index + 1)
    table.attrs.update(
        format="csv",
        delimiter=delimiter,
        decimal="," if delimiter == ";" else ".",
        header_row=header_index + 1,
        title_rows=titles,
    )
    return table


def _read_csv_slowly(text: str, name: str, delimiter: str, ncols: int) -> pd.DataFrame:
    """Python-csv fallback: tolerate blank extra cells, report ragged rows and open quotes."""
    problems = _Problems(name)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if len(record) > ncols:
                extra = record[ncols:]
                if any(cell.strip() for cell in extra):
                    problems.add(
                        number,
                        None,
                        f"this row has {len(record)} cells but the header has {ncols}; "
                        "a cell probably contains the delimiter "
                        f"({'tab' if delimiter == chr(9) else repr(delimiter)}) "
                        "without double quotes around it",
                    )
                record = record[:ncols]
            elif len(record) < ncols:
                record = record + [""] * (ncols - len(record))
            rows.append(record)
    except csv.Error as exc:
        problems.add(
            number + 1,
            None,
            f"cannot read this row ({exc}); a double quote opened here is probably never closed",
        )
    problems.raise_if_any()
    return pd.DataFrame(rows, columns=list(range(ncols)), dtype=str)


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


# XLSX -----------------------------------------------------------------------------------


def _format_number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(round(value, 12))


def _cell_text(value: Any, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in number_format:
            return _format_number(round(float(value) * 100, 10)) + "%"
        return _format_number(float(value))
    return str(value)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _sheets_have_formulas(archive: zipfile.ZipFile) -> bool:
    """Whether any worksheet holds a formula (a ``<f>`` element), read in chunks."""
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        tail = b""
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-8:]
    return False


def _check_archive(data: bytes, name: str, max_bytes: int) -> bool:
    """Refuse what is not an XLSX workbook, or would unpack far beyond its size (a zip bomb),
    before anything parses it; return whether its sheets hold formulas.

    The sizes come from the archive's directory; :mod:`zipfile` never unpacks a member beyond
    its recorded size, so a lying directory cannot get more through.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and "xl/workbook.xml" not in names:
                _fail(name, "this is an OpenDocument file; save it as .xlsx or 'CSV UTF-8'")
            if "xl/workbook.xml" not in names:
                _fail(name, "this is a zip archive but not an XLSX workbook")
            unpacked = sum(info.file_size for info in infos)
            limit = min(MAX_UNPACKED_BYTES, 10 * max_bytes)
            if unpacked > limit:
                _fail(
                    name,
                    f"the workbook would unpack to {_size(unpacked)}, more than the "
                    f"{_size(limit)} that can be imported; it was not read (save the data as "
                    "'CSV UTF-8', or split it)",
                )
            if unpacked > MAX_UNPACK_RATIO * len(data):
                _fail(
                    name,
                    f"the workbook would unpack to {_size(unpacked)} from a file of "
                    f"{_size(len(data))} ({unpacked // len(data)} times its size; real "
                    f"workbooks stay far below {MAX_UNPACK_RATIO} times); it was not read. "
                    "Open it in a spreadsheet program and save it again, or save it as "
                    "'CSV UTF-8'",
                )
            return _sheets_have_formulas(archive)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ):
        _fail(name, "this XLSX workbook is damaged and cannot be read")


def _sheet_list(titles: Sequence[str]) -> str:
    return ", ".join(f"'{t}'" for t in titles)


def _use_sheet(title: str) -> str:
    """How to choose a sheet: ``--sheet NAME`` (quoted for a shell when needed)."""
    return f"--sheet {shlex.quote(title)}"


def _pick_sheet(book: Any, name: str, sheet: str | int | None) -> Any:
    titles = [ws.title for ws in book.worksheets]
    if sheet is None:
        if not titles:
            _fail(name, "the workbook has no worksheets")
        return book.worksheets[0]
    if isinstance(sheet, int):
        if not 0 <= sheet < len(titles):
            _fail(name, f"the workbook has no sheet {sheet} (it has {len(titles)})")
        return book.worksheets[sheet]
    wanted = sheet.strip()
    for ws in book.worksheets:
        if ws.title == wanted:
            return ws
    for ws in book.worksheets:
        if ws.title.casefold() == wanted.casefold():
            return ws
    _fail(name, f"the workbook has no sheet '{sheet}' (sheets: {', '.join(titles)})")


def _sheet_holding(book: Any, skip: str, rule: _HeaderRule) -> str | None:
    """The first other worksheet whose first rows hold a header for ``rule``."""
    if rule.kind is None:
        return None
    for ws in book.worksheets:
        if ws.title == skip:
            continue
        ws.reset_dimensions()
        records: list[list[str]] = []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            values = [_cell_text(v, "") for v in cells]
            if any(v.strip() for v in values):
                records.append(values)
            if len(records) >= HEADER_SEARCH_ROWS or number >= 10 * HEADER_SEARCH_ROWS:
                break
        if rule.find(records) is not None:
            return str(ws.title)
    return None


def _is_formula(cell: Any) -> bool:
    return getattr(cell, "data_type", None) == "f"


def _read_xlsx(
    data: bytes, name: str, sheet: str | int | None, max_bytes: int, rule: _HeaderRule
) -> pd.DataFrame:
    import openpyxl

    has_formulas = _check_archive(data, name, max_bytes)
    books: list[Any] = []
    try:
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            books.append(book)
            if has_formulas:  # the same cells once more, as formulas, to find unsaved values
                books.append(
                    openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
                )
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            _fail(name, f"this XLSX workbook cannot be read ({type(exc).__name__}: {exc})")
        ws = _pick_sheet(book, name, sheet)
        titles = [w.title for w in book.worksheets]
        ws.reset_dimensions()  # some writers record wrong dimensions; read every cell
        formula_rows: Iterator[Any] | None = None
        if has_formulas:
            fws = books[1][ws.title]
            fws.reset_dimensions()
            formula_rows = iter(fws.iter_rows())
        rows: list[list[str]] = []
        numbers: list[int] = []
        uncomputed: list[tuple[int, int]] = []  # (row, 0-based column) of unsaved formulas
        for number, cells in enumerate(ws.iter_rows(), start=1):
            values = [_cell_text(c.value, getattr(c, "number_format", "")) for c in cells]
            formulas = next(formula_rows, ()) if formula_rows is not None else ()
            for index, (cell, formula) in enumerate(zip(cells, formulas, strict=False)):
                if cell.value is None and _is_formula(formula):
                    uncomputed.append((number, index))
            while values and not values[-1].strip():
                values.pop()
            if not rows and not values:
                continue  # blank rows above the first content
            rows.append(values)
            numbers.append(number)
        candidates: list[int] = []  # the first non-blank rows, where the header is looked for
        for index, values in enumerate(rows):
            if any(v.strip() for v in values):
                candidates.append(index)
                if len(candidates) >= HEADER_SEARCH_ROWS:
                    break
        found = rule.find([rows[i] for i in candidates])
        position = found if found is not None else rule.locate([rows[i] for i in candidates])
        data_sheet = None
        if found is None and rule.kind is not None:
            data_sheet = _sheet_holding(book, ws.title, rule)
    finally:
        for opened in books:
            opened.close()
    first = candidates[position] if candidates else 0
    if not candidates or not any(any(v.strip() for v in r) for r in rows[first + 1 :]):
        what = "is empty" if not candidates else "has a header row but no data rows"
        if data_sheet is not None:
            _fail(
                name,
                f"sheet '{ws.title}' {what}; the data seems to be on sheet '{data_sheet}': use "
                f"{_use_sheet(data_sheet)} (the workbook's sheets: {_sheet_list(titles)})",
            )
        others = f"; choose another with {_use_sheet('NAME')}" if len(titles) > 1 else ""
        listed = f"(the workbook's sheets: {_sheet_list(titles)})"
        _fail(name, f"sheet '{ws.title}' {what} {listed}{others}")
    header, header_row = rows[first], numbers[first]
    titles_skipped = {numbers[i]: _title_text(rows[i]) for i in candidates[:position]}
    rows, numbers = rows[first + 1 :], numbers[first + 1 :]
    # Cells right of the last header become unnamed columns, which the loaders ignore.
    width = max([len(header), *(len(r) for r in rows)])
    header = header + [""] * (width - len(header))
    rows = [r + [""] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(
        rows, columns=list(range(width)), index=pd.Index(numbers, name="row"), dtype=str
    )
    table, labels = _finish_table(frame, header, name, header_row=header_row)
    table.attrs.update(
        format="xlsx",
        delimiter=None,
        decimal=".",
        sheet=ws.title,
        sheets=titles,
        data_sheet=data_sheet,
        header_row=header_row,
        title_rows=titles_skipped,
        uncomputed=[(r, labels[c]) for r, c in uncomputed if r > header_row and c in labels],
    )
    return table


# --------------------------------------------------------------------------- column mapping

_IGNORE = re.compile(
    r"^(timestamp|submitted(_at|_on)?|start(ed)?_(time|date)|end(ed)?_(time|date)|"
    r"completion_time|response_id|respondent_id|ip_address|user_agent|collector_id|"
    r"last_modified(_time)?|status|progress|duration.*|finished|recorded_date|"
    r"recipient_.*|external_reference|location_.*|distribution_channel|user_language)$"
)


def _any(patterns: str) -> re.Pattern[str]:
    """A regex matching a slug that contains one of the space-separated ``patterns`` as words."""
    return re.compile(r"(?:^|_)(?:" + "|".join(patterns.split()) + r")(?:_|$)")


# First match wins, so the order matters: "School district" is a district before it is a
# school, "Area of focus" a focus before an area, "Role in your district" a role.
_PARTICIPANT_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("participant_id", re.compile(r"^(participant_(id|number|no)|person_id|staff_id|id)$")),
    ("email", _any(r"e_?mail(_address)? email_addr")),
    (
        "second_theme",
        _any(
            r"second_(choice_)?theme theme_2 2nd_(choice_)?theme alternate_theme backup_theme "
            r"second_choice"
        ),
    ),
    ("theme", _any(r"theme first_choice")),
    (
        "focus",
        _any(
            r"focus problem_of_practice inquiry explore topic interest question_you "
            r"wonder(ing)? goal"
        ),
    ),
    (
        "modality",
        _any(
            r"modality format attendance attend mode in_person virtual online "
            r"meeting_preference delivery participate"
        ),
    ),
    ("role", _any(r"role position job title occupation")),
    ("district", _any(r"district lea school_system division local_education")),
    (
        "organization",
        _any(r"organi[sz]ation school building site campus employer workplace agency institution"),
    ),
    ("region", _any(r"region county area zone")),
    (
        "name",
        re.compile(r"^(your_|full_|participant_|respondent_|preferred_)?name$|(^|_)full_name(_|$)"),
    ),
]
_FIRST_NAME = _any(r"first_name given_name forename first")
_LAST_NAME = _any(r"last_name surname family_name last")

_EVIDENCE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "entered_by",
        _any(
            r"entered_by recorded_by submitted_by logged_by author e_?mail(_address)? reporter who"
        ),
    ),
    ("collective", _any(r"collective ilc team group_name collective_id")),
    (
        "evidence_type",
        _any(r"evidence_type type_of_evidence data_type measure_type type category kind"),
    ),
    ("indicator", _any(r"indicator measure metric")),
    ("unit", _any(r"units? unit_of_measure")),
    (
        "n",
        re.compile(
            r"^(n|n_size|count|sample_size|how_many|respondents|students|"
            r"number_of_(students|people|staff|participants|respondents))$"
        ),
    ),
    ("subgroup", _any(r"sub_?group student_group population group")),
    ("description", _any(r"description describe notes? comments? details? observations? summary")),
    ("source", _any(r"source data_source instrument tool")),
    ("value", _any(r"value result score amount percent(age)? rate")),
    ("date", _any(r"date when day collected_on")),
]


def suggest_column_map(headers: Sequence[str], kind: Kind) -> dict[str, str]:
    """Guess which contract column each header of a foreign export holds.

    Returns ``{header: contract_column}`` for the headers it recognises; the rest (and
    survey bookkeeping such as "Timestamp") are left out, i.e. ignored. Each contract column
    is used at most once, except that separate first- and last-name columns both map to
    ``name`` (first name first), which the loaders join with a space. Exact contract names
    win over guesses. The result can be edited and passed as ``column_map=``.
    """
    if kind not in ("participants", "evidence"):
        raise ValueError(f"kind must be 'participants' or 'evidence', not {kind!r}")
    contract = PARTICIPANT_COLUMNS if kind == "participants" else EVIDENCE_COLUMNS
    rules = _PARTICIPANT_RULES if kind == "participants" else _EVIDENCE_RULES
    slugs = {h: slug(h) for h in headers}
    result: dict[str, str] = {}
    taken: set[str] = set()
    for header, key in slugs.items():  # exact names first
        if key in contract and key not in taken:
            result[header] = key
            taken.add(key)
    first = last = None
    for header, key in slugs.items():
        if header in result or not key:
            continue
        if kind == "evidence" and key == "timestamp":
            continue  # taken up below only if no column names the date
        if _IGNORE.match(key):
            continue
        if kind == "participants" and "name" not in taken:
            if first is None and _FIRST_NAME.search(key) and "name" in key:
                first = header
                continue
            if last is None and _LAST_NAME.search(key) and "name" in key:
                last = header
                continue
        for column, pattern in rules:
            if column not in taken and pattern.search(key):
                result[header] = column
                taken.add(column)
                break
    if "name" not in taken and first is not None:
        result[first] = "name"
        if last is not None:
            result[last] = "name"
    if kind == "evidence" and "date" not in taken:
        for header, key in slugs.items():
            if key == "timestamp":
                result[header] = "date"
                break
    return dict(sorted(result.items(), key=lambda item: (item[0] != first, item[0] != last)))


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


# --------------------------------------------------------------------------- validation


def _as_table(
    source: TableSource,
    filename: str | None,
    max_bytes: int,
    sheet: str | int | None,
    kind: Kind,
    column_map: Mapping[str, str] | None,
) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        table = source
        if table.index.name != "row":  # a frame not from read_table: row 2 is its first row
            table = table.fillna("").astype(str)
            table.index = pd.RangeIndex(2, len(table) + 2, name="row")
        name = filename or str(source.attrs.get("file", "table"))
        if table.empty:
            _fail(name, "the table has no rows")
        table = table.copy()
        table.attrs["file"] = name
        return table
    return read_table(
        source, filename, max_bytes=max_bytes, sheet=sheet, kind=kind, column_map=column_map
    )


def _blank(values: pd.Series[str]) -> pd.Series[bool]:
    return values.str.len() == 0


def _check_lengths(values: Mapping[str, pd.Series[str]], problems: _Problems) -> None:
    for column, series in values.items():
        limit = MAX_LENGTHS.get(column)
        if limit is None:
            continue
        lengths = series.str.len()
        too_long = lengths > limit
        if too_long.any():
            problems.add_rows(too_long, column, _too_long_message(lengths, limit))


def _too_long_message(lengths: pd.Series[int], limit: int) -> Callable[[int], str]:
    return lambda row: f"is {int(lengths.loc[row])} characters long; at most {limit} fit"


def _choices(
    field: str,
    series: pd.Series[str],
    problems: _Problems,
    *,
    default: str | None = None,
) -> pd.Series[str]:
    """Normalize labels of ``field`` to stored ids (vectorized over distinct values)."""
    codes, uniques = pd.factorize(series)
    mapped: list[str | None] = []
    vocabulary = VOCABULARIES[field]
    for value in uniques:
        text = str(value)
        if not text:
            mapped.append(default)
        else:
            mapped.append(normalize_choice(field, text))
    lookup = np.array([m if m is not None else "" for m in mapped], dtype=object)
    bad_codes = np.array([m is None and bool(str(u)) for m, u in zip(mapped, uniques, strict=True)])
    result = pd.Series(lookup[codes], index=series.index, dtype=str)
    if bad_codes.any():
        bad = pd.Series(bad_codes[codes], index=series.index)
        options = ", ".join(vocabulary.values())
        labels = {slug(v): v for v in vocabulary.values()}

        def message(row: int) -> str:
            text = str(series.loc[row])
            close = difflib.get_close_matches(slug(text), list(labels), n=1, cutoff=0.75)
            hint = f"did you mean '{labels[close[0]]}'? " if close else ""
            what = field.replace("_", " ")
            article = "an" if what[0] in "aeiou" else "a"
            return f"'{text}' is not {article} {what}; {hint}use one of: {options}"

        problems.add_rows(bad, field, message)
    return result


def _unify_spellings(series: pd.Series[str]) -> pd.Series[str]:
    """Values that differ only in case or spacing take their most common spelling."""
    counts = series[series != ""].value_counts()
    if counts.empty:
        return series
    canonical: dict[str, str] = {}
    replace: dict[str, str] = {}
    for value in counts.index:  # most common first
        key = " ".join(str(value).split()).casefold()
        if key in canonical:
            replace[str(value)] = canonical[key]
        else:
            canonical[key] = str(value)
    return series.replace(replace) if replace else series


_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


def _generated_id(email: str, taken: set[str]) -> str:
    digest = hashlib.sha256(email.encode()).hexdigest()
    for length in (8, 12, 16, 64):
        candidate = f"p_{digest[:length]}"
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: a 64-digit hash collision")  # pragma: no cover


def _duplicates(
    series: pd.Series[str],
    column: str,
    problems: _Problems,
    what: str,
    *,
    skip: pd.Series[bool],
    key: pd.Series[str] | None = None,
) -> pd.Series[bool]:
    """Report every repeat of a value, naming the row where it first appears.

    ``key`` (default: the values themselves) is what is compared, e.g. the values casefolded;
    a repeat spelled differently names the first spelling.
    """
    keys = series if key is None else key
    present = keys[~skip]
    repeated = present.duplicated(keep="first")
    if repeated.any():
        first_row = {k: cast("int", row) for row, k in present[~repeated].items()}

        def message(row: int) -> str:
            first = first_row[keys.loc[row]]
            spelled = series.loc[first]
            as_first = f" (as {spelled})" if spelled != series.loc[row] else ""
            return f"{what} {series.loc[row]} is already in row {first}{as_first}"

        problems.add_rows(repeated.reindex(series.index, fill_value=False), column, message)
    return repeated.reindex(series.index, fill_value=False)


def load_participants(
    source: TableSource,
    filename: str | None = None,
    *,
    column_map: Mapping[str, str] | None = None,
    existing_emails: Collection[str] = (),
    existing_ids: Collection[str] = (),
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """Read and validate a participant roster; return it in :data:`PARTICIPANT_COLUMNS` order.

    Headers are matched after ``column_map`` (source header -> contract column; ``""``
    ignores a column; several columns mapped to ``name`` or ``focus`` are joined with a
    space, in map order) and :func:`~ilc_widgets.vocab.slug` ("Participant ID" ->
    ``participant_id``). Required: ``name``, ``email``, ``role``, ``district``. Roles and
    modalities are normalized ("Assistant Principal" -> ``assistant_principal``; a blank
    modality is ``either``), emails lowercased, text trimmed, and district, region and
    organization spellings that differ only in case or spacing unified. A blank or missing
    ``participant_id`` becomes ``p_`` + the first 8 hex digits of the SHA-256 of the email:
    stable across re-imports, with no personal data in it.

    Every problem (missing column, blank required value, unknown role or modality, invalid
    email, email repeated in the file or already in ``existing_emails``, ``participant_id``
    repeated or already in ``existing_ids`` -- ids compare without regard to case, so P001
    repeats p001 --, a formula with no saved value, text too long) is collected and raised as
    one :class:`ImportValidationError`; rows are numbered as in a spreadsheet.
    ``df.attrs``: ``ignored_columns`` (headers not imported), ``warnings`` (list of
    :class:`Problem`: title rows skipped above the header, in-person members with no
    region), ``generated_ids`` (count).
    """
    table = _as_table(source, filename, max_bytes, sheet, "participants", column_map)
    name = str(table.attrs["file"])
    problems = _Problems(name, PARTICIPANT_COLUMNS)
    resolved = _resolve_columns(table, PARTICIPANT_COLUMNS, column_map, problems, "participants")
    cols = resolved.values
    missing = [c for c in PARTICIPANT_COLUMNS if c in PARTICIPANT_REQUIRED and c not in cols]
    _report_missing(table, missing, resolved, problems, "participants")
    formulas = _report_formulas(table, resolved, problems)
    empty = pd.Series("", index=table.index, dtype=str)
    out: dict[str, pd.Series[str]] = {c: cols.get(c, empty) for c in PARTICIPANT_COLUMNS}

    for column in sorted(PARTICIPANT_REQUIRED, key=PARTICIPANT_COLUMNS.index):
        if column in cols:
            problems.add_rows(
                _blank_unless(out[column], column, formulas), column, f"{column} is blank"
            )

    out["name"] = out["name"].str.replace(r"\s+", " ", regex=True)
    out["role"] = _choices("role", out["role"], problems)
    out["modality"] = _choices("modality", out["modality"], problems, default="either")
    for column in ("district", "region", "organization"):
        out[column] = _unify_spellings(out[column].str.replace(r"\s+", " ", regex=True))

    email = out["email"].str.lower()
    if email.str.startswith("mailto:").any():
        email = email.str.removeprefix("mailto:")
    out["email"] = email
    blank_email = _blank(email)
    invalid = ~blank_email & ~email.str.match(_EMAIL)
    problems.add_rows(
        invalid, "email", lambda row: f"'{email.loc[row]}' is not a valid email address"
    )
    skip = blank_email | invalid
    _duplicates(email, "email", problems, "the email", skip=skip)
    known = {str(e).strip().lower() for e in existing_emails}
    if known:
        problems.add_rows(
            ~skip & email.isin(known),
            "email",
            lambda row: f"{email.loc[row]} is already in the network",
        )

    ids = out["participant_id"]
    blank_id = _blank(ids)
    bad_id = ~blank_id & ~ids.str.match(_ID)
    problems.add_rows(
        bad_id,
        "participant_id",
        lambda row: (
            f"'{ids.loc[row]}' may contain only letters, digits, '.', '_' and '-' "
            "(and must start with a letter or digit)"
        ),
    )
    # Ids compare without regard to case: P001 and p001 are one person to a reader.
    folded = ids.str.casefold()
    _duplicates(
        ids, "participant_id", problems, "participant_id", skip=blank_id | bad_id, key=folded
    )
    existing = {str(i).casefold(): str(i) for i in existing_ids}
    if existing:

        def already(row: int) -> str:
            stored = existing[folded.loc[row]]
            as_stored = f" (as {stored})" if stored != ids.loc[row] else ""
            return f"participant_id {ids.loc[row]} is already in the network{as_stored}"

        problems.add_rows(~blank_id & folded.isin(existing), "participant_id", already)
    _check_lengths(out, problems)
    problems.raise_if_any()

    generated = int(blank_id.sum())
    if generated:
        taken = set(folded[~blank_id]) | set(existing)
        new_ids = []
        for address in email[blank_id]:
            pid = _generated_id(address, taken)
            taken.add(pid)
            new_ids.append(pid)
        ids = ids.copy()
        ids.loc[blank_id] = np.array(new_ids, dtype=object)
        out["participant_id"] = ids

    result = pd.DataFrame(out, index=table.index)
    result = result.astype(dict.fromkeys(PARTICIPANT_COLUMNS, str))
    warnings = _Problems(name, PARTICIPANT_COLUMNS)
    warnings.add_rows(
        (result["modality"] == "in_person") & (result["region"] == ""),
        "region",
        "region is blank for an in-person member; in-person collectives are formed by region",
    )
    result.attrs = {
        "file": name,
        "ignored_columns": resolved.ignored,
        "warnings": _title_notes(table, name) + warnings.items,
        "generated_ids": generated,
    }
    return result


# --------------------------------------------------------------------------- dates

_MONTH_NAMES: tuple[str, ...] = ("", "January", "February", "March", "April", "May", "June", "July")
_MONTH_NAMES += ("August", "September", "October", "November", "December")
_MONTHS = {name.lower(): number for number, name in enumerate(_MONTH_NAMES) if name}
_MONTHS.update({name.lower()[:3]: number for number, name in enumerate(_MONTH_NAMES) if name})
_MONTHS["sept"] = 9
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + "$", re.IGNORECASE)
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME + "$", re.IGNORECASE)
_MONTH_FIRST = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.IGNORECASE)
_DAY_FIRST = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)([a-z]+)\.?,?(?:\s+|-)(\d{4})$", re.IGNORECASE
)
_SHORT_YEAR = re.compile(
    r"^(\d{1,2}[-/.]\d{1,2}[-/.]\d{2}|\d{1,2}[\s-][a-z]+\.?[\s-]\d{2}|[a-z]+\.?\s+\d{1,2},?\s+\d{2})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _DateRead:
    value: date | None
    error: str | None = None
    order: Literal["dmy", "mdy", "either", "ambiguous", None] = None


def _make_date(text: str, year: int, month: int, day: int) -> _DateRead:
    if year < 1:
        return _DateRead(None, f"'{text}' is not a date: there is no year {year}")
    if not 1 <= month <= 12:
        return _DateRead(None, f"'{text}' is not a date: there is no month {month}")
    try:
        return _DateRead(date(year, month, day))
    except ValueError:
        last = (date(year + month // 12, month % 12 + 1, 1) - date(year, month, 1)).days
        return _DateRead(
            None,
            f"'{text}' is not a date: {_MONTH_NAMES[month]} {year} has {last} days",
        )


def _read_date(text: str) -> _DateRead:
    """Read one date string; numeric day/month forms report which order they allow."""
    if m := _ISO.match(text):
        return _make_date(text, int(m[1]), int(m[3]), int(m[4]))
    if m := _NUMERIC.match(text):
        a, b, year = int(m[1]), int(m[3]), int(m[4])
        if (a > 12 and b > 12) or a == 0 or b == 0 or a > 31 or b > 31:
            return _DateRead(None, f"'{text}' is not a date")
        if a > 12:
            read = _make_date(text, year, b, a)
            return _DateRead(read.value, read.error, "dmy")
        if b > 12:
            read = _make_date(text, year, a, b)
            return _DateRead(read.value, read.error, "mdy")
        if a == b:
            return _DateRead(date(year, a, b), None, "either")
        return _DateRead(None, None, "ambiguous")
    if m := _MONTH_FIRST.match(text):
        month = _MONTHS.get(m[1].lower())
        if month:
            return _make_date(text, int(m[3]), month, int(m[2]))
    if m := _DAY_FIRST.match(text):
        month = _MONTHS.get(m[2].lower())
        if month:
            return _make_date(text, int(m[3]), month, int(m[1]))
    if _SHORT_YEAR.match(text):
        return _DateRead(None, f"'{text}' has a two-digit year; write it as YYYY-MM-DD")
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _DateRead(
            None,
            f"'{text}' looks like an Excel date number; format the column as a date "
            "or write YYYY-MM-DD",
        )
    return _DateRead(
        None, f"'{text}' is not a date; write it as YYYY-MM-DD (for example 2026-09-15)"
    )


def _parse_dates(
    series: pd.Series[str],
    problems: _Problems,
    *,
    dayfirst: bool | None,
    today: date,
) -> pd.Series[Any]:
    codes, uniques = pd.factorize(series)
    reads = [_read_date(str(u)) if str(u) else _DateRead(None) for u in uniques]
    values: list[date | None] = []
    errors: list[str | None] = []
    for text, read in zip((str(u) for u in uniques), reads, strict=True):
        if read.order == "ambiguous":
            m = _NUMERIC.match(text)
            assert m is not None
            a, b, year = int(m[1]), int(m[3]), int(m[4])
            if dayfirst is None:
                values.append(None)
                errors.append(
                    f"'{text}' is ambiguous ({a} {_MONTH_NAMES[b]} or {_MONTH_NAMES[a]} {b}?); "
                    "write dates as YYYY-MM-DD, or give the order of the file's dates: "
                    "--day-first or --month-first"
                )
                continue
            read = _make_date(text, year, b, a) if dayfirst else _make_date(text, year, a, b)
        elif (
            read.order in ("dmy", "mdy")
            and dayfirst is not None
            and (read.order == "dmy") != dayfirst
            and read.error is None
        ):
            values.append(None)
            errors.append(
                f"'{text}' does not fit the chosen {'day/month' if dayfirst else 'month/day'} order"
            )
            continue
        value = read.value
        error = read.error
        if value is not None and value > today:
            error = f"{value.isoformat()} is in the future (today is {today.isoformat()})"
        elif value is not None and value < _EARLIEST:
            error = f"{value.isoformat()} is before 1900; is the year right?"
        values.append(value if error is None else None)
        errors.append(error)
    bad = np.array([e is not None for e in errors], dtype=bool)
    if bad.any():
        message_of = dict(enumerate(errors))
        code_of = pd.Series(codes, index=series.index)
        problems.add_rows(
            pd.Series(bad[codes], index=series.index),
            "date",
            lambda row: str(message_of[int(code_of.loc[row])]),
        )
    day_values = np.array(
        [np.datetime64(v, "D") if v is not None else np.datetime64("NaT") for v in values]
        or [np.datetime64("NaT")],
        dtype="datetime64[D]",
    )
    return pd.Series(day_values[codes].astype("datetime64[ns]"), index=series.index)


# --------------------------------------------------------------------------- numbers

_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _read_number(text: str, decimal: str) -> tuple[float | None, bool]:
    """The number in ``text`` (``None`` if it is not one) and whether it ended in ``%``."""
    t = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    sign = ""
    if t[:1] in "+-" and t:
        sign, t = t[0], t[1:]
    other = "," if decimal == "." else "."
    has_dec, has_other = decimal in t, other in t
    if has_dec and has_other:
        dec_mark = decimal if t.rfind(decimal) > t.rfind(other) else other
        group = other if dec_mark == decimal else decimal
        whole, _, frac = t.rpartition(dec_mark)
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(group) + r"\d{3})+", whole):
            return None, percent
        t = whole.replace(group, "") + "." + frac
    elif has_dec or has_other:
        mark = decimal if has_dec else other
        grouped = re.fullmatch(r"\d{1,3}(?:" + re.escape(mark) + r"\d{3})+", t)
        if mark == other and grouped:
            t = t.replace(mark, "")
        elif t.count(mark) == 1:
            t = t.replace(mark, ".")
        elif grouped:
            t = t.replace(mark, "")
        else:
            return None, percent
    if not _PLAIN_NUMBER.match(t):
        return None, percent
    value = float(sign + t)
    return (value if math.isfinite(value) else None), percent


def _parse_numbers(
    series: pd.Series[str], decimal: str
) -> tuple[pd.Series[float], pd.Series[bool], pd.Series[bool]]:
    """Numbers of a column: (values, invalid mask, percent mask), blanks as NaN."""
    blank = _blank(series)
    values = pd.to_numeric(series.where(~blank, "0"), errors="coerce").astype(float)
    slow = values.isna() | ~np.isfinite(values)
    if decimal == ",":
        slow |= series.str.contains(".", regex=False)
    else:
        slow |= series.str.contains(",", regex=False)
    slow &= ~blank
    percent = pd.Series(False, index=series.index)
    invalid = pd.Series(False, index=series.index)
    if slow.any():
        subset = series[slow]
        codes, uniques = pd.factorize(subset)
        reads = [_read_number(str(u), decimal) for u in uniques]
        nums = np.array([r[0] if r[0] is not None else np.nan for r in reads], dtype=float)
        pct = np.array([r[1] for r in reads], dtype=bool)
        bad = np.array([r[0] is None for r in reads], dtype=bool)
        values[slow] = nums[codes]
        percent[slow] = pct[codes]
        invalid[slow] = bad[codes]
    values[blank] = np.nan
    return values, invalid, percent


# --------------------------------------------------------------------------- evidence


def load_evidence(
    source: TableSource,
    filename: str | None = None,
    *,
    collective: str | None = None,
    column_map: Mapping[str, str] | None = None,
    today: date | None = None,
    dayfirst: bool | None = None,
    decimal: Literal[".", ","] | None = None,
    known_collectives: Collection[str] | None = None,
    sheet: str | int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> pd.DataFrame:
    """Read and validate evidence entries; return them in :data:`EVIDENCE_COLUMNS` order.

    Required: ``date``, ``evidence_type``, and ``collective`` unless the caller imports for
    one collective with ``collective=`` (then the column may be absent, and any non-blank
    value in it must name that collective). Dates are read as described in the module
    docstring (``dayfirst`` forces the order of numeric day/month dates; future dates,
    relative to ``today``, are rejected). ``evidence_type`` is normalized to the four ids.
    ``value`` is a number or blank and needs a unit ("12%" gives unit ``%`` when the unit is
    blank); ``n`` is a whole number, 0 or more, or blank; each row needs a value or a
    description. ``decimal`` overrides the decimal mark inferred from the file.
    ``known_collectives``, if given, lists the collective ids that exist.

    Result dtypes: ``date`` datetime64 (midnight), ``value`` float (NaN when blank), ``n``
    nullable ``Int64``, the rest strings. Index: spreadsheet row numbers. ``df.attrs``:
    ``ignored_columns``, ``warnings`` (title rows skipped above the header). Problems are
    raised together as one :class:`ImportValidationError`. Rows already stored are not
    looked for here: :meth:`~ilc_widgets.network.Network.import_evidence` skips them (see
    :data:`EVIDENCE_KEY` and :func:`evidence_key`).
    """
    table = _as_table(source, filename, max_bytes, sheet, "evidence", column_map)
    name = str(table.attrs["file"])
    mark = decimal or str(table.attrs.get("decimal") or ".")
    today = today or date.today()
    problems = _Problems(name, EVIDENCE_COLUMNS)
    resolved = _resolve_columns(table, EVIDENCE_COLUMNS, column_map, problems, "evidence")
    cols = resolved.values
    required = EVIDENCE_REQUIRED - ({"collective"} if collective is not None else set())
    missing = [c for c in EVIDENCE_COLUMNS if c in required and c not in cols]
    _report_missing(table, missing, resolved, problems, "evidence")
    formulas = _report_formulas(table, resolved, problems)
    empty = pd.Series("", index=table.index, dtype=str)
    out: dict[str, pd.Series[Any]] = {c: cols.get(c, empty) for c in EVIDENCE_COLUMNS}
    for column in sorted(required, key=EVIDENCE_COLUMNS.index):
        if column in cols:
            problems.add_rows(
                _blank_unless(out[column], column, formulas), column, f"{column} is blank"
            )

    named = out["collective"]
    if collective is not None:
        wanted = collective.strip()
        other = (named != "") & (named.str.casefold() != wanted.casefold())
        problems.add_rows(
            other,
            "collective",
            lambda row: (
                f"this row is for collective '{named.loc[row]}', but this import is for '{wanted}'"
            ),
        )
        out["collective"] = pd.Series(wanted, index=table.index, dtype=str)
        if known_collectives is not None and wanted not in {str(c) for c in known_collectives}:
            problems.add(None, "collective", f"there is no collective '{wanted}'")
    elif known_collectives is not None:
        known = {str(c) for c in known_collectives}
        problems.add_rows(
            (named != "") & ~named.isin(known),
            "collective",
            lambda row: f"there is no collective '{named.loc[row]}'",
        )

    out["date"] = _parse_dates(out["date"], problems, dayfirst=dayfirst, today=today)
    out["evidence_type"] = _choices("evidence_type", out["evidence_type"], problems)

    raw_value = out["value"]
    value, bad_value, percent = _parse_numbers(raw_value, mark)
    problems.add_rows(bad_value, "value", lambda row: f"'{raw_value.loc[row]}' is not a number")
    unit = out["unit"].where(~(percent & _blank(out["unit"])), "%")
    problems.add_rows(
        value.notna() & _blank(unit),
        "unit",
        lambda row: f"value {raw_value.loc[row]} has no unit (for example %, students, days)",
    )
    out["value"], out["unit"] = value, unit

    raw_n = out["n"]
    n, bad_n, n_percent = _parse_numbers(raw_n, mark)
    not_count = bad_n | n_percent | (n.notna() & ((n < 0) | (n != np.floor(n)) | (n > _N_MAX)))
    problems.add_rows(
        not_count,
        "n",
        lambda row: (
            f"n must be a whole number, 0 or more (how many people or students); "
            f"got '{raw_n.loc[row]}'"
        ),
    )
    out["n"] = n.where(~not_count).round().astype("Int64")

    problems.add_rows(
        value.isna()
        & ~bad_value
        & _blank_unless(out["description"], "description", formulas)
        & _blank_unless(raw_value, "value", formulas),
        "value",
        "the row has neither a value nor a description",
    )
    _check_lengths({c: s for c, s in out.items() if c in MAX_LENGTHS}, problems)
    problems.raise_if_any()

    result = pd.DataFrame(out, index=table.index)
    text_columns = [c for c in EVIDENCE_COLUMNS if c not in ("date", "value", "n")]
    result = result.astype(dict.fromkeys(text_columns, str))
    result.attrs = {
        "file": name,
        "ignored_columns": resolved.ignored,
        "warnings": _title_notes(table, name),
    }
    return result


# --------------------------------------------------------------------------- one record


def _record_text(value: Any) -> str:
    """A form or database value as the text a file would hold."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | np.integer | np.floating):
        return _format_number(float(value))
    return _cell_text(value, "")


def _one_row(
    fields: Mapping[str, Any], allowed: Sequence[str], name: str, kind: str
) -> pd.DataFrame:
    unknown = [key for key in fields if key not in allowed]
    if unknown:
        raise ImportValidationError(
            [Problem(name, None, key, f"there is no {kind} field '{key}'") for key in unknown]
        )
    return pd.DataFrame({key: [_record_text(value)] for key, value in fields.items()})


def _without_rows(error: ImportValidationError) -> ImportValidationError:
    problems = [replace(p, row=None) for p in error.problems]
    return ImportValidationError(problems, total=error.total)


def validate_participant_record(
    fields: Mapping[str, Any],
    *,
    existing_emails: Collection[str] = (),
    existing_ids: Collection[str] = (),
    source_name: str = "intake form",
) -> dict[str, str]:
    """Validate one participant (the intake form) by the same rules as a roster file.

    ``fields`` uses contract column names (missing ones are blank). Returns a dict with every
    :data:`PARTICIPANT_COLUMNS` key, normalized, ``participant_id`` generated if blank; raises
    :class:`ImportValidationError` (problems without row numbers) otherwise.
    """
    frame = _one_row(fields, PARTICIPANT_COLUMNS, source_name, "participant")
    for column in PARTICIPANT_REQUIRED:
        if column not in frame:
            frame[column] = ""
    try:
        result = load_participants(
            frame, source_name, existing_emails=existing_emails, existing_ids=existing_ids
        )
    except ImportValidationError as error:
        raise _without_rows(error) from None
    return {column: str(result[column].iloc[0]) for column in PARTICIPANT_COLUMNS}


def validate_evidence_record(
    entry: Mapping[str, Any],
    *,
    today: date | None = None,
    dayfirst: bool | None = None,
    source_name: str = "evidence entry",
) -> dict[str, Any]:
    """Validate one evidence entry (the logger form, or an edit) by the file rules.

    ``entry`` uses contract column names; values may be text or Python values (a ``date``,
    a number, ``None``). ``collective`` is ignored (the caller knows it). Returns the
    entry without ``collective``: ``date`` as ``datetime.date``, ``value`` float or None,
    ``n`` int or None, the rest text. Raises :class:`ImportValidationError` otherwise.
    """
    fields = {k: v for k, v in entry.items() if k != "collective"}
    frame = _one_row(fields, EVIDENCE_COLUMNS, source_name, "evidence")
    for column in EVIDENCE_REQUIRED - {"collective"}:
        if column not in frame:
            frame[column] = ""
    try:
        # collective="" makes the column optional; the frame has none, so nothing can clash
        result = load_evidence(
            frame, source_name, collective="", today=today, dayfirst=dayfirst, decimal="."
        )
    except ImportValidationError as error:
        raise _without_rows(error) from None
    (record,) = to_records(result)
    del record["collective"]
    return record


# --------------------------------------------------------------------------- output


def to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python dicts for a database insert: ``datetime.date`` for dates,
    ``int``/``float`` for numbers, ``None`` for missing values."""
    columns: list[Iterable[Any]] = []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            columns.append([None if pd.isna(v) else v.date() for v in series])
        elif isinstance(series.dtype, pd.Int64Dtype):
            columns.append([None if v is pd.NA else int(v) for v in series])
        elif pd.api.types.is_float_dtype(series):
            columns.append([None if math.isnan(v) else float(v) for v in series])
        else:
            columns.append(series.tolist())
    names = [str(c) for c in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _key_part(value: Any) -> Any:
    """A value as :func:`evidence_key` compares it: missing values are ``None``, dates
    ``datetime.date``, numbers plain Python numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def evidence_key(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """The :data:`EVIDENCE_KEY` values of an evidence row (as :func:`to_records` gives it, or
    as stored, with the collective's id under ``collective``): equal keys, the same fact."""
    return tuple(_key_part(record.get(column)) for column in EVIDENCE_KEY)
