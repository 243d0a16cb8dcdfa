"""Which evidence rows name which indicator: the one place indicator names are matched.

Names are compared by :func:`ilc_widgets.format.indicator_key` (case and extra spaces
ignored); an indicator is named by its name or its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import format as fmt
from ..placemat import Indicator

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence

    import numpy as np
    import pandas as pd
else:
    from .._lazy import np, pd


def keys_of(indicator: Indicator | str) -> set[str]:
    """The keys evidence may name ``indicator`` by: its name and id (or the one name given)."""
    if isinstance(indicator, Indicator):
        return {fmt.indicator_key(indicator.name), fmt.indicator_key(indicator.id)} - {""}
    return {fmt.indicator_key(indicator)} - {""}


def naming(
    names: pd.Series[Any], indicator: Indicator | str
) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """True for the entries of ``names`` (an ``indicator`` column) that name ``indicator``."""
    return fmt.indicator_keys(names).isin(keys_of(indicator)).to_numpy(dtype=bool, copy=True)


def match_keys(
    ev: pd.DataFrame,
    pairs: Sequence[tuple[Hashable | None, Indicator]],
    per_collective: bool,
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """For each evidence row, the position in ``pairs`` of its indicator, or -1."""
    n_rows = len(ev)
    if not pairs or "indicator" not in ev.columns or n_rows == 0:
        return np.full(n_rows, -1, dtype=np.int64)
    ind_codes, ind_uniques = pd.factorize(ev["indicator"])
    ind_positions: dict[str, list[int]] = {}
    for pos, value in enumerate(ind_uniques):
        ind_positions.setdefault(fmt.indicator_key(value), []).append(pos)
    if per_collective:
        if "collective" not in ev.columns:
            raise ValueError(
                "The evidence has no 'collective' column, but indicators were given per collective."
            )
        coll_codes, coll_uniques = pd.factorize(ev["collective"])
        coll_positions: dict[str, list[int]] = {}
        for pos, value in enumerate(coll_uniques):
            coll_positions.setdefault(str(value), []).append(pos)
    else:
        coll_codes = np.zeros(n_rows, dtype=np.int64)
        coll_positions = {"": [0]}
    width = len(ind_uniques)
    lookup: dict[int, int] = {}
    for key, (coll, ind) in enumerate(pairs):
        colls = coll_positions.get("" if coll is None else str(coll), [])
        for label in keys_of(ind):
            for i_pos in ind_positions.get(label, []):
                for c_pos in colls:
                    lookup.setdefault(c_pos * width + i_pos, key)
    if not lookup:
        return np.full(n_rows, -1, dtype=np.int64)
    combined = coll_codes.astype(np.int64) * width + ind_codes.astype(np.int64)
    combined[(ind_codes < 0) | (coll_codes < 0)] = -1
    index = pd.Index(np.fromiter(lookup.keys(), dtype=np.int64, count=len(lookup)))
    found = index.get_indexer(pd.Index(combined))
    values = np.fromiter(lookup.values(), dtype=np.int64, count=len(lookup))
    return np.where(found >= 0, values[np.maximum(found, 0)], -1).astype(np.int64)
