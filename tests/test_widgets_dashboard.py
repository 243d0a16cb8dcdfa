"""Workbook 05's progress dashboard and effect-size calculator, driven as widgets.

Outside a kernel's event loop a section finishes building at once (charts drawn, stored
effect size computed), so every assertion here sees the finished page.
"""

from __future__ import annotations

import datetime as dt
import html as html_mod
import re

import pytest

from ilc_widgets import workbook
from ilc_widgets.placemat import Indicator
from ilc_widgets.stats import (
    INTERSECTIONS,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    effect_size,
    summarize_indicators,
)
from ilc_widgets.vocab import EVIDENCE_TYPES
from ilc_widgets.widgets.dashboard import EffectSizeCalculator, ProgressDashboard

CODE = "literacy-1"
EVIL = "<script>alert('x')</script><b>bold</b>"


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


def text_of(value: str) -> str:
    """What a person reads in an HTML value (tags removed, entities decoded)."""
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def page_html(widget) -> str:
    """Every HTML value inside a widget, in order."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop(0)
        if hasattr(w, "value") and isinstance(w.value, str):
            out.append(w.value)
        stack[:0] = list(getattr(w, "children", ()))
    return "\n".join(out)


def add_indicator(net, code: str, ind: Indicator) -> None:
    state = net.placemat(code)
    p = state.placemat
    p.indicators.append(ind)
    net.save_placemat(code, p, state.version, actor="test")


# --------------------------------------------------------------------------- dashboard


def test_participant_sees_own_collective_with_statuses_matching_the_stats(ctx_for, net):
    dash = ProgressDashboard(ctx_for("participant", CODE))
    assert "ilc-app" in dash._dom_classes
    assert dash.picker is None
    indicators = net.placemat(CODE).placemat.indicators
    expected = summarize_indicators(
        net.evidence_frame(CODE),
        indicators,
        start=dt.date.fromisoformat(str(net.info["cycle_start"])),
        today=dt.date.today(),
    )
    assert dash.value["collective"] == CODE
    assert [i["id"] for i in dash.value["indicators"]] == [i.id for i in indicators]
    assert [i["status"] for i in dash.value["indicators"]] == list(expected["status"])
    assert len(dash.cards) == len(indicators) == 3
    # every card names its indicator, shows its status and its reason
    for card, ind, (_, row) in zip(dash.cards, indicators, expected.iterrows(), strict=True):
        shown = text_of(card.value)
        assert ind.name in shown
        assert STATUS_LABELS[row["status"]] in shown
        assert str(row["reason"])[:40] in shown
        assert "Baseline" in shown and "Target" in shown


def test_trend_charts_are_drawn_against_baseline_and_target(ctx_for):
    dash = ProgressDashboard(ctx_for("participant", CODE))
    assert dash.charts_pending == 0
    with_data = [c for c in dash.cards if "<svg" in c.value]
    assert len(with_data) >= 2  # two indicators have dated values in the demo
    svg = with_data[0].value
    assert "Baseline" in svg and "Target" in svg
    assert "Drawing the trend" not in svg
    # each chart is an image named by its indicator, latest value, target and status
    for card in with_data:
        assert card.value.count("role='img'") == 1 and "Show as table" in card.value
        assert "aria-label='Trend of " in card.value and "; target " in card.value
        assert "; status " in card.value


def test_status_rule_is_explained(ctx_for):
    dash = ProgressDashboard(ctx_for("participant", CODE))
    shown = text_of(dash.rule.value)
    assert "How status is decided" in shown
    assert STATUS_RULE_TEXT[:80] in shown
    assert "This cycle began on 8 Sep 2026" in shown


def test_coverage_by_four_types_and_intersections_with_questions(ctx_for, net):
    dash = ProgressDashboard(ctx_for("participant", CODE))
    counts = net.evidence_frame(CODE)["evidence_type"].value_counts().to_dict()
    shown = text_of(dash.coverage.value)
    for type_id, label in EVIDENCE_TYPES.items():
        assert re.search(rf"\b{counts.get(type_id, 0)}\s+{re.escape(label)}", shown), label
    for ix in INTERSECTIONS:
        assert ix.question in shown
    # the demo's literacy collective has evidence of all four types: every question answers
    assert f"answer {len(INTERSECTIONS)} of {len(INTERSECTIONS)}" in shown
    assert dash.coverage.value.count("class='answerable'") == len(INTERSECTIONS)


def test_missing_types_and_unanswerable_questions_say_what_is_needed(ctx_for, net):
    # multilingual-1 has demographic and student-learning evidence only
    dash = ProgressDashboard(ctx_for("participant", "multilingual-1"))
    shown = text_of(dash.coverage.value)
    assert "answer 1 of 11" in shown
    assert "Not yet: needs Perceptions" in shown
    assert dash.coverage.value.count("class='answerable'") == 1
    assert "No indicators on the placemat yet" in text_of(dash.summary.value)
    assert "03_design_inquiry.ipynb" in dash.summary.value
    assert dash.cards_box.children == ()


def test_new_evidence_moves_the_status_on_the_next_poll(ctx_for, net):
    ctx = ctx_for("participant", CODE)
    dash = ProgressDashboard(ctx)
    lagging = next(i for i in dash.value["indicators"] if i["name"].startswith("DIBELS"))
    assert lagging["status"] == "not_enough_data"
    name = "DIBELS composite at benchmark"
    for day, value in ((dt.date(2026, 9, 15), 44.0), (dt.date(2026, 11, 10), 57.0)):
        net.add_evidence(
            CODE,
            actor="test",
            date=day,
            evidence_type="student_learning",
            indicator=name,
            value=value,
            unit="%",
            n=120,
        )
    assert dash.room.poller is not None
    assert dash.room.poller.poll_once()
    after = next(i for i in dash.value["indicators"] if i["name"] == name)
    assert after["status"] == "on_track"
    card = dash.cards[[i["name"] for i in dash.value["indicators"]].index(name)]
    assert "<svg" in card.value and "57%" in text_of(card.value)


def test_typed_indicator_names_are_escaped(ctx_for, net):
    add_indicator(
        net,
        CODE,
        Indicator(name=EVIL, kind="leading", evidence_type="perceptions", baseline=1, target=2),
    )
    dash = ProgressDashboard(ctx_for("participant", CODE))
    everything = page_html(dash)
    assert "<script>alert" not in everything and "<b>bold</b>" not in everything
    assert "&lt;script&gt;alert" in everything


def test_facilitator_overview_then_picks_a_collective_for_every_section(ctx_for, net):
    ctx = ctx_for("facilitator", None)
    dash = ProgressDashboard(ctx)
    calc = EffectSizeCalculator(ctx)
    assert dash.picker is not None and dash.picker.value == ""
    assert dash.value["collective"] == ""
    overview = {r["collective"] for r in dash.value["collectives"]}
    assert overview == {c.code for c in net.collective_list()}
    table = text_of(dash.coverage.value)
    for c in net.collective_list():
        assert c.name in table
    assert "Choose a collective" in calc.notice.text
    dash.picker.value = "tier1-instruction-1"
    assert dash.value["collective"] == "tier1-instruction-1"
    assert calc.collective == "tier1-instruction-1"
    assert calc.picker.value == "tier1-instruction-1"
    assert calc.value["source"].startswith("Stored scores: Grade 7 science")
    assert "Bell to Bell" in dash.heading.value


def test_participant_page_shows_no_other_collective(ctx_for, net):
    dash = ProgressDashboard(ctx_for("participant", "absenteeism-2"))
    everything = text_of(page_html(dash))
    for c in net.collective_list():
        if c.code != "absenteeism-2":
            assert c.name not in everything
    assert dash.value["collective"] == "absenteeism-2"


def test_denied_session_gets_nothing(ctx_for):
    shown = workbook.section(ctx_for("denied"), "progress_dashboard")
    assert not isinstance(shown, ProgressDashboard)
    assert "not valid" in text_of(page_html(shown))


# --------------------------------------------------------------------------- effect size


def test_stored_assessment_effect_size_matches_the_stats(ctx_for, net):
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    scores = net.scores_frame(CODE)
    pre = scores.loc[scores["phase"] == "pre", "score"].tolist()
    post = scores.loc[scores["phase"] == "post", "score"].tolist()
    expected = effect_size(pre, post)
    assert calc.mode.value == "stored"
    assert calc.value["d"] == pytest.approx(expected.d)
    assert calc.value["ci_low"] == pytest.approx(expected.ci_low)
    assert (calc.value["n_pre"], calc.value["n_post"]) == (52, 49)
    shown = text_of(calc.output.value)
    assert f"d = {expected.d:.2f}" in shown
    assert f"95% CI {expected.ci_low:.2f} to {expected.ci_high:.2f}" in shown
    assert "n pre 52 · n post 49" in shown
    assert "Hinge point: 0.40" in shown
    assert "<svg" in calc.output.value


def test_typed_scores_worked_example_with_small_n_warning(ctx_for):
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    calc.mode.value = "raw"
    # worked by hand in tests/test_stats.py: d 1.0, CI -0.55 to 2.55
    calc.pre_text.value = "8, 8, 10\n12 12 NA"
    calc.post_text.value = "9; 9; 13; 17; 17"
    calc.compute_raw.click()
    assert calc.value["d"] == pytest.approx(1.0)
    assert calc.value["small_n"] is True
    shown = text_of(calc.output.value)
    assert "d = 1.00" in shown and "95% CI -0.55 to 2.55" in shown
    assert "too uncertain to mean much" in shown
    assert "Left out 1 missing pre score" in shown
    assert "class='n small'" in calc.output.value


def test_summary_statistics_worked_example(ctx_for):
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    calc.mode.value = "summary"
    for key, value in {
        "mean_pre": "62",
        "sd_pre": "12",
        "n_pre": "25",
        "mean_post": "68.4",
        "sd_post": "8",
        "n_post": "25",
    }.items():
        calc.summary_inputs[key].value = value
    calc.compute_summary.click()
    assert calc.value["d"] == pytest.approx(0.64)
    assert calc.value["ci_low"] == pytest.approx(0.05693, abs=1e-4)
    assert calc.value["source"] == "Summary statistics entered"
    assert not calc.value["small_n"]
    assert "0.40 hinge point" in text_of(calc.output.value)


@pytest.mark.parametrize(
    ("pre", "post", "message"),
    [
        ("12, 14, abc", "1, 2", "Pre score number 3 is 'abc', which is not a number"),
        ("5 5 5", "5 5", "both standard deviations are 0"),
        ("7", "8 9 10", "The pre group has 1 score"),
        ("", "8 9", "Type or paste the pre scores first"),
    ],
)
def test_bad_typed_scores_give_clear_messages(ctx_for, pre, post, message):
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    calc.mode.value = "raw"
    calc.pre_text.value, calc.post_text.value = pre, post
    assert calc.compute() is None
    assert message in calc.notice.text
    assert calc.notice.value.count("error")
    assert calc.output.value == "" and calc.value == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("sd_pre", "ten", "The pre SD is 'ten', which is not a number"),
        ("n_post", "", "Enter the post n"),
        ("n_pre", "12.5", "The pre n is 12.5; it must be a whole number"),
        ("sd_post", "-1", "The post SD is -1; a standard deviation cannot be negative"),
    ],
)
def test_bad_summary_statistics_give_clear_messages(ctx_for, field, value, message):
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    calc.mode.value = "summary"
    good = {"mean_pre": "50", "sd_pre": "10", "n_pre": "30"}
    good |= {"mean_post": "55", "sd_post": "10", "n_post": "30"}
    for key, v in good.items():
        calc.summary_inputs[key].value = v
    calc.summary_inputs[field].value = value
    assert calc.compute() is None
    assert message in calc.notice.text


def test_typed_scores_can_be_saved_and_then_chosen(ctx_for, net):
    calc = EffectSizeCalculator(ctx_for("participant", "grading-1"))
    # grading-1 has no stored scores: the calculator opens on typing
    assert calc.mode.value == "raw"
    assert "No pre and post scores are stored" in text_of(calc.stored_note.value)
    calc.pre_text.value = "47 48 48 49 50 50 51 52 52 53"
    calc.post_text.value = "48 49 49 50 51 51 52 53 53 54"
    calc.save_button.click()
    assert "Give the assessment a name" in calc.notice.text
    calc.save_name.value = "  Unit 3   common assessment "
    calc.save_button.click()
    assert "Saved 10 pre and 10 post scores as 'Unit 3 common assessment'" in calc.notice.text
    stored = net.scores_frame("grading-1")
    assert set(stored["assessment"]) == {"Unit 3 common assessment"}
    assert sorted(stored.groupby("phase").size().to_dict().items()) == [("post", 10), ("pre", 10)]
    assert calc.assessment.value == "Unit 3 common assessment"
    calc.mode.value = "stored"
    assert calc.value["d"] == pytest.approx(0.5)
    assert calc.value["source"] == "Stored scores: Unit 3 common assessment"
    # the same name again is refused, nothing added
    calc.mode.value = "raw"
    calc.save_button.click()
    assert "already stored" in calc.notice.text
    assert len(net.scores_frame("grading-1")) == 20


def test_typed_scores_are_sent_when_left_so_compute_never_overtakes_them(ctx_for):
    """Compute and Save read the typed scores; a page sends a click at once but holds a
    field's next update until the kernel answered the last, so fields send when left."""
    calc = EffectSizeCalculator(ctx_for("participant", CODE))
    calc.mode.value = "raw"
    calc.mode.value = "summary"
    typed = [calc.pre_text, calc.post_text, calc.save_name, *calc.summary_inputs.values()]
    assert len(typed) == 9 and not any(w.continuous_update for w in typed)
