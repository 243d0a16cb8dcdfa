"""How values read for people: numbers, units, dates, indicator statuses and indicator keys.

One copy for the whole kit, so that the same value reads the same on the dashboard, in the
gallery, on the printable placemat and in the network report: ``with_unit(45, "pct")`` is
``45%`` everywhere, ``with_unit(1200, "students")`` is ``1,200 students``, a date is
``6 Nov 2026``, and an indicator's status is ``● On track`` (a shape per status, so it reads
in black and white too). :func:`indicator_key` is how evidence is matched to an indicator
by name (case and extra spaces ignored).

Pure functions and constants: no widgets, no database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
else:
    from ._lazy import np, pd

from ._lazy import loaded

__all__ = [
    "DONE_MARK",
    "MISSING",
    "PERCENT_UNITS",
    "STATUS_COLORS",
    "STATUS_HATCHES",
    "STATUS_LABELS",
    "STATUS_MARKS",
    "TODO_MARK",
    "as_date",
    "date_text",
    "indicator_key",
    "indicator_keys",
    "input_number",
    "number",
    "status_count",
    "status_legend",
    "status_text",
    "with_unit",
]

MISSING: Final = "–"
"""What a table cell shows for a value that is not there (where a blank would confuse)."""

PERCENT_UNITS: Final = frozenset({"%", "percent", "pct", "per cent"})
"""Units written as a percent sign right after the number (``45%``)."""

_STATUS_LOOK: Final = (
    # status, words, mark, fill colour (charts), hatch (charts in black and white)
    ("on_track", "On track", "●", "#3a7d44", ""),
    ("at_risk", "At risk", "▲", "#e0b93a", "//"),
    ("off_track", "Off track", "■", "#b23a3a", "xx"),
    ("not_enough_data", "Not enough data", "○", "#d0d7de", ".."),
)

STATUS_LABELS: Final[dict[str, str]] = {s: words for s, words, *_ in _STATUS_LOOK}
"""The words of each indicator status (see :data:`ilc_widgets.stats.STATUSES`)."""
STATUS_MARKS: Final[dict[str, str]] = {s: mark for s, _, mark, *_ in _STATUS_LOOK}
"""A shape per indicator status, so statuses read the same in black and white."""
STATUS_COLORS: Final[dict[str, str]] = {s: colour for s, _, _, colour, _ in _STATUS_LOOK}
"""A fill colour per status (charts)."""
STATUS_HATCHES: Final[dict[str, str]] = {s: hatch for s, *_, hatch in _STATUS_LOOK}
"""A hatch per status (charts printed in black and white)."""

DONE_MARK: Final = "✓"
"""A check that passes (the placemat's completeness list)."""
TODO_MARK: Final = "○"
"""A check still to do."""

_SPACES = re.compile(r"\s+")


def _blank(value: Any) -> bool:
    """True for None, NaN, NaT, pd.NA and blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    pandas = loaded("pandas")  # no pandas yet: nothing else can be one of its missing values
    if pandas is None:
        return False
    try:
        return bool(pandas.isna(value))
    except (TypeError, ValueError):  # a list or an array is not one missing value
        return False


# ---------------------------------------------------------------------------- numbers


def number(value: Any, *, missing: str = "") -> str:
    """A number for people: thousands separators, at most two decimals, no trailing zeros
    (``38``, ``38.5``, ``1,200``). Text that is not a number is shown as written;
    ``missing`` stands for no value."""
    if _blank(value):
        return missing
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    if math.isnan(x):
        return missing
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    text = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def with_unit(value: Any, unit: Any, *, missing: str = "") -> str:
    """A value with its unit: ``45%`` (for ``%``, ``percent`` or ``pct``), ``12 days``,
    ``1,200 students``; the number alone without a unit; ``missing`` without a value."""
    text = number(value, missing="")
    if not text:
        return missing
    unit_text = "" if _blank(unit) else str(unit).strip()
    if not unit_text:
        return text
    if unit_text.casefold() in PERCENT_UNITS:
        return f"{text}%"
    return f"{text} {unit_text}"


def input_number(value: Any) -> str:
    """A stored number as text to edit in a field: ``72``, ``72.5``, no separators and no
    rounding (saving it again stores the same number); '' for no value."""
    if _blank(value):
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


# ---------------------------------------------------------------------------- dates


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime, Timestamp, numpy datetime64 or ISO text
    (``2026-11-06``, or the start of ``2026-11-06T10:00``); None when missing or unreadable."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):  # pd.Timestamp too
        return value.date()
    if isinstance(value, dt.date):
        return value
    numpy = loaded("numpy")
    if numpy is not None and isinstance(value, numpy.datetime64):
        return pd.Timestamp(value).date()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def date_text(value: Any) -> str:
    """A date as people read it: ``6 Nov 2026``; '' when missing; text that is not a date
    is shown as written."""
    day = as_date(value)
    if day is not None:
        return f"{day.day} {day:%b %Y}"
    return "" if _blank(value) else str(value).strip()


# ---------------------------------------------------------------------------- statuses


def status_text(status: str) -> str:
    """A status with its mark: ``● On track``."""
    label = STATUS_LABELS.get(status, status.replace("_", " ").capitalize())
    mark = STATUS_MARKS.get(status, "")
    return f"{mark} {label}" if mark else label


def status_count(status: str, count: int) -> str:
    """How many indicators have a status: ``● 2 on track``."""
    label = STATUS_LABELS.get(status, status.replace("_", " ")).lower()
    mark = STATUS_MARKS.get(status, "")
    return f"{mark} {count} {label}" if mark else f"{count} {label}"


def status_legend() -> str:
    """Every mark with its words: ``● on track · ▲ at risk · ■ off track · ○ not enough
    data``."""
    return " · ".join(f"{STATUS_MARKS[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_MARKS)


# ---------------------------------------------------------------------------- indicator keys


def indicator_key(name: Any) -> str:
    """The key evidence is matched to an indicator by: the name with case and extra spaces
    ignored (``" Chronic  Absenteeism "`` and ``"chronic absenteeism"`` are one indicator);
    '' for no name."""
    if _blank(name):
        return ""
    return _SPACES.sub(" ", str(name)).strip().casefold()


def indicator_keys(names: pd.Series[Any]) -> pd.Series[Any]:
    """:func:`indicator_key` of every name of a column (each distinct name worked out once)."""
    codes, uniques = pd.factorize(names)
    table = np.array([*(indicator_key(u) for u in uniques), ""], dtype=object)
    return pd.Series(table[codes], index=names.index, dtype=object)
