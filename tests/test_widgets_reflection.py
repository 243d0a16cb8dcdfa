"""Workbook 05's reflection protocol: saved per review meeting as people type, shown as a
timeline; two pages writing at once lose nothing.

Outside an event loop the Debouncer saves at once, so every change is stored before the
next line runs.
"""

from __future__ import annotations

import datetime as dt
import html as html_mod
import re

import pytest

from ilc_widgets.widgets.reflection import AREAS, PROMPTS, ReflectionProtocol, merge_reflection

CODE = "literacy-1"
MEETING = dt.date(2026, 12, 3)


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


def text_of(value: str) -> str:
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", value)).split())


def all_html(widget) -> str:
    """Every HTML value inside a widget."""
    out, stack = [], [widget]
    while stack:
        w = stack.pop()
        if isinstance(getattr(w, "value", None), str):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "".join(out)


def open_meeting(ctx, meeting: dt.date = MEETING) -> ReflectionProtocol:
    r = ReflectionProtocol(ctx)
    r.date.value = meeting
    return r


def stored(net, code: str = CODE, meeting: dt.date = MEETING):
    frame = net.reflections_frame(code)
    rows = frame[[str(d)[:10] == meeting.isoformat() for d in frame["meeting_date"]]]
    return rows.to_dict("records")


def test_prompts_areas_and_timeline_of_past_meetings(ctx_for):
    r = ReflectionProtocol(ctx_for("participant", CODE))
    assert "ilc-app" in r._dom_classes
    assert r.date.value == dt.date.today()
    assert list(r.texts) == ["went_well", "didnt_go_well", "learned", "adjust"]
    assert list(r.areas) == list(AREAS) == ["theory_of_action", "indicators", "evidence_plan"]
    page = text_of(all_html(r))
    for name, question, hint in PROMPTS:
        assert r.texts[name].description == question  # the box's own label: its name
        assert hint in page
    assert "We will adjust our:" in page
    timeline = text_of(r.timeline.value)
    assert "Past meetings (2)" in timeline
    # newest first
    assert timeline.index("Meeting of 13 Nov 2026") < timeline.index("Meeting of 8 Oct 2026")
    assert "New reflection for the meeting of" in text_of(r.status.value)


def test_typing_creates_the_meetings_reflection_then_updates_it(ctx_for, net):
    r = open_meeting(ctx_for("participant", CODE))
    assert stored(net) == []
    r.texts["went_well"].value = "   "
    assert stored(net) == []  # blanks alone start nothing
    r.texts["went_well"].value = "Every K-2 classroom kept the block."
    rows = stored(net)
    assert len(rows) == 1 and rows[0]["version"] == 1
    assert rows[0]["went_well"] == "Every K-2 classroom kept the block."
    first_id = rows[0]["id"]
    r.texts["adjust"].value = "Add a second walkthrough look-for."
    r.areas["indicators"].value = True
    r.areas["theory_of_action"].value = True
    rows = stored(net)
    assert len(rows) == 1 and rows[0]["id"] == first_id
    assert rows[0]["adjust"] == "Add a second walkthrough look-for."
    assert rows[0]["adjust_areas"] == ["theory_of_action", "indicators"]
    assert rows[0]["version"] == 4
    assert r.value["id"] == first_id and r.value["meeting_date"] == "2026-12-03"
    assert "Reflection of the meeting of 3 Dec 2026: saved" in text_of(r.status.value)
    timeline = text_of(r.timeline.value)
    assert "Past meetings (3)" in timeline
    assert timeline.startswith("Past meetings (3)")
    assert "Meeting of 3 Dec 2026 (open above)" in timeline
    assert "We will adjust our: Theory of action Indicators" in timeline


def test_after_reload_the_meeting_opens_with_its_words(ctx_for, net):
    r = open_meeting(ctx_for("participant", CODE))
    r.texts["learned"].value = "Prompting matters more than the schedule."
    r.close()
    again = open_meeting(ctx_for("participant", CODE))
    assert again.texts["learned"].value == "Prompting matters more than the schedule."
    assert again.reflection_id == stored(net)[0]["id"]


def test_picking_an_earlier_date_opens_that_meetings_reflection(ctx_for, net):
    r = ReflectionProtocol(ctx_for("participant", CODE))
    r.date.value = dt.date(2026, 10, 8)
    old = stored(net, meeting=dt.date(2026, 10, 8))[0]
    assert r.reflection_id == old["id"]
    assert r.texts["went_well"].value == old["went_well"]
    r.texts["didnt_go_well"].value = old["didnt_go_well"] + " Also: the schedule slipped."
    now = stored(net, meeting=dt.date(2026, 10, 8))
    assert len(now) == 1 and now[0]["version"] == old["version"] + 1
    assert now[0]["didnt_go_well"].endswith("Also: the schedule slipped.")
    assert len(net.reflections_frame(CODE)) == 2


def test_typed_words_are_escaped_on_the_timeline(ctx_for):
    r = open_meeting(ctx_for("participant", CODE))
    r.texts["went_well"].value = "<script>alert('x')</script><b>bold</b>"
    assert "<script>alert" not in r.timeline.value and "<b>bold</b>" not in r.timeline.value
    assert "&lt;script&gt;alert" in r.timeline.value


def test_another_page_sees_saves_on_its_next_poll(ctx_for, net):
    mine = open_meeting(ctx_for("participant", CODE))
    theirs = open_meeting(ctx_for("participant", CODE))
    mine.texts["went_well"].value = "Saved on page one."
    assert theirs.room.poller is not None and theirs.room.poller.poll_once()
    assert theirs.texts["went_well"].value == "Saved on page one."
    assert theirs.reflection_id == mine.reflection_id
    assert "Past meetings (3)" in text_of(theirs.timeline.value)


def test_two_pages_starting_the_same_meeting_keep_both(ctx_for, net):
    one = open_meeting(ctx_for("participant", CODE))
    two = open_meeting(ctx_for("participant", CODE))
    one.texts["went_well"].value = "From page one."
    two.texts["learned"].value = "From page two."  # page two has not polled yet
    rows = stored(net)
    assert len(rows) == 1  # one reflection per meeting, not two
    assert rows[0]["went_well"] == "From page one." and rows[0]["learned"] == "From page two."
    assert "Nothing was lost" in two.notice.text


def test_two_pages_editing_the_same_answer_keep_both_texts(ctx_for, net):
    one = open_meeting(ctx_for("participant", CODE))
    one.texts["adjust"].value = "Start."
    two = open_meeting(ctx_for("participant", CODE))
    assert two.texts["adjust"].value == "Start."
    one.texts["adjust"].value = "Start. Page one's plan."
    two.texts["adjust"].value = "Start. Page two's plan."  # read at the older version
    row = stored(net)[0]
    assert row["adjust"] == "Start. Page one's plan.\nStart. Page two's plan."
    assert two.texts["adjust"].value == row["adjust"]
    assert "yours were added after them" in two.notice.text


def test_merge_reflection_rules():
    base = {"went_well": "a", "didnt_go_well": "", "learned": "", "adjust": "x"}
    base["adjust_areas"] = ["indicators"]
    mine = {**base, "went_well": "a mine", "adjust_areas": ["indicators", "evidence_plan"]}
    theirs = {**base, "learned": "theirs", "adjust": "y", "adjust_areas": []}
    merged, clash = merge_reflection(base, mine, theirs)
    assert not clash
    assert merged["went_well"] == "a mine" and merged["learned"] == "theirs"
    assert merged["adjust"] == "y"
    assert merged["adjust_areas"] == ["evidence_plan"]  # they removed one, I added one
    both, clash = merge_reflection(base, {**base, "adjust": "m"}, {**base, "adjust": "t"})
    assert clash and both["adjust"] == "t\nm"


def test_facilitator_switches_collective_and_timeline(ctx_for, net):
    r = ReflectionProtocol(ctx_for("facilitator", None))
    assert "Choose a collective" in r.notice.text
    r.picker.value = "grading-1"
    assert "Past meetings (2)" in text_of(r.timeline.value)
    r.date.value = MEETING
    r.texts["went_well"].value = "Grading meeting notes."
    assert stored(net, "grading-1")[0]["went_well"] == "Grading meeting notes."
    r.picker.value = "math-discourse-1"
    assert "No reflections yet" in text_of(r.timeline.value)
    assert r.texts["went_well"].value == ""
    assert stored(net, "math-discourse-1") == []
