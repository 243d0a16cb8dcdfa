"""The session context of a workbook: Voilà links, JupyterHub users, JupyterLab researchers."""

from __future__ import annotations

import pandas as pd
import pytest

from ilc_widgets.access import access_query
from ilc_widgets.errors import IlcError
from ilc_widgets.session import get_context

VOILA = {"SERVER_SOFTWARE": "voila/0.5.13"}


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


def test_collective_link_grants_that_collective_only(net):
    q = access_query(net.secret, collective="literacy-1")
    ctx = get_context(net.url, query_string=q, environ=VOILA)
    assert ctx.allowed and ctx.role == "participant"
    assert ctx.collective_code == "literacy-1"
    assert ctx.link("03_design_inquiry.ipynb") == f"./03_design_inquiry.ipynb?{q}"


@pytest.mark.parametrize(
    "query",
    ["", "collective=literacy-1", "collective=literacy-1&key=x", "role=facilitator&key=nope"],
)
def test_voila_without_valid_key_is_denied(net, query):
    ctx = get_context(net.url, query_string=query, environ=VOILA)
    assert not ctx.allowed
    assert ctx.network is None and ctx.collective is None


def test_other_collectives_key_is_denied(net):
    key = access_query(net.secret, collective="grading-1").split("key=")[1]
    ctx = get_context(net.url, query_string=f"collective=literacy-1&key={key}", environ=VOILA)
    assert not ctx.allowed


def test_facilitator_link(net):
    ctx = get_context(
        net.url, query_string=access_query(net.secret, role="facilitator"), environ=VOILA
    )
    assert ctx.role == "facilitator" and ctx.collective is None and ctx.is_facilitator


def test_jupyterlab_without_query_is_researcher(net):
    ctx = get_context(net.url, query_string="", environ={})
    assert ctx.role == "researcher" and ctx.collective is None
    narrowed = get_context(net.url, collective="grading-1", query_string="", environ={})
    assert narrowed.role == "researcher" and narrowed.collective_code == "grading-1"


def test_papermill_collective_parameter_grants_nothing_under_voila(net):
    ctx = get_context(net.url, collective="grading-1", query_string="", environ=VOILA)
    assert not ctx.allowed


def test_jupyterhub_user_maps_to_their_collective(net):
    members = net.participants
    row = members[members["collective"] != ""].iloc[0]
    env = {**VOILA, "JUPYTERHUB_USER": row["email"].upper()}
    ctx = get_context(net.url, query_string="", environ=env)
    assert ctx.role == "participant" and ctx.collective_code == row["collective"]
    assert ctx.actor == row["email"].upper()
    stranger = get_context(net.url, query_string="", environ={**VOILA, "JUPYTERHUB_USER": "x@y.z"})
    assert not stranger.allowed


def test_jupyterhub_facilitators_setting(net):
    net.update_settings(facilitators=["lead@network.example"])
    env = {**VOILA, "JUPYTERHUB_USER": "lead@network.example"}
    assert get_context(net.url, query_string="", environ=env).role == "facilitator"


def test_rotated_secret_invalidates_links(net):
    q = access_query(net.secret, collective="literacy-1")
    net.rotate_secret()
    assert not get_context(net.url, query_string=q, environ=VOILA).allowed


def test_missing_database_is_denied_under_voila_and_explained_in_lab(tmp_path):
    missing = str(tmp_path / "none.sqlite")
    ctx = get_context(missing, query_string="", environ=VOILA)
    assert not ctx.allowed and "could not be opened" in ctx.reason
    with pytest.raises(IlcError, match="ilc init"):
        get_context(missing, query_string="", environ={})


def test_ilc_serve_marks_kernels_as_voila(net):
    ctx = get_context(net.url, query_string="", environ={"ILC_SERVE": "1"})
    assert not ctx.allowed
    assert isinstance(net.participants, pd.DataFrame)


def test_facilitator_of_several_collectives_chooses_among_them(net):
    codes = [c.code for c in net.collective_list()][:2]
    for code in codes:
        net.update_collective(code, facilitator_email="coach@network.example")
    env = {**VOILA, "JUPYTERHUB_USER": "coach@network.example"}
    first = get_context(net.url, query_string="", environ=env)
    assert first.role == "participant" and first.collective_code == codes[0]
    assert set(first.choices) == set(codes)
    second = get_context(net.url, query_string=f"collective={codes[1]}", environ=env)
    assert second.collective_code == codes[1]
    assert second.link("04_collect_evidence.ipynb").endswith(f"?collective={codes[1]}")
    other = next(c.code for c in net.collective_list() if c.code not in codes)
    assert not get_context(net.url, query_string=f"collective={other}", environ=env).allowed

    from ilc_widgets.widgets.home import HomePage

    page = HomePage(second)
    assert f"collective={codes[0]}" in page.header.value


def test_unknown_collective_raises_in_a_batch_run(net):
    from ilc_widgets.errors import NotFound

    with pytest.raises(NotFound, match=r"no-such.*known: "):
        get_context(net.url, collective="no-such", query_string="", environ={})
    # under Voilà the page keeps its "not valid" view
    assert not get_context(net.url, query_string="collective=no-such&key=x", environ=VOILA).allowed


def test_researcher_session_is_read_only_unless_asked(net):
    from ilc_widgets.errors import ReadOnlySession
    from ilc_widgets.workbook import researcher_banner

    before = len(net.evidence)
    ctx = get_context(net.url, collective="literacy-1", query_string="", environ={})
    assert ctx.read_only
    with pytest.raises(ReadOnlySession, match="write=True"):
        ctx.network.add_evidence(
            "literacy-1",
            actor="r",
            date="2026-10-01",
            evidence_type="perceptions",
            indicator="x",
            value=1,
            unit="%",
        )
    assert "read-only" in researcher_banner(ctx)
    writer = get_context(net.url, query_string="", environ={}, write=True)
    assert not writer.read_only and "writing to the live network" in researcher_banner(writer)
    writer.network.add_evidence(
        "literacy-1",
        actor="r",
        date="2026-10-01",
        evidence_type="perceptions",
        indicator="x",
        value=1,
        unit="%",
    )
    assert len(net.evidence) == before + 1


def test_voila_sessions_are_never_read_only(net):
    q = access_query(net.secret, collective="literacy-1")
    assert not get_context(net.url, query_string=q, environ=VOILA).read_only
