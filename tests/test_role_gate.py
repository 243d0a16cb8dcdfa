"""The role gate: every section x every role, what renders, and what the page never holds.

Each section is built through ``workbook.section`` exactly as a workbook builds it; the
widget models it creates are the page's state (what Voilà sends to the browser), and
that state is searched for other collectives' keys, names and data.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pytest
from ipywidgets.widgets import widget as widget_module

from ilc_widgets import workbook
from ilc_widgets.access import collective_key, facilitator_key, intake_key
from ilc_widgets.widgets.home import (
    DONE_HERE,
    FACILITATORS_ONLY,
    INTAKE_ONLY,
    DeniedView,
    IntakeOnlyView,
    RestrictedView,
)

OWN = "literacy-1"
#: The sections of 01 and 02: a collective's link sees there what happened for the group.
FACILITATOR_WORKBOOK_SECTIONS = {"intake_form", "roster_import", "theme_board", "collective_board"}
WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
ROLES = ["participant", "facilitator", "intake", "researcher", "denied"]
#: Sections a collective's link sees that show every collective's (privacy-protected)
#: share-out: phase 6 exists to share knowledge across groups.
SHARED_ACROSS = {"gallery", "across_collectives"}

#: The expected matrix (section -> roles that see the section itself). Written out here,
#: not read from the registry, so a change to the gate has to change this table too.
MATRIX: dict[str, set[str]] = {
    "home": {"participant", "facilitator", "researcher"},
    "intake_form": {"intake", "facilitator", "researcher"},
    "roster_import": {"facilitator", "researcher"},
    "theme_board": {"facilitator", "researcher"},
    "collective_board": {"facilitator", "researcher"},
    "placemat": {"participant", "facilitator", "researcher"},
    "evidence_logger": {"participant", "facilitator", "researcher"},
    "coverage": {"participant", "facilitator", "researcher"},
    "implementation_log": {"participant", "facilitator", "researcher"},
    "progress_dashboard": {"participant", "facilitator", "researcher"},
    "effect_size": {"participant", "facilitator", "researcher"},
    "pulse_survey": {"participant", "facilitator", "researcher"},
    "pulse_results": {"participant", "facilitator", "researcher"},
    "reflection": {"participant", "facilitator", "researcher"},
    "gallery": {"participant", "facilitator", "researcher"},
    "across_collectives": {"participant", "facilitator", "researcher"},
    "network_report": {"facilitator", "researcher"},
}


def test_the_matrix_covers_every_registered_section():
    assert set(MATRIX) == set(workbook.SECTIONS)
    for name, roles in MATRIX.items():
        for role in ROLES[:-1]:
            assert workbook.may_see(role, name) == (role in roles), (name, role)


def _page_state(build: Any) -> tuple[Any, str]:
    """Run ``build`` and return its result and the JSON state of every widget it made."""
    before = set(widget_module._instances)
    result = build()
    made = [w for k, w in list(widget_module._instances.items()) if k not in before]
    state = json.dumps([w.get_state() for w in made], default=str)
    return result, state


@pytest.fixture(scope="module")
def demo_facts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Secrets, names and texts of the demo network that pages must or must not hold."""
    from ilc_widgets.demo import load_demo

    net = load_demo(tmp_path_factory.mktemp("gate") / "demo.sqlite")
    secret = net.secret
    others = [c for c in net.collective_list() if c.code != OWN]
    members = net.members(OWN)
    own_names = set(members["name"].astype(str))
    people = net.participants
    evidence = net.evidence
    other_evidence = evidence[evidence["collective"] != OWN]
    own_desc = set(evidence.loc[evidence["collective"] == OWN, "description"].astype(str))
    facts = {
        "net": net,
        "own_key": collective_key(secret, OWN),
        "other_keys": [collective_key(secret, c.code) for c in others],
        "facilitator_key": facilitator_key(secret),
        "intake_key": intake_key(secret),
        "other_collective_names": [c.name for c in others],
        "all_collective_names": [c.name for c in net.collective_list()],
        "other_member_names": sorted(
            n for n in people["name"].astype(str) if n not in own_names and len(n) > 5
        ),
        "all_names": sorted(n for n in people["name"].astype(str) if len(n) > 5),
        "all_emails": sorted(people["email"].astype(str)),
        "other_member_emails": sorted(
            e for n, e in zip(people["name"], people["email"], strict=True) if n not in own_names
        ),
        # distinctive evidence texts of other collectives (not shared with the own one)
        "other_evidence": sorted(
            d for d in set(other_evidence["description"].astype(str)) - own_desc if len(d) > 25
        )[:40],
        "network_name": net.info["name"],
    }
    yield facts
    net.close()


def _ctx(facts: dict[str, Any], role: str) -> Any:
    from ilc_widgets.access import access_query
    from ilc_widgets.session import SessionContext

    net = facts["net"]
    if role == "denied":
        return SessionContext("denied", reason="test")
    if role == "participant":
        return SessionContext(
            "participant",
            network=net,
            collective=net.collective(OWN),
            actor="member",
            query=access_query(net.secret, collective=OWN),
        )
    query = access_query(net.secret, role=role) if role in ("facilitator", "intake") else ""
    return SessionContext(role, network=net, actor=role, query=query)  # type: ignore[arg-type]


def _assert_absent(state: str, needles: list[str], what: str, where: str) -> None:
    found = [n for n in needles if n and n in state]
    assert not found, f"{where}: the page holds {what}: {found[:3]}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_section_by_role(demo_facts, name, role):
    ctx = _ctx(demo_facts, role)
    widget, state = _page_state(lambda: workbook.section(ctx, name))
    where = f"{name} as {role}"
    assert isinstance(widget, W.Widget)
    if role == "denied":
        assert isinstance(widget, DeniedView), where
    elif role in MATRIX[name]:
        target = workbook.SECTIONS[name].target.split(":")[1]
        assert type(widget).__name__ == target, where
    elif role == "intake":
        assert isinstance(widget, IntakeOnlyView), where
        assert INTAKE_ONLY.split(":")[0] in state
    else:
        assert isinstance(widget, RestrictedView), where
        if name in FACILITATOR_WORKBOOK_SECTIONS:  # 01, 02: what happened there for them
            assert DONE_HERE in state and FACILITATORS_ONLY not in state, where
        else:
            assert FACILITATORS_ONLY in state
        assert f"collective={OWN}" in state  # the way back to their own home page

    # Nobody but facilitators and researchers holds the facilitator key; nobody but the
    # intake link (and they) the intake key; no one holds another collective's key.
    if role not in ("facilitator", "researcher"):
        _assert_absent(state, [demo_facts["facilitator_key"]], "the facilitator key", where)
        _assert_absent(state, demo_facts["other_keys"], "another collective's key", where)
    if role in ("participant", "denied"):
        _assert_absent(state, [demo_facts["intake_key"]], "the intake key", where)
    if role in ("intake", "denied"):
        _assert_absent(state, [demo_facts["own_key"]], "a collective's key", where)
        _assert_absent(state, demo_facts["all_names"], "a participant's name", where)
        _assert_absent(state, demo_facts["all_emails"], "a participant's email", where)
        _assert_absent(state, demo_facts["all_collective_names"], "a collective's name", where)
        _assert_absent(state, demo_facts["other_evidence"], "evidence", where)
    if role == "denied":
        _assert_absent(state, [demo_facts["network_name"]], "the network's name", where)
    if role == "participant":
        _assert_absent(state, demo_facts["other_member_names"], "another member's name", where)
        _assert_absent(state, demo_facts["other_member_emails"], "another member's email", where)
        if name not in SHARED_ACROSS:
            _assert_absent(
                state, demo_facts["other_collective_names"], "another collective's name", where
            )
        _assert_absent(state, demo_facts["other_evidence"], "another collective's evidence", where)


def _workbook_sections(path: Path) -> list[str]:
    code = "\n".join(
        "".join(cell["source"])
        for cell in json.loads(path.read_text())["cells"]
        if cell["cell_type"] == "code"
    )
    names = re.findall(r"workbook\.section\(ctx, \"(\w+)\"\)", code)
    return (["home"] if "workbook.home(ctx)" in code else []) + names


WORKBOOK_FILES = sorted(WORKBOOKS.glob("0*.ipynb"))


@pytest.mark.parametrize("path", WORKBOOK_FILES, ids=[p.stem for p in WORKBOOK_FILES])
def test_intake_link_pages(demo_facts, path):
    """The intake link: the form on workbook 01, one short note on every other page."""
    ctx = _ctx(demo_facts, "intake")
    names = _workbook_sections(path)
    assert names, path
    widgets, state = _page_state(lambda: [workbook.section(ctx, n) for n in names])
    kinds = [type(w).__name__ for w in widgets]
    if path.stem.startswith("01"):
        assert kinds[0] == "IntakeForm" and all(k == "VBox" for k in kinds[1:]), kinds
    else:
        assert kinds[0] == "IntakeOnlyView" and all(k == "VBox" for k in kinds[1:]), kinds
        assert "Open the intake form" in state and "01_gather_themes.ipynb?role=intake" in state
    _assert_absent(state, demo_facts["all_collective_names"], "a collective's name", path.name)
    _assert_absent(state, demo_facts["all_names"], "a participant's name", path.name)
    assert "Researcher" not in state and "whole network" not in state


@pytest.mark.parametrize("path", WORKBOOK_FILES, ids=[p.stem for p in WORKBOOK_FILES])
def test_participant_pages_show_one_note_at_most(demo_facts, path):
    ctx = _ctx(demo_facts, "participant")
    widgets, state = _page_state(
        lambda: [workbook.section(ctx, n) for n in _workbook_sections(path)]
    )
    assert state.count(FACILITATORS_ONLY) <= 1
    notes = [w for w in widgets if isinstance(w, RestrictedView)]
    assert len(notes) <= 1


def test_home_page_refuses_a_session_without_whole_network_access(demo_facts):
    """Defence in depth: the home page's network branch never serves a collective-less
    participant or intake session, even if the gate were bypassed."""
    from ilc_widgets.errors import AccessDenied
    from ilc_widgets.widgets.home import HomePage

    with pytest.raises(AccessDenied):
        HomePage(_ctx(demo_facts, "intake"))


def test_intake_link_through_get_context_reads_as_intake(demo_facts):
    """The intake link on 00 (as the tester opened it) gets the intake note, not the network."""
    from ilc_widgets.access import access_query
    from ilc_widgets.session import get_context

    net = demo_facts["net"]
    ctx = get_context(
        net.url,
        query_string=access_query(net.secret, role="intake"),
        environ={"SERVER_SOFTWARE": "voila/0.5"},
    )
    assert ctx.role == "intake" and not ctx.is_facilitator
    page, state = _page_state(lambda: workbook.home(ctx))
    assert isinstance(page, IntakeOnlyView)
    _assert_absent(state, demo_facts["other_keys"] + [demo_facts["own_key"]], "a key", "00")
