"""The placemat builder of workbook 03: editing, checks, conflicts, history, access, escaping.

Outside an event loop the Debouncer runs at once, so every widget change here is saved
before the next line runs.
"""

from __future__ import annotations

import base64
import datetime as dt
import html as html_mod
import re

import ipywidgets as W
import pytest

from ilc_widgets.errors import ConflictError
from ilc_widgets.placemat import Indicator, Placemat, TheoryStep
from ilc_widgets.widgets._kit.notice import Notice
from ilc_widgets.widgets.placemat import (
    CSS,
    EXIT_NOTE,
    PlacematBuilder,
    merge_order,
    merge_placemats,
    merge_priorities,
    parse_number,
    resolve,
)
from ilc_widgets.widgets.placemat.parts import _walk

CODE = "literacy-1"
EVIL = "<script>alert('x')</script><b>bold</b> & co"


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


@pytest.fixture
def blank(net):
    """A new collective with an empty placemat (version 0)."""
    net.create_collective("blank-1", "Blank Slate", theme="Tier 1 instruction")
    return "blank-1"


def builder(ctx_for, code=CODE, role="participant"):
    b = PlacematBuilder(ctx_for(role, code))
    assert b.editor is not None
    return b


def stored(net, code=CODE) -> Placemat:
    return net.placemat(code).placemat


# --------------------------------------------------------------------------- sections


def test_top_level_widget_and_value(ctx_for, net):
    b = builder(ctx_for)
    assert "ilc-app" in b._dom_classes
    assert b.value == net.placemat(CODE).placemat.to_dict()
    assert b.editor.version == net.placemat(CODE).version
    assert re.search(r"Saved at \d\d:\d\d · version \d+", b.editor.status_text)


def test_problem_of_practice_and_surfacing_data_are_saved(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    assert "Nothing saved yet" in e.status_text
    e.problem.value = "Only 41% of our K-2 students reach benchmark on DIBELS this fall."
    e.surfacing.value = "Fall DIBELS 8 composite; walkthroughs"
    p = stored(net, blank)
    assert p.problem_of_practice.startswith("Only 41%")
    assert p.surfacing_data == "Fall DIBELS 8 composite; walkthroughs"
    state = net.placemat(blank)
    assert state.version == 2 and state.updated_by == "participant-tester"
    assert f"version {state.version}" in e.status_text and "Saved at" in e.status_text
    assert not e.dirty


def test_priorities_add_edit_reorder_remove(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    for text in ("First", "Second", "Third"):
        e.add_priority.click()
        e.priority_rows[-1].text.value = text
    assert stored(net, blank).priorities == ["First", "Second", "Third"]
    e.priority_rows[2].up.click()
    assert stored(net, blank).priorities == ["First", "Third", "Second"]
    e.priority_rows[0].down.click()
    assert stored(net, blank).priorities == ["Third", "First", "Second"]
    assert e.priority_rows[0].up.disabled and e.priority_rows[-1].down.disabled
    e.priority_rows[1].text.value = "First, edited"
    e.priority_rows[2].remove.click()
    assert stored(net, blank).priorities == ["Third", "First, edited"]
    assert [r.text.value for r in e.priority_rows] == ["Third", "First, edited"]


def test_theory_of_action_steps_edit_reorder_remove_keep_ids(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    for _ in range(3):
        e.add_step.click()
    # new steps climb the chain: leader actions -> adult practice -> student outcomes
    assert [r.level.value for r in e.step_rows] == [
        "leader_actions",
        "adult_practice",
        "student_outcomes",
    ]
    for n, row in enumerate(e.step_rows, 1):
        row.if_text.value = f"if {n}"
        row.then_text.value = f"then {n}"
    ids = [s.id for s in stored(net, blank).theory_of_action]
    assert len(set(ids)) == 3
    e.step_rows[1].level.value = "leader_actions"
    e.step_rows[2].up.click()
    steps = stored(net, blank).theory_of_action
    assert [s.id for s in steps] == [ids[0], ids[2], ids[1]]
    assert [s.if_text for s in steps] == ["if 1", "if 3", "if 2"]
    assert steps[2].level == "leader_actions"
    e.step_rows[0].down.click()
    assert [s.id for s in stored(net, blank).theory_of_action] == [ids[2], ids[0], ids[1]]
    # editing after a reorder edits the right step
    e.step_rows[0].then_text.value = "then 3, edited"
    by_id = {s.id: s for s in stored(net, blank).theory_of_action}
    assert by_id[ids[2]].then_text == "then 3, edited"
    e.step_rows[1].remove.click()
    assert [s.id for s in stored(net, blank).theory_of_action] == [ids[2], ids[1]]


def test_leading_and_lagging_indicators_every_field(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    e.add_indicator["leading"].click()
    e.add_indicator["lagging"].click()
    lead = e.indicator_cards["leading"][0]
    lead.name.value = "Walkthroughs with all look-fors"
    lead.measure.value = "Share of K-2 walkthroughs with all four look-fors"
    lead.evidence_type.value = "school_processes"
    lead.baseline.value = "38%"
    lead.target.value = "1,200"
    lead.unit.value = "%"
    lead.target_date.value = dt.date(2027, 1, 29)
    lead.cadence.value = "biweekly"
    lag = e.indicator_cards["lagging"][0]
    lag.name.value = "DIBELS at benchmark"
    lag.baseline.value = "44"
    lag.target.value = "60.5"
    ind = {i.kind: i for i in stored(net, blank).indicators}
    assert ind["leading"].name == "Walkthroughs with all look-fors"
    assert ind["leading"].measure.startswith("Share of K-2")
    assert ind["leading"].evidence_type == "school_processes"
    assert (ind["leading"].baseline, ind["leading"].target) == (38.0, 1200.0)
    assert ind["leading"].unit == "%" and ind["leading"].target_date == "2027-01-29"
    assert ind["leading"].cadence == "biweekly"
    assert (ind["lagging"].baseline, ind["lagging"].target) == (44.0, 60.5)
    # the indicators table (used by evidence logging) follows the placemat
    table = net.indicators
    assert set(table[table["collective"] == blank]["name"]) == {
        "Walkthroughs with all look-fors",
        "DIBELS at benchmark",
    }
    # not a number: a message, the last number is kept, what was typed stays in the box
    lag.baseline.value = "about half"
    assert "write a number" in lag.warning.value
    assert lag.baseline.value == "about half"
    assert {i.kind: i for i in stored(net, blank).indicators}["lagging"].baseline == 44.0
    lag.baseline.value = ""
    assert lag.warning.value == ""
    assert {i.kind: i for i in stored(net, blank).indicators}["lagging"].baseline is None
    lead.remove.click()
    assert [i.kind for i in stored(net, blank).indicators] == ["lagging"]
    assert e.indicator_cards["leading"] == []


def test_evidence_plan_for_each_type(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    for key, widgets in e.plan_widgets.items():
        widgets["what"].value = f"what {key}"
        widgets["who"].value = f"who {key}"
        widgets["when"].value = f"when {key}"
    plan = stored(net, blank).evidence_plan
    for key in ("demographic", "perceptions", "student_learning", "school_processes"):
        assert (plan[key].what, plan[key].who, plan[key].when) == (
            f"what {key}",
            f"who {key}",
            f"when {key}",
        )


def test_unchanged_value_does_not_make_a_version(ctx_for, net):
    e = builder(ctx_for).editor
    before = net.placemat(CODE).version
    card = e.indicator_cards["leading"][0]
    card.baseline.value = card.baseline.value + " "  # same number
    assert net.placemat(CODE).version == before


def test_parse_number():
    assert parse_number("38") == 38.0
    assert parse_number(" 38.5 % ") == 38.5
    assert parse_number("1,200") == 1200.0
    assert parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("about half")


# --------------------------------------------------------------------------- check panel


def test_check_panel_reflects_gaps_as_people_type(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    html = e.check.value
    assert "0% complete" in html
    assert "Add a leading indicator" in html and "Add a lagging indicator" in html
    assert "End the theory of action with students" in html
    e.problem.value = (
        "Only 41% of our K-2 students reach benchmark because the phonics block is skipped."
    )
    html = e.check.value
    assert "Write the problem of practice in a sentence" not in html
    assert "Problem of practice written out" in html
    e.add_indicator["leading"].click()
    e.indicator_cards["leading"][0].name.value = "Walkthroughs"
    assert "Add a leading indicator" not in e.check.value
    assert "Give every indicator a baseline and a target" in e.check.value
    e.problem.value = "Parents don't read with their children at home, so scores are low."
    assert "Keep the problem within the group's influence" in html_mod.unescape(e.check.value)
    full = builder(ctx_for, CODE).editor
    assert "100% complete" in full.check.value and "Every check passes" in full.check.value


# --------------------------------------------------------------------------- conflicts


def two(ctx_for, code=CODE):
    return builder(ctx_for, code).editor, builder(ctx_for, code).editor


def test_disjoint_edits_merge_without_asking(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A's problem of practice, about 40% of students and walkthroughs."
    b.surfacing.value = "B's data"
    assert b.conflict is None
    p = stored(net)
    assert p.problem_of_practice.startswith("A's problem")
    assert p.surfacing_data == "B's data"
    assert b.problem.value.startswith("A's problem")
    assert "merged with changes by" in b.status_text


def test_same_field_conflict_shows_panel_and_writes_nothing(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    version = net.placemat(CODE).version
    b.problem.value = "B wrote that."
    assert b.conflict is not None
    assert net.placemat(CODE).version == version
    assert stored(net).problem_of_practice == "A wrote this."
    text = b.conflict.children[0].children[0].value
    assert "Someone else saved the placemat" in text
    both = "".join(w.value for w in b.conflict.children[0].children[1:2][0].children[:1])
    assert "A wrote this." in both and "B wrote that." in both
    # the form is locked (nothing typed is lost: it stays in the form) until resolved
    assert b.problem.disabled and b.problem.value == "B wrote that."
    assert b.dirty
    # a bar that stays in view points to the choice
    assert "href='#ilc-pm-conflict'" in b.alert_bar.value
    b.conflict.take_button.click()
    assert b.alert_bar.value == "" and not b.problem.disabled


def test_conflict_keep_mine(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    a.priority_rows[0].text.value = "A's first priority"
    b.problem.value = "B wrote that."
    b.conflict.keep_button.click()
    assert b.conflict is None and not b.problem.disabled
    p = stored(net)
    assert p.problem_of_practice == "B wrote that."
    assert p.priorities[0] == "A's first priority"  # A's other edit is kept
    assert b.priority_rows[0].text.value == "A's first priority"
    assert not b.dirty
    history = net.placemat_history(CODE)
    assert "kept mine over" in history.iloc[0]["note"]
    assert (history["document"].map(lambda d: d["problem_of_practice"]) == "A wrote this.").any()


def test_conflict_take_theirs(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    # B's page changes two fields in one save: one clashes with A, one does not
    doc = b.value
    b.value = {**doc, "surfacing_data": "B's data, not in conflict", "problem_of_practice": "B"}
    b.conflict.take_button.click()
    assert b.conflict is None
    p = stored(net)
    assert p.problem_of_practice == "A wrote this."
    assert p.surfacing_data == "B's data, not in conflict"
    assert b.problem.value == "A wrote this."
    assert not b.dirty


def test_conflict_merge_lets_people_edit_the_result(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    b.problem.value = "B wrote that."
    panel = b.conflict
    panel.merge_button.click()
    editor = panel.editors[("problem_of_practice",)]
    assert editor.value == "A wrote this.\nB wrote that."  # theirs, then mine
    assert panel.save_merge_button.layout.display != "none"
    editor.value = "A and B wrote this together."
    panel.save_merge_button.click()
    assert b.conflict is None
    assert stored(net).problem_of_practice == "A and B wrote this together."
    assert b.problem.value == "A and B wrote this together."
    # A picks it up on its next poll
    a.reload()
    assert a.problem.value == "A and B wrote this together."


def test_a_save_landing_while_the_page_opens_is_taken_in(ctx_for, net, monkeypatch):
    """Someone saves between the editor's read and its poller's first look: the page's next
    tick shows that save (it stayed on the version before under load, seen in a browser)."""
    import dataclasses

    original = net.placemat
    landed: dict[str, int] = {}

    def read_then_someone_saves(code: str):
        state = original(code)
        if not landed:
            doc = dataclasses.replace(state.placemat, problem_of_practice="Saved meanwhile.")
            landed["version"] = net.save_placemat(code, doc, state.version, actor="Someone")
        return state

    monkeypatch.setattr(net, "placemat", read_then_someone_saves)
    editor = builder(ctx_for).editor
    monkeypatch.setattr(net, "placemat", original)
    assert editor.version < landed["version"]
    assert editor.poller.poller.poll_once()  # the page's next tick
    assert editor.problem.value == "Saved meanwhile."
    assert editor.version == landed["version"]
    assert not editor.dirty


def test_conflict_on_a_removed_step(ctx_for, net):
    a, b = two(ctx_for)
    step_id = a.step_rows[0].step_id
    a.step_rows[0].remove.click()
    b.step_rows[0].if_text.value = "B's new wording"
    assert b.conflict is not None
    assert ("theory_of_action", step_id) in b.conflict.editors
    b.conflict.keep_button.click()
    steps = stored(net).theory_of_action
    assert steps[0].id == step_id and steps[0].if_text == "B's new wording"


def test_newer_save_during_conflict_renews_the_panel(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    b.problem.value = "B wrote that."
    a.problem.value = "A wrote this again."
    b.conflict.keep_button.click()
    assert b.conflict is not None  # a fresh panel against the newest version
    assert "newest version" in b.notice.text
    assert stored(net).problem_of_practice == "A wrote this again."
    b.conflict.keep_button.click()
    assert b.conflict is None
    assert stored(net).problem_of_practice == "B wrote that."


def test_closing_with_a_conflict_open_saves_both_texts(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A wrote this."
    b.problem.value = "B wrote that."
    assert b.conflict is not None
    b.save_before_exit()  # the kernel exits (tab closed) before anyone chose
    state = net.placemat(CODE)
    assert state.placemat.problem_of_practice == "A wrote this.\nB wrote that."
    assert net.placemat_history(CODE).iloc[0]["note"] == EXIT_NOTE
    assert not b.dirty


def test_facilitator_switching_collective_keeps_a_pending_clash(ctx_for, net):
    a = builder(ctx_for).editor
    f = PlacematBuilder(ctx_for("facilitator", None))
    f.picker.value = CODE
    a.problem.value = "A wrote this."
    f.editor.problem.value = "Facilitator wrote that."
    assert f.editor.conflict is not None
    f.picker.value = "grading-1"
    assert stored(net).problem_of_practice == "A wrote this.\nFacilitator wrote that."


def test_reload_picks_up_other_saves_when_nothing_is_pending(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "Saved by A."
    a.add_step.click()
    b.reload()
    assert b.problem.value == "Saved by A."
    assert len(b.step_rows) == len(a.step_rows)
    assert b.version == a.version
    assert "updated with changes by" in b.status_text


def test_merge_helpers():
    assert merge_priorities(["a", "b"], ["a", "b", "c"], ["b", "a"]) == (["b", "a", "c"], True)
    assert merge_priorities(["a", "b"], ["a"], ["a", "b", "x"]) == (["a", "x"], True)
    # mine reordered, theirs added "4" after "3": it follows "3" in my order
    assert merge_order(["1", "2", "3"], ["3", "1", "2"], ["1", "2", "3", "4"]) == [
        "3",
        "4",
        "1",
        "2",
    ]
    assert merge_order(["1", "2"], ["1", "new", "2"], ["2", "1"]) == ["2", "1", "new"]
    base = Placemat(
        theory_of_action=[TheoryStep("if", "then", id="s1")],
        indicators=[Indicator(name="x", baseline=1.0, id="i1")],
    )
    mine = Placemat.from_dict(base.to_dict())
    theirs = Placemat.from_dict(base.to_dict())
    mine.indicators[0].baseline = 2.0
    theirs.indicators[0].baseline = 3.0
    theirs.theory_of_action[0].then_text = "then, theirs"
    result = merge_placemats(base, mine, theirs)
    assert [c.path for c in result.conflicts] == [("indicators", "i1", "baseline")]
    assert result.placemat.theory_of_action[0].then_text == "then, theirs"
    assert resolve(result, "mine").indicators[0].baseline == 2.0
    assert resolve(result, "theirs").indicators[0].baseline == 3.0


# --------------------------------------------------------------------------- history


def test_history_view_and_restore(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    e.problem.value = "First wording"
    first = net.placemat(blank).version
    e.problem.value = "Second wording"
    e.history.selected_index = 0  # opening the history fills it
    versions = [v for _, v in e.history_list.options]
    assert versions[0] == net.placemat(blank).version and first in versions
    assert "participant-tester" in e.history_list.options[0][0]
    e.history_list.value = first
    e.view_button.click()
    assert "First wording" in e.history_view.value
    e.restore_button.click()
    state = net.placemat(blank)
    assert state.placemat.problem_of_practice == "First wording"
    assert state.version == first + 2
    assert e.problem.value == "First wording" and e.version == state.version
    assert f"Version {first} restored" in e.notice.text
    assert e.history_list.options[0][1] == state.version
    assert f"restored version {first}" in e.history_list.options[0][0]


def test_restore_from_a_stale_page_reloads_instead(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = "A, newer"
    b.history.selected_index = 0
    b.history_list.value = b.history_list.options[-1][1]
    b.restore_button.click()
    assert "Someone saved meanwhile" in b.notice.text
    assert b.problem.value == "A, newer"


# --------------------------------------------------------------------------- export


def _decode(link_html: str) -> bytes:
    match = re.search(r"base64,([A-Za-z0-9+/=]+)", link_html)
    assert match, link_html
    return base64.b64decode(match.group(1))


def test_download_links(ctx_for):
    e = builder(ctx_for).editor
    e.pdf_button.click()
    assert "download='placemat-literacy-1.pdf'" in e.download.value
    assert _decode(e.download.value).startswith(b"%PDF")
    e.html_button.click()
    page = _decode(e.download.value).decode("utf-8")
    assert "download='placemat-literacy-1.html'" in e.download.value
    assert "Sound Foundations" in page and "Problem of practice" in page


# --------------------------------------------------------------------------- escaping


def test_typed_html_is_escaped_everywhere(ctx_for, net):
    a, b = two(ctx_for)
    a.problem.value = EVIL
    a.add_indicator["leading"].click()
    a.indicator_cards["leading"][-1].name.value = EVIL
    a.priority_rows[0].text.value = EVIL
    b.problem.value = EVIL + " (B)"
    shown = [a.check.value, b.conflict.children[0].children[1].children[0].value]
    a.history.selected_index = 0
    a.view_button.click()
    shown.append(a.history_view.value)
    a.html_button.click()
    shown.append(_decode(a.download.value).decode("utf-8"))
    for html in shown:
        assert "<script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;" in shown[1] and "&lt;script&gt;" in shown[3]
    b.conflict.take_button.click()
    assert b.problem.value == EVIL  # the text itself is kept as typed


# --------------------------------------------------------------------------- failures


def test_failed_save_keeps_what_was_typed(ctx_for, net, monkeypatch):
    e = builder(ctx_for).editor
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(net, "save_placemat", broken)
    e.problem.value = "Typed while the database was away"
    assert "Not saved" in e.notice.text and "Traceback" not in e.notice.text
    assert e.problem.value == "Typed while the database was away" and e.dirty
    monkeypatch.undo()
    e.surfacing.value = e.surfacing.value + " (more)"
    assert stored(net).problem_of_practice == "Typed while the database was away"
    assert not e.dirty


def test_save_conflict_error_never_overwrites(ctx_for, net):
    a = builder(ctx_for).editor
    version = a.version
    net.save_placemat(CODE, Placemat(problem_of_practice="elsewhere"), version, actor="x")
    with pytest.raises(ConflictError):
        net.save_placemat(CODE, Placemat(), version, actor="y")
    a.problem.value = "mine"
    assert stored(net).problem_of_practice == "elsewhere"
    assert a.conflict is not None


# --------------------------------------------------------------------------- access


def test_facilitator_picks_a_collective(ctx_for, net):
    b = PlacematBuilder(ctx_for("facilitator", None))
    assert b.editor is None and b.value == {}
    codes = [v for _, v in b.picker.options if v]
    assert codes == [c.code for c in net.collective_list()]
    b.picker.value = "grading-1"
    assert b.editor is not None and b.editor.code == "grading-1"
    assert b.value == stored(net, "grading-1").to_dict()
    b.editor.problem.value = "Facilitator's note on grading"
    assert stored(net, "grading-1").problem_of_practice == "Facilitator's note on grading"
    assert net.placemat("grading-1").updated_by == "facilitator-tester"
    b.picker.value = CODE
    assert b.editor.code == CODE and b.value == stored(net).to_dict()
    b.picker.value = ""
    assert b.editor is None and b.value == {}


def test_researcher_gets_the_picker_too(ctx_for):
    b = PlacematBuilder(ctx_for("researcher", None))
    assert b.picker is not None


def test_participant_cannot_reach_another_collective(ctx_for, net):
    b = builder(ctx_for, CODE)
    assert b.picker is None and b.editor.code == CODE
    other = stored(net, "grading-1").to_dict()
    # even setting the whole document only edits the participant's own collective
    b.value = {**other, "problem_of_practice": "Edited through value"}
    assert stored(net, CODE).problem_of_practice == "Edited through value"
    assert stored(net, "grading-1").to_dict() == other
    assert "Talk Moves" not in b.editor.children[0].children[0].value


def test_member_name_is_recorded(ctx_for, net):
    e = builder(ctx_for).editor
    names = [v for _, v in e.who.options if v]
    assert names == sorted(net.members(CODE)["name"].tolist())
    e.who.value = names[0]
    e.problem.value = "Signed change"
    assert net.placemat(CODE).updated_by == f"{names[0]} (participant-tester)"


def test_intake_link_sees_no_placemat(ctx_for):
    b = PlacematBuilder(ctx_for("intake", None))
    assert b.editor is None and b.picker is None
    assert "collective's link" in b.notice.text


def test_denied_session_gets_the_not_valid_view(ctx_for):
    from ilc_widgets import workbook

    widget = workbook.section(ctx_for("denied"), "placemat")
    assert "ilc-denied-app" in widget._dom_classes


# --------------------------------------------------------------------------- access (issue 10)

FIELD_TYPES = (W.Text, W.Textarea, W.Dropdown, W.DatePicker, W.Select, W.RadioButtons)


def fields_of(widget):
    found = [widget] if isinstance(widget, FIELD_TYPES) else []
    for child in getattr(widget, "children", ()) or ():
        found += fields_of(child)
    return found


def test_every_field_has_its_own_label_and_no_caption_html(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    e.add_priority.click()
    e.add_step.click()
    e.add_indicator["leading"].click()
    fields = fields_of(e)
    assert len(fields) >= 25
    assert [f for f in fields if not f.description.strip()] == []
    assert e.problem.description == "Problem of practice"
    assert e.surfacing.description == "What data surfaced it"
    assert e.plan_widgets["perceptions"]["who"].description == "Perceptions: by whom"
    assert e.history_list.description.startswith("Saved versions")
    # the separate caption HTML is gone
    assert "What data surfaced it" not in " ".join(
        w.value for w in _walk(e) if isinstance(w, W.HTML)
    )


def test_row_buttons_are_named_with_their_row(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    for _ in range(2):
        e.add_priority.click()
        e.add_step.click()
        e.add_indicator["lagging"].click()
    second = e.priority_rows[1]
    assert (second.up.description, second.down.description, second.remove.description) == (
        "Move priority 2 up",
        "Move priority 2 down",
        "Remove priority 2",
    )
    assert second.down.tooltip == "Move priority 2 down"
    assert e.step_rows[0].down.description == "Move step 1 down"
    assert e.indicator_cards["lagging"][1].remove.description == "Remove lagging indicator 2"
    assert e.priority_rows[0].text.description == "Priority 1"
    assert "Placemat complete" in e.check.value and "aria-valuetext" in e.check.value


def test_a_new_row_takes_the_focus(ctx_for, net, blank, monkeypatch):
    focused: list[W.Widget] = []
    monkeypatch.setattr(W.DOMWidget, "focus", lambda self: focused.append(self))
    e = builder(ctx_for, blank).editor
    e.add_priority.click()
    assert focused[-1] is e.priority_rows[-1].text
    e.add_step.click()
    assert focused[-1] is e.step_rows[-1].level
    e.add_indicator["leading"].click()
    assert focused[-1] is e.indicator_cards["leading"][-1].name


def test_a_number_that_is_not_one_marks_the_field_invalid(ctx_for, net, blank):
    e = builder(ctx_for, blank).editor
    e.add_indicator["leading"].click()
    card = e.indicator_cards["leading"][0]
    card.target.value = "about half"
    assert "ilc-invalid" in card.target._dom_classes and card.warning.value
    card.target.value = "50"
    assert "ilc-invalid" not in card.target._dom_classes and not card.warning.value


def test_the_save_status_is_a_live_region(ctx_for):
    e = builder(ctx_for).editor
    assert isinstance(e.status, Notice)
    assert "ilc-pm-status" in e.status._dom_classes
    assert "version" in e.status_text


def test_the_stylesheet_stacks_the_placemat_on_a_phone():
    assert "@media (max-width: 600px)" in CSS and ".ilc-pm-plan-grid" in CSS
    assert ".ilc-pm-body { flex-wrap: wrap; }" in CSS
    # the row buttons show their glyph, which is left out of their names
    for glyph in "↑↓✕":
        assert f'content: "{glyph}" / "";' in CSS
