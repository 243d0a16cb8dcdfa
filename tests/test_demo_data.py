"""Integrity of the demo network's files in ``data_templates/demo``.

These tests read the files directly (pandas and json only), so they hold whatever the
loader does: every reference between files resolves, the privacy rules hold, and the
placemats are in the states the walkthrough of the kit relies on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from pathlib import Path

import pandas as pd
import pytest

from ilc_widgets.placemat import Placemat, check_placemat, validate_placemat
from ilc_widgets.vocab import (
    CADENCES,
    EVIDENCE_TYPES,
    INDICATOR_KINDS,
    MODALITIES,
    ROLES,
    TOA_LEVELS,
)

DEMO = Path(__file__).resolve().parents[1] / "data_templates" / "demo"
TODAY = dt.date(2026, 11, 20)  # the demo's "now": nothing may be dated after it

COMPLETE = {"absenteeism-1", "tier1-instruction-1", "grading-1", "literacy-1"}
PARTIAL = {"absenteeism-2", "equity-belonging-1"}
NEARLY_EMPTY = {"multilingual-1", "math-discourse-1"}

COLUMNS = {
    "participants.csv": "participant_id,name,email,role,organization,district,region,"
    "modality,focus,theme,second_theme",
    "collectives.csv": "collective,name,theme,region,modality,facilitator_name,facilitator_email",
    "memberships.csv": "participant_id,collective",
    "evidence.csv": "collective,date,evidence_type,indicator,value,unit,n,subgroup,"
    "description,source,entered_by",
    "scores.csv": "collective,assessment,phase,student_ref,score",
    "implementation_log.csv": "collective,date,action,toa_step,entered_by",
    "reflections.csv": "collective,meeting_date,went_well,didnt_go_well,learned,adjust,entered_by",
    "pulse_responses.csv": "collective,participant_id,wave,item_id,score,submitted_at",
}
PULSE_ITEMS = {f"{dim}{i}" for dim in ("su", "jw", "ei") for i in (1, 2, 3)}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DEMO / name, dtype=str, keep_default_na=False, encoding="utf-8")


def iso(value: str) -> dt.date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), f"not YYYY-MM-DD: {value!r}"
    return dt.date.fromisoformat(value)


@pytest.fixture(scope="module")
def network() -> dict:
    return json.loads((DEMO / "network.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return read("participants.csv")


@pytest.fixture(scope="module")
def collectives() -> pd.DataFrame:
    return read("collectives.csv")


@pytest.fixture(scope="module")
def memberships() -> pd.DataFrame:
    return read("memberships.csv")


@pytest.fixture(scope="module")
def members(people: pd.DataFrame, memberships: pd.DataFrame) -> pd.DataFrame:
    """Memberships joined to the participants' rows."""
    return memberships.merge(people, on="participant_id", how="left", validate="one_to_one")


@pytest.fixture(scope="module")
def placemats() -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DEMO / "placemats").glob("*.json"))
    }


@pytest.fixture(scope="module")
def cycle_start(network: dict) -> dt.date:
    return iso(network["cycle_start"])


def member_emails(members: pd.DataFrame, code: str) -> set[str]:
    return set(members.loc[members["collective"] == code, "email"])


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_csv_header_utf8_and_no_blank_rows(name: str) -> None:
    raw = (DEMO / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "demo files are written without a BOM"
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == COLUMNS[name]
    frame = read(name)
    assert len(frame) > 0
    assert not (frame == "").all(axis=1).any(), f"{name} has an empty row"
    for column in frame.columns:
        stripped = frame[column].str.strip()
        assert (stripped == frame[column]).all(), f"{name}:{column} has stray whitespace"


def test_network_json(network: dict) -> None:
    assert network["name"].strip()
    assert len(network["description"].split()) >= 15
    assert re.fullmatch(r"\d{4}-\d{2}", network["school_year"])
    assert iso(network["cycle_start"]).year == int(network["school_year"][:4])
    settings = network["settings"]
    assert settings["max_size"] == 10
    assert settings["min_size"] == 4
    assert settings["min_cell_size"] == 10


# --------------------------------------------------------------------------- participants


def test_participant_counts(people: pd.DataFrame) -> None:
    assert len(people) >= 60
    assert people["district"].nunique() >= 6
    assert people["region"].nunique() == 3
    assert set(people["role"]) == set(ROLES)
    assert set(people["modality"]) == set(MODALITIES)


def test_role_mix_is_realistic(people: pd.DataFrame) -> None:
    counts = people["role"].value_counts()
    frontline = counts["teacher_leader"] + counts["instructional_coach"] + counts["principal"]
    assert frontline >= len(people) / 2
    assert counts["superintendent"] <= min(counts["teacher_leader"], counts["principal"]) / 3


def test_participant_ids_emails_and_names_are_unique(people: pd.DataFrame) -> None:
    assert people["participant_id"].str.fullmatch(r"p\d{3}").all()
    assert people["participant_id"].is_unique
    assert people["email"].str.lower().is_unique
    assert people["name"].is_unique
    assert people["email"].str.fullmatch(r"[a-z0-9.]+@[a-z0-9.-]+\.example").all(), (
        "emails must use the reserved .example domain"
    )
    for column in ("name", "organization", "district", "region", "focus", "theme"):
        assert (people[column] != "").all(), f"blank {column}"


def test_districts_belong_to_one_region_and_one_domain(people: pd.DataFrame) -> None:
    assert (people.groupby("district")["region"].nunique() == 1).all()
    domains = people["email"].str.split("@").str[1]
    assert (domains.groupby(people["district"]).nunique() == 1).all()


def test_focus_statements(people: pd.DataFrame) -> None:
    focus = people["focus"]
    assert focus.is_unique
    words = focus.str.split().str.len()
    assert words.between(8, 35).all(), people.loc[~words.between(8, 35), "focus"].tolist()
    assert words.nunique() >= 8, "statement lengths should vary"
    # not every statement names its theme's keyword
    keyword = people["theme"].str.split().str[-1].str.lower()
    names_it = [k[:6] in f.lower() for k, f in zip(keyword, focus, strict=True)]
    assert sum(names_it) < len(people) / 2


def test_themes(people: pd.DataFrame) -> None:
    themes = set(people["theme"])
    assert 5 <= len(themes) <= 9
    second = people["second_theme"]
    assert set(second[second != ""]) <= themes
    assert (second != people["theme"]).all()
    assert 0.45 <= (second != "").mean() <= 0.75


# --------------------------------------------------------------------------- collectives


def test_collectives(collectives: pd.DataFrame, people: pd.DataFrame) -> None:
    assert collectives["collective"].is_unique
    assert collectives["name"].is_unique
    assert collectives["collective"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-\d+").all()
    assert set(collectives["modality"]) <= {"in_person", "virtual", "hybrid"}
    assert set(collectives["theme"]) <= set(people["theme"])
    virtual = collectives["modality"] == "virtual"
    assert (collectives.loc[virtual, "region"] == "").all()
    assert set(collectives.loc[~virtual, "region"]) <= set(people["region"])
    assert collectives["facilitator_email"].str.endswith(".example").all()
    assert not set(collectives["facilitator_email"]) & set(people["email"])


def test_placemat_files_match_collectives(
    collectives: pd.DataFrame, placemats: dict[str, dict]
) -> None:
    assert set(placemats) == set(collectives["collective"])
    assert set(collectives["collective"]) == COMPLETE | PARTIAL | NEARLY_EMPTY


# --------------------------------------------------------------------------- memberships


def test_memberships_reference_existing_rows(
    memberships: pd.DataFrame, people: pd.DataFrame, collectives: pd.DataFrame
) -> None:
    assert set(memberships["participant_id"]) <= set(people["participant_id"])
    assert set(memberships["collective"]) == set(collectives["collective"])
    assert memberships["participant_id"].is_unique, "someone is in two collectives"
    unplaced = len(people) - len(memberships)
    assert 0 <= unplaced <= len(people) // 8


def test_collective_sizes(memberships: pd.DataFrame, network: dict) -> None:
    sizes = memberships["collective"].value_counts()
    assert sizes.between(
        max(7, network["settings"]["min_size"]), network["settings"]["max_size"]
    ).all()


def test_members_share_the_theme(members: pd.DataFrame, collectives: pd.DataFrame) -> None:
    theme = members["collective"].map(collectives.set_index("collective")["theme"])
    ok = (members["theme"] == theme) | (members["second_theme"] == theme)
    assert ok.all(), members.loc[~ok, ["participant_id", "collective"]].to_dict("records")


def test_in_person_region_rule(members: pd.DataFrame, collectives: pd.DataFrame) -> None:
    info = collectives.set_index("collective")
    for code, group in members.groupby("collective"):
        modality, region = info.loc[code, "modality"], info.loc[code, "region"]
        if (group["modality"] == "in_person").any():
            assert group["region"].nunique() == 1, f"{code} mixes regions with in-person members"
            assert modality != "virtual", f"{code} is virtual but has in-person members"
        if modality == "in_person":
            assert not (group["modality"] == "virtual").any(), f"{code}: virtual member"
        if modality in ("in_person", "hybrid"):
            assert set(group["region"]) == {region}, f"{code} has members outside {region}"


def test_collectives_mix_roles_and_districts(members: pd.DataFrame) -> None:
    for code, group in members.groupby("collective"):
        assert group["district"].nunique() >= 3, code
        assert group["role"].nunique() >= 4, code


# --------------------------------------------------------------------------- placemats


def test_placemats_round_trip_with_fixed_ids(placemats: dict[str, dict]) -> None:
    seen: set[str] = set()
    for code, document in placemats.items():
        placemat = Placemat.from_dict(document)
        validate_placemat(placemat)
        assert placemat.to_dict() == document, f"{code} is not in Placemat.to_dict() form"
        ids = [s.id for s in placemat.theory_of_action] + [i.id for i in placemat.indicators]
        assert all(re.fullmatch(r"[0-9a-f]{10}", i) for i in ids), code
        assert not seen & set(ids), f"{code} reuses an id"
        seen |= set(ids)


def test_exactly_the_complete_placemats_pass_every_check(placemats: dict[str, dict]) -> None:
    passing = {
        code
        for code, document in placemats.items()
        if all(c.ok for c in check_placemat(Placemat.from_dict(document)))
    }
    assert passing == COMPLETE


def test_complete_placemats_are_fully_specified(placemats: dict[str, dict]) -> None:
    for code in COMPLETE:
        p = Placemat.from_dict(placemats[code])
        assert p.surfacing_data.strip(), code
        assert 2 <= len(p.priorities) <= 4, code
        assert [s.level for s in p.theory_of_action] == list(TOA_LEVELS), code
        assert 2 <= len(p.indicators) <= 3, code
        assert p.leading and p.lagging, code
        for ind in p.indicators:
            assert ind.name and ind.measure and ind.unit and ind.target_date, (code, ind.name)
            assert ind.kind in INDICATOR_KINDS and ind.evidence_type in EVIDENCE_TYPES
            assert ind.cadence in CADENCES
            assert ind.baseline is not None and ind.target is not None
            assert ind.baseline != ind.target
            assert iso(ind.target_date) > TODAY
        filled = [k for k, item in p.evidence_plan.items() if item.is_filled()]
        assert 3 <= len(filled) <= 4, code
        for key in filled:
            assert p.evidence_plan[key].who and p.evidence_plan[key].when, (code, key)


def test_partial_and_nearly_empty_placemats(placemats: dict[str, dict]) -> None:
    for code in PARTIAL:
        p = Placemat.from_dict(placemats[code])
        assert p.problem_of_practice and p.priorities, code
        assert 1 <= len(p.theory_of_action) <= 2, code
        assert len(p.indicators) == 1, code
    for code in NEARLY_EMPTY:
        p = Placemat.from_dict(placemats[code])
        assert p.problem_of_practice.strip(), code
        assert not (p.priorities or p.theory_of_action or p.indicators), code
        assert not any(item.is_filled() for item in p.evidence_plan.values()), code


# --------------------------------------------------------------------------- evidence


@pytest.fixture(scope="module")
def evidence() -> pd.DataFrame:
    return read("evidence.csv")


def test_evidence_size_and_types(evidence: pd.DataFrame) -> None:
    assert 300 <= len(evidence) <= 500
    assert set(evidence["evidence_type"]) == set(EVIDENCE_TYPES)


def test_evidence_references(
    evidence: pd.DataFrame, placemats: dict[str, dict], members: pd.DataFrame
) -> None:
    assert set(evidence["collective"]) <= set(placemats)
    for code, group in evidence.groupby("collective"):
        names = set(Placemat.from_dict(placemats[code]).indicator_names())
        named = set(group["indicator"]) - {""}
        assert named <= names, f"{code}: unknown indicators {named - names}"
        assert set(group["entered_by"]) <= member_emails(members, code), code
    with_indicators = {c for c, d in placemats.items() if d.get("indicators")}
    assert with_indicators <= set(evidence["collective"])


def test_evidence_indicator_type_matches_placemat(
    evidence: pd.DataFrame, placemats: dict[str, dict]
) -> None:
    for code, group in evidence[evidence["indicator"] != ""].groupby("collective"):
        types = {i.name: i.evidence_type for i in Placemat.from_dict(placemats[code]).indicators}
        wrong = group[group["evidence_type"] != group["indicator"].map(types)]
        assert wrong.empty, wrong.to_dict("records")


def test_evidence_values_dates_and_counts(evidence: pd.DataFrame, cycle_start: dt.date) -> None:
    dates = evidence["date"].map(iso)
    assert dates.between(cycle_start, TODAY).all()
    values = pd.to_numeric(evidence["value"].replace("", None), errors="raise")
    blank = evidence["value"] == ""
    assert (evidence.loc[blank, "indicator"] == "").all(), "indicator rows need a value"
    assert blank.sum() <= len(evidence) // 20
    percent = evidence["unit"].str.startswith("%")
    assert values[percent].between(0, 100).all()
    n = pd.to_numeric(evidence["n"], errors="raise")
    assert (n >= 1).all() and (n == n.round()).all()
    assert (n < 10).sum() >= 10, "some small cells, so suppression can be seen working"
    assert (n >= 100).sum() >= 50
    for column in ("subgroup", "description", "source", "entered_by"):
        assert (evidence[column] != "").all(), column


def test_each_indicator_series_has_a_collective_wide_row_per_date(
    evidence: pd.DataFrame,
) -> None:
    rows = evidence[evidence["indicator"] != ""]
    for (_code, _indicator, _day), group in rows.groupby(["collective", "indicator", "date"]):
        assert (group["subgroup"] == "all").sum() == 1
        assert group["subgroup"].is_unique


def _status(
    baseline: float, target: float, start: dt.date, due: dt.date, day: dt.date, value: float
) -> str:
    """On track if at or past the straight line from baseline to target; off track if no
    better than the baseline; at risk in between."""
    sign = 1 if target >= baseline else -1
    expected = baseline + (target - baseline) * (day - start).days / (due - start).days
    if sign * (value - expected) >= 0:
        return "on track"
    if sign * (value - baseline) <= 0:
        return "off track"
    return "at risk"


def test_indicator_trends_cover_every_status(
    evidence: pd.DataFrame, placemats: dict[str, dict], cycle_start: dt.date
) -> None:
    statuses = set()
    rows = evidence[(evidence["indicator"] != "") & (evidence["subgroup"] == "all")]
    for code, group in rows.groupby("collective"):
        for ind in Placemat.from_dict(placemats[code]).indicators:
            series = group[group["indicator"] == ind.name].sort_values("date")
            if series.empty or ind.baseline is None or ind.target is None:
                continue
            last = series.iloc[-1]
            statuses.add(
                _status(
                    ind.baseline,
                    ind.target,
                    cycle_start,
                    iso(str(ind.target_date)),
                    iso(last["date"]),
                    float(last["value"]),
                )
            )
    assert statuses == {"on track", "at risk", "off track"}


# --------------------------------------------------------------------------- scores


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return read("scores.csv")


def test_scores_are_anonymous(scores: pd.DataFrame, people: pd.DataFrame) -> None:
    assert scores["student_ref"].str.fullmatch(r"S\d{4}").all()
    text = " ".join(scores.drop(columns="score").to_numpy().ravel()).lower()
    for name in people["name"]:
        for part in name.lower().split():
            assert not re.search(rf"\b{re.escape(part)}\b", text), f"name {part!r} in scores"
    # a student ref belongs to one collective only
    assert (scores.groupby("student_ref")["collective"].nunique() == 1).all()


def test_score_sets(scores: pd.DataFrame) -> None:
    assert set(scores["phase"]) == {"pre", "post"}
    assert set(scores["collective"]) <= COMPLETE
    assert scores["collective"].nunique() == 2
    values = pd.to_numeric(scores["score"], errors="raise")
    assert values.between(0, 100).all()
    sizes = scores.groupby(["collective", "assessment", "phase"]).size()
    assert sizes.between(25, 60).all()
    assert not scores.duplicated(["collective", "assessment", "phase", "student_ref"]).any()


def test_effect_sizes_differ_between_the_two_collectives(scores: pd.DataFrame) -> None:
    effects = []
    for _key, group in scores.groupby(["collective", "assessment"]):
        pre = group.loc[group["phase"] == "pre", "score"].astype(float).tolist()
        post = group.loc[group["phase"] == "post", "score"].astype(float).tolist()
        sd = (statistics.stdev(pre) + statistics.stdev(post)) / 2
        effects.append((statistics.mean(post) - statistics.mean(pre)) / sd)
    small, large = sorted(effects)
    assert 0.0 < small <= 0.2
    assert 0.3 <= large <= 0.6


# --------------------------------------------------------------------------- log, reflections


def test_implementation_log(
    placemats: dict[str, dict], members: pd.DataFrame, cycle_start: dt.date
) -> None:
    log = read("implementation_log.csv")
    assert set(log["collective"]) == COMPLETE
    assert log["collective"].value_counts().between(5, 12).all()
    for code, group in log.groupby("collective"):
        steps = {s["id"] for s in placemats[code]["theory_of_action"]}
        assert set(group["toa_step"]) <= steps, code
        assert set(group["entered_by"]) <= member_emails(members, code), code
    assert log["date"].map(iso).between(cycle_start, TODAY).all()
    assert (log["action"].str.split().str.len() >= 6).all()


def test_reflections(members: pd.DataFrame, cycle_start: dt.date) -> None:
    reflections = read("reflections.csv")
    assert set(reflections["collective"]) >= COMPLETE
    assert reflections["collective"].value_counts().between(1, 3).all()
    for column in ("went_well", "didnt_go_well", "learned", "adjust"):
        assert (reflections[column].str.split().str.len() >= 8).all(), column
    for code, group in reflections.groupby("collective"):
        assert set(group["entered_by"]) <= member_emails(members, code), code
    assert reflections["meeting_date"].map(iso).between(cycle_start, TODAY).all()


# --------------------------------------------------------------------------- pulse survey


def test_pulse_responses(memberships: pd.DataFrame, cycle_start: dt.date) -> None:
    pulse = read("pulse_responses.csv")
    assert set(pulse["item_id"]) == PULSE_ITEMS
    assert set(pulse["wave"]) == {"start", "review"}
    scores = pd.to_numeric(pulse["score"], errors="raise")
    assert scores.between(1, 5).all() and (scores == scores.round()).all()
    pairs = set(zip(memberships["participant_id"], memberships["collective"], strict=True))
    assert set(zip(pulse["participant_id"], pulse["collective"], strict=True)) <= pairs
    both = pulse[pulse["wave"] == "review"]["collective"].unique()
    assert len(both) >= 5
    # one full set of items per person and wave
    per_response = pulse.groupby(["collective", "participant_id", "wave"])["item_id"]
    assert (per_response.apply(lambda s: set(s) == PULSE_ITEMS and s.is_unique)).all()
    submitted = pd.to_datetime(pulse["submitted_at"], format="ISO8601")
    assert (submitted.dt.date >= cycle_start).all() and (submitted.dt.date <= TODAY).all()
    assert (submitted[pulse["wave"] == "start"].dt.month == 9).all()
    assert (submitted[pulse["wave"] == "review"].dt.month == 11).all()
    # not everyone answered both waves, and the group means rose modestly
    waves = pulse.groupby(["collective", "participant_id"])["wave"].nunique()
    assert (waves == 1).any() and (waves == 2).any()
    mean = scores.groupby(pulse["wave"]).mean()
    assert 0.1 <= mean["review"] - mean["start"] <= 0.8
