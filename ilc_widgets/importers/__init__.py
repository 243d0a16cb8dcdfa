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

One module per concern:

* :mod:`.contract`: the kinds of table, their required and key columns, the limits;
  :mod:`.problems`: collecting problems, :class:`ImportFileError`, :class:`ImportResult`;
* :mod:`.reading` (:func:`read_table`) over :mod:`.csvfile` and :mod:`.xlsx`, with
  :mod:`.headers` (which row is the header) and :mod:`._table` (what both readers share);
* :mod:`.mapping` (:func:`suggest_column_map`) and :mod:`.columns` (headers resolved to
  contract columns, missing ones reported: the start both loaders share);
* :mod:`.cells` and :mod:`.dates`: checks and parsing of a column's cells;
* :mod:`.participants`, :mod:`.evidence`: the two loaders; :mod:`.records`: one entry typed
  in a form, and rows as plain Python values.
"""

from __future__ import annotations

from ..vocab import EVIDENCE_COLUMNS, PARTICIPANT_COLUMNS, PARTICIPANT_REQUIRED
from .columns import _UNSAVED_FORMULA as _UNSAVED_FORMULA
from .contract import DEFAULT_MAX_BYTES as DEFAULT_MAX_BYTES
from .contract import EVIDENCE_KEY, EVIDENCE_REQUIRED, MAX_LENGTHS
from .contract import HEADER_SEARCH_ROWS as HEADER_SEARCH_ROWS
from .contract import MAX_PROBLEMS as MAX_PROBLEMS
from .contract import FileSource as FileSource
from .contract import Kind as Kind
from .contract import TableSource as TableSource
from .evidence import load_evidence
from .mapping import suggest_column_map
from .participants import load_participants
from .problems import ImportFileError, ImportResult
from .reading import read_table
from .records import (
    evidence_key,
    to_records,
    validate_evidence_record,
    validate_participant_record,
)
from .xlsx import MAX_UNPACK_RATIO as MAX_UNPACK_RATIO
from .xlsx import MAX_UNPACKED_BYTES as MAX_UNPACKED_BYTES

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
