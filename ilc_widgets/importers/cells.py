"""Checks of a column's cells shared by the loaders: blanks, lengths, choices, repeats,
numbers."""

from __future__ import annotations

import difflib
import math
import re
from typing import TYPE_CHECKING, cast

import numpy as np
import pandas as pd

from ..vocab import VOCABULARIES, normalize_choice, slug
from .contract import MAX_LENGTHS

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from .problems import _Problems


def _blank(values: pd.Series[str]) -> pd.Series[bool]:
    return values.str.len() == 0


def _check_lengths(values: Mapping[str, pd.Series[str]], problems: _Problems) -> None:
    for column, series in values.items():
        limit = MAX_LENGTHS.get(column)
        if limit is None:
            continue
        lengths = series.str.len()
        too_long = lengths > limit
        if too_long.any():
            problems.add_rows(too_long, column, _too_long_message(lengths, limit))


def _too_long_message(lengths: pd.Series[int], limit: int) -> Callable[[int], str]:
    return lambda row: f"is {int(lengths.loc[row])} characters long; at most {limit} fit"


def _choices(
    field: str,
    series: pd.Series[str],
    problems: _Problems,
    *,
    default: str | None = None,
) -> pd.Series[str]:
    """Normalize labels of ``field`` to stored ids (vectorized over distinct values)."""
    codes, uniques = pd.factorize(series)
    mapped: list[str | None] = []
    vocabulary = VOCABULARIES[field]
    for value in uniques:
        text = str(value)
        if not text:
            mapped.append(default)
        else:
            mapped.append(normalize_choice(field, text))
    lookup = np.array([m if m is not None else "" for m in mapped], dtype=object)
    bad_codes = np.array([m is None and bool(str(u)) for m, u in zip(mapped, uniques, strict=True)])
    result = pd.Series(lookup[codes], index=series.index, dtype=str)
    if bad_codes.any():
        bad = pd.Series(bad_codes[codes], index=series.index)
        options = ", ".join(vocabulary.values())
        labels = {slug(v): v for v in vocabulary.values()}

        def message(row: int) -> str:
            text = str(series.loc[row])
            close = difflib.get_close_matches(slug(text), list(labels), n=1, cutoff=0.75)
            hint = f"did you mean '{labels[close[0]]}'? " if close else ""
            what = field.replace("_", " ")
            article = "an" if what[0] in "aeiou" else "a"
            return f"'{text}' is not {article} {what}; {hint}use one of: {options}"

        problems.add_rows(bad, field, message)
    return result


def _unify_spellings(series: pd.Series[str]) -> pd.Series[str]:
    """Values that differ only in case or spacing take their most common spelling."""
    counts = series[series != ""].value_counts()
    if counts.empty:
        return series
    canonical: dict[str, str] = {}
    replace: dict[str, str] = {}
    for value in counts.index:  # most common first
        key = " ".join(str(value).split()).casefold()
        if key in canonical:
            replace[str(value)] = canonical[key]
        else:
            canonical[key] = str(value)
    return series.replace(replace) if replace else series


def _duplicates(
    series: pd.Series[str],
    column: str,
    problems: _Problems,
    what: str,
    *,
    skip: pd.Series[bool],
    key: pd.Series[str] | None = None,
) -> pd.Series[bool]:
    """Report every repeat of a value, naming the row where it first appears.

    ``key`` (default: the values themselves) is what is compared, e.g. the values casefolded;
    a repeat spelled differently names the first spelling.
    """
    keys = series if key is None else key
    present = keys[~skip]
    repeated = present.duplicated(keep="first")
    if repeated.any():
        first_row = {k: cast("int", row) for row, k in present[~repeated].items()}

        def message(row: int) -> str:
            first = first_row[keys.loc[row]]
            spelled = series.loc[first]
            as_first = f" (as {spelled})" if spelled != series.loc[row] else ""
            return f"{what} {series.loc[row]} is already in row {first}{as_first}"

        problems.add_rows(repeated.reindex(series.index, fill_value=False), column, message)
    return repeated.reindex(series.index, fill_value=False)


_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _read_number(text: str, decimal: str) -> tuple[float | None, bool]:
    """The number in ``text`` (``None`` if it is not one) and whether it ended in ``%``."""
    t = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("\u2212", "-")
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    sign = ""
    if t[:1] in "+-" and t:
        sign, t = t[0], t[1:]
    other = "," if decimal == "." else "."
    has_dec, has_other = decimal in t, other in t
    if has_dec and has_other:
        dec_mark = decimal if t.rfind(decimal) > t.rfind(other) else other
        group = other if dec_mark == decimal else decimal
        whole, _, frac = t.rpartition(dec_mark)
        if not re.fullmatch(r"\d{1,3}(?:" + re.escape(group) + r"\d{3})+", whole):
            return None, percent
        t = whole.replace(group, "") + "." + frac
    elif has_dec or has_other:
        mark = decimal if has_dec else other
        grouped = re.fullmatch(r"\d{1,3}(?:" + re.escape(mark) + r"\d{3})+", t)
        if mark == other and grouped:
            t = t.replace(mark, "")
        elif t.count(mark) == 1:
            t = t.replace(mark, ".")
        elif grouped:
            t = t.replace(mark, "")
        else:
            return None, percent
    if not _PLAIN_NUMBER.match(t):
        return None, percent
    value = float(sign + t)
    return (value if math.isfinite(value) else None), percent


def _parse_numbers(
    series: pd.Series[str], decimal: str
) -> tuple[pd.Series[float], pd.Series[bool], pd.Series[bool]]:
    """Numbers of a column: (values, invalid mask, percent mask), blanks as NaN."""
    blank = _blank(series)
    values = pd.to_numeric(series.where(~blank, "0"), errors="coerce").astype(float)
    slow = values.isna() | ~np.isfinite(values)
    if decimal == ",":
        slow |= series.str.contains(".", regex=False)
    else:
        slow |= series.str.contains(",", regex=False)
    slow &= ~blank
    percent = pd.Series(False, index=series.index)
    invalid = pd.Series(False, index=series.index)
    if slow.any():
        subset = series[slow]
        codes, uniques = pd.factorize(subset)
        reads = [_read_number(str(u), decimal) for u in uniques]
        nums = np.array([r[0] if r[0] is not None else np.nan for r in reads], dtype=float)
        pct = np.array([r[1] for r in reads], dtype=bool)
        bad = np.array([r[0] is None for r in reads], dtype=bool)
        values[slow] = nums[codes]
        percent[slow] = pct[codes]
        invalid[slow] = bad[codes]
    values[blank] = np.nan
    return values, invalid, percent
