"""Tests of ilc_widgets.privacy: small-cell suppression, statistics and name redaction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ilc_widgets.privacy import (
    DEFAULT_MIN_N,
    SUPPRESSED,
    count_marker,
    display_statistic,
    is_publishable,
    redact_names,
    statistic_marker,
    suppress_counts,
    suppress_effect_size,
    suppress_statistic,
)
from ilc_widgets.stats import effect_size_from_summary


def _lines_with_one_hidden(
    mask: pd.DataFrame, total_row: str | None, total_col: str | None
) -> list[str]:
    """Rows/columns with a published total and exactly one hidden cell (must be none)."""
    bad = []
    if total_col is not None:
        for row, flags in mask.iterrows():
            if not flags[total_col] and flags.drop(total_col).sum() == 1:
                bad.append(f"row {row}")
    if total_row is not None:
        for col in mask.columns:
            flags = mask[col]
            if not flags[total_row] and flags.drop(total_row).sum() == 1:
                bad.append(f"column {col}")
    return bad


def _pinned_cells(
    table: pd.DataFrame, mask: pd.DataFrame, total: str = "Total"
) -> list[tuple[str, str]]:
    """Hidden cells that the row and column equations determine exactly (independent check).

    A hidden cell x_j is determined iff adding the equation x_j = c does not raise the rank
    of the system of equations in the hidden cells.
    """
    cells = [(r, c) for r in mask.index for c in mask.columns if mask.loc[r, c]]
    pos = {cell: i for i, cell in enumerate(cells)}
    rows = []
    inner_rows = [r for r in mask.index if r != total]
    inner_cols = [c for c in mask.columns if c != total]
    for r in mask.index:
        eq = np.zeros(len(cells))
        for c in inner_cols:
            if (r, c) in pos:
                eq[pos[(r, c)]] += 1
        if (r, total) in pos:
            eq[pos[(r, total)]] -= 1
        rows.append(eq)
    for c in mask.columns:
        eq = np.zeros(len(cells))
        for r in inner_rows:
            if (r, c) in pos:
                eq[pos[(r, c)]] += 1
        if (total, c) in pos:
            eq[pos[(total, c)]] -= 1
        rows.append(eq)
    a = np.array(rows)
    rank = np.linalg.matrix_rank(a)
    pinned = []
    for cell, i in pos.items():
        unit = np.zeros(len(cells))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            pinned.append(cell)
    return pinned


def test_marker_follows_min_n() -> None:
    assert DEFAULT_MIN_N == 10
    assert SUPPRESSED == "<10" == count_marker()
    assert count_marker(5) == "<5"
    assert statistic_marker(11) == "n<11"


def test_one_dimensional_total_would_reveal_single_suppressed_cell() -> None:
    # Students meeting the benchmark by group, with a published total of 60.
    # B = 4 is below 10 -> primary. Hiding B alone is useless: 60 - 25 - 31 = 4.
    # So the smallest other non-zero cell (A = 25) is hidden too: now A + B = 29 is all a
    # reader can learn.
    table = pd.DataFrame({"group": ["A", "B", "C", "Total"], "students": [25, 4, 31, 60]})
    result = suppress_counts(table)
    assert result.table["students"].tolist() == ["<10", "<10", 31, 60]
    assert result.table["group"].tolist() == ["A", "B", "C", "Total"]
    cells = result.suppressed
    assert cells[["row", "reason"]].values.tolist() == [["B", "primary"], ["A", "complementary"]]
    assert "total would reveal the hidden cell 'B'" in str(cells.loc[1, "why"])
    assert (result.n_primary, result.n_complementary) == (1, 1)
    assert result.mask["students"].tolist() == [True, True, False, False]


def test_zero_is_shown_by_default_and_not_used_as_complement() -> None:
    table = pd.DataFrame({"n": [0, 4, 31, 12, 47]}, index=["A", "B", "C", "D", "Total"])
    result = suppress_counts(table)
    # 0 is shown; B is primary; complement is D (12), the smallest non-zero, not A (0).
    assert result.table["n"].tolist() == [0, "<10", 31, "<10", 47]
    strict = suppress_counts(table, suppress_zero=True)
    # with zeros suppressed, A and B are both primary and protect each other
    assert strict.table["n"].tolist() == ["<10", "<10", 31, 12, 47]
    assert strict.n_complementary == 0


def test_two_dimensional_with_margins() -> None:
    t = pd.DataFrame(
        {"met": [30, 4, 20], "not_met": [12, 15, 7]}, index=["Grade 3", "Grade 4", "Grade 5"]
    )
    t["Total"] = t.sum(axis=1)
    t.loc["Total"] = t.sum()
    result = suppress_counts(t)
    shown = result.table
    # primary: Grade 4 met (4), Grade 5 not_met (7)
    # row Grade 4 would reveal met = 19 - 15 -> hide not_met (15)
    # row Grade 5 would reveal not_met = 27 - 20 -> hide met (20)
    # now each column has two hidden cells as well
    assert list(shown.loc["Grade 4"]) == ["<10", "<10", 19]
    assert list(shown.loc["Grade 5"]) == ["<10", "<10", 27]
    assert list(shown.loc["Grade 3"]) == [30, 12, 42]
    assert list(shown.loc["Total"]) == [54, 34, 88]
    reasons = {
        (row, col): reason
        for row, col, reason in result.suppressed[["row", "column", "reason"]].itertuples(
            index=False
        )
    }
    assert reasons == {
        ("Grade 4", "met"): "primary",
        ("Grade 5", "not_met"): "primary",
        ("Grade 4", "not_met"): "complementary",
        ("Grade 5", "met"): "complementary",
    }
    assert _lines_with_one_hidden(result.mask, "Total", "Total") == []
    assert _pinned_cells(t, result.mask) == []


def test_exact_check_catches_a_cell_pinned_by_combined_totals() -> None:
    # Two blocks of small cells joined by one small cell (Grade 4 / c). Every row and column
    # has at least two hidden cells after primary suppression, but adding rows 3 and 4 and
    # subtracting columns a and b gives Grade 4 / c exactly. The exact check must hide more.
    t = pd.DataFrame(
        {
            "a": [3, 5, 80, 40],
            "b": [4, 6, 90, 30],
            "c": [50, 7, 2, 4],
            "d": [60, 70, 3, 5],
        },
        index=["Grade 3", "Grade 4", "Grade 5", "Grade 6"],
    )
    t["Total"] = t.sum(axis=1)
    t.loc["Total"] = t.sum()
    primary_only = t.lt(10) & t.gt(0)
    assert _lines_with_one_hidden(primary_only, "Total", "Total") == []
    assert ("Grade 4", "c") in _pinned_cells(t, primary_only)
    result = suppress_counts(t)
    assert result.n_primary == 9
    assert result.n_complementary >= 1
    assert _pinned_cells(t, result.mask) == []
    assert result.suppressed["why"].str.contains("row and column totals together").any()


def test_total_below_minimum_is_hidden_too() -> None:
    table = pd.DataFrame({"n": [3, 5, 8]}, index=["x", "y", "Total"])
    result = suppress_counts(table)
    assert result.table["n"].tolist() == ["<10", "<10", "<10"]
    assert result.n_complementary == 0


def test_no_totals_means_primary_only() -> None:
    table = pd.DataFrame({"school": ["A", "B", "C"], "n": [25, 4, 31]})
    result = suppress_counts(table)
    assert result.table["n"].tolist() == [25, "<10", 31]
    assert result.n_complementary == 0


def test_row_of_counts_with_total_column() -> None:
    table = pd.DataFrame({"A": [25], "B": [4], "C": [31], "Total": [60]})
    result = suppress_counts(table)
    assert result.table.iloc[0].tolist() == ["<10", "<10", 31, 60]


def test_missing_cell_counts_as_unpublished() -> None:
    # B is hidden; C is missing, so the total only gives B + C: no complement needed.
    table = pd.DataFrame({"n": [25, 4, np.nan, 50]}, index=["A", "B", "C", "Total"])
    result = suppress_counts(table)
    assert result.table["n"].tolist()[:2] == [25, "<10"]
    assert pd.isna(result.table["n"].iloc[2])
    assert result.n_complementary == 0


def test_min_n_and_marker_are_settings() -> None:
    table = pd.DataFrame({"n": [25, 7, 31, 63]}, index=["A", "B", "C", "Total"])
    assert suppress_counts(table, min_n=5).n_primary == 0
    result = suppress_counts(table, min_n=11, marker="*")
    assert result.table["n"].tolist() == ["*", "*", 31, 63]
    assert result.marker == "*" and result.min_n == 11
    assert suppress_counts(table, min_n=11).table["n"].iloc[1] == "<11"


def test_explicit_totals_and_count_columns() -> None:
    table = pd.DataFrame(
        {"label": ["x", "y", "sum"], "k": [20, 3, 23], "note": ["", "", ""]}, index=[0, 1, 2]
    )
    result = suppress_counts(table, ["k"], total_row=2)
    assert result.table["k"].tolist() == ["<10", "<10", 23]
    assert result.table["note"].tolist() == ["", "", ""]
    with pytest.raises(ValueError, match="no total row 9"):
        suppress_counts(table, ["k"], total_row=9)
    with pytest.raises(ValueError, match="no column"):
        suppress_counts(table, ["zz"])


def test_bad_counts_name_row_and_column() -> None:
    table = pd.DataFrame({"school": ["A", "B"], "n": [12, -1]})
    with pytest.raises(ValueError, match=r"Row 'B', column 'n': -1 is not a count"):
        suppress_counts(table)
    with pytest.raises(ValueError, match=r"Row 'A', column 'n': 2.5"):
        suppress_counts(pd.DataFrame({"school": ["A"], "n": [2.5]}))
    with pytest.raises(ValueError, match="minimum cell size"):
        suppress_counts(table, min_n=0)


def test_suppressed_values_are_not_kept_in_the_result() -> None:
    table = pd.DataFrame({"n": [25, 4, 31, 60]}, index=["A", "B", "C", "Total"])
    result = suppress_counts(table)
    assert 4 not in result.table["n"].tolist()
    assert "4" not in result.suppressed.to_string()


def test_statistics() -> None:
    assert suppress_statistic(3.2, 12) == 3.2
    assert suppress_statistic(3.2, 9) is None
    assert suppress_statistic(3.2, None) is None  # unknown n: never published
    assert suppress_statistic(3.2, [12, 9]) is None  # every group must reach the minimum
    assert suppress_statistic(3.2, [12, 10]) == 3.2
    assert suppress_statistic(3.2, 6, min_n=5) == 3.2
    assert suppress_statistic(None, 50) is None
    assert is_publishable(10) and not is_publishable(9) and not is_publishable([10, None])
    assert display_statistic(0.456, 30) == "0.46"
    assert display_statistic(0.456, 3) == "n<10"
    assert display_statistic(float("nan"), 30, missing="-") == "-"
    assert display_statistic(3.14159, 30, digits=1) == "3.1"


def test_effect_size_suppression() -> None:
    big = effect_size_from_summary(50, 10, 25, 55, 10, 25)
    small = effect_size_from_summary(50, 10, 25, 55, 10, 8)
    assert suppress_effect_size(big) is big
    assert suppress_effect_size(small) is None
    assert suppress_effect_size(small, min_n=5) is small


def test_redact_names() -> None:
    text = "maria lopez said Maria's essay was great; Ann went to the Annual meeting with ANN."
    out = redact_names(text, ["Maria Lopez", "Ann", "", None])
    assert (
        out == "[name] said Maria's essay was great; [name] went to the Annual meeting with [name]."
    )
    assert redact_names(text, ["Maria Lopez", "Maria"]).startswith("[name] said [name]'s essay")
    assert redact_names("Ask Maria  Lopez and maria.", ["Maria Lopez"], parts=True) == (
        "Ask [name] and [name]."
    )
    assert redact_names("Will said he will come", ["Will"]) == "[name] said he [name] come"
    assert redact_names("Dr. O'Brien (J.R.) and J.R. Smith", ["J.R.", "O'Brien"]) == (
        "Dr. [name] ([name]) and [name] Smith"
    )
    assert redact_names("a+b is not a name", ["a+b"]) == "[name] is not a name"
    assert redact_names("Ana", ["Ana"], placeholder="***") == "***"
    assert redact_names("", ["Ana"]) == ""
    assert redact_names("nothing here", []) == "nothing here"


@pytest.mark.parametrize("seed", range(25))
def test_random_tables_leave_no_cell_pinned(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows, n_cols = int(rng.integers(2, 8)), int(rng.integers(2, 6))
    t = pd.DataFrame(
        rng.integers(0, 25, (n_rows, n_cols)),
        columns=[f"c{i}" for i in range(n_cols)],
        index=[f"r{i}" for i in range(n_rows)],
    )
    t["Total"] = t.sum(axis=1)
    t.loc["Total"] = t.sum()
    result = suppress_counts(t)
    primary = t.lt(10) & t.gt(0)
    assert (result.mask | ~primary).all().all()  # every small count is hidden
    assert _lines_with_one_hidden(result.mask, "Total", "Total") == []
    assert _pinned_cells(t, result.mask) == []
