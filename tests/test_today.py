"""Today's step: the storage rule (``Network.set_today``), the pure state (which step applies
to which collective), the facilitator's control, the Today card and the 01/02 notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ilc_widgets import workbook
from ilc_widgets.access import NOTEBOOKS
from ilc_widgets.errors import IlcError, NotFound, ReadOnlySession
from ilc_widgets.session import READ_ONLY_MESSAGE
from ilc_widgets.widgets.home import (
    FACILITATORS_ONLY,
    HomePage,
    RestrictedView,
    TodayControl,
    state,
)

if TYPE_CHECKING:
    import ipywidgets as W

OWN = "literacy-1"
D03, D04, D05 = "03_design_inquiry.ipynb", "04_collect_evidence.ipynb", "05_review_progress.ipynb"


def texts(widget: W.Widget) -> str:
    """Every string of a widget tree (values, labels, options), as the page would hold them."""
    out: list[str] = []
    stack = [widget]
    while stack:
        w = stack.pop()
        for name in ("value", "description", "tooltip", "options", "placeholder"):
            if w.has_trait(name):
                out.append(str(getattr(w, name)))
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


# ---------------------------------------------------------------------- pure state


def test_own_step_wins_over_the_one_for_all():
    steps = {"*": D03, OWN: D04}
    assert state.today_for(steps, OWN) == D04
    assert state.today_for(steps, "grading-1") == D03
    assert state.today_for(steps, None) == D03
    assert state.today_for({OWN: D04}, "grading-1") is None
    assert state.today_for({}, OWN) is None


def test_steps_from_settings_keeps_only_known_workbooks():
    settings = {"today": {"*": D05, "a": "99_nope.ipynb", "b": "01_gather_themes.ipynb", "c": 3}}
    assert state.steps_from_settings(settings) == {"*": D05}
    assert state.steps_from_settings({"today": "03"}) == {}
    assert state.steps_from_settings({}) == {}


def test_choices_offer_the_collectives_workbooks_and_all_first():
    assert [nb for _, nb in state.notebook_options()] == [
        D03,
        D04,
        D05,
        "06_share_knowledge.ipynb",
        "",
    ]
    scopes = state.scope_options([(OWN, "Literacy One")])
    assert scopes[0] == (state.ALL_LABEL, "*") and scopes[1] == ("Literacy One (literacy-1)", OWN)


def test_workbook_steps_mark_today_and_make_01_02_done_for_a_collective():
    steps = state.workbook_steps(
        participant=True, theme="Reading", members=["Ann", "Bo"], today=D04
    )
    by_nb = {s.notebook: s for s in steps}
    assert "00_home.ipynb" not in by_nb and len(steps) == 6
    assert by_nb["01_gather_themes.ipynb"].done == (
        "1. Gather and identify themes - done: your theme is Reading"
    )
    assert by_nb["02_form_collectives.ipynb"].done == (
        "2. Form collectives - done: you are 2 members: Ann, Bo"
    )
    assert [s.notebook for s in steps if s.today] == [D04]
    assert not by_nb[D03].done
    facilitator = state.workbook_steps(participant=False)
    assert not any(s.done for s in facilitator)


def test_today_summary_names_all_then_each_collective():
    lines = state.today_summary({"*": D03, OWN: D04, "gone": D05}, {OWN: "Literacy One"})
    assert lines == [
        "All collectives: 3. Design inquiry (placemat)",
        "Literacy One: 4. Implement and collect evidence",
    ]


# ---------------------------------------------------------------------- storage


def _today_audit(net):
    log = net.audit_log_frame()  # newest first
    return log[(log["entity"] == "settings") & (log["entity_id"] == "today")]


def test_set_today_stores_the_step_and_writes_an_audit_row(demo_sqlite):
    net = demo_sqlite
    before = len(_today_audit(net))
    net.set_today(D03, actor="fac@example.org")
    net.set_today(D04, OWN, actor="fac@example.org")
    assert net.settings["today"] == {"*": D03, OWN: D04}
    rows = _today_audit(net)
    assert len(rows) == before + 2
    last = rows.iloc[0]
    assert last["actor"] == "fac@example.org" and last["collective"] == OWN
    assert last["detail"] == {"today": {OWN: D04}}
    net.set_today("", OWN)  # clearing a collective's own step leaves the one for all
    assert net.settings["today"] == {"*": D03}
    assert net.settings["max_size"] == 10  # other settings untouched


@pytest.mark.parametrize(
    ("notebook", "collective", "error", "says"),
    [
        ("99_other.ipynb", "*", IlcError, "99_other.ipynb"),
        ("00_home.ipynb", "*", IlcError, "00_home.ipynb"),
        ("01_gather_themes.ipynb", "*", IlcError, "facilitators' workbook"),
        ("02_form_collectives.ipynb", OWN, IlcError, "facilitators' workbook"),
        (D03, "no-such-group", NotFound, "no-such-group"),
        (D03, " ", IlcError, "which collective"),
    ],
)
def test_set_today_names_what_is_wrong(demo_sqlite, notebook, collective, error, says):
    with pytest.raises(error) as raised:
        demo_sqlite.set_today(notebook, collective)
    assert says in str(raised.value)
    assert "today" not in demo_sqlite.settings


def test_set_today_is_refused_read_only(demo_sqlite):
    demo_sqlite.make_read_only(READ_ONLY_MESSAGE)
    with pytest.raises(ReadOnlySession):
        demo_sqlite.set_today(D03)


# ---------------------------------------------------------------------- widgets


def test_facilitator_sets_today_for_one_collective(ctx_for):
    ctx = ctx_for("facilitator")
    home = HomePage(ctx)
    control = home.today_control
    assert isinstance(control, TodayControl)
    assert control.notebook.description == "Workbook" and control.scope.description == "For"
    assert "ilc-live" in control.notice._dom_classes
    assert "No step is set" in control.current.value
    control.notebook.value = D04
    control.scope.value = OWN
    control.set_button.click()
    name = ctx.network.collective(OWN).name
    assert control.notice.text == f"Today for {name}: {NOTEBOOKS[D04]}."
    assert ctx.network.settings["today"] == {OWN: D04}
    assert f"{name}: {NOTEBOOKS[D04]}" in control.current.value
    control.notebook.value = ""  # clear it again
    control.set_button.click()
    assert control.notice.text == f"Cleared today's step for {name}."
    assert ctx.network.settings["today"] == {}


def test_read_only_facilitator_session_gets_the_read_only_error(ctx_for):
    ctx = ctx_for("researcher")
    ctx.network.make_read_only(READ_ONLY_MESSAGE)
    control = HomePage(ctx).today_control
    control.set_button.click()
    assert "ilc-alert" in control.notice._dom_classes or "error" in control.notice.value
    assert control.notice.text.startswith("This researcher session is read-only")
    assert "today" not in ctx.network.settings


def test_collective_home_leads_with_its_today_card(ctx_for):
    ctx = ctx_for("participant", OWN)
    ctx.network.set_today(D03)
    ctx.network.set_today(D04, OWN)
    home = HomePage(ctx)
    assert home.today == D04
    assert home.children.index(home.today_html) < home.children.index(home.links_html)
    card = home.today_html.value
    assert f"Today: {NOTEBOOKS[D04]}" in card and "class='ilc-today-go'" in card
    assert f"./{D04}?{ctx.query}".replace("&", "&amp;") in card
    links = home.links_html.value
    assert "All workbooks" in links and "ilc-step-today" in links
    assert links.count("class='ilc-step-link") == 4  # 03-06; 01 and 02 are done steps
    assert "01_gather_themes" not in links and "02_form_collectives" not in links
    theme = ctx.collective.theme
    assert f"1. Gather and identify themes - done: your theme is {theme}" in links
    members = [str(n) for n in ctx.network.members(OWN)["name"]]
    assert f"you are {len(members)} members: " in links
    assert all(n.replace("'", "&#x27;") in links for n in members)


def test_another_collective_sees_the_step_for_all_or_none(ctx_for):
    ctx = ctx_for("participant", "grading-1")
    ctx.network.set_today(D04, OWN)
    plain = HomePage(ctx)
    assert plain.today is None and plain.today_html.value == ""
    assert "All workbooks" not in plain.links_html.value
    ctx.network.set_today(D05)
    assert HomePage(ctx).today == D05


@pytest.mark.parametrize(
    ("section", "says"),
    [("theme_board", "your collective's theme is"), ("collective_board", "Your collective is")],
)
def test_collective_link_on_01_and_02_says_what_happened(ctx_for, section, says):
    ctx = ctx_for("participant", OWN)
    note = workbook.section(ctx, section)
    assert isinstance(note, RestrictedView)
    shown = texts(note)
    assert FACILITATORS_ONLY not in shown
    assert says.lower() in shown.lower() and "done" in shown
    assert "00_home.ipynb?collective=literacy-1" in shown  # the way home
    net, own = ctx.network, ctx.network.collective(OWN)
    if section == "theme_board":
        assert own.theme in shown
    else:
        assert own.name in shown
        members = net.members(OWN)["name"]
        assert all(n.replace("'", "&#x27;") in shown for n in members)
        others = net.participants
        outsiders = others[(others["collective"] != OWN) & (others["collective"] != "")]["name"]
        assert not [n for n in outsiders if n in shown]


def test_collective_link_on_the_network_report_still_says_facilitators_only(ctx_for):
    note = workbook.section(ctx_for("participant", OWN), "network_report")
    assert isinstance(note, RestrictedView) and FACILITATORS_ONLY in texts(note)
