"""The theme board's working state, without widgets (ilc_widgets.widgets.themes.state)."""

from __future__ import annotations

import pytest

from ilc_widgets.themes import Theme as Suggested
from ilc_widgets.themes import ThemeSuggestion
from ilc_widgets.widgets.themes.state import (
    MAX_NAME,
    UNTHEMED,
    UNTHEMED_KEY,
    BoardState,
    Person,
    chart_label,
    chart_series,
    plural,
)


def person(pid: str, theme: str = "", *, role: str = "principal", district: str = "A") -> Person:
    return Person(pid, f"Name {pid}", role, district, f"focus of {pid}", theme)


def people(*rows: Person) -> dict[str, Person]:
    return {p.pid: p for p in rows}


def loaded() -> BoardState:
    state = BoardState()
    state.load(
        people(person("a", "Math"), person("b", "Math"), person("c", "Reading"), person("d")),
        {"Math": ["fractions"], "Reading": ["books"]},
    )
    return state


def test_load_puts_people_in_their_saved_theme_and_the_rest_in_unthemed() -> None:
    state = loaded()
    assert [(t.name, t.members, t.keywords) for t in state.themes] == [
        ("Math", ["a", "b"], ["fractions"]),
        ("Reading", ["c"], ["books"]),
    ]
    assert state.unthemed == ["d"]
    assert state.labels() == {"a": "Math", "b": "Math", "c": "Reading", "d": ""}
    assert not state.dirty
    assert state.keys() == [state.themes[0].key, state.themes[1].key, UNTHEMED_KEY]


def test_themes_nobody_accepted_come_after_the_saved_ones_largest_first() -> None:
    state = BoardState()
    state.load(
        people(person("a", "Small"), person("b", "Big"), person("c", "Big"), person("d", "Saved")),
        {"Saved": [], "Gone": []},
    )
    assert [t.name for t in state.themes] == ["Saved", "Big", "Small"]


def test_finding_by_name_and_key() -> None:
    state = loaded()
    math = state.themes[0]
    assert state.by_name("Math") is math and state.theme(math.key) is math
    assert state.by_name(UNTHEMED) is None and state.key_of(UNTHEMED) == UNTHEMED_KEY
    assert state.members(UNTHEMED_KEY) == ["d"]
    with pytest.raises(KeyError):
        state.by_name("Nope")


def test_move_reports_who_moved_which_cards_changed_and_where() -> None:
    state = loaded()
    math, reading = state.themes
    moving, changed, where = state.move(["a", "d", "ghost"], reading.key)
    assert moving == ["a", "d"] and where == "Reading"
    assert changed == {math.key, UNTHEMED_KEY, reading.key}
    assert reading.members == ["c", "a", "d"] and state.unthemed == []
    assert state.dirty
    _, _, where = state.move(["c"], UNTHEMED_KEY)
    assert where == UNTHEMED and state.unthemed == ["c"]


def test_split_makes_a_theme_after_its_source_with_a_free_name() -> None:
    state = loaded()
    state.themes[1].name = "New theme"
    new = state.split(state.themes[0].key, ["b"], None)
    assert new is not None and new.name == "New theme 2" and new.members == ["b"]
    assert [t.name for t in state.themes] == ["Math", "New theme 2", "New theme"]
    assert state.split(state.themes[0].key, ["a"], "x") is None  # every statement: rename
    from_unthemed = state.split(UNTHEMED_KEY, ["d"], "  ")
    assert from_unthemed is not None and from_unthemed.name == "New theme 3"
    assert state.themes[-1] is from_unthemed and state.unthemed == []


def test_merge_joins_members_and_key_phrases_into_the_first() -> None:
    state = loaded()
    math, reading = state.themes
    assert state.merge([math.key]) == [math]  # one theme: nothing merged
    assert math.members == ["a", "b"]
    merged = state.merge([reading.key, math.key])
    assert merged[0] is reading and reading.members == ["c", "a", "b"]
    assert reading.keywords == ["books", "fractions"] and math.members == []
    state.drop_empty()
    assert state.themes == [reading]


def test_name_problems() -> None:
    state = loaded()
    math, reading = state.themes
    assert state.name_problems() == {}
    reading.name = " math "
    assert state.name_problems() == {reading.key: "two themes are called 'math'"}
    reading.name = "unthemed"
    assert "kept for statements without a theme" in state.name_problems()[reading.key]
    reading.name = "x" * (MAX_NAME + 1)
    assert f"longer than {MAX_NAME}" in state.name_problems()[reading.key]
    math.name = "  "
    assert state.name_problems()[math.key] == "a theme has no name"
    math.members = []  # an empty theme is not checked
    assert math.key not in state.name_problems()


def test_a_suggestion_replaces_the_board() -> None:
    state = loaded()
    result = ThemeSuggestion(
        ["T", "T", UNTHEMED],
        [Suggested("T", [0, 1], ["k"]), Suggested(UNTHEMED, [2], [])],
        "test",
    )
    state.apply(["a", "c", "b"], result)
    assert [(t.name, t.members) for t in state.themes] == [("T", ["a", "c"])]
    assert state.unthemed == ["b", "d"]  # d had no statement in the suggestion
    assert state.value()["themes"] == [{"name": "T", "keywords": ["k"], "members": ["a", "c"]}]
    assert state.value()["saved"] is False


def test_taking_in_people_who_came_changed_or_left() -> None:
    state = loaded()
    math, reading = state.themes
    now = people(
        person("a", "Math", district="B"),  # changed
        person("c", "Reading"),
        person("d"),
        person("e"),  # new, no theme
        person("f", "Brand new"),  # new, with a theme of their own
    )  # b left
    changed, arrivals = state.take_in(now)
    assert arrivals == ["e", "f"]
    assert math.members == ["a"] and state.unthemed == ["d", "e"]
    assert state.themes[-1].name == "Brand new" and state.themes[-1].members == ["f"]
    assert changed == {math.key, UNTHEMED_KEY, state.themes[-1].key}
    assert reading.key not in changed


def test_chart_helpers() -> None:
    assert chart_label("  a  $5  budget ") == r"a \$5 budget"
    assert chart_label("x" * 50, 10) == "x" * 9 + "…"
    assert plural(1, "statement") == "1 statement" and plural(0, "theme") == "0 themes"
    crowd = people(*(person(str(i), district=f"D{i % 4}") for i in range(8)))
    groups = [("One", ["0", "1", "2", "3"]), ("Two", ["4", "5", "6", "7"])]
    by_district = chart_series(groups, crowd, "district", top=2)
    assert by_district == {"D0": [1.0, 1.0], "D1": [1.0, 1.0], "2 other districts": [2.0, 2.0]}
    by_role = chart_series(groups, crowd, "role")
    assert list(by_role.values()) == [[4.0, 4.0]]
