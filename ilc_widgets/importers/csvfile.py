"""Reading a CSV file (UTF-8 text) into a table of strings."""

from __future__ import annotations

import codecs
import csv
import io
import re

import pandas as pd

from ..errors import ImportValidationError
from ._table import _column_letter, _finish_table
from .contract import HEADER_SEARCH_ROWS
from .headers import _HeaderRule, _title_text
from .problems import _fail, _Problems


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
