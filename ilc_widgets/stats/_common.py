"""Shared helpers of the statistics: reading numbers and dates, and the live evidence."""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np
    import pandas as pd
else:
    from .._lazy import np, pd


def _as_number(value: Any) -> float | None:
    """``value`` as a float, or None when it is not a number (bools are not numbers)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (numbers.Real, Decimal)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _opt_float(value: Any) -> float | None:
    if value is None:
        return None
    number = _as_number(value)
    return None if number is None or math.isnan(number) else number


def _live(evidence: pd.DataFrame, needed: Sequence[str] = ()) -> pd.DataFrame:
    """Evidence without deleted entries (rows with a ``deleted_at``), checked for columns.

    An empty frame may lack columns (they are added, empty); a non-empty one may not.
    """
    missing = [c for c in needed if c not in evidence.columns]
    if missing:
        if len(evidence):
            raise ValueError(f"The evidence has no column(s): {', '.join(missing)}.")
        evidence = evidence.assign(**{c: pd.Series(dtype=object) for c in missing})
    if "deleted_at" in evidence.columns:
        return evidence[evidence["deleted_at"].isna()]
    return evidence


def _to_float(series: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    if series.dtype.kind in "iuf":
        return series.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _to_days(series: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    """Dates of any common form (date, datetime, ISO text) as datetime64[D]; NaT if unreadable."""
    if len(series) == 0:
        return np.array([], dtype="datetime64[D]")
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    if series.dtype.kind == "M":
        return series.to_numpy().astype("datetime64[D]")
    codes, uniques = pd.factorize(series)
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce", format="mixed")
    table = np.append(parsed.to_numpy().astype("datetime64[D]"), np.datetime64("NaT", "D"))
    return table[codes]
