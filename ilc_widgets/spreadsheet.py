"""Every CSV and XLSX file the kit writes, guarded against spreadsheet formula injection.

A name such as ``=HYPERLINK("http://x","click")`` typed into a form or imported from a file
must reach a spreadsheet as text, never as a formula it runs. One rule, applied by every
writer here:

* **CSV**: text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
  one leading apostrophe (the OWASP recommendation), so spreadsheets show it as text. Text
  that begins with apostrophes followed by one of those characters gets one more, so that
  :func:`unguard` gives every original text back exactly. :func:`read_csv` reads such a file
  with pandas and removes the apostrophes the guard added.
* **XLSX**: every text cell is written as a string cell (never a formula or an error
  code), without an apostrophe; characters a worksheet cannot hold are dropped.

Only text is guarded: numbers, dates and booleans stay what they are (``-5`` stored as a
number is written as the number ``-5``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    import re
    from collections.abc import Mapping

#: First characters that make a spreadsheet read a cell as a formula (or a DDE command).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: What the data dictionary and the researchers' README say about guarded CSV cells.
GUARD_NOTE = (
    "In the CSV files, text beginning with =, +, -, @, a tab or a carriage return carries one "
    "extra leading apostrophe (') so that spreadsheets show it as text instead of running it "
    "as a formula; network.xlsx holds the same text as text cells, without the apostrophe. "
    "To get the original text, read a CSV with ilc_widgets.spreadsheet.read_csv(path) (a "
    "pandas DataFrame), or remove the first character of any text that starts with an "
    "apostrophe followed (after any further apostrophes) by one of those characters."
)

_SHEET_TITLE_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))
_MAX_WIDTH = 60

PathOrText = str | os.PathLike[str] | IO[str]


def needs_guard(text: str) -> bool:
    """True when ``text`` gets a leading apostrophe in CSV (see :func:`guard`)."""
    return text.lstrip("'")[:1] in FORMULA_TRIGGERS


def guard(value: Any) -> Any:
    """The CSV form of one cell: formula-like text gets a leading apostrophe.

    Text starting with a formula trigger, or with apostrophes and then a trigger, gets one
    more apostrophe; every other value (numbers, dates, ``None``, plain text) is returned
    unchanged.
    """
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def unguard(value: Any) -> Any:
    """The original text of a guarded CSV cell (the inverse of :func:`guard`)."""
    if isinstance(value, str) and value[:1] == "'" and needs_guard(value[1:]):
        return value[1:]
    return value


def guard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name passed through :func:`guard`."""
    out = frame.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object)
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            out.isetitem(i, column.map(guard).to_numpy(dtype=object))
    out.columns = [guard(c) for c in out.columns]
    return out


# ---------------------------------------------------------------------- CSV


def write_csv(frame: pd.DataFrame, target: PathOrText, *, bom: bool = False) -> None:
    """Write ``frame`` (without its index) as guarded UTF-8 CSV to a path or text buffer.

    Lines end with CRLF (RFC 4180), which also makes the writer quote every field holding a
    carriage return or a line feed, so such text reads back whole. ``bom`` starts a file
    written to a path with a byte-order mark, so spreadsheets read accents right.
    """
    encoding = "utf-8-sig" if bom else "utf-8"
    guard_frame(frame).to_csv(target, index=False, encoding=encoding, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame, *, bom: bool = True) -> bytes:
    """``frame`` as guarded CSV bytes for a download (UTF-8 with a BOM by default)."""
    buffer = io.StringIO()
    write_csv(frame, buffer)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def read_csv(source: str | os.PathLike[str] | IO[str] | IO[bytes], **kwargs: Any) -> pd.DataFrame:
    """Read a CSV file the kit wrote into a DataFrame, with the guard's apostrophes removed.

    Every field (column names too) is passed through :func:`unguard` before pandas parses
    it, so columns get the types they would have had without the guard. ``kwargs`` go to
    :func:`pandas.read_csv` (e.g. ``keep_default_na=False``); the file must be
    comma-separated, as the kit writes it.
    """
    if isinstance(source, (str, os.PathLike)):
        raw: str | bytes = Path(source).read_bytes()
    else:
        raw = source.read()
    text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([unguard(field) for field in row])
    out.seek(0)
    frame: pd.DataFrame = pd.read_csv(out, **kwargs)
    return frame


# ---------------------------------------------------------------------- XLSX


def xlsx_value(value: Any) -> Any:
    """A value openpyxl can store: Python scalars and naive datetimes, text for the rest.

    Missing values (``None``, NaN, NaT, ``pd.NA``) become empty cells; infinities become the
    text ``inf``/``-inf`` (as pandas writes them); lists and dicts become JSON text; times
    with a time zone are given in UTC without it (Excel has no time zones).
    """
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    if not pd.api.types.is_scalar(value):
        return str(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.timedelta64):
        value = pd.Timedelta(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif isinstance(value, pd.Timedelta):
        value = value.to_pytimedelta()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    elif isinstance(value, time) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, (str, bool, int, float, Decimal, datetime, date, time, timedelta)):
        return value
    return str(value)


def _sheet_title(name: str, taken: set[str]) -> str:
    title = (str(name).translate(_SHEET_TITLE_BAD).strip("'") or "Sheet")[:31]
    base, n = title, 1
    while title.lower() in taken:
        n += 1
        suffix = f"~{n}"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _xlsx_text(text: str, illegal: re.Pattern[str]) -> str:
    """Text as an XLSX cell holds it: no control characters, line ends as line feeds."""
    return illegal.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame], target: str | os.PathLike[str] | IO[bytes]
) -> None:
    """Write one sheet per frame (bold, frozen header row; index left out) to an XLSX file.

    Text is always a string cell (never a formula or an error code), without characters a
    worksheet cannot hold, and with its line ends as line feeds (XML turns a carriage return
    into a line feed anyway); sheet names are cut to Excel's 31 characters.
    """
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(_sheet_title(name, taken))
        rows = [list(map(str, frame.columns))]
        rows += [list(row) for row in frame.itertuples(index=False, name=None)]
        for r, row in enumerate(rows, 1):
            for c, raw in enumerate(row, 1):
                value = xlsx_value(raw)
                if isinstance(value, str):
                    value = _xlsx_text(value, ILLEGAL_CHARACTERS_RE)
                cell = sheet.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=..." or "#N/A" typed by someone is text
                if r == 1:
                    cell.font = bold
        sheet.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, 1):
            values = [str(column), *(str(v) for v in frame.iloc[:200, i - 1])]
            width = min(max(len(v) for v in values) + 2, _MAX_WIDTH)
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = width
    if not sheets:
        book.create_sheet("Sheet")
    book.save(target)


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """The frames as one XLSX workbook, as bytes for a download (see :func:`write_xlsx`)."""
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return buffer.getvalue()


__all__ = [
    "FORMULA_TRIGGERS",
    "GUARD_NOTE",
    "csv_bytes",
    "guard",
    "guard_frame",
    "needs_guard",
    "read_csv",
    "unguard",
    "write_csv",
    "write_xlsx",
    "xlsx_bytes",
    "xlsx_value",
]
