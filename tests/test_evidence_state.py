"""The pure rules of workbook 04 (ilc_widgets/widgets/evidence/state.py): filters, pages,
form problems, coverage counts and the implementation log's grouping. Plain pytest, no
widgets."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ilc_widgets.errors import Problem
from ilc_widgets.placemat import Indicator, Placemat, TheoryStep
from ilc_widgets.stats import NO_INDICATOR
from ilc_widgets.vocab import EVIDENCE_TYPES
from ilc_widgets.widgets.evidence import state
from ilc_widgets.widgets.evidence.state import ALL, Filters, PageWindow


def ids(found) -> list[int]:
    return [int(e["id"]) for e in found]


def entries() -> list[dict]:
    """Five entries (one deleted), newest first, as the logger keeps them (records)."""
    return pd.DataFrame(
        {
            "id": [5, 4, 3, 2, 1],
            "date": [dt.date(2026, 10, d) for d in (20, 15, 10, 5, 1)],
            "evidence_type": [
                "perceptions",
                "student_learning",
                "perceptions",
                "demographic",
                "perceptions",
            ],
            "indicator": ["Exit  survey", "", "exit survey", None, "Screener"],
            "entered_by": ["a@x", "b@x", None, "a@x", "a@x"],
            "unit": ["%", "%", "points", "", "%"],
            "deleted": [False, False, False, False, True],
        }
    ).to_dict("records")


# ---------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), (float("nan"), True), (pd.NA, True), ("  ", True), ("x", False), (0, False)],
)
def test_blank(value, expected):
    assert state.blank(value) is expected


def test_text_short_and_step_text():
    assert state.text("  a b ") == "a b" and state.text(None) == ""
    assert state.short("one   two\nthree", 40) == "one two three"
    assert state.short("abcdefghij", 6) == "abcde…"
    step = TheoryStep("coaches model talk moves", "", "leader_actions")
    assert state.step_text(step) == "If coaches model talk moves, then …"


def test_who_label_names_members_and_links():
    names = {"a@x": "Ana"}
    assert state.who_label(names, "A@X ") == "Ana"
    assert state.who_label(names, "literacy-1 link") == "Shared link"
    assert state.who_label(names, "someone") == "someone"


def test_entry_summary_skips_what_is_blank():
    entry = {
        "date": "2026-10-02",
        "evidence_type": "perceptions",
        "indicator": "",
        "value": 78,
        "unit": "%",
        "n": 31,
        "description": "Pulse on the new block",
    }
    said = state.entry_summary(entry)
    assert said.startswith("2026-10-02 · Perceptions · 78")
    assert "n 31" in said and "“Pulse on the new block”" in said and " ·  · " not in said


# ---------------------------------------------------------------------- choices


def test_kept_options_keep_a_choice_no_longer_offered():
    options = [("A", "a"), ("B", "b")]
    assert state.kept_options(options, "b") == options
    assert state.kept_options(options, "gone") == [*options, ("gone", "gone")]
    assert state.kept_options(options, None) == options


def test_unique_labels_and_common_values():
    assert state.unique_labels([("Ana", "a@x"), ("Ana", "b@x"), ("Bo", "a@x")]) == [
        ("Ana", "a@x"),
        ("Ana (b@x)", "b@x"),
    ]
    frame = entries()
    assert state.common_values(frame, "unit", ("days",)) == ["days", "%", "points"]
    assert state.common_values(frame[:0], "unit", ("days",)) == ["days"]


def test_filter_options_add_unplanned_indicators_and_name_people():
    frame = entries()
    options = state.indicator_filter_options(frame, ["Exit survey"])
    # "exit survey" and "Exit  survey" are the planned one; "Screener" is extra
    assert options == [
        ("All indicators", ALL),
        ("(no indicator)", ""),
        ("Exit survey", "Exit survey"),
        ("Screener", "Screener"),
    ]
    who = state.who_filter_options(frame, {"b@x": "Ben", "a@x": "zed"})
    assert who == [("Anyone", ALL), ("Ben", "b@x"), ("zed", "a@x")]


# ---------------------------------------------------------------------- filters and pages


def test_filters_let_through_what_they_say():
    frame = entries()
    assert ids(state.filter_entries(frame, Filters())) == [5, 4, 3, 2]
    assert ids(state.filter_entries(frame, Filters(deleted=True))) == [1]
    kind = Filters(evidence_type="perceptions")
    assert ids(state.filter_entries(frame, kind)) == [5, 3]
    # indicator names match with case and inner spaces ignored
    same = Filters(indicator="exit survey")
    assert ids(state.filter_entries(frame, same)) == [5, 3]
    assert ids(state.filter_entries(frame, Filters(indicator=""))) == [4, 2]
    dates = Filters(start=dt.date(2026, 10, 5), end=dt.date(2026, 10, 15))
    assert ids(state.filter_entries(frame, dates)) == [4, 3, 2]
    assert ids(state.filter_entries(frame, Filters(entered_by="a@x"))) == [5, 2]
    assert state.filter_entries(frame[:0], kind) == []


def test_filters_active_and_empty_text():
    assert not Filters().active and not Filters(deleted=True).active
    assert Filters(start=dt.date(2026, 1, 1)).active and Filters(entered_by="x").active
    assert state.empty_text(Filters(deleted=True)) == "No deleted entries."
    assert state.empty_text(Filters(evidence_type="perceptions")).startswith("No entries match")
    assert state.empty_text(Filters()).startswith("No evidence logged yet")


def test_page_window_clamps_and_labels():
    window = PageWindow.of(66, 0, size=25)
    assert (window.page, window.pages, window.first, window.count) == (0, 3, 0, 25)
    assert window.label(filtered=False) == "1–25 of 66 · page 1 of 3"
    last = PageWindow.of(66, 99, size=25)
    assert (last.page, last.first, last.count) == (2, 50, 16)
    assert last.label(filtered=True) == "51–66 of 66 matching · page 3 of 3"
    empty = PageWindow.of(0, 4)
    assert (empty.page, empty.pages, empty.count) == (0, 1, 0) and empty.label(filtered=True) == ""
    assert PageWindow.of(10, -3).page == 0


def test_entry_counts():
    assert state.entry_counts(entries()) == (4, 1)
    assert state.entry_counts(entries()[:0]) == (0, 0)


# ---------------------------------------------------------------------- the form


def test_form_problems_go_under_their_fields():
    problems = [
        Problem("form", 1, "evidence_type", "evidence_type is blank"),
        Problem("form", 1, None, "the row has neither a value nor a description"),
        Problem("form", 1, "date", "2030-01-01 is in the future"),
        Problem("form", 1, "collective", "grading-1 is not this collective"),
    ]
    found = state.form_problems(problems, ["evidence_type", "date", "description"])
    assert found.by_field == {
        "evidence_type": ["Choose the type of evidence."],
        "description": ["Give a value or a description (or both)."],
        "date": ["The date 2030-01-01 is in the future; evidence is logged once it exists."],
    }
    assert found.summary.startswith("Please check Evidence type, Description, Date")
    # what has no field of its own is said in the summary
    assert "Give a value or a description" in found.summary
    assert found.summary.endswith("Grading-1 is not this collective")
    assert state.form_problems([], ["date"]).summary == "Nothing was saved."


# ---------------------------------------------------------------------- coverage


def placemat() -> Placemat:
    return Placemat(
        indicators=[
            Indicator(name="Exit survey", kind="leading", evidence_type="perceptions"),
            Indicator(name="exit  SURVEY", kind="lagging"),  # the same name again: once
            Indicator(name="Talk moves", kind="leading", evidence_type="school_processes"),
            Indicator(name="  "),
        ]
    )


def test_type_counts_count_the_four_types():
    live = [e for e in entries() if not e["deleted"]]
    assert state.type_counts(live) == {
        "demographic": 1,
        "perceptions": 2,
        "student_learning": 1,
        "school_processes": 0,
    }
    assert state.type_counts(live[:0]) == dict.fromkeys(EVIDENCE_TYPES, 0)


def test_coverage_rows_planned_first_then_others_then_none():
    live = entries()
    rows = state.coverage_rows(live, placemat())
    assert [r.name for r in rows] == ["Exit survey", "Talk moves", "Screener", NO_INDICATOR]
    exit_row, talk, screener, none = rows
    assert exit_row.planned == "perceptions" and exit_row.counts["perceptions"] == 2
    assert talk.counts == {**dict.fromkeys(EVIDENCE_TYPES, 0), "total": 0}
    assert screener.kind == "" and screener.counts["total"] == 1
    assert none.counts["total"] == 2


def test_indicator_prompts():
    prompts = state.indicator_prompts(entries(), placemat())
    assert len(prompts) == 1 and "leading indicator “Talk moves”" in prompts[0]
    empty = state.indicator_prompts(entries()[:0], Placemat())
    assert empty[0].startswith("The placemat has no indicators yet")


# ---------------------------------------------------------------------- implementation log


def test_action_records_and_summary():
    log = pd.DataFrame(
        {
            "id": [1, 2],
            "date": ["2026-10-02", "2026-09-01"],
            "action": [" Coached ", "Planned"],
            "toa_step": ["s1", None],
            "entered_by": ["a@x", None],
        }
    )
    actions = state.action_records(log.to_dict("records"))
    assert actions[0] == {
        "id": 1,
        "date": "2026-10-02",
        "action": "Coached",
        "toa_step": "s1",
        "entered_by": "a@x",
    }
    assert actions[1]["toa_step"] == "" and actions[1]["entered_by"] == ""
    steps = [TheoryStep("a", "b", id="s1"), TheoryStep("c", "d", id="s2")]
    said = state.log_summary(actions, steps)
    assert said == "2 actions logged, covering 1 of 2 steps; the latest on 2026-10-02."
    assert state.log_summary(actions[:1], []) == "1 action logged; the latest on 2026-10-02."
    assert state.log_summary([], steps) == "No actions logged yet."


def test_group_actions_by_step_then_unlinked_then_removed_steps():
    steps = [TheoryStep("a", "b", id="s1"), TheoryStep("c", "d", id="s2")]

    def action(n: int, step: str, day: str) -> dict[str, object]:
        return {"id": n, "date": day, "action": f"a{n}", "toa_step": step, "entered_by": ""}

    actions = [
        action(1, "s2", "2026-10-05"),
        action(2, "", "2026-10-09"),
        action(3, "gone", "2026-10-01"),
        action(4, "", "2026-10-02"),
        action(5, "s2", "2026-10-01"),
    ]
    groups = state.group_actions(actions, steps)
    assert [(g.number, g.orphans) for g in groups] == [
        (1, False),
        (2, False),
        (0, False),
        (0, True),
    ]
    assert groups[0].step is steps[0] and groups[0].actions == []
    assert [a["id"] for a in groups[1].actions] == [1, 5]  # as logged
    assert [a["id"] for a in groups[2].actions] == [4, 2]  # by date
    assert [a["id"] for a in groups[3].actions] == [3]
    # groups of no step appear only when they hold actions
    assert [g.number for g in state.group_actions(actions[:1], steps)] == [1, 2]
