"""One record at a time: validating a form's entry, and rows as plain Python values."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import ImportValidationError, Problem
from ..vocab import EVIDENCE_COLUMNS, PARTICIPANT_COLUMNS, PARTICIPANT_REQUIRED
from .contract import EVIDENCE_KEY, EVIDENCE_REQUIRED
from .evidence import load_evidence
from .participants import load_participants
from .xlsx import _cell_text, _format_number

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence


def _missing(value: Any) -> bool:
    """Whether a form or database value stands for no value (None, NA, NaT, NaN)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def _record_text(value: Any) -> str:
    """A form or database value as the text a file would hold."""
    if _missing(value):
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
    if _missing(value):
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
