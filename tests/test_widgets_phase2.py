"""Workbook 02's collective board, driven as a facilitator would: form, shape, save, links."""

from __future__ import annotations

import asyncio
import base64
import csv
import io
import re
import time
from typing import Any

import ipywidgets as W
import pandas as pd
import pytest

from ilc_widgets import workbook
from ilc_widgets.access import access_query, verify
from ilc_widgets.widgets import collective_board as cb
from ilc_widgets.widgets._kit import jobs
from ilc_widgets.widgets.collective_board import (
    FACILITATORS_ONLY,
    CollectiveBoard,
    match_collectives,
    roster_csv,
    roster_frame,
    roster_xlsx,
    server_base_url,
)
from ilc_widgets.widgets.collectives import forming
from ilc_widgets.widgets.home import DONE_HERE, DeniedView
from tests._aio import run_isolated

DEMO_CODES = {
    "absenteeism-1",
    "absenteeism-2",
    "equity-belonging-1",
    "grading-1",
    "literacy-1",
    "math-discourse-1",
    "multilingual-1",
    "tier1-instruction-1",
}


def texts(widget: W.Widget) -> str:
    """Every string a widget tree would send to the browser (values, labels, options)."""
    out: list[str] = []
    seen: set[int] = set()
    stack = [widget]
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        for name in w.keys:
            value = getattr(w, name)
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                if isinstance(item, W.Widget):
                    stack.append(item)
                elif isinstance(item, str):
                    out.append(item)
                elif isinstance(item, tuple):
                    out.extend(str(x) for x in item)
    return "\n".join(out)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def groups(board: CollectiveBoard) -> dict[str, dict[str, Any]]:
    return {c["code"]: c for c in board.value["collectives"]}


def where(board: CollectiveBoard, pid: str) -> str:
    return next(c["code"] for c in board.value["collectives"] if pid in c["members"])


def add_person(net: Any, pid: str, name: str, theme: str, **extra: str) -> None:
    row = {
        "participant_id": pid,
        "name": name,
        "email": f"{pid}@extra.example",
        "role": "principal",
        "organization": "Test School",
        "district": "Test District",
        "region": "River Valley",
        "modality": "virtual",
        "focus": "A focus statement",
        "theme": theme,
        "second_theme": "",
        **extra,
    }
    net.add_participants(pd.DataFrame([row]), actor="test")


@pytest.fixture
def facilitator(ctx_for: Any) -> Any:
    return ctx_for("facilitator")


# ---------------------------------------------------------------------- opening


def test_board_opens_on_the_saved_collectives(facilitator):
    net = facilitator.network
    board = workbook.section(facilitator, "collective_board")
    assert isinstance(board, CollectiveBoard)
    assert "ilc-app" in board._dom_classes
    assert set(groups(board)) == DEMO_CODES
    assert board.value["proposal"] is False and board.value["saved"] is True
    for c in net.collective_list():
        shown = groups(board)[c.code]
        assert shown["name"] == c.name
        assert set(shown["members"]) == set(net.members(c.code)["participant_id"])
    card = board.card("literacy-1")
    assert card.name_box.value == "Sound Foundations (River Valley)"
    body = plain(card.body.value)
    assert "Structured literacy" in body and "Attends" in body and "Districts" in body
    assert "placemat v1" in body  # the work it has saved
    # the seven demo participants not yet in a collective are named
    unplaced = net.participants
    unplaced = unplaced[unplaced["collective"].isna()]  # tidy: missing text is NA
    text = plain(board.unthemed.value)
    assert f"{len(unplaced)} participants with a theme are not in a collective yet" in text
    for name in unplaced["name"]:
        assert name in text
    assert "Showing the saved collectives" in plain(board.summary.value)
    assert board.save_button.disabled and board.reload_button.disabled
    assert board.form_button.description == "Form collectives"
    assert board.max_size.value == 10 and board.min_size.value == 4


def test_settings_form_and_cards(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.max_size.value = 8
    board.min_size.value = 3
    board.mix_districts.value = False
    board.form_button.click()
    assert board.value["proposal"] is True
    assert "Proposed" in board.notice.text and "Nothing is saved yet" in board.notice.text
    themed = set(net.participants[net.participants["theme"].notna()]["participant_id"])
    placed = [pid for c in board.value["collectives"] for pid in c["members"]]
    assert sorted(placed) == sorted(themed)  # everyone once
    assert all(len(c["members"]) <= 8 for c in board.value["collectives"])
    assert all(c["name"] for c in board.value["collectives"])
    for code in groups(board):
        card = board.card(code)
        assert "ilc-collective-card" in card._dom_classes
        assert "Roles" in card.body.value and "<table" in card.body.value
    # the summary shows the mix figures; nothing was saved
    summary = plain(board.summary.value)
    assert "people placed" in summary and "Proposal, not saved yet" in summary
    assert set(net.collectives["collective"]) == DEMO_CODES
    assert not board.save_button.disabled
    # the settings are remembered for next time
    settings = net.settings
    assert settings["max_size"] == 8 and settings["min_size"] == 3
    assert settings["mix_districts"] is False
    assert CollectiveBoard(facilitator).max_size.value == 8


def test_min_larger_than_max_is_refused(facilitator):
    board = CollectiveBoard(facilitator)
    board.max_size.value = 4
    board.min_size.value = 6
    board.form()
    assert "minimum size (6) is larger than the maximum (4)" in board.notice.text
    assert board.value["proposal"] is False


def test_move_a_member_in_a_proposal(facilitator):
    net = facilitator.network
    before = net.memberships
    board = CollectiveBoard(facilitator)
    board.form()
    codes = list(groups(board))
    source, target = codes[0], codes[1]
    pid = groups(board)[source]["members"][0]
    name = net.participants.set_index("participant_id").loc[pid, "name"]
    board.move(pid, target)
    assert where(board, pid) == target
    assert pid not in groups(board)[source]["members"]
    assert "moved here" in board.card(target).body.value
    assert f"Moved {name}" in board.notice.text
    # the move is part of the proposal only
    pd.testing.assert_frame_equal(net.memberships, before)
    # the panel's dropdowns follow: the person is now offered in the target's card
    card = board.card(target)
    card.edit.value = True
    assert pid in [v for _l, v in card.move_member.options]


def test_lock_and_form_again_keeps_locked_members(facilitator):
    board = CollectiveBoard(facilitator)
    board.form()
    first = board.value["collectives"][0]
    code, members = first["code"], set(first["members"])
    board.rename(code, "Our own name")
    # move someone in, then lock: the lock keeps exactly these people together
    other = next(c for c in board.value["collectives"] if c["code"] != code)
    newcomer = other["members"][-1]
    board.move(newcomer, code)
    board.lock(code)
    assert groups(board)[code]["locked"]
    assert "ilc-locked" in board.card(code)._dom_classes
    locked = members | {newcomer}
    board.max_size.value = 7
    board.form()
    again = groups(board)[code]
    assert locked <= set(again["members"])
    assert again["locked"] and again["name"] == "Our own name"
    assert "locked" in board.card(code).body.value


def test_locks_on_saved_collectives_are_saved_and_respected(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    assert board.lock_worked() == len(DEMO_CODES)  # every demo collective has saved work
    assert all(c.locked for c in net.collective_list())
    saved = {c: set(net.members(c)["participant_id"]) for c in DEMO_CODES}
    board.form()
    shown = groups(board)
    for code, members in saved.items():
        assert members <= set(shown[code]["members"])
    # the seven unplaced people now have a place
    placed = {pid for c in shown.values() for pid in c["members"]}
    assert set(net.participants[net.participants["theme"].notna()]["participant_id"]) <= placed
    assert board.lock_worked_button.disabled  # locking is for the saved collectives
    assert board.save()
    people = net.participants
    assert (people["collective"] != "").all()


def test_rename_facilitator_and_save(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.form()
    new = next(c for c in board.value["collectives"] if not c["continues"])
    code = new["code"]
    assert not any(c.code == code for c in net.collective_list())
    board.rename(code, "  Bright Spots  ")
    board.set_facilitator(code, "Lena Park", "LPark@lprsc.example")
    assert "Lena Park" in board.card(code).body.value
    assert board.save()
    assert "Saved" in board.notice.text and "Links and exports" in board.notice.text
    saved = net.collective(code)
    assert saved.name == "Bright Spots"
    assert (saved.facilitator_name, saved.facilitator_email) == ("Lena Park", "lpark@lprsc.example")
    assert saved.theme == new["theme"]
    assert saved.modality in ("in_person", "virtual", "hybrid")
    memberships = net.memberships
    for c in board.value["collectives"]:
        rows = memberships[memberships["collective"] == c["code"]]
        assert set(rows["participant_id"]) == set(c["members"])
    assert board.value["proposal"] is False  # the board shows the saved state again
    assert board.save_button.disabled


def test_a_blank_name_or_bad_email_blocks_saving(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.form()
    code = board.value["collectives"][0]["code"]
    board.rename(code, "   ")
    assert "ilc-invalid" in board.card(code).name_box._dom_classes
    assert not board.save()
    assert "has no name" in board.notice.text
    board.rename(code, "Fine name")
    board.set_facilitator(code, "Someone", "not an email")
    assert not board.save()
    assert "is not an email address" in board.notice.text
    assert set(net.collectives["collective"]) == DEMO_CODES


def test_saved_collectives_edits_are_saved_as_made(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.rename("grading-1", "Grades That Mean Learning")
    assert net.collective("grading-1").name == "Grades That Mean Learning"
    assert "Saved the name" in board.notice.text
    board.set_facilitator("grading-1", "Omar Haddad", "ohaddad@lprsc.example")
    assert net.collective("grading-1").facilitator_email == "ohaddad@lprsc.example"
    board.set_facilitator("grading-1", "Omar Haddad", "omar at example")
    assert "Not saved yet" in board.notice.text
    assert net.collective("grading-1").facilitator_email == "ohaddad@lprsc.example"
    pid = groups(board)["grading-1"]["members"][0]
    board.move(pid, "absenteeism-2")
    assert net.collective_of(participant_id=pid) == "absenteeism-2"
    assert "(saved)" in board.notice.text
    board.card("literacy-1").edit.value = True
    board.card("literacy-1").region.value = ""
    assert net.collective("literacy-1").modality == "virtual"
    assert board.value["saved"] is True


def test_existing_collectives_keep_ids_names_and_work(facilitator):
    net = facilitator.network
    work_before = net.collective_work().set_index("collective")
    names = {c.code: c.name for c in net.collective_list()}
    saved_members = {c: set(net.members(c)["participant_id"]) for c in DEMO_CODES}
    board = CollectiveBoard(facilitator)
    board.form()
    proposal = board.value["collectives"]
    continued = {c["code"]: c for c in proposal if c["continues"]}
    assert continued and set(continued) <= DEMO_CODES
    for code, c in continued.items():
        assert c["continues"] == code and c["name"] == names[code]
        assert set(c["members"]) & saved_members[code]
        assert "Continues" in board.card(code).body.value
    fresh = [c for c in proposal if not c["continues"]]
    assert all(c["code"] not in DEMO_CODES for c in fresh)
    assert "New collective" in board.card(fresh[0]["code"]).body.value
    assert board.save()
    after = net.collective_work().set_index("collective")
    for code in DEMO_CODES:  # all have work: none is removed, their work is untouched
        assert code in after.index
        assert after.loc[code].equals(work_before.loc[code])
        assert net.collective(code).name == names[code]


def test_matching_rule_largest_overlap_first_and_same_theme():
    existing = {
        "a-1": ("Grading practices", ["p1", "p2", "p3", "p4"]),
        "a-2": ("Grading practices", ["p5", "p6"]),
        "b-1": ("Math discourse", ["p7", "p8"]),
        "c-1": ("", ["p9"]),
    }
    proposed = {
        "x": ("Grading practices", ["p1", "p5", "p6"]),  # shares 1 with a-1, 2 with a-2
        "y": ("Grading practices", ["p2", "p3", "p4"]),  # shares 3 with a-1
        "z": ("Tier 1 instruction", ["p7", "p8"]),  # other theme: no match
        "w": ("Anything", ["p9", "p10"]),  # an existing collective without a theme matches
        "v": ("Grading practices", ["p11"]),  # shares nobody
    }
    assert match_collectives(proposed, existing) == {
        "y": ("a-1", 3),
        "x": ("a-2", 2),
        "w": ("c-1", 1),
    }
    # each existing collective is continued once; ties go to the alphabetically first ids
    tie = match_collectives({"q": ("T", ["p1"]), "r": ("T", ["p2"])}, {"old": ("T", ["p1", "p2"])})
    assert tie == {"q": ("old", 1)}


def test_empty_collectives_without_work_are_removed_on_save(facilitator):
    net = facilitator.network
    pid = net.members("math-discourse-1")["participant_id"].iloc[0]
    net.create_collective("spare-1", "Spare room", theme="Robotics")
    net.move_member(pid, "spare-1")
    board = CollectiveBoard(facilitator)
    assert "spare-1" in groups(board)
    board.form()
    assert "spare-1" not in groups(board)
    summary = plain(board.summary.value)
    assert "removed (no saved work): Spare room (spare-1)" in summary
    assert "kept, with their saved work" not in summary or "Spare room" not in summary
    assert board.save()
    assert "spare-1" not in set(net.collectives["collective"])
    assert "removed 1 empty collective without saved work (spare-1)" in board.notice.text


def test_unthemed_people_are_listed_with_the_way_to_workbook_1(facilitator):
    net = facilitator.network
    add_person(net, "x001", "Quinn <Nobody>", "")
    board = CollectiveBoard(facilitator)
    html = board.unthemed.value
    assert "1 participant has no theme yet" in plain(html)
    assert "Quinn &lt;Nobody&gt;" in html and "<Nobody>" not in html
    link = re.search(r"href='([^']+)'", html)
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert href.startswith("./01_gather_themes.ipynb?")
    assert (
        verify(net.secret, dict(p.split("=", 1) for p in href.split("?", 1)[1].split("&"))).role
        == "facilitator"
    )
    board.form()
    assert "x001" not in {pid for c in board.value["collectives"] for pid in c["members"]}
    assert board.value["unthemed"] == ["x001"]


def test_a_rule_that_cannot_be_kept_is_explained(facilitator):
    net = facilitator.network
    add_person(net, "x002", "Ravi Lone", "Robotics clubs", modality="in_person")
    board = CollectiveBoard(facilitator)
    board.form()
    explained = plain(board.explain.value)
    assert "Rules the plan could not fully keep" in explained
    assert "Ravi Lone (x002)" in explained and "Robotics clubs" in explained
    # the person is still placed, and their card says they are outside their theme
    code = where(board, "x002")
    assert "Outside their themes: Ravi Lone (Robotics clubs)" in plain(board.card(code).body.value)


def test_lone_outsider_and_region_warnings(facilitator):
    board = CollectiveBoard(facilitator)
    board.form()
    people = board._people
    code = board.value["collectives"][0]["code"]
    group = board._group(code)
    assert group is not None
    # make a block of three from one district next to someone alone from theirs
    district = "Block District"
    members = group.members[:4]
    for pid in members[:3]:
        people[pid] = cb._Person(**{**people[pid].__dict__, "district": district})
    people[members[3]] = cb._Person(**{**people[members[3]].__dict__, "district": "Lone District"})
    group.members = members
    group.region = "Prairie East"
    people[members[0]] = cb._Person(
        **{**people[members[0]].__dict__, "modality": "in_person", "region": "North Lakes"}
    )
    warnings = " ".join(board._warnings(group))
    lone = people[members[3]].name
    assert (
        f"{lone} is the only one from their district, next to 3 colleagues from Block District"
        in warnings
    )
    assert "3 of 4 members come from Block District" in warnings
    assert "In person elsewhere, joining virtually" in warnings and "North Lakes" in warnings


# ---------------------------------------------------------------------- concurrency and updates


def test_saving_over_someone_elses_save_asks_first(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.form()
    net.update_collective("grading-1", name="Renamed elsewhere", actor="other")
    assert not board.save()
    assert "Click Save collectives again" in board.notice.text
    assert board.save()


def test_refresh_follows_changes_made_elsewhere(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    board.refresh()  # nothing changed: nothing happens
    assert board.notice.text == ""
    net.update_collective("literacy-1", name="Renamed elsewhere", actor="other")
    board.refresh()
    assert board.card("literacy-1").name_box.value == "Renamed elsewhere"
    assert "changed elsewhere" in board.notice.text
    board.form()
    net.update_collective("literacy-1", name="Again", actor="other")
    board.refresh()
    assert board.value["proposal"] is True  # a proposal is never thrown away
    assert "saving will ask you to confirm" in board.notice.text


def test_own_edits_and_work_saved_in_a_collective_do_not_reload_the_board(facilitator):
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    pid = groups(board)["grading-1"]["members"][0]
    board.move(pid, "absenteeism-2")
    board.lock("literacy-1")
    board.notice.clear()
    net.add_evidence(
        "literacy-1",
        date="2026-11-01",
        evidence_type="student_learning",
        indicator="Phonics screener",
        value=61,
        unit="%",
        n=48,
        actor="literacy-1 link",
    )
    board.refresh()
    assert board.notice.text == ""
    assert where(board, pid) == "absenteeism-2" and groups(board)["literacy-1"]["locked"]


def test_the_optimizers_ids_in_messages_become_the_boards_names():
    group = cb._Group(
        code="math-discourse-2", name="Talk <Moves>", theme="Math", region="", members=[]
    )
    items = [
        ("Rule", "Ana (p1) joins math_discourse-1 (meeting in X); not math_discourse-10.", ("p1",)),
    ]
    assert cb._renamed(items, {"math_discourse-1": group}) == [
        (
            "Rule",
            "Ana (p1) joins 'Talk <Moves>' (math-discourse-2) (meeting in X); not math_discourse-10.",
            ("p1",),
        )
    ]


def test_forming_runs_in_a_worker_thread_under_a_loop(facilitator, monkeypatch):
    board = CollectiveBoard(facilitator)

    async def run() -> None:
        # plain pytest has no kernel: this test's asyncio loop stands in for the kernel's
        monkeypatch.setattr(jobs, "running_loop", asyncio.get_running_loop)
        board.form()
        assert board._busy and board.form_button.disabled
        assert "Forming collectives for 78 participants" in board.status.value
        deadline = time.monotonic() + 120
        while board._busy and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    run_isolated(run())
    assert not board._busy and board.value["proposal"] is True
    assert board.progress.layout.display == "none"


def test_progress_moves_while_the_optimizer_works(facilitator, monkeypatch):
    real = cb._compute

    def slow(frame: Any, params: Any) -> Any:
        time.sleep(1.6)
        return real(frame, params)

    monkeypatch.setattr(forming, "_compute", slow)
    monkeypatch.setattr(forming, "TICK", 0.1)
    board = CollectiveBoard(facilitator)
    seen: list[tuple[int, str]] = []

    async def run() -> None:
        monkeypatch.setattr(jobs, "running_loop", asyncio.get_running_loop)
        board.form()
        assert board.progress.layout.display == ""
        deadline = time.monotonic() + 120
        while board._busy and time.monotonic() < deadline:
            seen.append((board.progress.value, board.status.value))
            await asyncio.sleep(0.1)

    run_isolated(run())
    values = [v for v, _ in seen]
    assert max(values) > min(values)  # the bar moved
    assert any(" 1 s" in status for _, status in seen)  # the elapsed time shows
    assert board.value["proposal"] is True and board.status.value == ""


def test_mix_charts_are_drawn_when_their_tab_opens(facilitator):
    board = CollectiveBoard(facilitator)
    assert board.charts.value == ""  # nothing drawn (matplotlib not needed) until opened
    board.tabs.selected_index = cb.CHARTS_TAB
    html = board.charts.value
    assert html.count("<svg") == 2
    assert "Roles in each collective (saved collectives)" in html
    assert "Distinct districts and roles per collective" in html
    assert "Principal" in html and "Sound Foundations (River Valley)" in html
    # both are images named with their numbers, each with a table of the same numbers
    assert html.count("role='img'") == 2 and html.count("Show as table") == 2
    assert "aria-label='Roles in each collective (saved collectives) (members). " in html
    assert "aria-label='Distinct districts and roles per collective. " in html
    # the charts follow the board: a proposal is charted as such
    board.form()
    assert "Roles in each collective (proposal (not saved))" in board.charts.value
    # a name with '$' and markup is text in the chart and escaped in the key
    code = board.value["collectives"][0]["code"]
    board.rename(code, "$5 <b>lunch</b> $ club")
    html = board.charts.value
    assert "<b>lunch</b>" not in html and "&lt;b&gt;lunch&lt;/b&gt;" in html
    assert html.count("<svg") == 2


def test_an_optimizer_failure_is_a_message(facilitator, monkeypatch):
    def broken(frame: Any, params: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(forming, "_compute", broken)
    board = CollectiveBoard(facilitator)
    board.form()
    assert "internal error" in board.notice.text and "boom" not in board.notice.text
    assert board.value["proposal"] is False and not board.form_button.disabled


# ---------------------------------------------------------------------- links and exports


VOILA_ENV = {
    "SERVER_SOFTWARE": "voila/0.5.8",
    "SERVER_NAME": "192.168.1.20",
    "SERVER_PORT": "8866",
    "VOILA_BASE_URL": "/",
    "VOILA_REQUEST_URL": "http://192.168.1.20:8866/voila/render/02_form_collectives.ipynb?x=1",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (VOILA_ENV, "http://192.168.1.20:8866/"),
        (
            {
                "VOILA_PREHEAT": "True",
                "SERVER_NAME": "ilc.example",
                "SERVER_PORT": "",
                "VOILA_BASE_URL": "/user/ana/",
            },
            "http://ilc.example/user/ana/",
        ),
        (
            {
                "ILC_SERVE": "1",
                "VOILA_REQUEST_URL": "https://hub.example/user/ana/voila/render/02.ipynb?k=1",
            },
            "https://hub.example/user/ana/",
        ),
        ({"ILC_SERVE": "1", "SERVER_NAME": "::1", "SERVER_PORT": "8866"}, "http://[::1]:8866/"),
        ({"SERVER_NAME": "jupyterlab.example"}, ""),  # not Voilà: no server address
        ({}, ""),
    ],
)
def test_server_base_url(env, expected):
    assert server_base_url(env) == expected


def decode(html: str, css: str) -> bytes:
    found = re.search(rf"class='ilc-download {css}'[^>]*href='data:[^;]+;base64,([^']+)'", html)
    assert found, f"no {css} download"
    return base64.b64decode(found.group(1))


def test_links_qr_codes_and_roster_exports(facilitator, monkeypatch):
    for key, value in VOILA_ENV.items():
        monkeypatch.setenv(key, value)
    net = facilitator.network
    board = CollectiveBoard(facilitator)
    assert board.links_box.children == ()  # built when opened
    board.tabs.selected_index = cb.LINKS_TAB
    assert board.base_url.value == "http://192.168.1.20:8866/"
    cards = board.link_cards.value
    assert cards.count("class='ilc-link-card'") == len(DEMO_CODES)
    assert cards.count("<svg") == len(DEMO_CODES)
    for c in net.collective_list():
        query = access_query(net.secret, collective=c.code).replace("&", "&amp;")
        assert f"http://192.168.1.20:8866/voila/render/00_home.ipynb?{query}" in cards
    secret_link = access_query(net.secret, role="facilitator")
    assert "role=facilitator" not in cards + board.downloads.value
    assert "127.0.0.1" not in board.downloads.value  # no "only this computer" note here
    # the printable sheet: every collective, a QR code each, never the facilitator link
    sheet = decode(board.downloads.value, "ilc-download-sheet").decode("utf-8")
    assert sheet.count("<svg") == len(DEMO_CODES)
    assert secret_link not in sheet and "role=facilitator" not in sheet
    for c in net.collective_list():
        assert c.name.replace("'", "&#x27;") in sheet
    # the roster: one row per member, with their collective
    rows = list(
        csv.DictReader(
            io.StringIO(decode(board.downloads.value, "ilc-download-csv").decode("utf-8-sig"))
        )
    )
    members = net.memberships
    assert len(rows) == len(members)
    assert list(rows[0]) == list(cb.ROSTER_COLUMNS)
    first = rows[0]
    assert first["collective_name"] == net.collective(first["collective"]).name
    assert {r["participant_id"] for r in rows} == set(members["participant_id"])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(decode(board.downloads.value, "ilc-download-xlsx")))
    assert book.sheetnames == ["Roster", "Collectives"]
    roster = list(book["Roster"].values)
    assert list(roster[0]) == list(cb.ROSTER_COLUMNS) and len(roster) == len(members) + 1
    summary = list(book["Collectives"].values)
    assert len(summary) == len(DEMO_CODES) + 1
    assert "link" in summary[0] and all(
        str(r[-1]).startswith("http://192.168.1.20:8866/") for r in summary[1:]
    )
    # another address (the one phones reach): links and QR codes follow
    board.base_url.value = "http://ilc-room.local:8866/"
    assert (
        "http://ilc-room.local:8866/voila/render/00_home.ipynb?collective="
        in board.link_cards.value
    )
    board.base_url.value = "ilc-room.local"
    assert "must start with http://" in board.downloads.value


def test_links_without_a_server_address_are_relative(facilitator):
    board = CollectiveBoard(facilitator)  # plain pytest: not under Voilà
    board.render_links()
    assert board.base_url.value == ""
    assert "./00_home.ipynb?collective=literacy-1&amp;key=" in board.link_cards.value
    assert "<svg" not in board.link_cards.value
    assert "does not know its server's address" in board.downloads.value
    assert "ilc-download-sheet" not in board.downloads.value
    assert "ilc-download-csv" in board.downloads.value


def test_links_follow_a_save_and_warn_about_an_unsaved_proposal(facilitator, monkeypatch):
    for key, value in VOILA_ENV.items():
        monkeypatch.setenv(key, value)
    board = CollectiveBoard(facilitator)
    board.tabs.selected_index = cb.LINKS_TAB
    board.form()
    assert "the proposal on the Collectives tab is not saved yet" in board.downloads.value
    assert board.save()
    n = len(board.value["collectives"])
    assert board.link_cards.value.count("class='ilc-link-card'") == n
    assert "not saved yet" not in board.downloads.value


def test_typed_text_is_escaped_and_exports_keep_formulas_as_text(facilitator, monkeypatch):
    for key, value in VOILA_ENV.items():
        monkeypatch.setenv(key, value)
    net = facilitator.network
    pid = net.members("literacy-1")["participant_id"].iloc[0]
    net.update_participant(pid, name="<img src=x onerror=alert(1)>", district='=HYPERLINK("x")')
    net.update_collective("literacy-1", name="<b>Bold</b> & 'quoted'", facilitator_name="<i>F</i>")
    board = CollectiveBoard(facilitator)
    shown = texts(board) + board.card("literacy-1").body.value
    assert "<img src=x" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "<i>F</i>" not in shown and "&lt;i&gt;F&lt;/i&gt;" in shown
    board.tabs.selected_index = cb.LINKS_TAB
    links = board.link_cards.value
    assert (
        "<b>Bold</b>" not in links and "&lt;b&gt;Bold&lt;/b&gt; &amp; &#x27;quoted&#x27;" in links
    )
    roster = roster_frame(net)
    text = roster_csv(roster).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(roster_xlsx(roster, net.collectives)))["Roster"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cells and all(c.data_type == "s" for c in cells)


# ---------------------------------------------------------------------- who sees what


@pytest.mark.parametrize("role", ["participant", "intake"])
def test_participant_and_intake_links_see_nothing(ctx_for, role):
    ctx = ctx_for(role)
    board = workbook.section(ctx, "collective_board")
    shown = texts(board)
    own = ctx.collective.code if ctx.collective is not None else None
    if role == "participant":  # 02 tells a collective's link its own name and members
        assert DONE_HERE in shown and FACILITATORS_ONLY not in shown
    else:
        assert "intake form" in shown
    assert not getattr(board, "value", None)
    people = ctx.network.participants
    for name in people[(people["collective"] != own) | (own is None)]["name"]:
        assert str(name) not in shown
    for c in ctx.network.collective_list():
        assert c.code == own or c.name not in shown
    allowed_key = "collective=literacy-1" if role == "participant" else "role=intake"
    assert shown.count("key=") == shown.count(allowed_key)


def test_denied_session_gets_the_not_valid_message(ctx_for):
    assert isinstance(workbook.section(ctx_for("denied"), "collective_board"), DeniedView)


def test_researcher_sees_the_board(ctx_for):
    board = workbook.section(ctx_for("researcher"), "collective_board")
    assert isinstance(board, CollectiveBoard) and set(groups(board)) == DEMO_CODES


# ---------------------------------------------------------------------- storage


def test_collective_work_and_removing_empty_collectives(network):
    net = network
    net.add_participants(
        pd.DataFrame(
            [
                {
                    "participant_id": "p1",
                    "name": "Ana",
                    "email": "ana@x.example",
                    "role": "principal",
                    "district": "D1",
                    "focus": "f",
                }
            ]
        )
    )
    for code in ("empty-1", "member-1", "work-1", "evidence-1"):
        net.create_collective(code, code.title())
    net.move_member("p1", "member-1")
    state = net.placemat("work-1")
    net.save_placemat("work-1", state.placemat, state.version, actor="t")
    net.add_evidence(
        "evidence-1",
        date="2026-10-01",
        evidence_type="perceptions",
        indicator="Survey",
        value=3,
        unit="points",
        n=12,
    )
    work = net.collective_work().set_index("collective")
    assert work.loc["work-1", "placemat_version"] == 1 and work.loc["work-1", "has_work"]
    assert work.loc["evidence-1", "evidence"] == 1 and work.loc["evidence-1", "has_work"]
    assert not work.loc["empty-1", "has_work"] and not work.loc["member-1", "has_work"]
    assert net.remove_empty_collectives(["member-1", "work-1", "evidence-1", "nope"]) == []
    assert net.remove_empty_collectives(actor="t") == ["empty-1"]
    assert set(net.collectives["collective"]) == {"member-1", "work-1", "evidence-1"}
    assert net.audit_log.iloc[0]["action"] == "delete"
