"""Reading a file (a path, bytes or an open file) as a table: :func:`read_table`."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ._table import _size
from .contract import DEFAULT_MAX_BYTES, FileSource, Kind, TableSource
from .csvfile import _read_csv
from .headers import _HeaderRule
from .problems import _fail
from .xlsx import _read_xlsx

if TYPE_CHECKING:
    from collections.abc import Mapping


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
