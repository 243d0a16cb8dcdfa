"""Forming collectives: hard constraints, mixing quality, relaxations with explanations."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from ilc_widgets.grouping import (
    REQUIRED_COLUMNS,
    RULE_IN_PERSON_REGION,
    RULE_LOCKED,
    RULE_MIN_SIZE,
    RULE_SECOND_THEME_REPAIR,
    RULE_THEME_TOO_SMALL,
    check_plan,
    form_collectives,
    plan_collectives,
)
from ilc_widgets.vocab import ROLES, slug

ROLE_P = [0.30, 0.20, 0.16, 0.11, 0.09, 0.04, 0.05, 0.05]


def person(pid: str, **kw: str) -> dict[str, str]:
    row = {
        "participant_id": pid,
        "name": f"Name {pid}",
        "email": f"{pid.lower()}@example.org",
        "role": "teacher_leader",
        "organization": "",
        "district": "D1",
        "region": "North",
        "modality": "virtual",
        "focus": "",
        "theme": "Equity",
        "second_theme": "",
    }
    row.update(kw)
    return row


def roster(n: int, seed: int = 0, n_themes: int = 5) -> pd.DataFrame:
    """A skewed synthetic roster: themes, regions with districts, roles, modalities."""
    rng = np.random.default_rng(seed)
    themes = [f"Theme {c}" for c in "ABCDEFGH"[:n_themes]]
    theme_p = 1 / np.arange(1, n_themes + 1) ** 0.7
    regions = ["North", "South", "East"]
    rows = []
    for i in range(n):
        r = int(rng.choice(3, p=[0.5, 0.3, 0.2]))
        d = int(rng.choice(6, p=[0.35, 0.2, 0.15, 0.12, 0.1, 0.08]))
        t = int(rng.choice(n_themes, p=theme_p / theme_p.sum()))
        s = int(rng.integers(n_themes))
        rows.append(
            person(
                f"P{i:04d}",
                role=str(rng.choice(list(ROLES), p=ROLE_P)),
                district=f"{regions[r]} D{d}",
                region=regions[r],
                modality=str(rng.choice(["in_person", "virtual", "either"], p=[0.45, 0.25, 0.3])),
                theme=themes[t],
                second_theme=themes[s] if s != t and rng.random() < 0.7 else "",
            )
        )
    return pd.DataFrame(rows)


def assert_hard_constraints(df: pd.DataFrame, out: pd.DataFrame, lo: int, hi: int) -> None:
    """The four hard constraints, checked here directly (not through check_plan)."""
    assert sorted(out["participant_id"]) == sorted(df["participant_id"])
    assert out["participant_id"].is_unique
    assert (out["collective"] != "").all()
    sizes = out["collective"].value_counts()
    assert sizes.between(lo, hi).all(), sizes.to_dict()
    m = out[["participant_id", "collective", "theme"]].merge(
        df.drop(columns="theme").assign(own=df["theme"]), on="participant_id"
    )
    for cid, g in m.groupby("collective"):
        in_person = g[g["modality"] == "in_person"]
        assert in_person["region"].nunique() <= 1, (cid, in_person["region"].tolist())
        assert g["theme"].nunique() == 1
        allowed = (g["theme"] == g["own"]) | (g["theme"] == g["second_theme"])
        assert allowed.all(), g[~allowed][["participant_id", "own", "second_theme", "theme"]]


@pytest.mark.parametrize(("n", "seed"), [(120, 1), (300, 2), (600, 3)])
def test_hard_constraints_hold_on_generated_rosters(n: int, seed: int) -> None:
    df = roster(n, seed)
    plan = plan_collectives(df, 10, 4, seed=seed)
    assert_hard_constraints(df, plan.assignments, 4, 10)
    assert plan.violations == []
    assert check_plan(df, plan.assignments, 10, 4) == []
    summary = plan.collectives
    assert summary["size"].sum() == n
    assert set(summary["collective"]) == set(plan.assignments["collective"])


def test_sizes_are_as_even_as_the_bounds_allow() -> None:
    df = pd.DataFrame(
        [person(f"A{i}", district=f"D{i % 7}") for i in range(23)]
        + [person(f"B{i}", theme="Grading", district=f"D{i % 5}") for i in range(20)]
        + [person(f"C{i}", theme="Attendance", district=f"D{i % 4}") for i in range(11)]
    )
    out = form_collectives(df, max_size=10, min_size=4)
    sizes = out.groupby("theme")["collective"].value_counts()
    assert sorted(sizes["Equity"]) == [7, 8, 8]  # not 10/10/3
    assert sorted(sizes["Grading"]) == [10, 10]
    assert sorted(sizes["Attendance"]) == [5, 6]
    assert set(out[out["theme"] == "Equity"]["collective"]) == {
        "equity-1",
        "equity-2",
        "equity-3",
    }


def latin_square_roster() -> pd.DataFrame:
    """16 people, 4 districts x 4 roles, each pair once: 4 collectives of 4 can each hold
    4 districts and 4 roles (a Latin square), the known optimum."""
    roles = list(ROLES)[:4]
    return pd.DataFrame(
        [
            person(f"P{d}{r}", district=f"D{d}", role=roles[r], modality="either")
            for d in range(4)
            for r in range(4)
        ]
    )


def test_mixing_reaches_a_known_optimum_and_beats_random() -> None:
    df = latin_square_roster()
    plan = plan_collectives(df, max_size=4, min_size=4)
    assert (plan.collectives["n_districts"] == 4).all()
    assert (plan.collectives["n_roles"] == 4).all()
    mix = plan.collectives["n_districts"] + plan.collectives["n_roles"]
    randoms = [plan_collectives(df, 4, 4, seed=s, method="random").collectives for s in range(5)]
    random_mix = [float((c["n_districts"] + c["n_roles"]).mean()) for c in randoms]
    assert max(random_mix) < mix.mean() == 8
    greedy = plan_collectives(df, 4, 4, method="greedy").collectives
    assert (greedy["n_districts"] + greedy["n_roles"]).sum() <= mix.sum()


def test_blocks_of_one_district_are_broken_up() -> None:
    # 8 from one district and 8 from eight others, two collectives: 4 + 4 of the big district
    # with four singles each, rather than a block of 8 with the singles on their own.
    df = pd.DataFrame(
        [person(f"B{i}", district="Big", role=list(ROLES)[i % 8]) for i in range(8)]
        + [person(f"S{i}", district=f"Small {i}", role=list(ROLES)[i % 8]) for i in range(8)]
    )
    plan = plan_collectives(df, max_size=8, min_size=4)
    assert sorted(plan.collectives["max_same_district"]) == [4, 4]
    assert (plan.collectives["n_districts"] == 5).all()


def test_theme_with_two_people_goes_to_second_theme_with_explanation() -> None:
    df = pd.DataFrame(
        [person(f"E{i}", district=f"D{i}") for i in range(8)]
        + [
            person("T1", theme="Tiny", second_theme="Equity"),
            person("T2", theme="Tiny", second_theme="Equity"),
        ]
    )
    out = form_collectives(df)
    assert_hard_constraints(df, out, 4, 10)
    placed = out.set_index("participant_id")
    assert placed.loc["T1", "theme"] == placed.loc["T2", "theme"] == "Equity"
    assert placed.loc["T1", "placed_by"] == "second_theme"
    notes = [e for e in out.attrs["explanations"] if e.rule == RULE_THEME_TOO_SMALL]
    assert len(notes) == 1
    assert set(notes[0].participant_ids) == {"T1", "T2"}
    assert "T1" in notes[0].message and "T2" in notes[0].message and "Tiny" in notes[0].message
    assert out.attrs["violations"] == []


def test_theme_with_two_people_and_no_second_theme_falls_back_to_related_theme() -> None:
    df = pd.DataFrame(
        [person(f"E{i}", district=f"D{i}") for i in range(8)]
        + [person(f"G{i}", theme="Grading", district=f"D{i}") for i in range(7)]
        + [person("G7", theme="Grading", second_theme="Tiny")]
        + [person("T1", theme="Tiny"), person("T2", theme="Tiny")]
    )
    plan = plan_collectives(df)
    placed = plan.assignments.set_index("participant_id")
    # 'Grading' is the theme named together with 'Tiny'
    assert placed.loc["T1", "theme"] == placed.loc["T2", "theme"] == "Grading"
    assert placed.loc["T1", "placed_by"] == "fallback"
    assert len(plan.assignments) == len(df)
    note = next(e for e in plan.explanations if e.rule == RULE_THEME_TOO_SMALL)
    assert set(note.participant_ids) == {"T1", "T2"}
    assert "most related theme 'Grading'" in note.message
    # placing them outside their themes is reported as what it is
    assert [v.rule for v in plan.violations] == ["theme"]
    assert set(plan.violations[0].participant_ids) == {"T1", "T2"}


def test_lone_in_person_member_in_a_region_joins_virtually_with_explanation() -> None:
    df = pd.DataFrame(
        [person(f"N{i}", modality="in_person", district=f"N{i % 5}") for i in range(9)]
        + [person("C1", modality="in_person", region="Coast", district="Coast 1")]
    )
    plan = plan_collectives(df)
    assert len(plan.assignments) == 10
    assert plan.collectives["size"].tolist() == [10]
    placed = plan.assignments.set_index("participant_id")
    assert placed.loc["C1", "attends"] == "virtual"
    assert placed.loc["N0", "attends"] == "in_person"
    assert placed.loc["C1", "collective_region"] == "North"
    note = next(e for e in plan.explanations if e.rule == RULE_IN_PERSON_REGION)
    assert note.participant_ids == ("C1",)
    assert "C1" in note.message and "Coast" in note.message
    assert [v.rule for v in plan.violations] == [RULE_IN_PERSON_REGION]


def test_lone_in_person_member_uses_second_theme_where_their_region_meets() -> None:
    df = pd.DataFrame(
        [person(f"N{i}", modality="in_person", district=f"N{i % 5}") for i in range(9)]
        + [person(f"C{i}", theme="Grading", modality="in_person", region="Coast") for i in range(4)]
        + [person("X1", modality="in_person", region="Coast", second_theme="Grading")]
    )
    plan = plan_collectives(df)
    assert plan.violations == []
    placed = plan.assignments.set_index("participant_id")
    assert placed.loc["X1", "theme"] == "Grading"
    assert placed.loc["X1", "attends"] == "in_person"
    note = next(e for e in plan.explanations if e.rule == RULE_SECOND_THEME_REPAIR)
    assert note.participant_ids == ("X1",)


def test_second_themes_make_room_for_a_small_theme() -> None:
    # 'Tiny' has 3 people; a fourth who named it second joins it rather than dissolving it.
    df = pd.DataFrame(
        [person(f"E{i}", district=f"D{i}") for i in range(8)]
        + [person("E8", second_theme="Tiny")]
        + [person(f"T{i}", theme="Tiny", district=f"D{i}") for i in range(3)]
    )
    plan = plan_collectives(df)
    assert plan.violations == []
    placed = plan.assignments.set_index("participant_id")
    assert placed.loc["E8", "theme"] == "Tiny"
    assert (placed.loc[["T0", "T1", "T2"], "theme"] == "Tiny").all()


def test_undersized_collective_as_last_resort_is_explained() -> None:
    df = pd.DataFrame([person(f"P{i}", district=f"D{i}") for i in range(11)])
    plan = plan_collectives(df, max_size=10, min_size=6)
    assert sorted(plan.collectives["size"]) == [5, 6]
    note = next(e for e in plan.explanations if e.rule == RULE_MIN_SIZE)
    small = plan.collectives.loc[plan.collectives["size"] == 5, "collective"].item()
    assert note.collective == small
    members = plan.assignments.loc[plan.assignments["collective"] == small, "participant_id"]
    assert set(note.participant_ids) == set(members)
    assert [v.rule for v in plan.violations] == [RULE_MIN_SIZE]


def test_locked_members_stay_together_and_are_filled_around() -> None:
    df = roster(60, seed=4, n_themes=2)
    flexible = df["modality"] != "in_person"
    theme_a = df[(df["theme"] == "Theme A") & flexible]["participant_id"].tolist()
    b_only = (df["theme"] == "Theme B") & (df["second_theme"] != "Theme A")
    outsider = df[b_only & flexible]["participant_id"].iloc[0]
    locked = {"theme_a-1": [*theme_a[:3], outsider], "Maple group": theme_a[3:5]}
    out = form_collectives(df, locked=locked)
    placed = out.set_index("participant_id")
    assert (placed.loc[locked["theme_a-1"], "collective"] == "theme_a-1").all()
    assert (placed.loc[locked["Maple group"], "collective"] == "Maple group").all()
    assert placed.loc[outsider, "theme"] == "Theme A"
    assert placed.loc[outsider, "placed_by"] == "locked"
    assert placed.loc[locked["theme_a-1"], "locked"].all()
    assert not placed.loc[theme_a[5:], "locked"].any()
    sizes = out["collective"].value_counts()
    assert 4 <= sizes["theme_a-1"] <= 10 and 4 <= sizes["Maple group"] <= 10
    assert (
        sizes.max()
        - sizes[sizes.index.str.startswith("theme_a") | (sizes.index == "Maple group")].min()
        <= 10
    )
    note = next(e for e in out.attrs["explanations"] if e.rule == RULE_LOCKED)
    assert note.participant_ids == (outsider,)
    assert out.attrs["violations"] == []  # a lock across themes is the facilitator's decision
    new = set(out[out["theme"] == "Theme A"]["collective"]) - set(locked)
    assert new and all(re.fullmatch(r"theme_a-\d+", c) for c in new)


def test_lock_across_regions_is_kept_reported_and_explained() -> None:
    df = pd.DataFrame(
        [person(f"N{i}", modality="in_person", district=f"D{i}") for i in range(6)]
        + [person(f"S{i}", modality="in_person", region="South") for i in range(2)]
    )
    plan = plan_collectives(df, locked={"equity-1": ["N0", "S0"]})
    placed = plan.assignments.set_index("participant_id")
    assert placed.loc["N0", "collective"] == placed.loc["S0", "collective"] == "equity-1"
    assert plan.collectives["size"].between(4, 10).all()
    assert placed.loc["N1", "collective"] == "equity-1"  # North members join it in person
    assert placed.loc["N0", "attends"] == "in_person" and placed.loc["S0", "attends"] == "virtual"
    note = next(e for e in plan.explanations if "locked" in e.message)
    assert (note.rule, note.collective) == (RULE_IN_PERSON_REGION, "equity-1")
    assert set(note.participant_ids) == {"N0", "S0"}
    assert RULE_IN_PERSON_REGION in {v.rule for v in plan.violations}


def test_deterministic_for_same_input_and_seed() -> None:
    df = roster(160, seed=5)
    a = form_collectives(df, seed=7)
    b = form_collectives(df.copy(), seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["explanations"] == b.attrs["explanations"]
    c = form_collectives(df, seed=8)
    assert check_plan(df, c, 10, 4) == []


def test_output_shape_and_ids() -> None:
    df = roster(80, seed=6).set_index("participant_id", drop=False)
    out = form_collectives(df)
    assert list(out.index) == list(df.index)
    for col in ("participant_id", "collective", "theme", "placed_by", "attends", "locked"):
        assert col in out.columns
    for cid, theme in out[["collective", "theme"]].drop_duplicates().itertuples(index=False):
        assert re.fullmatch(rf"{slug(theme)}-\d+", cid), cid
    assert isinstance(out.attrs["explanations"], list)


def test_settings_change_the_plan() -> None:
    df = roster(200, seed=7)
    no_region = plan_collectives(df, region_for_in_person=False)
    assert check_plan(df, no_region.assignments, region_for_in_person=False) == []
    regions_per = (
        no_region.assignments.merge(df[["participant_id", "region"]], on="participant_id")
        .groupby("collective")["region"]
        .nunique()
    )
    assert regions_per.max() > 1
    first_only = plan_collectives(df, use_second_theme=False)
    assert "second_theme" not in set(first_only.assignments["placed_by"])
    assert check_plan(df, first_only.assignments, use_second_theme=False) == []
    roles_only = plan_collectives(df, mix_districts=False)
    districts_only = plan_collectives(df, mix_roles=False)
    assert roles_only.collectives["n_roles"].mean() >= districts_only.collectives["n_roles"].mean()
    assert (
        districts_only.collectives["n_districts"].mean()
        >= roles_only.collectives["n_districts"].mean()
    )


def test_check_plan_catches_broken_assignments() -> None:
    df = roster(40, seed=8)
    out = form_collectives(df)
    broken = pd.concat([out, out.iloc[[0]]], ignore_index=True)
    assert "placement" in {v.rule for v in check_plan(df, broken)}
    one = out.assign(collective="everyone", theme=out["theme"].iloc[0])
    rules = {v.rule for v in check_plan(df, one)}
    assert {"max_size", "theme", "in_person_region"} <= rules


def test_empty_roster() -> None:
    df = pd.DataFrame(columns=list(REQUIRED_COLUMNS))
    out = form_collectives(df)
    assert len(out) == 0 and "collective" in out.columns


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda d: d.drop(columns=["district"]), {}, "missing the column.*district"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), {}, "duplicate participant_id: P0000"),
        (lambda d: d, {"max_size": 3, "min_size": 4}, r"max_size \(3\) is smaller than min_size"),
        (lambda d: d, {"max_size": 1, "min_size": 1}, "max_size must be at least 2"),
        (lambda d: d.assign(modality="by boat"), {}, "unknown modality"),
        (lambda d: d.assign(participant_id=""), {}, "participant_id is blank"),
        (lambda d: d, {"locked": {"x-1": ["nobody"]}}, "unknown participant nobody"),
        (
            lambda d: d,
            {"locked": {"a-1": ["P0000"], "b-1": ["P0000"]}},
            "locked in two collectives",
        ),
    ],
)
def test_input_validation(change, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    df = roster(12, seed=9)
    with pytest.raises(ValueError, match=message):
        form_collectives(change(df), **kwargs)


def test_human_labels_and_blank_second_themes_are_accepted() -> None:
    df = roster(30, seed=10, n_themes=2)
    df["modality"] = df["modality"].map(
        {"in_person": "In person", "virtual": "Online", "either": "Hybrid"}
    )
    df["second_theme"] = np.nan
    df["role"] = "Assistant Principal"
    out = form_collectives(df)
    assert Counter(out["placed_by"]) == Counter({"theme": 30})
    assert check_plan(df, out) == []


def test_meeting_region_and_allowed_themes_are_the_rules_the_board_uses() -> None:
    from ilc_widgets.grouping import allowed_themes, meeting_region

    places = [("North", "in_person"), ("South", "in_person"), ("South", "in_person")]
    assert meeting_region(places) == "South"
    assert meeting_region(places, "North") == "North"  # kept while someone can meet there
    assert meeting_region([("East", "either"), ("West", "virtual")], "West") == "East"
    assert meeting_region([("B", "either"), ("A", "either")]) == "A"  # ties: alphabetical
    assert meeting_region([("North", "virtual")]) == ""
    assert allowed_themes("Math Talk", "Art") == {"math_talk", "art"}
    assert allowed_themes("Math Talk", "Art", use_second_theme=False) == {"math_talk"}
    assert allowed_themes("Math", "") == {"math"}
