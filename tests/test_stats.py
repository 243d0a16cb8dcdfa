"""Tests of ilc_widgets.stats: effect sizes, indicator status, coverage and intersections.

The effect-size examples are worked by hand in the comments; t critical values are the
97.5th percentiles of Student's t from a printed table (df 8: 2.306004, df 18: 2.100922,
df 48: 2.010635, df 398: 1.965942).
"""

from __future__ import annotations

import itertools
import math
import time
from datetime import date

import numpy as np
import pandas as pd
import pytest

from ilc_widgets.placemat import Indicator
from ilc_widgets.stats import (
    EFFECT_SIZE_METHOD,
    HINGE_POINT,
    INTERSECTIONS,
    MISSING_TYPE_PROMPTS,
    NO_INDICATOR,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    STATUSES,
    EffectSize,
    answerable_intersections,
    coverage,
    coverage_counts,
    coverage_matrix,
    effect_size,
    effect_size_from_summary,
    indicator_status,
    missing_type_prompts,
    summarize_indicators,
    trend_frame,
)
from ilc_widgets.vocab import EVIDENCE_TYPES

# ============================================================================ effect size


def test_worked_example_raw_scores_small_n_with_missing_values() -> None:
    # pre  = 8, 8, 10, 12, 12 (None left out): mean 50/5 = 10
    #        deviations -2, -2, 0, 2, 2 -> SS = 4+4+0+4+4 = 16 -> var 16/4 = 4 -> SD 2
    # post = 9, 9, 13, 17, 17 (NaN left out): mean 65/5 = 13
    #        deviations -4, -4, 0, 4, 4 -> SS = 64 -> var 64/4 = 16 -> SD 4
    # d = (13 - 10) / ((2 + 4) / 2) = 3 / 3 = 1.0
    # SE = sqrt((5+5)/(5*5) + 1.0**2/(2*(5+5))) = sqrt(0.4 + 0.05) = sqrt(0.45) = 0.670820
    # t(0.975, df 8) = 2.306004 -> margin 2.306004 * 0.670820 = 1.546915
    # CI = 1.0 -/+ 1.546915 = (-0.546915, 2.546915)
    es = effect_size([8, 8, 10, None, 12, 12], [9, 9, 13, float("nan"), 17, 17])
    assert es.d == pytest.approx(1.0)
    assert es.mean_pre == pytest.approx(10.0) and es.mean_post == pytest.approx(13.0)
    assert es.sd_pre == pytest.approx(2.0) and es.sd_post == pytest.approx(4.0)
    assert es.sd_mean == pytest.approx(3.0)
    assert (es.n_pre, es.n_post, es.dropped_pre, es.dropped_post) == (5, 5, 1, 1)
    assert es.se == pytest.approx(0.670820, abs=1e-6)
    assert es.critical_value == pytest.approx(2.306004, abs=1e-6)
    assert es.ci_low == pytest.approx(-0.546915, abs=1e-5)
    assert es.ci_high == pytest.approx(2.546915, abs=1e-5)
    assert es.hinge == HINGE_POINT == 0.40
    assert es.small_n is True
    assert any("too uncertain" in w for w in es.warnings)
    assert any("Left out 1 missing pre score and 1 missing post score" in w for w in es.warnings)
    text = es.interpretation()
    assert "With only 5 pre and 5 post scores" in text
    assert "too uncertain to mean much" in text
    assert "-0.55 to 2.55" in text


def test_worked_example_raw_scores_n10_interval_includes_zero() -> None:
    # pre  = 47 48 48 49 50 50 51 52 52 53: mean 500/10 = 50
    #        deviations -3 -2 -2 -1 0 0 1 2 2 3 -> SS = 9+4+4+1+0+0+1+4+4+9 = 36
    #        var 36/9 = 4 -> SD 2
    # post = each pre score + 1: mean 51, SD 2
    # d = (51 - 50) / ((2 + 2) / 2) = 0.5
    # SE = sqrt(20/100 + 0.25/40) = sqrt(0.2 + 0.00625) = sqrt(0.20625) = 0.454148
    # t(0.975, df 18) = 2.100922 -> margin 0.954130 -> CI (-0.454130, 1.454130)
    pre = [47, 48, 48, 49, 50, 50, 51, 52, 52, 53]
    post = [x + 1 for x in pre]
    es = effect_size(pre, post)
    assert es.d == pytest.approx(0.5)
    assert es.se == pytest.approx(0.454148, abs=1e-6)
    assert es.ci_low == pytest.approx(-0.454130, abs=1e-5)
    assert es.ci_high == pytest.approx(1.454130, abs=1e-5)
    assert es.small_n is False
    assert es.warnings == []
    text = es.interpretation()
    assert "d = 0.50 is at or above the 0.40 hinge point" in text
    assert "includes zero" in text


def test_worked_example_summary_statistics() -> None:
    # mean_pre 62.0, SD 12.0, n 25; mean_post 68.4, SD 8.0, n 25
    # d = (68.4 - 62.0) / ((12 + 8) / 2) = 6.4 / 10 = 0.64
    # SE = sqrt(50/625 + 0.64**2/(2*50)) = sqrt(0.08 + 0.4096/100) = sqrt(0.084096) = 0.289993
    # t(0.975, df 48) = 2.010635 -> margin 0.583071 -> CI (0.056930, 1.223071)
    es = effect_size_from_summary(62.0, 12.0, 25, 68.4, 8.0, 25)
    assert es.d == pytest.approx(0.64)
    assert es.se == pytest.approx(0.289993, abs=1e-6)
    assert es.ci_low == pytest.approx(0.056930, abs=1e-5)
    assert es.ci_high == pytest.approx(1.223070, abs=1e-5)
    assert (es.n_pre, es.n_post, es.dropped_pre, es.dropped_post) == (25, 25, 0, 0)
    assert not es.small_n
    text = es.interpretation()
    assert "above zero but includes the hinge point" in text


def test_summary_large_groups_whole_interval_above_hinge() -> None:
    # d = (58 - 50) / 10 = 0.8; SE = sqrt(400/40000 + 0.64/800) = sqrt(0.0108) = 0.103923
    # t(0.975, df 398) = 1.965942 -> margin 0.204306 -> CI (0.595694, 1.004306)
    es = effect_size_from_summary(50, 10, 200, 58, 10, 200)
    assert es.d == pytest.approx(0.8)
    assert es.ci_low == pytest.approx(0.595694, abs=1e-5)
    assert es.ci_high == pytest.approx(1.004306, abs=1e-5)
    assert "whole 95% confidence interval 0.60 to 1.00 is above the hinge point" in (
        es.interpretation()
    )


def test_raw_and_summary_forms_agree() -> None:
    pre = [12.0, 15, 11, 18, 14, 16, 13, 17, 15, 14, 12]
    post = [16.0, 18, 15, 21, 17, 19, 15, 22, 18, 18, 16, 20]
    raw = effect_size(pre, post)
    summ = effect_size_from_summary(
        float(np.mean(pre)),
        float(np.std(pre, ddof=1)),
        len(pre),
        float(np.mean(post)),
        float(np.std(post, ddof=1)),
        len(post),
    )
    assert raw.d == pytest.approx(summ.d)
    assert raw.ci_low == pytest.approx(summ.ci_low)
    assert raw.ci_high == pytest.approx(summ.ci_high)


def test_interpretation_negative_and_small_positive() -> None:
    down = effect_size_from_summary(60, 10, 400, 55, 10, 400)  # d = -0.5
    assert "negative" in down.interpretation()
    assert "below zero" in down.interpretation()
    modest = effect_size_from_summary(60, 10, 2000, 62, 10, 2000)  # d = 0.2, CI ~ 0.14-0.26
    assert "positive but below the 0.40 hinge point" in modest.interpretation()
    assert "real but modest" in modest.interpretation()


def test_zero_variance_in_both_groups_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"both standard deviations are 0.*undefined"):
        effect_size([3, 3, 3], [4, 4, 4])
    with pytest.raises(ValueError, match="Both standard deviations are 0"):
        effect_size_from_summary(3, 0, 10, 4, 0, 10)


def test_zero_variance_in_one_group_warns() -> None:
    # pre SD 0, post 1 2 3 4 5 -> SD sqrt(2.5) = 1.581139; d = (3 - 3) / 0.790569 = 0
    es = effect_size([3, 3, 3, 3, 3], [1, 2, 3, 4, 5])
    assert es.d == pytest.approx(0.0)
    assert any("Every pre score is the same (SD 0)" in w for w in es.warnings)


def test_too_few_scores() -> None:
    with pytest.raises(ValueError, match="pre group has 1 score; at least 2"):
        effect_size([5], [1, 2, 3])
    with pytest.raises(ValueError, match="post group has 1 score after leaving out 2 missing"):
        effect_size([1, 2, 3], [None, 4, float("nan")])
    with pytest.raises(ValueError, match="n_post is 1"):
        effect_size_from_summary(1, 1, 10, 2, 1, 1)


def test_non_numeric_values_name_their_position() -> None:
    with pytest.raises(ValueError, match=r"Pre score number 3 is 'three', which is not a number"):
        effect_size([1, 2, "three", 4], [1, 2, 3])
    with pytest.raises(ValueError, match="Post score number 2 is True"):
        effect_size([1, 2, 3], [1, True, 3])
    with pytest.raises(ValueError, match="Post score number 1 is inf"):
        effect_size([1, 2, 3], np.array([np.inf, 1.0, 2.0]))
    with pytest.raises(TypeError):
        effect_size("123", [1, 2, 3])


def test_summary_validation_messages() -> None:
    with pytest.raises(ValueError, match="sd_pre is -1; a standard deviation cannot be negative"):
        effect_size_from_summary(1, -1, 10, 2, 1, 10)
    with pytest.raises(ValueError, match=r"n_pre is 2\.5; it must be a whole number"):
        effect_size_from_summary(1, 1, 2.5, 2, 1, 10)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mean_post is 'abc'"):
        effect_size_from_summary(1, 1, 10, "abc", 1, 10)  # type: ignore[arg-type]


def test_accepts_numeric_text_arrays_and_series() -> None:
    es_text = effect_size(["8", "8", " 10 ", "12", "12", ""], [9, 9, 13, 17, 17])
    assert es_text.d == pytest.approx(1.0)
    assert es_text.dropped_pre == 1
    es_series = effect_size(
        pd.Series([8, 8, 10, 12, 12, None], dtype="Float64"), np.array([9, 9, 13, 17, 17.0])
    )
    assert es_series.d == pytest.approx(1.0)
    assert es_series.dropped_pre == 1


def test_min_n_is_configurable_and_effect_size_exports() -> None:
    pre = [47, 48, 48, 49, 50, 50, 51, 52, 52, 53]
    es = effect_size(pre, [x + 1 for x in pre], min_n=20)
    assert es.small_n and es.min_n == 20
    row = es.to_dict()
    assert row["d"] == pytest.approx(0.5) and "too uncertain" in row["interpretation"]
    assert isinstance(es, EffectSize)
    assert "Hedges & Olkin" in EFFECT_SIZE_METHOD and "n_pre + n_post - 2" in EFFECT_SIZE_METHOD


# ============================================================================ indicator status

# Start 1 Jan 2025, target date 11 Apr 2025: 100 days. On 20 Feb 2025 (day 50) half the way
# from baseline to target is expected.
START = date(2025, 1, 1)
MID = date(2025, 2, 20)


def _reading() -> Indicator:
    return Indicator(
        name="Reading proficiency", baseline=60, target=80, target_date="2025-04-11", unit="%"
    )


def _absence() -> Indicator:
    return Indicator(
        name="Chronic absenteeism",
        kind="lagging",
        baseline=20,
        target=10,
        target_date="2025-04-11",
        unit="%",
        cadence="monthly",
    )


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        # progress = (latest - 60) / 20; expected 0.5; on track >= 0.45, at risk >= 0.25
        (69, "on_track"),  # 9/20 = 0.45 -> exactly 90% of expected
        (75, "on_track"),  # 0.75, ahead of the line
        (80, "on_track"),  # target reached
        (68, "at_risk"),  # 0.40
        (65, "at_risk"),  # 0.25 -> exactly 50% of expected
        (64, "off_track"),  # 0.20
        (58, "off_track"),  # moved away from the target
    ],
)
def test_status_higher_is_better(latest: float, status: str) -> None:
    st = indicator_status(_reading(), [(START, 60), (MID, latest)], today=MID)
    assert st.status == status
    assert st.reason.startswith(STATUS_LABELS[status])
    assert st.n_observations == 2
    assert st.latest_value == latest and st.latest_date == MID
    if status != "on_track" or latest < 80:
        assert st.expected_progress == pytest.approx(0.5)
        assert st.expected_value == pytest.approx(70)


@pytest.mark.parametrize(
    ("latest", "status"),
    [
        # lower is better: progress = (20 - latest) / 10; expected 0.5
        (15.5, "on_track"),  # 0.45
        (10, "on_track"),  # target reached
        (9, "on_track"),  # beyond the target
        (16.5, "at_risk"),  # 0.35
        (17.5, "at_risk"),  # 0.25
        (18, "off_track"),  # 0.20
        (21, "off_track"),  # went up: away from the target
    ],
)
def test_status_lower_is_better(latest: float, status: str) -> None:
    ind = _absence()
    assert not ind.higher_is_better
    st = indicator_status(ind, [(START, 20), (MID, latest)], today=MID)
    assert st.status == status


def test_status_reasons_are_explanatory() -> None:
    st = indicator_status(_reading(), [(START, 60), (MID, 66)], today=MID)
    assert st.reason == (
        "At risk: 66% on 20 Feb 2025 is 30% of the way from the baseline of 60% to the "
        "target of 80%, against about 50% expected by that date (a value of 70%). On track "
        "needs at least 45% of the way."
    )
    away = indicator_status(_absence(), [(START, 20), (MID, 21)], today=MID)
    assert "has moved away from the target of 10%" in away.reason
    reached = indicator_status(_reading(), [(START, 60), (MID, 81)], today=MID)
    assert "the target is reached" in reached.reason


def test_not_enough_data_cases() -> None:
    no_target = Indicator(name="x", baseline=5, target=None, target_date="2025-06-01")
    st = indicator_status(no_target, [(START, 5), (MID, 6)], today=MID)
    assert st.status == "not_enough_data" and "no target yet" in st.reason
    neither = Indicator(name="x")
    assert "no baseline or target" in indicator_status(neither, [], today=MID).reason
    one = indicator_status(_reading(), [(MID, 70)], today=MID)
    assert one.status == "not_enough_data" and "one dated value" in one.reason
    none = indicator_status(_reading(), [], today=MID)
    assert none.status == "not_enough_data" and "no evidence" in none.reason
    same_day = indicator_status(_reading(), [(MID, 60), (MID, 70)], today=MID)
    assert same_day.status == "not_enough_data"  # two entries, one dated value
    no_date = Indicator(name="x", baseline=60, target=80)
    nd = indicator_status(no_date, [(START, 60), (MID, 70)], today=MID)
    assert nd.status == "not_enough_data" and "no target date" in nd.reason


def test_target_reached_needs_no_target_date() -> None:
    ind = Indicator(name="x", baseline=60, target=80)
    assert indicator_status(ind, [(START, 60), (MID, 82)], today=MID).status == "on_track"


def test_hold_goal_when_target_equals_baseline() -> None:
    ind = Indicator(name="Attendance", baseline=95, target=95, target_date="2025-06-01")
    assert indicator_status(ind, [(START, 95), (MID, 95.5)], today=MID).status == "on_track"
    held = indicator_status(ind, [(START, 95), (MID, 94)], today=MID)
    assert held.status == "at_risk" and "hold" in held.reason


def test_start_date_moves_the_line() -> None:
    # Line from 1 Jan; first evidence only on 31 Jan (day 30): 66 is 30% of the way, and
    # by 20 Feb (day 50) 50% is expected -> at risk. Measured from 31 Jan instead, the
    # expected share on 20 Feb is 20/70 = 28.6%, so 66 (30%) is on track.
    obs = [(date(2025, 1, 31), 60), (MID, 66)]
    assert indicator_status(_reading(), obs, today=MID, start=START).status == "at_risk"
    assert indicator_status(_reading(), obs, today=MID).status == "on_track"


def test_window_uses_mean_of_latest_values() -> None:
    obs = [(START, 60), (date(2025, 2, 10), 70), (MID, 62)]
    assert indicator_status(_reading(), obs, today=MID).status == "off_track"  # 62 -> 10%
    smoothed = indicator_status(_reading(), obs, today=MID, window=2)  # (70 + 62) / 2 = 66
    assert smoothed.latest_value == pytest.approx(66)
    assert smoothed.status == "at_risk"


def test_today_adds_notes_but_never_changes_status() -> None:
    obs = [(START, 20), (MID, 15.5)]
    now = indicator_status(_absence(), obs, today=MID)
    later = indicator_status(_absence(), obs, today=date(2025, 9, 1))
    assert now.status == later.status == "on_track"
    assert "days old" not in now.reason
    assert "The latest value is 193 days old" in later.reason
    assert "target date (11 Apr 2025) has passed" in later.reason


def test_status_from_evidence_frame_weights_by_n() -> None:
    ev = pd.DataFrame(
        {
            "date": [START, MID, MID, MID],
            "indicator": [
                "Reading proficiency",
                "reading proficiency ",
                "Reading proficiency",
                "Other",
            ],
            "value": [60, 60, 70, 10],
            "n": [100, 10, 30, 50],
        }
    )
    # 20 Feb: (60*10 + 70*30) / 40 = 67.5 -> progress 0.375 of 0.5 expected -> at risk
    st = indicator_status(_reading(), ev, today=MID)
    assert st.latest_value == pytest.approx(67.5)
    assert st.status == "at_risk"


def test_status_rule_text_and_labels() -> None:
    assert set(STATUS_LABELS) == set(STATUSES)
    for phrase in ("90%", "50%", "baseline", "target date", "lower is better"):
        assert phrase in STATUS_RULE_TEXT


# ============================================================================ trend and summary


def _evidence() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "collective": ["north", "north", "north", "north", "north", "south", "south"],
            "date": [
                "2025-01-01",
                "2025-02-20",
                "2025-02-20",
                "2025-02-20",
                "2025-02-01",
                "2025-01-01",
                "2025-02-20",
            ],
            "evidence_type": [
                "student_learning",
                "student_learning",
                "student_learning",
                "perceptions",
                "demographic",
                "student_learning",
                "student_learning",
            ],
            "indicator": [
                "Reading proficiency",
                "Reading proficiency",
                "reading proficiency",
                "",
                None,
                "Reading proficiency",
                "Reading proficiency",
            ],
            "value": [60.0, 60.0, 70.0, 3.5, np.nan, 60.0, 62.0],
            "unit": ["%", "%", "%", "points", "", "%", "%"],
            "n": [100, 10, 30, None, None, 80, 80],
            "subgroup": "",
            "description": "",
            "source": "",
            "entered_by": "",
        }
    )


def test_trend_frame_weighted_by_n_and_plain_when_n_missing() -> None:
    ev = _evidence()
    trend = trend_frame(ev, _reading(), collective="north")
    assert list(trend.columns) == ["date", "value", "n", "entries"]
    assert trend["date"].dt.date.tolist() == [START, MID]
    # 20 Feb: (60*10 + 70*30) / (10 + 30) = 2700 / 40 = 67.5
    assert trend["value"].tolist() == pytest.approx([60.0, 67.5])
    assert trend["n"].tolist() == [100, 40]
    assert trend["entries"].tolist() == [1, 2]
    ev.loc[2, "n"] = None  # one entry of the day without n -> plain mean (60 + 70) / 2
    assert trend_frame(ev, "Reading proficiency", collective="north")["value"].iloc[1] == 65
    both = trend_frame(ev, "reading proficiency")  # all collectives
    assert both["entries"].tolist() == [2, 3]


def test_summarize_indicators_per_collective_matches_indicator_status() -> None:
    ev = _evidence()
    reading = _reading()
    out = summarize_indicators(ev, {"north": [reading, _absence()], "south": [reading]}, today=MID)
    assert list(out["collective"]) == ["north", "north", "south"]
    north = out.iloc[0]
    assert north["n_observations"] == 2 and north["entries"] == 3
    assert north["latest_value"] == pytest.approx(67.5)
    assert north["status"] == "at_risk" and north["status_label"] == "At risk"
    assert north["first_date"] == START and north["last_date"] == MID
    assert out.iloc[1]["status"] == "not_enough_data" and out.iloc[1]["entries"] == 0
    south = out.iloc[2]
    assert south["latest_value"] == 62 and south["status"] == "off_track"  # 10% of 50%
    direct = indicator_status(reading, ev[ev["collective"] == "north"], today=MID)
    assert direct.status == north["status"] and direct.reason == north["reason"]


def test_summarize_indicators_list_form_and_deleted_rows() -> None:
    ev = _evidence()
    ev["deleted_at"] = None
    ev.loc[[1, 2], "deleted_at"] = pd.Timestamp("2025-03-01")
    out = summarize_indicators(ev, [_reading()], today=MID)
    assert "collective" not in out.columns
    # north and south together without the deleted entries: 1 Jan (60*100+60*80)/180 = 60,
    # 20 Feb only south's 62
    assert out.loc[0, "latest_value"] == 62
    assert out.loc[0, "entries"] == 3


def test_summarize_indicators_is_fast_on_100k_rows() -> None:
    rng = np.random.default_rng(1)
    rows = 100_000
    names = ["A", "B", "C", "D"]
    indicators = {
        f"c{i}": [
            Indicator(name=n, baseline=10, target=20, target_date="2026-06-01") for n in names
        ]
        for i in range(50)
    }
    ev = pd.DataFrame(
        {
            "collective": [f"c{i}" for i in rng.integers(0, 50, rows)],
            "date": pd.Timestamp("2025-09-01") + pd.to_timedelta(rng.integers(0, 250, rows), "D"),
            "evidence_type": np.array(list(EVIDENCE_TYPES))[rng.integers(0, 4, rows)],
            "indicator": np.array(names)[rng.integers(0, 4, rows)],
            "value": rng.normal(15, 3, rows),
            "n": rng.integers(1, 100, rows),
        }
    )
    t0 = time.perf_counter()
    out = summarize_indicators(ev, indicators, today=date(2026, 5, 1))
    cov = coverage(ev, by=("collective", "indicator", "evidence_type"))
    ans = answerable_intersections(ev, by="collective")
    print(f"\n100k rows summarized in {time.perf_counter() - t0:.2f} s")
    assert len(out) == 200 and len(cov) == 50 * 4 * 4 and len(ans) == 50 * 11
    assert out["n_observations"].min() > 100
    # speed is measured by the benchmarks (benchmarks/), not asserted here: shared CI is noisy


# ============================================================================ coverage


def test_coverage_always_lists_four_types() -> None:
    cov = coverage(_evidence())
    assert cov["evidence_type"].tolist() == list(EVIDENCE_TYPES)
    assert cov["entries"].tolist() == [1, 1, 5, 0]
    assert cov["type_label"].tolist() == list(EVIDENCE_TYPES.values())
    empty = coverage(pd.DataFrame(columns=["evidence_type"]))
    assert empty["entries"].tolist() == [0, 0, 0, 0]
    assert missing_type_prompts(empty) == list(MISSING_TYPE_PROMPTS.values())


def test_coverage_by_indicator_and_prompts() -> None:
    cov = coverage(_evidence(), by=("indicator", "evidence_type"))
    assert set(cov["indicator"]) == {NO_INDICATOR, "Reading proficiency"}  # case merged
    reading = cov[cov["indicator"] == "Reading proficiency"].set_index("evidence_type")
    assert reading["entries"].to_dict() == {
        "demographic": 0,
        "perceptions": 0,
        "student_learning": 5,
        "school_processes": 0,
    }
    prompts = missing_type_prompts(cov)
    assert prompts == [MISSING_TYPE_PROMPTS["school_processes"]]
    assert missing_type_prompts({"demographic": 2, "student_learning": 1}) == [
        "No perceptions data yet: a short survey of teachers or students?",
        MISSING_TYPE_PROMPTS["school_processes"],
    ]


def test_coverage_matrix_and_label_normalization() -> None:
    ev = _evidence()
    ev.loc[0, "evidence_type"] = "Student Learning"
    ev.loc[3, "evidence_type"] = "Perception"
    ev.loc[4, "evidence_type"] = "gossip"  # not a type: kept visible, after the four
    matrix = coverage_matrix(ev)
    assert list(matrix.columns) == [*EVIDENCE_TYPES, "gossip", "total"]
    assert matrix.loc["Reading proficiency", "student_learning"] == 5
    assert matrix.loc[NO_INDICATOR, "perceptions"] == 1
    assert matrix.loc[NO_INDICATOR, "gossip"] == 1
    assert matrix["total"].sum() == len(ev)
    assert missing_type_prompts(matrix) == [
        MISSING_TYPE_PROMPTS["demographic"],
        MISSING_TYPE_PROMPTS["school_processes"],
    ]


def _as_dict(matrix: pd.DataFrame) -> dict[str, dict[str, int]]:
    return {
        str(label): {str(c): int(matrix.loc[label, c]) for c in matrix.columns}
        for label in matrix.index
    }


@pytest.mark.parametrize("seed", range(6))
def test_coverage_counts_on_records_is_the_coverage_matrix(seed: int) -> None:
    """The page's count (plain records, no pandas) and the researcher's matrix agree: type
    labels, an unknown type, case and spacing variants, blanks, deleted entries."""
    rng = np.random.default_rng(seed)
    types = [*EVIDENCE_TYPES, "Student Learning", "Perception", "gossip"]
    names = ["Exit survey", "exit  survey", "EXIT SURVEY", "Screener", "", None, "  ", "Zeta"]
    n = 60
    ev = pd.DataFrame(
        {
            "evidence_type": [types[i] for i in rng.integers(0, len(types), n)],
            "indicator": [names[i] for i in rng.integers(0, len(names), n)],
            "deleted_at": [pd.Timestamp("2026-11-01") if d else None for d in rng.random(n) < 0.2],
        }
    )
    records = ev.astype(object).where(ev.notna(), None).to_dict("records")
    assert coverage_counts(records) == _as_dict(coverage_matrix(ev))
    assert list(coverage_counts(records)) == [str(x) for x in coverage_matrix(ev).index]
    assert coverage_counts([]) == {}


def test_coverage_requires_evidence_type() -> None:
    with pytest.raises(ValueError, match="must include 'evidence_type'"):
        coverage(_evidence(), by=("indicator",))


# ============================================================================ intersections


def test_intersections_cover_every_combination_of_two_or_more_types() -> None:
    expected = {
        combo for k in (2, 3, 4) for combo in itertools.combinations(list(EVIDENCE_TYPES), k)
    }
    assert {ix.types for ix in INTERSECTIONS} == expected
    assert len(INTERSECTIONS) == 11
    assert len({ix.id for ix in INTERSECTIONS}) == 11
    questions = {ix.types: ix.question for ix in INTERSECTIONS}
    assert questions[("demographic", "perceptions")] == (
        "Do different groups of students experience school differently?"
    )
    assert questions[("student_learning", "school_processes")] == (
        "Is the program making a difference in learning results?"
    )
    assert questions[("demographic", "school_processes")] == (
        "Are all groups of students represented in the programs we offer?"
    )
    assert all(q.endswith("?") for q in questions.values())
    assert INTERSECTIONS[0].label == "Demographic × Perceptions"


def test_answerable_intersections() -> None:
    ev = _evidence()  # demographic 1, perceptions 1, student_learning 5, school_processes 0
    table = answerable_intersections(ev).set_index("intersection")
    assert table["answerable"].sum() == 4  # D×P, D×SL, P×SL, D×P×SL
    assert bool(table.loc["demographic+perceptions+student_learning", "answerable"])
    row = table.loc["student_learning+school_processes"]
    assert not row["answerable"] and row["missing"] == "School processes"
    assert row["student_learning"] == 5 and row["school_processes"] == 0
    assert row["min_entries"] == 0
    assert row["demographic"] is pd.NA
    full = table.loc["demographic+perceptions+student_learning+school_processes"]
    assert full["size"] == 4
    assert not full["answerable"]


def test_answerable_intersections_per_collective() -> None:
    table = answerable_intersections(_evidence(), by="collective")
    assert len(table) == 22
    south = table[table["collective"] == "south"]
    assert not south["answerable"].any()  # south has only student learning evidence
    north = table[table["collective"] == "north"].set_index("intersection")
    assert bool(north.loc["demographic+perceptions", "answerable"])


def test_effect_size_nan_never_leaks_into_ci() -> None:
    es = effect_size_from_summary(10, 2, 12, 11, 2, 12)
    assert all(math.isfinite(x) for x in (es.d, es.ci_low, es.ci_high, es.se))


def test_whole_group_rows_win_over_subgroup_breakdowns():
    """Subgroup rows break the whole-group figure down; they must not be averaged in."""
    import datetime as _dt

    import pandas as _pd

    from ilc_widgets.placemat import Indicator as _Indicator
    from ilc_widgets.stats import summarize_indicators as _summ
    from ilc_widgets.stats import trend_frame as _trend

    ind = _Indicator(
        name="Chronic absence",
        kind="lagging",
        baseline=30,
        target=20,
        unit="%",
        target_date="2027-06-01",
    )
    rows = []
    for day, whole, iep in (("2026-09-15", 29.0, 45.0), ("2026-10-15", 26.0, 44.0)):
        rows.append(
            {
                "date": day,
                "indicator": "Chronic absence",
                "value": whole,
                "n": 400,
                "subgroup": "all",
            }
        )
        rows.append(
            {
                "date": day,
                "indicator": "Chronic absence",
                "value": iep,
                "n": 60,
                "subgroup": "students with IEPs",
            }
        )
    ev = _pd.DataFrame(rows)
    summary = _summ(ev, [ind], today=_dt.date(2026, 10, 20))
    assert summary["latest_value"].iloc[0] == 26.0
    assert list(_trend(ev, ind)["value"]) == [29.0, 26.0]
    # with no whole-group rows at all, the breakdowns are what there is
    only_iep = ev[ev["subgroup"] != "all"]
    assert _summ(only_iep, [ind], today=_dt.date(2026, 10, 20))["latest_value"].iloc[0] == 44.0


# ============================================================================ progress review


def test_parse_scores_reads_what_people_paste() -> None:
    from ilc_widgets.stats import parse_scores

    assert parse_scores("12, 14.5\n NA 9%;  -3 ;; n/a\t7") == [
        12.0,
        14.5,
        None,
        9.0,
        -3.0,
        None,
        7.0,
    ]
    assert parse_scores("   ") == []
    with pytest.raises(ValueError, match=r"Post score number 4 is '5x', which is not a number"):
        parse_scores("1 2 12,5x", "post")
    with pytest.raises(ValueError, match=r"Pre score number 2 is 'inf', which is not a finite"):
        parse_scores("1 inf")
    # what parse_scores gives, effect_size takes (missing left out and counted)
    es = effect_size(parse_scores("8 8 10 NA 12 12"), parse_scores("9, 9, 13, -, 17, 17"))
    assert es.d == pytest.approx(1.0) and (es.dropped_pre, es.dropped_post) == (1, 1)


def _review_evidence() -> pd.DataFrame:
    rows = [
        # (collective, date, type, indicator, value, deleted)
        ("a", "2026-09-10", "school_processes", "Walkthroughs", 45.0, None),
        ("a", "2026-10-31", "school_processes", "walkthroughs ", 70.0, None),
        ("a", "2026-11-02", "student_learning", "", 3.0, None),
        ("a", "2026-11-20", "perceptions", "Walkthroughs", 99.0, "2026-11-21"),  # deleted
        ("b", "2026-10-01", "demographic", "", 12.0, None),
        ("b", "2026-10-01", "perceptions", "Belonging", 60.0, None),
        ("c", "2026-10-01", "demographic", "", 1.0, None),  # not asked about
    ]
    return pd.DataFrame(
        rows, columns=["collective", "date", "evidence_type", "indicator", "value", "deleted_at"]
    ).assign(n=30)


def _review_indicators() -> dict[str, list[Indicator]]:
    walk = Indicator(
        name="Walkthroughs",
        kind="leading",
        evidence_type="school_processes",
        baseline=40,
        target=80,
        unit="%",
        target_date="2026-12-31",
    )
    lag = Indicator(name="State test", kind="lagging", baseline=50, target=60)
    belong = Indicator(
        name="Belonging",
        evidence_type="perceptions",
        baseline=70,
        target=80,
        target_date="2027-05-01",
    )
    return {"a": [walk, lag], "b": [belong]}


def test_progress_review_of_one_collective() -> None:
    from ilc_widgets.stats import progress_review

    ev = _review_evidence()
    a = ev[ev["collective"] == "a"]
    inds = _review_indicators()["a"]
    review = progress_review(a, inds, start=date(2026, 9, 1), today=date(2026, 11, 23))
    # 70 on 31 Oct is 30 of 40 points up; the line expects 40 + 40 * 60/121 = 59.8 by then
    assert list(review.statuses["status"]) == ["on_track", "not_enough_data"]
    assert review.status_counts == {
        "on_track": 1,
        "at_risk": 0,
        "off_track": 0,
        "not_enough_data": 1,
    }
    assert list(review.trends) == [i.id for i in inds]
    assert list(review.trends[inds[0].id]["value"]) == [45.0, 70.0]  # the deleted 99 is left out
    assert review.trends[inds[1].id].empty
    assert review.entries == 3 and review.latest == date(2026, 11, 2)
    assert review.start == date(2026, 9, 1)
    cov = review.coverage.set_index("evidence_type")["entries"].to_dict()
    assert cov == {"demographic": 0, "perceptions": 0, "student_learning": 1, "school_processes": 2}
    assert review.missing == [
        MISSING_TYPE_PROMPTS["demographic"],
        MISSING_TYPE_PROMPTS["perceptions"],
    ]
    assert review.answerable == 1
    yes = review.intersections[review.intersections["answerable"]]
    assert list(yes["question"]) == ["Is the program making a difference in learning results?"]


def test_progress_review_without_evidence_or_indicators() -> None:
    from ilc_widgets.stats import progress_review

    empty = _review_evidence().iloc[0:0]
    review = progress_review(empty, [])
    assert review.entries == 0 and review.latest is None
    assert review.statuses.empty and review.trends == {}
    assert review.answerable == 0 and len(review.missing) == 4
    assert sum(review.status_counts.values()) == 0


def test_network_progress_one_row_per_collective() -> None:
    from ilc_widgets.stats import network_progress

    frame = network_progress(
        _review_evidence(),
        _review_indicators(),
        start=date(2026, 9, 1),
        today=date(2026, 11, 23),
    )
    assert list(frame["collective"]) == ["a", "b"]  # c is not asked about
    a, b = frame.to_dict("records")
    assert (a["indicators"], a["on_track"], a["not_enough_data"]) == (2, 1, 1)
    assert (a["entries"], a["school_processes"], a["student_learning"], a["perceptions"]) == (
        3,
        2,
        1,
        0,
    )
    assert (a["types_covered"], a["answerable"], a["intersections"]) == (2, 1, len(INTERSECTIONS))
    # Belonging has one dated value: not enough data; demographic x perceptions answers
    assert (b["indicators"], b["not_enough_data"], b["entries"], b["answerable"]) == (1, 1, 2, 1)
    empty = network_progress(_review_evidence().iloc[0:0], {"z": []})
    assert empty.to_dict("records")[0]["entries"] == 0
    assert list(empty.columns) == list(frame.columns)


def test_t_critical_values_match_scipy_without_importing_it():
    """The effect size's t critical value is computed in plain Python (a page's kernel does
    not import SciPy); it agrees with scipy.special.stdtrit across degrees of freedom."""
    import subprocess
    import sys

    from scipy.special import stdtrit

    from ilc_widgets.stats.effect import _t_critical

    for df in [*range(1, 121), 199, 200, 999, 1000, 19_999, 20_000, 20_001, 10**6]:
        for level in (0.8, 0.9, 0.95, 0.99, 0.999):
            expected = float(stdtrit(df, 0.5 + level / 2))
            assert _t_critical(df, level) == pytest.approx(expected, rel=1e-9), (df, level)
    for df, level in ((0, 0.95), (5, 1.0), (5, 0.0)):
        with pytest.raises(ValueError, match="no t critical value"):
            _t_critical(df, level)
    script = (
        "import sys\nfrom ilc_widgets.stats import effect_size\n"
        "es = effect_size([52, 60, 61, 70, 58], [61, 66, 70, 79, 64])\n"
        "print(round(es.ci_low, 6), round(es.ci_high, 6), 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    low, high, loaded = out.stdout.split()
    assert loaded == "False" and float(low) < float(high), out.stderr[-1000:]
