"""The pure rules of workbook 05 (ilc_widgets/widgets/review/state.py): headings, the effect
size's inputs, how the pulse reads, and a reflection's fields and merge. Plain pytest, no
widgets."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict

import pandas as pd
import pytest

from ilc_widgets.efficacy import DEFAULT_ITEM_SET, Item, ItemSet
from ilc_widgets.widgets.review import state
from ilc_widgets.widgets.review.state import AREAS, TEXT_FIELDS, blank, merge_reflection


def test_every_section_has_a_heading_with_an_introduction() -> None:
    from ilc_widgets.widgets.review import (
        EffectSizeCalculator,
        ProgressDashboard,
        PulseResults,
        PulseSurvey,
        ReflectionProtocol,
    )

    sections = (
        ProgressDashboard,
        EffectSizeCalculator,
        PulseSurvey,
        PulseResults,
        ReflectionProtocol,
    )
    for section in sections:
        heading = state.HEADINGS[section.css_class]
        assert heading.title and heading.intro.endswith(".")
    assert state.HEADINGS["ilc-rv-dashboard"].title == "Progress dashboard"


def test_remember_keeps_the_newest_and_drops_the_oldest() -> None:
    cache: OrderedDict[str, int] = OrderedDict()
    for i, key in enumerate("abc"):
        state.remember(cache, key, i, 2)
    assert list(cache) == ["b", "c"]
    state.remember(cache, "b", 9, 2)
    state.remember(cache, "d", 4, 2)
    assert dict(cache) == {"b": 9, "d": 4}


# --------------------------------------------------------------------------- effect size


def test_stored_groups_split_scores_by_assessment_and_phase() -> None:
    scores = pd.DataFrame(
        {
            "assessment": ["B", "A", "A", "A", "B"],
            "phase": ["pre", "pre", "post", "post", "post"],
            "score": [1, 2, 3, 4, 5],
        }
    )
    groups = state.stored_groups(scores)
    assert list(groups) == ["A", "B"]
    assert groups["A"] == ([2.0], [3.0, 4.0]) and groups["B"] == ([1.0], [5.0])
    assert state.assessment_options(groups) == [
        ("A (pre 1, post 2)", "A"),
        ("B (pre 1, post 1)", "B"),
    ]


def test_summary_values_read_numbers_and_say_which_one_is_wrong() -> None:
    texts = {"mean_pre": "1,200", "sd_pre": "3", "n_pre": "20", "mean_post": "14.5"}
    texts |= {"sd_post": " 2 ", "n_post": "21"}
    assert state.summary_values(texts) == {
        "mean_pre": 1200.0,
        "sd_pre": 3.0,
        "n_pre": 20.0,
        "mean_post": 14.5,
        "sd_post": 2.0,
        "n_post": 21.0,
    }
    with pytest.raises(ValueError, match="Enter the post mean"):
        state.summary_values({**texts, "mean_post": ""})
    with pytest.raises(ValueError, match="The pre SD is 'abc', which is not a number"):
        state.summary_values({**texts, "sd_pre": "abc"})


def test_friendly_names_a_field_in_words() -> None:
    assert state.friendly("sd_post must be positive") == "The post SD must be positive"
    assert state.friendly("Something else") == "Something else"


# --------------------------------------------------------------------------- pulse


def test_the_default_scale_has_short_labels_and_a_custom_one_its_numbers() -> None:
    options, width = state.scale_options(DEFAULT_ITEM_SET)
    assert options[0] == ("1 · Strongly disagree", 1) and options[-1][1] == 5
    assert width == "11.5em"
    bare = ItemSet("mine", (Item("a", "x", "Text"),), {"x": "X"}, 0, 3, {})
    options, width = state.scale_options(bare)
    assert options == [("0", 0), ("1", 1), ("2", 2), ("3", 3)] and width == "3.5em"
    assert state.scale_words(bare) == "0 to 3"
    assert state.scale_words(DEFAULT_ITEM_SET).startswith("1 (strongly disagree) to 5")


def test_answers_of_one_item_set_and_a_note_about_the_others() -> None:
    responses = pd.DataFrame(
        {
            "respondent": ["p1", "p1", "p2", "p3"],
            "wave": ["start"] * 4,
            "item_id": ["a", "b", "a", "a"],
            "score": [4, 5, 3, 2],
            "item_set": ["mine", "mine", "other", "other"],
        }
    )
    mine = ItemSet("mine", (Item("a", "x", "A"), Item("b", "x", "B")), {"x": "X"})
    frame = state.answers_frame(responses, mine)
    assert list(frame.columns) == ["respondent", "wave", "item_id", "score"]
    assert frame["score"].tolist() == [4, 5]
    assert state.other_sets(responses, mine) == (
        "Answers to other item sets are stored too: 'other' (2 people). Their results show "
        "when that item set is loaded on this page."
    )
    assert state.other_sets(responses[responses["item_set"] == "mine"], mine) == ""
    assert state.answers_frame(responses.iloc[0:0], mine).empty
    assert state.missing_numbers(["a", "b", "c"], {"b": 3}) == [1, 3]


def test_means_and_changes_read_with_their_n() -> None:
    assert state.optional("2.5") == 2.5
    assert state.optional(float("nan")) is None and state.optional(None) is None
    assert state.mean_n(3.456, 4) == "3.46 (n 4)"
    assert state.mean_n(None, 4) == "no answers (n 0)" and state.mean_n(3, 0) == "no answers (n 0)"
    assert state.change_text(0.25) == "+0.25" and state.change_text(-1) == "-1.00"
    assert state.change_text(float("nan")) == "–"


# --------------------------------------------------------------------------- reflections


def test_a_blank_reflection_and_a_stored_one_as_fields() -> None:
    assert blank() == {**dict.fromkeys(TEXT_FIELDS, ""), "adjust_areas": []}
    row = {"went_well": "Much", "learned": None, "adjust_areas": ["evidence_plan", "indicators"]}
    fields = state.fields_of(row)
    assert fields["went_well"] == "Much" and fields["learned"] == ""
    assert fields["adjust_areas"] == ["indicators", "evidence_plan"]  # the kit's order


def test_merge_keeps_both_texts_where_both_changed_and_merges_areas() -> None:
    base = {**blank(), "went_well": "start", "adjust_areas": ["indicators"]}
    mine = {**base, "went_well": "mine", "learned": "only mine", "adjust_areas": []}
    theirs = {**base, "went_well": "theirs", "adjust_areas": ["indicators", "evidence_plan"]}
    merged, clash = merge_reflection(base, mine, theirs)
    assert clash
    assert "mine" in merged["went_well"] and "theirs" in merged["went_well"]
    assert merged["went_well"].index("theirs") < merged["went_well"].index("mine")
    assert merged["learned"] == "only mine"
    assert merged["adjust_areas"] == ["evidence_plan"]
    merged, clash = merge_reflection(base, mine, base)
    assert not clash and merged == {**mine, "adjust_areas": []}
    assert set(AREAS) == {"theory_of_action", "indicators", "evidence_plan"}


def test_the_latest_reflection_of_a_meeting_date_is_found() -> None:
    frame = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "meeting_date": ["2026-11-02", "2026-11-09", "2026-11-02"],
        }
    )
    found = state.stored_for(frame, dt.date(2026, 11, 2))
    assert found is not None and found["id"] == 3
    assert state.stored_for(frame, dt.date(2026, 11, 3)) is None
    assert state.stored_for(frame.iloc[0:0], dt.date(2026, 11, 2)) is None


def test_saved_when_reads_in_local_time_and_is_blank_when_unknown() -> None:
    stamp = dt.datetime(2026, 11, 6, 14, 5, tzinfo=dt.timezone.utc)
    assert state.saved_when(stamp) == stamp.astimezone().strftime("%d %b %H:%M")
    assert state.saved_when(pd.Timestamp("2026-11-06 14:05")) == stamp.astimezone().strftime(
        "%d %b %H:%M"
    )
    assert state.saved_when(None) == "" and state.saved_when(pd.NaT) == ""
    assert state.saved_when(float("nan")) == "" and state.saved_when("soon") == ""
