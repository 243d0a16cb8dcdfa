"""Reading an XLSX workbook into a table of strings, refusing zip bombs unread."""

from __future__ import annotations

import io
import math
import re
import zipfile
import zlib
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._table import _finish_table, _sheet_list, _size, _use_sheet
from .contract import HEADER_SEARCH_ROWS
from .headers import _HeaderRule, _title_text
from .problems import ImportFileError, _fail

if TYPE_CHECKING:
    from collections.abc import Iterator


MAX_UNPACK_RATIO = 100
"""An XLSX whose members unpack to more than this many times its size is refused unread
(real workbooks unpack to 4-25 times their size)."""
MAX_UNPACKED_BYTES = 500 * 1024**2
"""An XLSX whose members unpack to more than this is refused unread."""


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
    raise ImportFileError(
        name, f"the workbook has no sheet '{sheet}' (sheets: {', '.join(titles)})"
    )


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
