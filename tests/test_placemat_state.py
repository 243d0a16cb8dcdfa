"""The placemat editor's pure rules (ilc_widgets.widgets.placemat.state), in plain pytest."""

from __future__ import annotations

import datetime as dt

import pytest

from ilc_widgets.placemat import TheoryStep
from ilc_widgets.widgets.placemat import state


def test_parse_number_reads_what_people_type() -> None:
    assert state.parse_number("38") == 38.0
    assert state.parse_number(" 38.5 % ") == 38.5
    assert state.parse_number("1,200") == 1200.0
    assert state.parse_number("   ") is None
    with pytest.raises(ValueError):
        state.parse_number("about half")


def test_number_warning_names_the_field() -> None:
    text = state.number_warning("baseline")
    assert text.startswith("Baseline: write a number") and "last number is kept" in text


def test_clock_and_when_show_local_time_of_utc_stamps() -> None:
    stamp = dt.datetime(2026, 11, 23, 14, 32)  # stored naive: UTC
    local = stamp.replace(tzinfo=dt.timezone.utc).astimezone()
    assert state.clock(stamp) == local.strftime("%H:%M")
    assert state.when(stamp) == local.strftime("%d %b %H:%M")
    assert state.when(None) == ""
    assert state.when(float("nan")) == ""  # NaT-like: not equal to itself


def test_saved_status_line() -> None:
    assert state.saved_status(0, None, None) == "Nothing saved yet · version 0"
    stamp = dt.datetime(2026, 11, 23, 14, 32, tzinfo=dt.timezone.utc)
    line = state.saved_status(7, stamp, "Ana", "merged with changes by Ben")
    assert line == (
        f"Saved at {state.clock(stamp)} · version 7 by Ana · merged with changes by Ben"
    )
    assert state.saved_status(3, stamp, "") == f"Saved at {state.clock(stamp)} · version 3"


def test_history_label() -> None:
    stamp = dt.datetime(2026, 11, 23, 14, 32)
    row = {"version": 4, "saved_at": stamp, "saved_by": "Ana", "note": "restored version 2"}
    assert state.history_label(row) == (
        f"Version 4 · {state.when(stamp)} · Ana · restored version 2"
    )
    assert state.history_label({"version": 1, "saved_at": None, "saved_by": "", "note": ""}) == (
        "Version 1 · "
    )


def test_next_step_level_climbs_the_chain_and_stays_at_the_top() -> None:
    assert state.next_step_level([]) == "leader_actions"
    steps = [TheoryStep(level="leader_actions")]
    assert state.next_step_level(steps) == "adult_practice"
    steps.append(TheoryStep(level="student_outcomes"))
    assert state.next_step_level(steps) == "student_outcomes"
    assert state.next_step_level([TheoryStep(level="unknown")]) == "adult_practice"


def test_swap_moves_within_bounds_only() -> None:
    items = ["a", "b", "c"]
    assert state.swap(items, 2, -1) and items == ["a", "c", "b"]
    assert state.swap(items, 0, 1) and items == ["c", "a", "b"]
    assert not state.swap(items, 0, -1) and items == ["c", "a", "b"]
    assert not state.swap(items, 2, 1) and not state.swap(items, 5, -1)
    assert items == ["c", "a", "b"]


def test_merge_notes_name_each_choice() -> None:
    assert set(state.MERGE_NOTES) == {"mine", "theirs", "merged"}
    assert "saved as the page closed" in state.EXIT_NOTE
