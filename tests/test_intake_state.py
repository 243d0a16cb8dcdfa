"""The intake form's and roster import's rules, without widgets
(ilc_widgets.widgets.intake.state)."""

from __future__ import annotations

import pandas as pd

from ilc_widgets.errors import Problem
from ilc_widgets.widgets.intake.state import (
    FORM_FIELDS,
    column_map,
    duplicate_choices,
    form_problems,
    guess_slots,
    problem_message,
    raw_preview,
    short,
)


def test_the_form_asks_for_name_through_focus() -> None:
    assert FORM_FIELDS[0] == "name" and FORM_FIELDS[-1] == "focus"


def test_form_problems_depend_on_who_fills_it_in() -> None:
    empty: dict[str, str] = {}
    mine = form_problems(empty, "intake")
    assert mine["name"] == "Please enter your name."
    assert mine["role"] == "Please choose your role."
    assert "focus" in mine
    theirs = form_problems(empty, "facilitator")
    assert theirs["email"] == "Please enter the email." and "focus" not in theirs
    fields = {"name": "A", "email": "a@x", "role": "principal", "district": "D"}
    assert form_problems({**fields, "modality": "in_person"}, "facilitator") == {
        "region": "Please enter the region: in-person groups meet by region."
    }
    assert form_problems({**fields, "modality": "in_person", "region": "N"}, "x") == {}


def test_importer_problems_are_said_to_the_person() -> None:
    taken = Problem("intake", 1, "email", "email 'a@x' is already in the network")
    assert "already been used" in problem_message(taken, "intake")
    assert problem_message(taken, "facilitator").startswith("Someone with this email")
    blank = Problem("intake", 1, "district", "district is blank")
    assert problem_message(blank, "intake") == "Please enter the district."
    other = Problem("intake", 1, None, "something odd")
    assert problem_message(other, "intake") == "Something odd."


def test_guessed_slots_put_a_second_name_column_in_name_2() -> None:
    guess = {"First": "name", "Last": "name", "Mail": "email", "Extra": "unknown_column"}
    assert guess_slots(guess) == {"name": "First", "name_2": "Last", "email": "Mail"}


def test_column_map_joins_in_slot_order_and_keeps_every_header() -> None:
    headers = ["Last", "Stamp", "First", "Mail"]
    mapping = column_map(headers, {"name": "First", "name_2": "Last", "email": "Mail"})
    assert list(mapping) == ["First", "Last", "Mail", "Stamp"]
    assert mapping == {"First": "name", "Last": "name", "Mail": "email", "Stamp": ""}


def test_a_column_chosen_twice_is_named() -> None:
    assert duplicate_choices({"organization": "X", "district": "X", "name": "N"}) == [
        "The column 'X' is chosen for School or office and District; choose it once."
    ]
    assert duplicate_choices({"name": "N", "email": ""}) == []


def test_raw_preview_joins_mapped_columns() -> None:
    table = pd.DataFrame({"F": [" Ana ", "Bo"], "L": ["Diaz", ""], "Skip": ["1", "2"]})
    head = raw_preview(table, {"F": "name", "L": "name", "Skip": ""}, rows=1)
    assert head.to_dict("records") == [{"name": "Ana Diaz"}]


def test_short() -> None:
    assert short("  a\n b  ") == "a b"
    assert short("abcdef", 4) == "abc…"
