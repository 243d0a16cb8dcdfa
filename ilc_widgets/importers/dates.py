"""Reading the dates of an evidence column (see the package docstring for the forms)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .contract import _EARLIEST

if TYPE_CHECKING:
    from .problems import _Problems

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
