"""Privacy protection for shared reports: small-cell suppression and name redaction.

Shared reports (the network report, share-out cards) must not let a reader learn a count or
a statistic about fewer than ``min_n`` people (default 10, the most common state minimum;
every function takes it as a setting). This module has no widget or database code.

Counts (:func:`suppress_counts`)
    *Primary suppression* hides every count from 1 to ``min_n - 1``. A count of **0 is
    shown** by default, as most state education reports do: it describes nobody, and
    hiding every zero would also hide much useful information (``suppress_zero=True``
    hides zeros too, for stricter rules). *Complementary suppression* then hides further
    cells so that a published total cannot give a hidden cell back: whenever a row or
    column with a published total (a "Total" margin) has exactly one hidden cell, the
    smallest other non-zero cell of that line is hidden too (a zero or a margin cell only
    when nothing else is left), and this repeats until no line has a single hidden cell.
    Finally an exact check over all the row and column equations at once looks for a
    hidden cell that the published figures still pin down (say, by adding two rows and
    subtracting two columns) and hides more until there is none. Bounds implied by counts
    being non-negative (a hidden cell known to lie between 0 and 3, say) are not considered.

Statistics (:func:`suppress_statistic`, :func:`display_statistic`)
    A mean, percentage or effect size built on fewer than ``min_n`` people is replaced by
    ``None`` (and shown as ``"n<10"``); an unknown n counts as too few.

Names (:func:`redact_names`)
    Replaces the given names in free text with ``"[name]"``. Reports never print student
    names; this helps when a description typed by a participant contains one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Hashable, Iterable, Sequence

    from .stats import EffectSize

__all__ = [
    "DEFAULT_MIN_N",
    "NAME_PLACEHOLDER",
    "SUPPRESSED",
    "SuppressedCell",
    "SuppressionResult",
    "count_marker",
    "display_statistic",
    "is_publishable",
    "redact_names",
    "statistic_marker",
    "suppress_counts",
    "suppress_effect_size",
    "suppress_statistic",
]

DEFAULT_MIN_N: Final = 10
"""Smallest number of people a published count or statistic may describe."""


def count_marker(min_n: int = DEFAULT_MIN_N) -> str:
    """What a suppressed count is shown as: ``"<10"`` for ``min_n=10``."""
    return f"<{min_n}"


def statistic_marker(min_n: int = DEFAULT_MIN_N) -> str:
    """What a suppressed mean or effect size is shown as: ``"n<10"`` for ``min_n=10``."""
    return f"n<{min_n}"


SUPPRESSED: Final = count_marker(DEFAULT_MIN_N)
"""The marker for a suppressed count at the default minimum (``"<10"``)."""

NAME_PLACEHOLDER: Final = "[name]"

_TOTAL_WORDS: Final = frozenset({"total", "totals", "all", "overall", "grand total"})


def _check_min_n(min_n: int) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ValueError(
            f"The minimum cell size must be a whole number of at least 1, not {min_n!r}."
        )
    return int(min_n)


# ============================================================================ counts


@dataclass(frozen=True)
class SuppressedCell:
    """One hidden cell: where it is, whether it is primary or complementary, and why."""

    row: Hashable
    column: Hashable
    reason: Literal["primary", "complementary"]
    why: str


@dataclass(frozen=True)
class SuppressionResult:
    """A table ready to publish, and an account of which cells were hidden and why.

    ``table`` has the counts (and totals) with hidden cells replaced by ``marker``; ``mask``
    is True where a cell was hidden. The hidden values themselves are not kept here, so the
    result can be logged or shown safely.
    """

    table: pd.DataFrame
    mask: pd.DataFrame
    cells: tuple[SuppressedCell, ...]
    min_n: int
    marker: str

    @property
    def suppressed(self) -> pd.DataFrame:
        """The hidden cells as a table: ``row, column, reason, why``."""
        return pd.DataFrame(
            [(c.row, c.column, c.reason, c.why) for c in self.cells],
            columns=["row", "column", "reason", "why"],
        )

    @property
    def n_primary(self) -> int:
        """How many cells were hidden because they are below the minimum."""
        return sum(c.reason == "primary" for c in self.cells)

    @property
    def n_complementary(self) -> int:
        """How many cells were hidden so that totals cannot reveal the primary ones."""
        return sum(c.reason == "complementary" for c in self.cells)


@dataclass
class _Line:
    """One equation of the table: sum of ``parts`` equals ``total`` (a published margin)."""

    name: str
    parts: list[tuple[int, int]]
    total: tuple[int, int]

    @property
    def cells(self) -> list[tuple[int, int]]:
        return [*self.parts, self.total]


def suppress_counts(
    table: pd.DataFrame | pd.Series[Any],
    count_cols: Sequence[Hashable] | None = None,
    min_n: int = DEFAULT_MIN_N,
    *,
    total_row: Hashable | None = "auto",
    total_col: Hashable | None = "auto",
    suppress_zero: bool = False,
    marker: str | None = None,
) -> SuppressionResult:
    """Hide small counts, and the cells that would give them away through the totals.

    ``table`` holds counts of people: a 1-D table (one count column, with a total row, or
    one row of counts with a total column) or a 2-D table with margins. ``count_cols`` are
    the inner count columns (default: every numeric column other than the total column).
    ``total_row`` is the index label of the totals row, ``total_col`` the totals column;
    ``"auto"`` finds one labelled "Total" (or "All", "Overall") if there is one, ``None``
    means the table has none. Without any published total only primary suppression
    applies. A total that is itself below ``min_n`` is hidden as well. ``marker`` defaults
    to :func:`count_marker` of ``min_n``. Missing cells (NaN) are treated as unpublished.

    Raises ``ValueError`` when a count is negative or not a whole number, naming its row
    and column. See the module docstring for the rules.
    """
    min_n = _check_min_n(min_n)
    marker = count_marker(min_n) if marker is None else marker
    frame = table.to_frame() if isinstance(table, pd.Series) else table
    total_col = _find_total_col(frame, total_col)
    cols: list[Hashable]
    if count_cols is None:
        cols = [
            c
            for c in frame.columns
            if c != total_col
            and pd.api.types.is_numeric_dtype(frame[c])
            and not pd.api.types.is_bool_dtype(frame[c])
        ]
    else:
        cols = list(count_cols)
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"The table has no column(s): {', '.join(map(str, missing))}.")
        if total_col is not None and total_col in cols:
            cols.remove(total_col)
    if not cols:
        raise ValueError("The table has no count columns to protect.")
    grid_cols = [*cols, *([total_col] if total_col is not None else [])]
    row_names = _row_names(frame, grid_cols)
    total_pos = _find_total_row(frame, total_row, row_names)
    values = _count_grid(frame, grid_cols, row_names)
    n_rows, n_cols = values.shape
    inner_cols = list(range(len(cols)))
    tc = len(cols) if total_col is not None else None
    inner_rows = [r for r in range(n_rows) if r != total_pos]

    lines: list[_Line] = []
    if tc is not None:
        for r in range(n_rows):
            lines.append(_Line(f"row '{row_names[r]}'", [(r, c) for c in inner_cols], (r, tc)))
    if total_pos is not None:
        for c in range(n_cols):
            lines.append(
                _Line(
                    f"column '{grid_cols[c]}'",
                    [(r, c) for r in inner_rows],
                    (total_pos, c),
                )
            )

    hidden = np.zeros(values.shape, dtype=bool)
    unknown = np.isnan(values)
    cells: list[SuppressedCell] = []

    def label(cell: tuple[int, int]) -> str:
        return f"'{row_names[cell[0]]}' / '{grid_cols[cell[1]]}'"

    for r in range(n_rows):
        for c in range(n_cols):
            v = values[r, c]
            if unknown[r, c]:
                continue
            if 0 < v < min_n or (suppress_zero and v == 0):
                hidden[r, c] = True
                cells.append(
                    SuppressedCell(
                        row_names[r],
                        grid_cols[c],
                        "primary",
                        f"a count of fewer than {min_n} people"
                        if v > 0
                        else "a zero count (zeros are suppressed by this setting)",
                    )
                )

    def is_margin(cell: tuple[int, int]) -> bool:
        return cell[0] == total_pos or cell[1] == tc

    def pick(candidates: Iterable[tuple[int, int]]) -> tuple[int, int] | None:
        free = [x for x in candidates if not hidden[x] and not unknown[x]]
        if not free:
            return None
        return min(free, key=lambda x: (is_margin(x), values[x] == 0, values[x], x))

    def hide(cell: tuple[int, int], why: str) -> None:
        hidden[cell] = True
        cells.append(SuppressedCell(row_names[cell[0]], grid_cols[cell[1]], "complementary", why))

    ends = _cell_ends(lines)
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                dark = [x for x in line.cells if hidden[x] or unknown[x]]
                if len(dark) == 1 and hidden[dark[0]]:
                    choice = pick(line.cells)
                    if choice is not None:
                        hide(
                            choice,
                            f"otherwise the {line.name} total would reveal the hidden cell "
                            f"{label(dark[0])}",
                        )
                        changed = True
        dark_cells = {x: ends[x] for x in ends if hidden[x] or unknown[x]}
        exposed = sorted(x for x in _bridges(dark_cells) if hidden[x])
        if not exposed:
            break
        target = exposed[0]
        side_a, side_b = _sides(dark_cells, target)
        across = [
            x
            for x, (u, v) in ends.items()
            if (u in side_a and v in side_b) or (u in side_b and v in side_a)
        ]
        choice = pick(across)
        if choice is None:  # fall back to any published cell on the target's lines
            choice = pick(x for line in lines if target in line.cells for x in line.cells)
        if choice is None:  # pragma: no cover - a bridge always has published cells across
            break
        hide(
            choice,
            f"otherwise the row and column totals together would reveal the hidden cell "
            f"{label(target)}",
        )

    shown = frame.copy()
    for c, col in enumerate(grid_cols):
        column = np.empty(n_rows, dtype=object)
        for r in range(n_rows):
            column[r] = marker if hidden[r, c] else (np.nan if unknown[r, c] else int(values[r, c]))
        shown[col] = pd.Series(column, index=frame.index, dtype=object)
    mask = pd.DataFrame(hidden, index=frame.index, columns=grid_cols)
    return SuppressionResult(table=shown, mask=mask, cells=tuple(cells), min_n=min_n, marker=marker)


# The equations of a table (each row: cells = row total; each column: cells = column total)
# form a graph: every equation is a node and every cell an edge between the (at most two)
# equations it appears in; a cell in only one equation joins that equation to a "ground"
# node. After turning the margins' signs around, the equations are exactly the incidence
# equations of this graph, so the unknown values that satisfy them are the flows around its
# cycles. A hidden cell is therefore pinned down by the published figures exactly when its
# edge lies on no cycle of unpublished cells: when it is a bridge of that graph.

_GROUND: Final = -1


def _cell_ends(lines: Sequence[_Line]) -> dict[tuple[int, int], tuple[int, int]]:
    """For every cell on at least one line, the two graph nodes its edge joins."""
    on: dict[tuple[int, int], list[int]] = {}
    for k, line in enumerate(lines):
        for cell in line.cells:
            on.setdefault(cell, []).append(k)
    return {cell: (ks[0], ks[1] if len(ks) > 1 else _GROUND) for cell, ks in on.items()}


def _bridges(edges: dict[tuple[int, int], tuple[int, int]]) -> set[tuple[int, int]]:
    """The edges that lie on no cycle (Tarjan's bridge finding, iterative, multi-edges)."""
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for cell, (u, v) in edges.items():
        adjacency.setdefault(u, []).append((v, cell))
        adjacency.setdefault(v, []).append((u, cell))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: set[tuple[int, int]] = set()
    counter = 0
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(root, None, 0)]
        while stack:
            node, via, i = stack[-1]
            neighbours = adjacency[node]
            if i < len(neighbours):
                stack[-1] = (node, via, i + 1)
                nxt, cell = neighbours[i]
                if cell == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, cell, 0))
            else:
                stack.pop()
                if stack and via is not None:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
    return found


def _sides(
    edges: dict[tuple[int, int], tuple[int, int]], bridge: tuple[int, int]
) -> tuple[set[int], set[int]]:
    """The nodes on each side of a bridge (reachable from each end without crossing it)."""
    adjacency: dict[int, list[int]] = {}
    for cell, (u, v) in edges.items():
        if cell != bridge:
            adjacency.setdefault(u, []).append(v)
            adjacency.setdefault(v, []).append(u)

    def reach(start: int) -> set[int]:
        seen = {start}
        todo = [start]
        while todo:
            for nxt in adjacency.get(todo.pop(), []):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    u, v = edges[bridge]
    return reach(u), reach(v)


def _find_total_col(frame: pd.DataFrame, total_col: Hashable | None) -> Hashable | None:
    if total_col is None:
        return None
    if isinstance(total_col, str) and total_col == "auto":
        for c in frame.columns:
            if str(c).strip().casefold() in _TOTAL_WORDS:
                return c
        return None
    if total_col not in frame.columns:
        raise ValueError(f"The table has no total column {total_col!r}.")
    return total_col


def _row_names(frame: pd.DataFrame, grid_cols: Sequence[Hashable]) -> list[str]:
    """How rows are named in messages: the first text column if any, else the index."""
    for c in frame.columns:
        if c not in grid_cols and not pd.api.types.is_numeric_dtype(frame[c]):
            return [str(v) for v in frame[c]]
    return [str(v) for v in frame.index]


def _find_total_row(
    frame: pd.DataFrame,
    total_row: Hashable | None,
    row_names: Sequence[str],
) -> int | None:
    if total_row is None:
        return None
    if isinstance(total_row, str) and total_row == "auto":
        for pos, name in enumerate(frame.index):
            if str(name).strip().casefold() in _TOTAL_WORDS:
                return pos
        for pos, name in enumerate(row_names):
            if name.strip().casefold() in _TOTAL_WORDS:
                return pos
        return None
    matches = [pos for pos, name in enumerate(frame.index) if name == total_row]
    if not matches:
        raise ValueError(f"The table has no total row {total_row!r}.")
    return matches[0]


def _count_grid(
    frame: pd.DataFrame, grid_cols: Sequence[Hashable], row_names: Sequence[str]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    grid = np.full((len(frame), len(grid_cols)), np.nan)
    for c, col in enumerate(grid_cols):
        for r, value in enumerate(frame[col].tolist()):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise ValueError(f"Row '{row_names[r]}', column '{col}': {value!r} is not a count.")
            number = float(value)
            if number < 0 or number != math.floor(number) or math.isinf(number):
                raise ValueError(
                    f"Row '{row_names[r]}', column '{col}': {value!r} is not a count "
                    "(counts are whole numbers of zero or more)."
                )
            grid[r, c] = number
    return grid


# ============================================================================ statistics


def _smallest_n(n: int | Sequence[int | None] | None) -> int | None:
    if n is None or isinstance(n, bool):
        return None
    if isinstance(n, (int, np.integer)):
        return int(n)
    if isinstance(n, float):
        return None if math.isnan(n) else int(n)
    values = list(n)
    if not values or any(v is None for v in values):
        return None
    numbers = [int(v) for v in values if v is not None]
    return min(numbers)


def is_publishable(n: int | Sequence[int | None] | None, min_n: int = DEFAULT_MIN_N) -> bool:
    """True when a figure built on ``n`` people (or each of several groups) may be shown.

    ``n`` may be one count or the counts of each group a statistic compares (pre and post,
    say); the smallest must reach ``min_n``. An unknown ``n`` (``None``) is never publishable.
    """
    min_n = _check_min_n(min_n)
    smallest = _smallest_n(n)
    return smallest is not None and smallest >= min_n


def suppress_statistic(
    value: float | None,
    n: int | Sequence[int | None] | None,
    min_n: int = DEFAULT_MIN_N,
) -> float | None:
    """``value`` if it is built on at least ``min_n`` people, else ``None``.

    Use for means, percentages and effect sizes in shared reports; see
    :func:`display_statistic` for the text to show.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if is_publishable(n, min_n) else None


def display_statistic(
    value: float | None,
    n: int | Sequence[int | None] | None,
    min_n: int = DEFAULT_MIN_N,
    *,
    digits: int = 2,
    missing: str = "",
) -> str:
    """The statistic formatted with ``digits`` decimals, or ``"n<10"`` when suppressed.

    ``missing`` is shown when there is no value at all.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    kept = suppress_statistic(value, n, min_n)
    return statistic_marker(min_n) if kept is None else f"{kept:.{digits}f}"


def suppress_effect_size(es: EffectSize, min_n: int = DEFAULT_MIN_N) -> EffectSize | None:
    """The effect size if both its pre and post groups have at least ``min_n`` people."""
    return es if is_publishable([es.n_pre, es.n_post], min_n) else None


# ============================================================================ names


def redact_names(
    text: str,
    names: Iterable[str | None],
    *,
    placeholder: str = NAME_PLACEHOLDER,
    parts: bool = False,
) -> str:
    """Replace each of ``names`` in ``text`` with ``placeholder`` ("[name]").

    Matching ignores case, needs whole words ("Ann" does not touch "Annual") and allows any
    spacing inside a name ("Maria  Lopez"). With ``parts=True`` each word of a multi-word
    name of 3 or more letters is also replaced on its own ("Maria" in "Maria Lopez"); it is
    off by default because first names are often ordinary words ("Will", "Grace").
    """
    if not text:
        return text
    wanted: set[str] = set()
    for name in names:
        if name is None:
            continue
        tidy = " ".join(str(name).split())
        if not tidy:
            continue
        wanted.add(tidy)
        if parts:
            wanted.update(w for w in tidy.split(" ") if len(w.strip(".'-")) >= 3)
    if not wanted:
        return text
    alternatives = [
        r"\s+".join(re.escape(word) for word in name.split(" "))
        for name in sorted(wanted, key=len, reverse=True)
    ]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(placeholder, text)
