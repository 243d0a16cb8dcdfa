"""The storage layer on SQLite and PostgreSQL: every table, conflicts, recoverable deletes."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from ilc_widgets.errors import ConflictError, IlcError, ImportValidationError, NotFound
from ilc_widgets.network import create_network, open_network
from ilc_widgets.placemat import Indicator, Placemat, TheoryStep

ROSTER = """participant_id,name,email,role,organization,district,region,modality,focus,theme,second_theme
p1,Ana Ruiz,ana@north.example,Principal,Lincoln MS,North,Lakes,In person,Chronic absence is up,,
p2,Ben Ode,ben@south.example,Teacher Leader,Central HS,South,Lakes,virtual,Ninth grade D and F rates,,
p3,Cy Park,cy@east.example,Instructional coach,East ES,East,Prairie,either,Three-cueing to phonics,,
p4,Di Lam,di@north.example,Assistant Principal,Lincoln MS,North,Lakes,in_person,Monday attendance,,
"""


def _roster(net, text: str = ROSTER) -> int:
    return net.import_participants(text.encode(), "roster.csv").added


def test_create_and_reopen(network, database_url):
    again = open_network(database_url)
    assert again.name == "Test network"
    assert again.settings["max_size"] == 10
    assert again.settings["min_cell_size"] == 10
    with pytest.raises(IlcError, match="already holds a network"):
        create_network(database_url, "Second")


def test_open_missing_file_says_how_to_create(tmp_path):
    with pytest.raises(IlcError, match="ilc init"):
        open_network(tmp_path / "nothing.sqlite")


def test_import_participants_normalizes_labels(network):
    assert _roster(network) == 4
    people = network.participants.set_index("participant_id")
    assert people.loc["p1", "role"] == "principal"
    assert people.loc["p2", "role"] == "teacher_leader"
    assert people.loc["p4", "role"] == "assistant_principal"
    assert people.loc["p1", "modality"] == "in_person"
    assert pd.isna(people.loc["p3", "collective"])  # tidy: missing text is pd.NA


def test_failed_import_writes_nothing(network):
    _roster(network)
    bad = ROSTER.replace("p1,", "p9,").replace("Principal", "Wizard", 1)
    bad = bad.replace("ana@north", "new@north")
    with pytest.raises(ImportValidationError) as err:
        network.import_participants(bad.encode(), "bad.csv")
    text = str(err.value)
    assert "bad.csv" in text and "row 2" in text and "role" in text
    assert len(network.participants) == 4


def test_duplicate_email_against_network_is_rejected(network):
    _roster(network)
    again = (
        ROSTER.splitlines()[0]
        + "\np9,Ana Again,ANA@north.example,principal,X,North,Lakes,virtual,f,,\n"
    )
    with pytest.raises(ImportValidationError, match=r"ana@north\.example"):
        network.import_participants(again.encode(), "again.csv")
    assert len(network.participants) == 4


def test_intake_form_adds_one_participant(network):
    pid = network.add_participant(
        name="Eve Stone",
        email="Eve@West.example",
        role="School psychologist",
        organization="West ES",
        district="West",
        region="Prairie",
        modality="Virtual",
        focus="Tier 2 referrals are swamping our MTSS meetings",
    )
    row = network.participants.set_index("participant_id").loc[pid]
    assert row["email"] == "eve@west.example"
    assert row["role"] == "school_psychologist"
    with pytest.raises(ImportValidationError, match="email"):
        network.add_participant(
            name="No Mail", email="not-an-email", role="principal", district="West"
        )


def test_themes_plan_and_members(network):
    _roster(network)
    network.accept_themes(
        {"p1": "Attendance", "p4": "Attendance", "p2": "Grading", "p3": "Literacy"},
        [
            {"name": "Attendance", "keywords": ["absence"]},
            {"name": "Grading"},
            {"name": "Literacy"},
        ],
    )
    themes = network.themes.set_index("name")
    assert themes.loc["Attendance", "participants"] == 2
    assert list(network.themes["name"]) == ["Attendance", "Grading", "Literacy"]
    plan = pd.DataFrame(
        {"participant_id": ["p1", "p4", "p2", "p3"], "collective": ["att-1", "att-1", "grd-1", ""]}
    )
    network.save_plan(
        plan,
        [
            {
                "code": "att-1",
                "name": "Attendance Lakes",
                "theme": "Attendance",
                "region": "Lakes",
                "modality": "in_person",
            },
            {"code": "grd-1", "name": "Grading", "theme": "Grading", "modality": "virtual"},
        ],
    )
    assert set(network.members("att-1")["participant_id"]) == {"p1", "p4"}
    assert network.collective_of(email="ben@south.example") == "grd-1"
    assert network.collective_of(email="cy@east.example") is None
    network.move_member("p2", "att-1")
    assert set(network.members("att-1")["participant_id"]) == {"p1", "p2", "p4"}
    assert network.members("grd-1").empty
    counts = network.collectives.set_index("collective")["members"]
    assert counts["att-1"] == 3 and counts["grd-1"] == 0
    with pytest.raises(IlcError, match="unknown collective"):
        network.save_plan(pd.DataFrame({"participant_id": ["p3"], "collective": ["nope"]}), [])


def _placemat() -> Placemat:
    return Placemat(
        problem_of_practice="Chronic absence at Lincoln MS rose to 24% of students in 2025-26",
        priorities=["Mondays", "Mentoring"],
        theory_of_action=[
            TheoryStep("we call home on day one", "families re-engage", "leader_actions"),
            TheoryStep("teachers greet students", "students attend more", "student_outcomes"),
        ],
        indicators=[
            Indicator(
                name="Monday attendance",
                kind="leading",
                baseline=84,
                target=92,
                unit="%",
                target_date="2027-05-30",
            ),
            Indicator(
                name="Chronic absence",
                kind="lagging",
                baseline=24,
                target=15,
                unit="%",
                target_date="2027-06-15",
            ),
        ],
    )


def test_placemat_versions_conflicts_and_restore(network):
    network.create_collective("att-1", "Attendance", theme="Attendance")
    state = network.placemat("att-1")
    assert state.version == 0 and state.placemat.problem_of_practice == ""
    v1 = network.save_placemat("att-1", _placemat(), 0, actor="ana")
    assert v1 == 1
    # a second editor who read version 0 is refused, and nothing is overwritten
    stale = Placemat(problem_of_practice="Something else entirely")
    with pytest.raises(ConflictError) as err:
        network.save_placemat("att-1", stale, 0, actor="ben")
    assert err.value.current == 1
    assert network.placemat("att-1").placemat.problem_of_practice.startswith("Chronic absence")
    edited = network.placemat("att-1").placemat
    edited.priorities.append("Family outreach")
    assert network.save_placemat("att-1", edited, 1, actor="ben") == 2
    history = network.placemat_history("att-1")
    assert list(history["version"]) == [2, 1]
    assert list(history["saved_by"]) == ["ben", "ana"]
    assert network.restore_placemat("att-1", 1, 2, actor="cy") == 3
    assert network.placemat("att-1").placemat.priorities == ["Mondays", "Mentoring"]
    assert "restored version 1" in network.placemat_history("att-1")["note"].iloc[0]
    indicators = network.indicators
    assert list(indicators["name"]) == ["Monday attendance", "Chronic absence"]
    assert indicators["target_date"].iloc[0] == pd.Timestamp(2027, 5, 30)  # datetime64 in tidy


def test_evidence_add_edit_delete_restore(network):
    network.create_collective("att-1", "Attendance")
    eid = network.add_evidence(
        "att-1",
        actor="ana@north.example",
        date="2026-10-05",
        evidence_type="Student learning",
        indicator="Monday attendance",
        value="86.5",
        unit="%",
        n="240",
        subgroup="all",
        description="SIS report",
        source="SIS",
    )
    frame = network.evidence_frame("att-1")
    row = frame.set_index("id").loc[eid]
    assert row["evidence_type"] == "student_learning"
    assert row["value"] == pytest.approx(86.5)
    assert row["n"] == 240
    assert row["entered_by"] == "ana@north.example"
    version = int(row["version"])
    assert network.update_evidence(eid, version, value=88, actor="ana") == version + 1
    with pytest.raises(ConflictError):
        network.update_evidence(eid, version, value=90, actor="ben")
    assert network.evidence_frame("att-1")["value"].iloc[0] == pytest.approx(88)
    network.delete_evidence(eid, actor="ana")
    assert network.evidence_frame("att-1").empty
    kept = network.evidence_frame("att-1", include_deleted=True)
    assert bool(kept["deleted"].iloc[0])
    network.restore_evidence(eid, actor="ana")
    assert len(network.evidence_frame("att-1")) == 1


def test_evidence_validation(network):
    network.create_collective("att-1", "Attendance")
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    with pytest.raises(ImportValidationError, match="future"):
        network.add_evidence(
            "att-1", date=future, evidence_type="perceptions", value=3, unit="pts", description="x"
        )
    with pytest.raises(ImportValidationError, match="unit"):
        network.add_evidence(
            "att-1", date="2026-10-01", evidence_type="perceptions", value=3, description="x"
        )
    with pytest.raises(ImportValidationError, match="n"):
        network.add_evidence(
            "att-1",
            date="2026-10-01",
            evidence_type="perceptions",
            value=3,
            unit="pts",
            n=-2,
            description="x",
        )
    assert network.evidence_frame("att-1").empty


def test_collective_scoping_refuses_other_collectives_entries(network):
    network.create_collective("att-1", "A")
    network.create_collective("grd-1", "B")
    eid = network.add_evidence(
        "att-1", date="2026-10-01", evidence_type="demographic", value=30, unit="%", description="x"
    )
    with pytest.raises(NotFound):
        network.delete_evidence(eid, collective="grd-1")
    assert len(network.evidence_frame("att-1")) == 1


def test_import_evidence_file_is_all_or_nothing(network):
    network.create_collective("att-1", "A")
    good = (
        "collective,date,evidence_type,indicator,value,unit,n,subgroup,description,source,entered_by\n"
        "att-1,2026-09-15,perceptions,Belonging,3.4,pts,120,all,Survey,Panorama,ana\n"
        "att-1,2026-09-22,school processes,Walkthroughs,12,visits,,all,Walkthroughs,form,ana\n"
    )
    assert network.import_evidence(io.BytesIO(good.encode()), "ev.csv").added == 2
    bad = good + "att-9,2026-09-29,perceptions,Belonging,3.5,pts,120,all,Survey,Panorama,ana\n"
    with pytest.raises(ImportValidationError) as err:
        network.import_evidence(bad.encode(), "ev2.csv")
    assert "ev2.csv" in str(err.value) and "row 4" in str(err.value)
    assert len(network.evidence) == 2


def test_actions_reflections_pulse_scores(network):
    network.create_collective("att-1", "A")
    aid = network.add_action(
        "att-1", "2026-10-02", "Called every family of a chronically absent student", "s1"
    )
    assert network.implementation_log("att-1")["toa_step"].tolist() == ["s1"]
    network.delete_action(aid, collective="att-1")
    assert network.implementation_log("att-1").empty
    network.add_reflection(
        "att-1",
        "2026-11-10",
        went_well="Calls",
        learned="Mondays matter",
        adjust_areas=["indicators"],
    )
    assert network.reflections["adjust_areas"].iloc[0] == ["indicators"]
    with pytest.raises(IlcError):
        network.add_reflection("att-1", "2026-11-10")
    network.submit_pulse("att-1", "p1", "start", {"su1": 3, "jw1": 2})
    network.submit_pulse("att-1", "p1", "start", {"su1": 4, "jw1": 2})  # answering again replaces
    pulse = network.survey_responses
    assert len(pulse) == 2 and pulse.set_index("item_id").loc["su1", "score"] == 4
    with pytest.raises(IlcError, match="1 to 5"):
        network.submit_pulse("att-1", "p1", "review", {"su1": 7})
    assert network.add_scores("att-1", "Unit 3", "pre", [10, 12, None, 14]) == 3
    assert len(network.scores) == 3


def test_revision_counters_move_with_changes(network):
    network.create_collective("att-1", "A")
    network.create_collective("grd-1", "B")
    before_a, before_b = network.revision("att-1"), network.revision("grd-1")
    before_all = network.revision()
    network.add_evidence(
        "att-1", date="2026-10-01", evidence_type="demographic", value=3, unit="%", description="x"
    )
    assert network.revision("att-1") == before_a + 1
    assert network.revision("grd-1") == before_b
    assert network.revision() > before_all


def test_audit_log_records_who_changed_what(network):
    network.create_collective("att-1", "A", actor="facilitator")
    network.save_placemat("att-1", _placemat(), 0, actor="ana")
    log = network.audit_log
    assert {"collective", "placemat"} <= set(log["entity"])
    assert log.set_index("entity").loc["placemat", "actor"] == "ana"


def test_rotate_secret_changes_it(network):
    old = network.secret
    assert network.rotate_secret() != old
    assert network.secret != old


def test_tables_cover_the_brief(demo_network):
    tables = demo_network.tables()
    for name in (
        "participants",
        "collectives",
        "placemats",
        "evidence",
        "reflections",
        "pulse_responses",
    ):
        assert not tables[name].empty, name
    assert len(demo_network.participants) >= 60
    assert demo_network.participants["district"].nunique() >= 6
    assert demo_network.participants["region"].nunique() == 3
    assert set(demo_network.evidence["evidence_type"]) == {
        "demographic",
        "perceptions",
        "student_learning",
        "school_processes",
    }


def test_demo_replaces_demo_but_never_a_real_network(tmp_path):
    from ilc_widgets.demo import load_demo

    path = tmp_path / "n.sqlite"
    load_demo(path).close()
    load_demo(path).close()  # a second demo load replaces the first
    assert len(open_network(path).participants) >= 60
    real = tmp_path / "real.sqlite"
    create_network(real, "Real network").close()
    with pytest.raises(IlcError, match="not the demo"):
        load_demo(real)
    assert open_network(real).name == "Real network"
