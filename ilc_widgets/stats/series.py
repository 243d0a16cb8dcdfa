"""Indicator values over time: one value per indicator and day, trends and the latest n.

Entries of a day are averaged (weighted by ``n`` when every entry has one); where an
indicator has whole-group entries, its subgroup breakdowns are left out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._common import _live, _to_days, _to_float
from ._match import match_keys, naming

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

    import numpy as np
    import pandas as pd

    from ..placemat import Indicator
else:
    from .._lazy import np, pd

__all__ = ["WHOLE_GROUP", "latest_n", "trend_frame"]


def trend_frame(
    evidence: pd.DataFrame,
    indicator: Indicator | str,
    *,
    collective: Hashable | None = None,
) -> pd.DataFrame:
    """The dated trend of one indicator: one row per date with the day's value.

    Columns: ``date`` (datetime64), ``value`` (mean of that day's entries, weighted by
    ``n`` when every entry of the day has one), ``n`` (sum of the day's ``n``, NaN if none
    was given) and ``entries`` (how many entries). When some entries describe the whole
    group (subgroup blank, "all", "overall", ...), only those are used: subgroup rows are
    breakdowns of them. Entries match the indicator by name or id
    (ignoring case and extra spaces); those without a value are left out; when
    ``collective`` is given, only that collective's entries are used.
    """
    ev = _live(evidence, ("date", "value", "indicator"))
    mask = naming(ev["indicator"], indicator)
    if collective is not None and "collective" in ev.columns:
        mask &= (ev["collective"].astype(str) == str(collective)).to_numpy()
    sub = ev[mask]
    whole = _whole_group(sub)
    if whole.any():
        sub = sub[whole]
    daily = _daily(
        np.zeros(len(sub), dtype=np.int64),
        _to_days(sub["date"]),
        _to_float(sub["value"]),
        _to_float(sub["n"]) if "n" in sub.columns else np.full(len(sub), np.nan),
    )
    return daily.drop(columns="key").reset_index(drop=True)


def latest_n(
    evidence: pd.DataFrame, indicators: Sequence[Indicator]
) -> dict[str, tuple[float | None, pd.Timestamp | None]]:
    """Per indicator id: the day of its latest dated value and how many people that value
    covers (the sum of the day's ``n``; None when no entry of the day gave one).

    The entries are the ones :func:`summarize_indicators` judges the indicator on (matched
    by name or id, ignoring case and extra spaces; whole-group rows when there are any;
    with a value and a date), so whoever shows the latest value can tell whether it covers
    enough people to be published. ``(None, None)`` for an indicator with no dated value.
    """
    out: dict[str, tuple[float | None, pd.Timestamp | None]] = {
        ind.id: (None, None) for ind in indicators
    }
    if not len(evidence) or not indicators:
        return out
    pairs: list[tuple[Hashable | None, Indicator]] = [(None, ind) for ind in indicators]
    daily = _indicator_daily(evidence, pairs, False)
    last = daily.groupby("key", sort=True).tail(1)  # days are sorted within each key
    for key, day, n in zip(last["key"], last["date"], last["n"], strict=True):
        covered = None if math.isnan(float(n)) else float(n)
        out[pairs[int(key)][1].id] = (covered, pd.Timestamp(day))
    return out


def _indicator_daily(
    evidence: pd.DataFrame,
    pairs: Sequence[tuple[Hashable | None, Indicator]],
    per_collective: bool,
) -> pd.DataFrame:
    """One value per (indicator position in ``pairs``, date) from the live evidence."""
    ev = _live(evidence, ("date", "value", "indicator"))
    keys = match_keys(ev, pairs, per_collective)
    # Where an indicator has whole-group figures, its subgroup breakdowns are details of
    # them: averaging both would count overlapping groups (grade 9, IEPs) twice.
    whole = _whole_group(ev)
    with_whole = np.unique(keys[(keys >= 0) & whole])
    keys = np.where(np.isin(keys, with_whole) & ~whole, -1, keys)
    valid = keys >= 0
    sub = ev[valid]
    return _daily(
        keys[valid],
        _to_days(sub["date"]),
        _to_float(sub["value"]),
        _to_float(sub["n"]) if "n" in sub.columns else np.full(len(sub), np.nan),
    )


def _daily(
    keys: np.ndarray[Any, Any],
    days: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    ns: np.ndarray[Any, Any],
) -> pd.DataFrame:
    """Aggregate entries to one value per (key, date): n-weighted mean when all have n."""
    ok = ~np.isnan(values) & ~np.isnat(days)
    keys, days, values, ns = keys[ok], days[ok], values[ok], ns[ok]
    has_n = np.isfinite(ns) & (ns > 0)
    frame = pd.DataFrame(
        {
            "key": keys,
            "date": days,
            "v": values,
            "vn": np.where(has_n, values * np.where(has_n, ns, 0.0), 0.0),
            "w": np.where(has_n, ns, 0.0),
            "has_n": has_n.astype(np.int64),
        }
    )
    agg = frame.groupby(["key", "date"], sort=True).agg(
        sum_v=("v", "sum"),
        entries=("v", "size"),
        sum_vn=("vn", "sum"),
        w=("w", "sum"),
        with_n=("has_n", "sum"),
    )
    entries = agg["entries"].to_numpy(dtype=float)
    weights = agg["w"].to_numpy(dtype=float)
    all_n = agg["with_n"].to_numpy() == agg["entries"].to_numpy()
    plain = agg["sum_v"].to_numpy(dtype=float) / np.maximum(entries, 1)
    weighted = agg["sum_vn"].to_numpy(dtype=float) / np.where(weights > 0, weights, 1.0)
    return pd.DataFrame(
        {
            "key": agg.index.get_level_values("key").to_numpy(),
            "date": agg.index.get_level_values("date").to_numpy(),
            "value": np.where(all_n & (weights > 0), weighted, plain),
            "n": np.where(agg["with_n"].to_numpy() > 0, weights, np.nan),
            "entries": agg["entries"].to_numpy(dtype=np.int64),
        }
    )


def _per_key(daily: pd.DataFrame, window: int) -> pd.DataFrame:
    """Per key: number of dated values, entries, first/last date and latest value."""
    if window < 1:
        raise ValueError(f"window is {window}; it must be at least 1.")
    grouped = daily.groupby("key", sort=True)
    per = pd.DataFrame(
        {
            "n_observations": grouped.size(),
            "entries": grouped["entries"].sum(),
            "first_date": grouped["date"].min(),
            "last_date": grouped["date"].max(),
            "latest_value": grouped["value"].last(),
        }
    )
    if window > 1 and len(daily):
        per["latest_value"] = daily.groupby("key").tail(window).groupby("key")["value"].mean()
    return per


def _count(per_key: pd.DataFrame, key: int, column: str) -> int:
    """A count column of one key of a :func:`_per_key` table (0 when the key has none)."""
    if key not in per_key.index:
        return 0
    return int(np.asarray(per_key.at[key, column], dtype=np.int64))


WHOLE_GROUP = frozenset(
    {
        "",
        "all",
        "all students",
        "overall",
        "total",
        "whole school",
        "schoolwide",
        "school-wide",
        "school wide",
        "everyone",
        "whole group",
        "all staff",
        "all teachers",
    }
)


def _whole_group(evidence: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """True for rows describing the whole group (subgroup blank, "all", "overall", ...)."""
    if "subgroup" not in evidence.columns:
        return np.ones(len(evidence), dtype=bool)
    labels = evidence["subgroup"].fillna("").astype(str).str.strip().str.lower()
    return labels.isin(WHOLE_GROUP).to_numpy(dtype=bool)
