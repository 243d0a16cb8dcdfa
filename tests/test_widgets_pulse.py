"""Workbook 05's collective leader efficacy pulse: the survey and its before/after results."""

from __future__ import annotations

import html as html_mod
import re

import pytest

from ilc_widgets.efficacy import DEFAULT_ITEM_SET, DIMENSIONS, PULSE_DISCLAIMER
from ilc_widgets.widgets.pulse import PulseResults, PulseSurvey

CODE = "literacy-1"
GWEN = "p011"  # answered the start pulse in the demo, not the review one
DANIEL = "p007"  # answered both

CUSTOM_CSV = (
    b"Item ID,Dimension,Text,Reverse\n"
    b"r1,Shared understanding,We can state our problem of practice in one sentence.,\n"
    b"r2,joint_work,We observe each other's practice at least monthly.,no\n"
    b"r3,Evidence of impact,We rarely look at student work together.,yes\n"
    b"r4,trust,I can admit a mistake in this group.,\n"
)


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


def text_of(value: str) -> str:
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def hand_means(frame, wave: str, items: list[str]) -> tuple[float, int]:
    """Mean over people of each person's mean on ``items`` (worked out here, not by efficacy)."""
    rows = frame[(frame["wave"] == wave) & frame["item_id"].isin(items)]
    per_person = rows.groupby("respondent")["score"].mean()
    return float(per_person.mean()), int(per_person.size)


# --------------------------------------------------------------------------- the survey


def test_survey_says_it_is_a_reflective_pulse_with_three_dimensions(ctx_for):
    survey = PulseSurvey(ctx_for("participant", CODE))
    assert "ilc-app" in survey._dom_classes
    shown = text_of(survey.disclaimer.value)
    assert "A reflective pulse, not a validated scale." in shown
    assert PULSE_DISCLAIMER in shown
    assert "1 = Strongly disagree" in shown and "5 = Strongly agree" in shown
    items = text_of("".join(w.value for w in survey.items_box.children if isinstance(w.value, str)))
    for label in DIMENSIONS.values():
        assert label in items
    assert list(survey.items) == DEFAULT_ITEM_SET.item_ids
    first = survey.items["su1"]
    assert [v for _, v in first.options] == [1, 2, 3, 4, 5]
    assert first.options[0][0].endswith("Strongly disagree")
    # participants answer the items they are given: no item-set upload on their page
    assert survey.upload is None


def test_choosing_someone_shows_their_earlier_answers(ctx_for, net):
    survey = PulseSurvey(ctx_for("participant", CODE))
    survey.who.value = DANIEL
    stored = net.pulse_frame(CODE)
    mine = stored[(stored["respondent"] == DANIEL) & (stored["wave"] == "start")]
    assert survey.value == {
        str(i): int(s) for i, s in zip(mine["item_id"], mine["score"], strict=True)
    }
    assert "Answered for the start of inquiry pulse" in text_of(survey.answered.value)
    survey.who.value = GWEN
    survey.wave.value = "review"
    assert survey.value == {}
    assert "Not answered yet for the review pulse" in text_of(survey.answered.value)


def test_submit_needs_a_name_and_every_answer(ctx_for, net):
    survey = PulseSurvey(ctx_for("participant", CODE))
    before = len(net.pulse_frame(CODE))
    assert not survey.submit_answers()
    assert "Choose your name" in survey.notice.text
    survey.who.value = GWEN
    survey.wave.value = "review"
    survey.items["su1"].value = 4
    survey.items["jw2"].value = 5
    assert not survey.submit_answers()
    assert "7 left: number 2, 3, 4, 6, 7, 8" in survey.notice.text
    assert len(net.pulse_frame(CODE)) == before


def test_submitting_saves_updates_results_and_answering_again_replaces(ctx_for, net):
    ctx = ctx_for("participant", CODE)
    survey = PulseSurvey(ctx)
    results = PulseResults(ctx)
    start_su = next(r for r in results.value if r["dimension"] == "shared_understanding")
    assert (start_su["n_start"], start_su["n_review"], start_su["n_both"]) == (9, 8, 8)
    survey.who.value = GWEN
    survey.wave.value = "review"
    for item_id, choice in survey.items.items():
        choice.value = 5 if item_id.startswith("su") else 2
    survey.submit.click()
    assert "Thank you, Gwen Adeyemi" in survey.notice.text
    stored = net.pulse_frame(CODE)
    gwen = stored[(stored["respondent"] == GWEN) & (stored["wave"] == "review")]
    assert len(gwen) == 9 and set(gwen["item_set"]) == {"default"}
    # the results section on the same page follows at once
    su = next(r for r in results.value if r["dimension"] == "shared_understanding")
    assert (su["n_review"], su["n_both"]) == (9, 9)
    mean, n = hand_means(stored, "review", ["su1", "su2", "su3"])
    assert su["mean_review"] == pytest.approx(mean) and n == 9
    # answering again replaces the earlier answers instead of adding to them
    survey.items["su1"].value = 1
    assert survey.submit_answers()
    again = net.pulse_frame(CODE)
    gwen = again[(again["respondent"] == GWEN) & (again["wave"] == "review")]
    assert len(gwen) == 9
    assert int(gwen.loc[gwen["item_id"] == "su1", "score"].iloc[0]) == 1


# --------------------------------------------------------------------------- results


def test_results_per_dimension_before_after_and_change(ctx_for, net):
    results = PulseResults(ctx_for("participant", CODE))
    assert "ilc-app" in results._dom_classes
    stored = net.pulse_frame(CODE)
    assert [r["dimension"] for r in results.value] == list(DIMENSIONS)
    for row, (dim, label) in zip(results.value, DIMENSIONS.items(), strict=True):
        items = [i.item_id for i in DEFAULT_ITEM_SET.items if i.dimension == dim]
        start, n_start = hand_means(stored, "start", items)
        review, n_review = hand_means(stored, "review", items)
        assert row["mean_start"] == pytest.approx(start)
        assert row["mean_review"] == pytest.approx(review)
        assert row["change"] == pytest.approx(review - start)
        assert (row["n_start"], row["n_review"]) == (n_start, n_review)
        table = text_of(results.table_html.value)
        assert f"{label} {start:.2f} (n {n_start}) {review:.2f} (n {n_review}) " in table
        assert f"{review - start:+.2f}" in table
    note = text_of(results.note.value)
    assert "A reflective pulse, not a validated scale" in note
    assert "Small numbers." in note  # 9 people, under the network's minimum of 10
    assert "<svg" in results.chart.value
    assert "Start of inquiry" in results.chart.value and "Review" in results.chart.value


def test_results_without_answers_say_so(ctx_for):
    results = PulseResults(ctx_for("participant", "math-discourse-1"))
    assert results.value == []
    assert "No one has answered this pulse yet" in text_of(results.table_html.value)
    assert results.chart.value == ""


def test_only_start_answers_wait_for_review(ctx_for, net):
    net.submit_pulse(
        "math-discourse-1", "p900", "start", dict.fromkeys(DEFAULT_ITEM_SET.item_ids, 3)
    )
    results = PulseResults(ctx_for("participant", "math-discourse-1"))
    assert [r["n_start"] for r in results.value] == [1, 1, 1]
    assert all(r["change"] is None for r in results.value)
    assert "No review answers yet" in text_of(results.table_html.value)


# --------------------------------------------------------------------------- own item sets


def test_researcher_loads_own_item_set_and_it_is_asked_and_scored(ctx_for, net):
    ctx = ctx_for("researcher", None)
    survey = PulseSurvey(ctx)
    results = PulseResults(ctx)
    survey.picker.value = CODE
    assert survey.upload is not None
    found = survey.load_items("my-pulse.csv", CUSTOM_CSV)
    assert found is not None and found.name == "my_pulse"
    note = text_of(survey.upload_note.value)
    assert "Using the item set my_pulse" in note and "4 statements in 4 dimensions" in note
    assert list(survey.items) == ["r1", "r2", "r3", "r4"]
    assert "Item set in use: my_pulse" in text_of(survey.disclaimer.value)
    assert "not a validated scale" in text_of(survey.disclaimer.value)
    # the results section on the same page scores the loaded set (nobody answered it yet)
    shown = text_of(results.table_html.value)
    assert "No one has answered this pulse yet" in shown
    assert "'default' (9 people)" in shown
    survey.who.value = DANIEL
    survey.wave.value = "start"
    for choice in survey.items.values():
        choice.value = 4
    assert survey.submit_answers()
    stored = net.pulse_frame(CODE)
    assert set(stored.loc[stored["item_set"] == "my_pulse", "item_id"]) == {"r1", "r2", "r3", "r4"}
    trust = next(r for r in results.value if r["dimension"] == "trust")
    impact = next(r for r in results.value if r["dimension"] == "evidence_of_impact")
    assert trust["mean_start"] == pytest.approx(4.0) and trust["n_start"] == 1
    assert impact["mean_start"] == pytest.approx(2.0)  # r3 is reverse scored: 6 - 4
    survey.use_default_items()
    assert list(survey.items) == DEFAULT_ITEM_SET.item_ids
    assert len(results.value) == 3


def test_a_bad_item_file_is_refused_with_row_and_column(ctx_for):
    survey = PulseSurvey(ctx_for("facilitator", None))
    survey.picker.value = CODE
    bad = b"item_id,dimension,text\nx1,shared_understanding,\nx1,joint_wrk,Something\n"
    assert survey.load_items("bad.csv", bad) is None
    note = text_of(survey.upload_note.value)
    assert "bad.csv was not loaded" in note
    assert "row 2" in note and "text" in note
    assert "repeated" in note and "joint_wrk" in note
    assert "bad.csv was not loaded" in survey.notice.text
    assert list(survey.items) == DEFAULT_ITEM_SET.item_ids  # the page keeps its items


def test_typed_item_text_is_escaped(ctx_for):
    survey = PulseSurvey(ctx_for("facilitator", None))
    survey.picker.value = CODE
    evil = b"item_id,dimension,text\nx1,joint_work,<script>alert(1)</script><b>b</b>\n"
    assert survey.load_items("evil.csv", evil) is not None
    shown = "".join(w.value for w in survey.items_box.children if isinstance(w.value, str))
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_a_shared_item_set_is_asked_in_every_collective(ctx_for, net):
    from ilc_widgets.widgets.pulse import ITEM_SET_SETTING

    researcher = PulseSurvey(ctx_for("researcher", None))
    researcher.picker.value = CODE
    assert not researcher.share_items()  # nothing loaded yet
    assert "Load an item set first" in researcher.notice.text
    researcher.load_items("my-pulse.csv", CUSTOM_CSV)
    assert researcher.share_items()
    assert "Every collective's pulse now asks the item set 'my_pulse'" in researcher.notice.text
    assert net.settings[ITEM_SET_SETTING]["name"] == "my_pulse"
    # a member of another collective, opening the workbook now, is asked those items
    member = PulseSurvey(ctx_for("participant", "grading-1"))
    results = PulseResults(member.ctx)
    assert list(member.items) == ["r1", "r2", "r3", "r4"]
    assert "Item set in use: my_pulse" in text_of(member.disclaimer.value)
    assert member.upload is None
    first = next(iter(net.members("grading-1")["participant_id"]))
    member.who.value = str(first)
    for choice in member.items.values():
        choice.value = 2
    assert member.submit_answers()
    trust = next(r for r in results.value if r["dimension"] == "trust")
    assert trust["mean_start"] == pytest.approx(2.0) and trust["n_start"] == 1
    # back to the kit's items, for every collective
    researcher.use_default_items()
    assert not net.settings.get(ITEM_SET_SETTING)
    assert list(researcher.items) == DEFAULT_ITEM_SET.item_ids
    later = PulseSurvey(ctx_for("participant", "grading-1"))
    assert list(later.items) == DEFAULT_ITEM_SET.item_ids
