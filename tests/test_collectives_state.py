"""The collective board's pure state and rules (no widgets, no database)."""

from __future__ import annotations

import pytest

from ilc_widgets.widgets.collectives.state import (
    Group,
    Person,
    Rules,
    Saved,
    attends,
    card_warnings,
    default_names,
    group_region,
    has_work,
    kept,
    match_collectives,
    meta_problem,
    modality,
    new_code,
    renamed,
    text,
    work_text,
)


def person(pid: str, **fields: str) -> Person:
    values = {
        "name": pid,
        "email": "",
        "role": "teacher",
        "organization": "",
        "district": "D1",
        "region": "North",
        "modality": "in_person",
        "theme": "Math",
        "second_theme": "",
        "collective": "",
    }
    values.update(fields)
    return Person(pid, **values)


def test_text_blanks_none_and_nan() -> None:
    assert text(None) == "" and text(float("nan")) == "" and text("  a ") == "a"


def test_where_a_collective_meets_and_how() -> None:
    north = [person("a"), person("b"), person("c", region="South")]
    assert group_region(north) == "North"  # the in-person members' most common region
    # kept while someone who can meet in person is of that region
    assert group_region(north, "South") == "South"
    assert group_region(north, "West") == "North"
    either = [person("a", modality="either", region="East"), person("b", modality="virtual")]
    assert group_region(either) == "East"
    assert group_region([person("a", modality="virtual")]) == ""
    assert attends(north[2], "North") == "virtual" and attends(north[0], "North") == "in_person"
    assert modality(north, "North") == "hybrid"
    assert modality(north[:2], "North") == "in_person"
    assert modality(north, "") == "virtual"


def test_proposed_collectives_continue_the_saved_ones_sharing_most_members() -> None:
    proposed = {"p1": ("Math", ["a", "b", "c"]), "p2": ("Math", ["d"]), "p3": ("Art", ["e"])}
    existing = {"old": ("math", ["a", "b", "d"]), "art": ("Reading", ["e"])}
    assert match_collectives(proposed, existing) == {"p1": ("old", 2)}
    # an existing collective without a theme can be continued by any theme
    assert match_collectives({"p": ("Art", ["e"])}, {"x": ("", ["e"])}) == {"p": ("x", 1)}


def test_new_codes_and_default_names_are_unique() -> None:
    assert new_code("Math discourse", {"math-discourse-1"}) == "math-discourse-2"
    assert new_code("!!!", set()) == "collective-1"
    people = {"a": person("a"), "b": person("b", modality="virtual")}
    groups = [
        Group("x", "", "Math", "North", ["a"]),
        Group("y", "", "Math", "North", ["a"]),
        Group("z", "", "Math", "", ["b"]),
        Group("w", "Kept", "Math", "", []),
    ]
    default_names(groups, people)
    assert [g.name for g in groups] == [
        "Math (North)",
        "Math 2 (North)",
        "Math (virtual)",
        "Kept",
    ]


def test_optimizer_messages_name_the_boards_collectives() -> None:
    group = Group("math-1", "Math (North)", "Math", "North", [])
    items = [("Rule", "c-1 is small; c-10 too", ("a",))]
    assert renamed(items, {"c-1": group}) == [
        ("Rule", "'Math (North)' (math-1) is small; c-10 too", ("a",))
    ]
    assert renamed(items, {}) == items


def test_saved_work_in_words() -> None:
    work = {"c": {"placemat_version": 2, "evidence": 1, "reflections": 3}, "e": {"evidence": 0}}
    assert work_text(work, "c") == "placemat v2, 1 evidence entry, 3 reflections"
    assert has_work(work, "c") and not has_work(work, "e") and not has_work(work, "nope")
    group = Group("new", "", "Math", "", ["a", "b", "z"], continues="c")
    assert kept(group, {"c": {"a", "b", "c"}}) == 2


@pytest.mark.parametrize(
    ("name", "email", "problem"),
    [
        ("Math", "", ""),
        ("", "", "has no name"),
        ("x" * 201, "", "longer than 200"),
        ("Math", "not-an-email", "is not an email address"),
    ],
)
def test_what_blocks_saving_a_name_or_facilitator(name: str, email: str, problem: str) -> None:
    found = meta_problem(Group("c", name, "Math", "", [], facilitator_email=email))
    assert (problem in found) if problem else found == ""


def warnings(group: Group, people: list[Person], **rules: object) -> str:
    settings = Rules(**{"max_size": 10, "min_size": 4, **rules})  # type: ignore[arg-type]
    return " ".join(card_warnings(group, people, settings, Saved()))


def test_card_warnings_follow_the_grouping_rules() -> None:
    three = [person("a"), person("b"), person("c")]
    group = Group("c", "Math", "Math", "North", ["a", "b", "c"])
    assert "fewer than the minimum of 4" in warnings(group, three)
    assert "more than the maximum of 2" in warnings(group, three, max_size=2, min_size=1)
    assert "Everyone has the same role" in warnings(group, three)
    # a lone district next to a block of another
    mixed = [*three, person("d", district="D2", name="<Dee>", role="coach")]
    text_ = warnings(group, mixed)
    assert "&lt;Dee&gt; is the only one from their district" in text_
    assert "3 of 4 members come from D1" in text_
    # in person elsewhere, joining virtually (only with the region rule)
    away = [*three, person("s", region="South")]
    assert "In person elsewhere, joining virtually: s (South)" in warnings(group, away)
    assert "In person elsewhere" not in warnings(group, away, region_for_in_person=False)
    virtual = Group("v", "Math", "Math", "", ["a", "b", "c"])
    assert "Meets virtually, but a, b, c asked to meet in person" in warnings(virtual, three)
    # a second theme counts only when second themes are used
    second = [*three, person("t", theme="Art", second_theme="math")]
    assert "Outside their themes" not in warnings(group, second)
    assert "Outside their themes: t (Art)" in warnings(group, second, use_second_theme=False)


def test_card_warnings_for_empty_and_shrunk_collectives() -> None:
    empty = Group("c", "Math", "Math", "", [], saved=True)
    rules = Rules(10, 1)
    assert "removed when collectives are saved" in card_warnings(empty, [], rules, Saved())[0]
    worked = {"c": {"evidence": 2}}
    assert "saving keeps it (empty)" in card_warnings(empty, [], rules, Saved(work=worked))[0]
    shrunk = Group("c", "", "Math", "North", ["a"], saved=True, continues="c")
    saved = Saved(True, {"c": None}, {"c": {"a", "b", "x"}}, worked)  # type: ignore[dict-item]
    found = card_warnings(shrunk, [person("a")], rules, saved)
    assert any("keeps only 1 of its 3 members" in w for w in found)
    assert found[-1] == "<b>Collective c has no name.</b>"


def test_the_roster_download_keeps_its_columns() -> None:
    from ilc_widgets.widgets.collectives.exports import ROSTER_COLUMNS

    wanted = "collective collective_name participant_id name email role organization"
    assert (*wanted.split(), "district", "region", "modality", "theme") == ROSTER_COLUMNS
