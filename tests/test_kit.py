"""The shared parts: format (one way of writing values), merge, and the widgets kit (page
poller, autosave, jobs, the error guard, staged sections, stylesheets, labelled fields).

Everything runs in plain pytest: without a kernel's event loop the debouncer saves at once,
sections build at once and jobs run in line; the tests that need a loop run one of their
own (``run_isolated``) and hand it to the kit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import html as html_mod
import logging
import re
import threading
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
import pytest

from ilc_widgets.errors import ConflictError, IlcError
from ilc_widgets.format import (
    STATUS_LABELS,
    STATUS_MARKS,
    as_date,
    date_text,
    indicator_key,
    indicator_keys,
    input_number,
    number,
    status_count,
    status_legend,
    status_text,
    with_unit,
)
from ilc_widgets.merge import (
    join_texts,
    merge_order,
    merge_set,
    merge_text,
    merge_value,
)
from ilc_widgets.placemat import Indicator
from ilc_widgets.stats import STATUSES, latest_n, summarize_indicators
from ilc_widgets.widgets._kit import jobs, section
from ilc_widgets.widgets._kit.autosave import AutoSave, SaveFailed
from ilc_widgets.widgets._kit.controls import field, text_field
from ilc_widgets.widgets._kit.jobs import Job, JobCancelled
from ilc_widgets.widgets._kit.notice import Notice, guard, guarded
from ilc_widgets.widgets._kit.page import Page, page_of
from ilc_widgets.widgets._kit.section import StagedSection
from ilc_widgets.widgets._kit.styles import register_stylesheet, shared, stylesheet
from tests._aio import run_isolated

CODE = "literacy-1"
OLD_MARKS = ("✓", "✗")


def text_of(value: str) -> str:
    """What a person reads in an HTML value (tags removed, entities decoded)."""
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", value)).split())


# ============================================================================ format


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (45, "pct", "45%"),
        (45, "percent", "45%"),
        (45.0, "%", "45%"),
        (45, " PCT ", "45%"),
        (45, "students", "45 students"),
        (1200, "students", "1,200 students"),
        (4.5, "days", "4.5 days"),
        (2.126, "days", "2.13 days"),
        (38.50, "", "38.5"),
        (np.float64(12.0), None, "12"),
        (None, "%", ""),
        (float("nan"), "%", ""),
        (pd.NA, "days", ""),
    ],
)
def test_a_value_with_its_unit(value: Any, unit: Any, shown: str) -> None:
    assert with_unit(value, unit) == shown


def test_numbers_read_the_same_everywhere() -> None:
    assert number(1200) == "1,200" and number(1200.0) == "1,200" and number(0.5) == "0.5"
    assert number(-0.001) == "0" and number(None) == "" and number(None, missing="–") == "–"
    assert number("n/a") == "n/a"  # text that is not a number stays as written
    assert with_unit(None, "%", missing="–") == "–"
    # a number to edit keeps every digit and no separators, so saving it again changes nothing
    assert input_number(1200.0) == "1200" and input_number(72.5) == "72.5"
    assert input_number(0.1234567) == "0.1234567" and input_number(None) == ""


def test_dates_from_any_form_read_one_way() -> None:
    day = dt.date(2026, 11, 6)
    for value in (
        day,
        dt.datetime(2026, 11, 6, 14, 30),
        pd.Timestamp("2026-11-06"),
        np.datetime64("2026-11-06"),
        "2026-11-06",
        " 2026-11-06T10:00 ",
    ):
        assert as_date(value) == day, value
        assert date_text(value) == "6 Nov 2026"
    for missing in (None, "", float("nan"), pd.NaT, pd.NA, np.datetime64("NaT")):
        assert as_date(missing) is None and date_text(missing) == ""
    assert as_date("next spring") is None and date_text("next spring") == "next spring"


def test_one_set_of_status_marks_with_their_words() -> None:
    assert set(STATUS_MARKS) == set(STATUS_LABELS) == set(STATUSES)
    assert len(set(STATUS_MARKS.values())) == 4  # a different shape for each status
    assert status_text("on_track") == "● On track"
    assert status_text("not_enough_data") == "○ Not enough data"
    assert status_count("at_risk", 2) == "▲ 2 at risk"
    assert status_legend() == "● on track · ▲ at risk · ■ off track · ○ not enough data"


def test_indicator_keys_ignore_case_and_extra_spaces() -> None:
    assert indicator_key("  Chronic   ABSENTEEISM\t") == indicator_key("chronic absenteeism")
    assert indicator_key(None) == indicator_key(float("nan")) == indicator_key("  ") == ""
    keys = indicator_keys(pd.Series(["A  b", None, "a B", "c"], index=[5, 6, 7, 8]))
    assert keys.tolist() == ["a b", "", "a b", "c"] and keys.index.tolist() == [5, 6, 7, 8]


def test_stats_and_latest_n_match_indicators_with_inner_spaces() -> None:
    ind = Indicator(name="Chronic absenteeism", unit="%", baseline=20, target=10)
    evidence = pd.DataFrame(
        {
            "date": ["2026-10-01", "2026-11-02", "2026-11-02"],
            "value": [18.0, 15.0, 17.0],
            "n": [100, 40, 60],
            "indicator": ["chronic  Absenteeism", "CHRONIC ABSENTEEISM", " chronic absenteeism"],
            "subgroup": ["", "", ""],
        }
    )
    row = summarize_indicators(evidence, [ind], today=dt.date(2026, 11, 3)).iloc[0]
    assert row["n_observations"] == 2 and row["latest_value"] == pytest.approx(16.2)
    n, day = latest_n(evidence, [ind])[ind.id]
    assert n == 100 and day == pd.Timestamp("2026-11-02")
    assert latest_n(evidence.iloc[:0], [ind]) == {ind.id: (None, None)}


# ------------------------------------------------- the same value in every place people see it


def _pct_indicator(net: Any) -> Indicator:
    """A leading indicator in percent ("pct"), with a value covering 30 people today."""
    state = net.placemat(CODE)
    mat = state.placemat
    ind = Indicator(
        name="Kit  check rate",
        kind="leading",
        evidence_type="perceptions",
        unit="pct",
        baseline=45,
        target=60,
        target_date="2027-06-01",
        cadence="monthly",
    )
    mat.indicators.append(ind)
    net.save_placemat(CODE, mat, state.version, actor="test")
    net.add_evidence(
        CODE,
        actor="test",
        evidence_type="perceptions",
        date=dt.date.today(),
        indicator="kit check   rate",  # another spelling: matched by indicator_key
        value=52.5,
        unit="pct",
        n=30,
        description="Kit check",
    )
    return ind


def _marks(page: str) -> set[str]:
    return set(re.findall(r"<span class='mark'>([^<]*)</span>", page))


def test_the_same_value_reads_the_same_on_every_page(ctx_for, demo_sqlite) -> None:
    from ilc_widgets.placemat_export import placemat_html
    from ilc_widgets.reports import build_network_report, render_html
    from ilc_widgets.widgets.dashboard import ProgressDashboard
    from ilc_widgets.widgets.gallery import Gallery

    net = demo_sqlite
    ind = _pct_indicator(net)
    today = date_text(dt.date.today())
    plan = ("45%", "60%", "1 Jun 2027")

    # the dashboard
    dash = ProgressDashboard(ctx_for("participant", CODE))
    card = next(c.value for c in dash.cards if "Kit check rate" in text_of(c.value))
    shown = text_of(card)
    assert f"Latest 52.5% ({today})" in shown
    assert "Baseline 45% · Target 60% by 1 Jun 2027" in shown
    dash_marks = _marks(page_html(dash))

    # the gallery (the full share-out of the card)
    gallery = Gallery(ctx_for("facilitator"))
    view = next(v for v in gallery.cards if v.card.code == CODE)
    view.expanded = True
    detail = text_of(view.detail.value)
    assert "45% → 60% by 1 Jun 2027" in detail
    assert f"52.5% (n = 30, {today})" in detail
    gallery_marks = _marks(view.detail.value)
    summary = text_of(view.summary.value)
    assert all(mark not in summary for mark in OLD_MARKS)

    # the printable placemat
    mat = net.placemat(CODE).placemat
    printed = text_of(placemat_html(mat, collective_name="Sound Foundations", version=1))
    assert "baseline 45% → target 60%" in printed and "by 1 Jun 2027" in printed

    # the network report
    report = build_network_report(net)
    card_model = next(c for c in report.cards if c.code == CODE)
    summary_model = next(i for i in card_model.indicators if i.name == ind.name)
    assert (summary_model.baseline, summary_model.target, summary_model.target_date) == plan
    assert summary_model.latest == "52.5%" and summary_model.latest_date == today
    page = render_html(report)
    assert "45% → 60% by 1 Jun 2027" in text_of(page) and "45 pct" not in page
    report_marks = _marks(page)

    # the status marks: one set, the same everywhere
    allowed = set(STATUS_MARKS.values())
    for marks in (dash_marks, gallery_marks, report_marks):
        assert marks and marks <= allowed, marks
    assert summary_model.mark in allowed
    assert f"{status_legend()}." in text_of(page)
    for text in (page, view.summary.value, view.detail.value, page_html(dash)):
        assert all(mark not in text for mark in OLD_MARKS)


def page_html(widget: Any) -> str:
    """Every HTML value inside a widget, in order."""
    out, stack = [], [widget]
    while stack:
        w = stack.pop(0)
        if isinstance(getattr(w, "value", None), str):
            out.append(w.value)
        stack[:0] = list(getattr(w, "children", ()))
    return "\n".join(out)


# ============================================================================ merge


def test_three_way_merge_of_texts_values_and_sets() -> None:
    assert merge_text("a", "a", "b") == ("b", False)  # only theirs changed
    assert merge_text("a", "b", "a") == ("b", False)  # only mine changed
    assert merge_text("a", "c", "c") == ("c", False)  # both the same way
    assert merge_text("a", "mine", "theirs") == ("theirs\nmine", True)
    assert merge_text("a", "mine", "theirs", multiline=False) == ("theirs / mine", True)
    assert merge_text("", "Start. More.", "Start.") == ("Start. More.", True)  # contained
    assert join_texts("x", "  ") == "x" and join_texts("", "y") == "y"
    assert merge_value(1, 2, 3) == (2, True) and merge_value(1, 1, 3) == (3, False)
    assert merge_set({"a", "b"}, {"a", "b", "c"}, {"b"}) == {"b", "c"}
    # my new order is kept; their new item follows its predecessor ("3")
    assert merge_order(["1", "2", "3"], ["3", "1", "2"], ["1", "2", "3", "4"]) == [
        "3",
        "4",
        "1",
        "2",
    ]


def test_the_old_import_paths_still_work() -> None:
    from ilc_widgets import merge
    from ilc_widgets.placemat_export import format_number
    from ilc_widgets.widgets import placemat as placemat_widgets
    from ilc_widgets.widgets._base import Debouncer, Notice, Poller, running_loop, shared

    assert placemat_widgets.merge_placemats is merge.merge_placemats
    assert placemat_widgets.merge_order is merge.merge_order
    assert format_number is number
    assert Debouncer and Notice and Poller and running_loop and shared


# ============================================================================ page poller


class Counter:
    """A revision counter that counts how often it is read."""

    def __init__(self) -> None:
        self.value = 1
        self.reads = 0

    def read(self) -> int:
        self.reads += 1
        return self.value


class Section:
    """Something that follows a page's poller."""

    def __init__(self) -> None:
        self.calls = 0

    def changed(self) -> None:
        self.calls += 1


def test_sections_of_a_page_share_one_poller_and_one_read_per_tick() -> None:
    class Ctx:
        pass

    ctx = Ctx()
    page = page_of(ctx)
    assert page_of(ctx) is page and page_of(Ctx()) is not page
    counter = Counter()
    poller = page.poller("collective:literacy-1", counter.read, interval=2.0)
    assert page.poller("collective:literacy-1", Counter().read) is poller  # the same one
    one, two = Section(), Section()
    first = poller.subscribe(one.changed)
    poller.subscribe(two.changed)
    reads = counter.reads
    assert poller.poll_once() is False and counter.reads == reads + 1
    counter.value = 2
    assert poller.poll_once() is True
    assert counter.reads == reads + 2  # one read for both sections
    assert (one.calls, two.calls) == (1, 1)
    poller.mark_seen()  # after a save made on this page
    assert poller.poll_once() is False
    first.stop()
    counter.value = 3
    assert poller.poll_once() and (one.calls, two.calls) == (1, 2)
    # a section that is gone stops being called (and keeps nothing alive)
    del two
    gc.collect()
    counter.value = 4
    assert poller.poll_once() and poller.subscriptions == []


def test_a_section_checks_for_itself_without_taking_the_news_from_the_others() -> None:
    counter = Counter()
    poller = Page().poller("x", counter.read)
    one, two = Section(), Section()
    mine, theirs = poller.subscribe(one.changed), poller.subscribe(two.changed)
    counter.value = 2
    assert mine.poll_once() is True and (one.calls, two.calls) == (1, 0)
    assert mine.poll_once() is False
    assert theirs.poll_once() is True and two.calls == 1
    counter.value = 3
    mine.mark_seen()  # a save made by the first section: it has seen it, the other has not
    assert poller.poll_once() is True and (one.calls, two.calls) == (1, 2)


def test_workbook_04_reads_the_revision_once_for_its_three_sections(ctx_for, demo_sqlite) -> None:
    from ilc_widgets.widgets.evidence import CoverageTracker, EvidenceLogger, ImplementationLog

    ctx = ctx_for("participant", CODE)
    logger, tracker, log = EvidenceLogger(ctx), CoverageTracker(ctx), ImplementationLog(ctx)
    shared_poller = logger.poller.poller
    assert tracker.poller.poller is shared_poller and log.poller.poller is shared_poller
    assert list(page_of(ctx).pollers) == [("revision", CODE)]
    reads: list[int] = []
    real_read = shared_poller._poller.read
    shared_poller._poller.read = lambda: reads.append(1) or real_read()
    before = tracker.value["perceptions"]
    demo_sqlite.add_evidence(
        CODE,
        actor="kernel-2",
        evidence_type="perceptions",
        date=dt.date.today(),
        value=81,
        unit="%",
    )
    assert shared_poller.poll_once() is True
    assert reads == [1]  # one read, three sections brought up to date
    assert tracker.value["perceptions"] == before + 1
    assert logger.poller.poll_once() is False and log.poller.poll_once() is False


def test_one_failing_subscriber_does_not_silence_the_others(caplog) -> None:
    poller = Page().poller("x", Counter().read)
    seen: list[str] = []

    def broken() -> None:
        raise RuntimeError("SELECT secret FROM keys")

    poller.subscribe(broken)
    poller.subscribe(lambda: seen.append("ok"))
    poller._poller.read = lambda: 99
    with caplog.at_level(logging.ERROR, logger="ilc_widgets"):
        assert poller.poll_once()
    assert seen == ["ok"]
    assert "SELECT" not in caplog.text and all(r.exc_info is None for r in caplog.records)


# ============================================================================ autosave


class FakeStore:
    """A document with a version, as the database keeps it."""

    def __init__(self, doc: dict[str, str]) -> None:
        self.doc, self.version, self.saves = dict(doc), 1, 0

    def save(self, doc: dict[str, str], version: int) -> int:
        self.saves += 1
        if version != self.version:
            raise ConflictError("The document", version, self.version)
        self.doc, self.version = dict(doc), self.version + 1
        return self.version

    def load(self) -> tuple[dict[str, str], int]:
        return dict(self.doc), self.version

    def someone_else_saves(self, **changes: str) -> None:
        self.doc, self.version = {**self.doc, **changes}, self.version + 1


def merge_fields(
    base: dict[str, str], mine: dict[str, str], theirs: dict[str, str]
) -> tuple[dict[str, str], bool]:
    merged, clash = {}, False
    for key in base:
        merged[key], both = merge_text(base[key], mine[key], theirs[key])
        clash = clash or both
    return merged, clash


class Form:
    """A form that saves itself through AutoSave, recording what it was told."""

    def __init__(self, store: FakeStore, *, ask: bool = False) -> None:
        self.store = store
        self.fields = dict(store.doc)
        self.events: list[tuple[str, Any]] = []
        self.saver: AutoSave[dict[str, str]] = AutoSave(
            read=lambda: dict(self.fields),
            save=store.save,
            load=store.load,
            merge=merge_fields,
            on_merged=self.merged,
            base=dict(store.doc),
            version=store.version,
            on_saved=lambda wrote: self.events.append(("saved", wrote)),
            on_conflict=self.conflict if ask else None,
            on_failed=lambda exc: self.events.append(("failed", type(exc).__name__)),
        )

    def type(self, **changes: str) -> None:
        self.fields.update(changes)
        self.saver.changed()  # no event loop: the debouncer saves at once

    def merged(self, merged: dict[str, str], clash: bool) -> None:
        self.fields = dict(merged)
        self.events.append(("merged", clash))

    def conflict(self, theirs: dict[str, str], version: int, merged: dict[str, str]) -> None:
        self.events.append(("ask", version))


def test_autosave_saves_from_the_version_read() -> None:
    store = FakeStore({"went_well": "", "learned": ""})
    form = Form(store)
    form.type(went_well="The block held.")
    assert store.doc["went_well"] == "The block held." and store.version == 2
    assert form.saver.version == 2 and not form.saver.dirty
    assert form.events == [("saved", True)]
    saves = store.saves
    form.type(went_well="The block held.")  # nothing new: nothing written
    assert store.saves == saves


def test_autosave_conflict_is_merged_and_saved_again() -> None:
    store = FakeStore({"went_well": "", "learned": ""})
    form = Form(store)
    store.someone_else_saves(learned="Theirs.")
    form.type(went_well="Mine.")
    assert store.doc == {"went_well": "Mine.", "learned": "Theirs."}
    assert form.fields == store.doc  # the form shows both
    assert store.version == 3 and form.saver.version == 3 and not form.saver.dirty
    assert form.events == [("merged", False), ("saved", True)]
    assert store.saves == 2  # the first attempt met the newer version, the retry stored


def test_autosave_keeps_both_texts_where_both_changed_the_same_field() -> None:
    store = FakeStore({"went_well": "Start.", "learned": ""})
    form = Form(store)
    store.someone_else_saves(went_well="Start. Theirs.")
    form.type(went_well="Start. Mine.")
    assert store.doc["went_well"] == "Start. Theirs.\nStart. Mine."
    assert ("merged", True) in form.events


def test_autosave_asks_a_person_but_saves_the_merge_on_exit() -> None:
    store = FakeStore({"went_well": "Start.", "learned": ""})
    form = Form(store, ask=True)
    store.someone_else_saves(went_well="Theirs.")
    form.type(went_well="Mine.")
    assert form.events == [("ask", 2)] and store.doc["went_well"] == "Theirs."
    assert form.saver.dirty  # nothing lost: still to be saved
    form.saver.save_on_exit()  # the tab closed: nobody to ask, the merge is saved
    assert store.doc["went_well"] == "Theirs.\nMine."


def test_autosave_gives_up_when_someone_keeps_saving() -> None:
    store = FakeStore({"went_well": "", "learned": ""})
    form = Form(store)
    real_save = store.save

    def always_newer(doc: dict[str, str], version: int) -> int:
        store.someone_else_saves(learned=f"again {store.version}")
        return real_save(doc, version)

    store.save = always_newer  # type: ignore[method-assign]
    form.saver._save = always_newer
    form.type(went_well="Mine.")
    assert form.events[-1] == ("failed", SaveFailed.__name__)
    assert form.saver.dirty and form.fields["went_well"] == "Mine."


def test_autosave_waits_until_the_form_is_ready() -> None:
    store = FakeStore({"went_well": "", "learned": ""})
    form = Form(store)
    form.saver.ready = lambda doc: bool(doc["went_well"].strip())
    form.type(learned="Only this.")
    assert store.saves == 0 and form.saver.dirty
    form.type(went_well="Now.")
    assert store.doc == {"went_well": "Now.", "learned": "Only this."}


# ============================================================================ jobs


def test_a_job_without_a_loop_runs_at_once_with_its_progress() -> None:
    seen: list[tuple[int, int]] = []
    done: list[str] = []

    def work(progress: Any) -> str:
        for i in range(1, 4):
            progress(i, 3)
        return "built"

    job = Job(work, on_progress=lambda d, t: seen.append((d, t)), on_done=done.append).start()
    assert seen == [(1, 3), (2, 3), (3, 3)] and done == ["built"]
    assert job.state == "done" and job.result == "built" and not job.running


def test_a_failing_job_reports_without_a_traceback(caplog) -> None:
    errors: list[Exception] = []

    def work(progress: Any) -> None:
        raise RuntimeError("password=hunter2")

    with caplog.at_level(logging.ERROR, logger="ilc_widgets"):
        job = Job(work, on_error=errors.append).start()
    assert job.state == "failed" and isinstance(errors[0], RuntimeError)
    assert "hunter2" not in caplog.text and all(r.exc_info is None for r in caplog.records)


def test_a_job_runs_off_the_loop_thread_and_reports_on_it(monkeypatch) -> None:
    async def main() -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(jobs, "running_loop", lambda: loop)
        loop_thread = threading.get_ident()
        out: dict[str, Any] = {"progress": [], "progress_threads": set()}
        finished = loop.create_future()
        release = threading.Event()

        def work(progress: Any) -> int:
            out["work_thread"] = threading.get_ident()
            for i in range(1, 51):
                progress(i, 50)
            release.wait(10)
            return 42

        def on_progress(done: int, total: int) -> None:
            out["progress"].append((done, total))
            out["progress_threads"].add(threading.get_ident())

        job = Job(work, on_progress=on_progress, on_done=finished.set_result).start()
        assert job.running
        release.set()
        out["result"] = await asyncio.wait_for(finished, 10)
        out["loop_thread"] = loop_thread
        return out

    out = run_isolated(main())
    assert out["result"] == 42 and out["work_thread"] != out["loop_thread"]
    assert out["progress_threads"] == {out["loop_thread"]}  # widgets change on the loop only
    assert out["progress"][-1] == (50, 50)  # the last report arrives before the result
    assert len(out["progress"]) <= 50


def test_a_cancelled_job_stops_at_its_next_progress_report() -> None:
    job: Job[None] | None = None

    def work(progress: Any) -> None:
        assert job is not None
        job.cancel()
        progress(1, 2)

    job = Job(work)
    job.start()
    assert job.state == "cancelled" and isinstance(job.error, JobCancelled)


def test_the_network_report_is_built_as_a_job(ctx_for) -> None:
    from ilc_widgets.widgets.gallery import NetworkReport

    r = NetworkReport(ctx_for("facilitator"))
    r.build()
    assert r.job is not None and r.job.state == "done"
    assert r.progress.value == 100 and "Built at" in r.status.value
    assert not r.build_button.disabled


# ============================================================================ notice guard


def test_the_guard_shows_people_a_message_and_never_a_traceback(caplog) -> None:
    notice = Notice()

    def database_down() -> None:
        raise RuntimeError("(psycopg) SELECT * FROM participants WHERE key='abc'")

    with caplog.at_level(logging.ERROR, logger="ilc_widgets"):
        assert guard(notice, "Saving the entry", database_down) is False
    assert notice.text.startswith("Saving the entry did not work.")
    for leak in ("SELECT", "abc", "Traceback", "psycopg"):
        assert leak not in notice.value and leak not in caplog.text
    assert "RuntimeError" in caplog.text and all(r.exc_info is None for r in caplog.records)

    def bad_date() -> None:
        raise IlcError("the date is in the future")

    assert guard(notice, "Saving the entry", bad_date) is False
    assert notice.text == "The date is in the future"
    assert guard(notice, "Saving", lambda: None) is True


def test_guarded_handlers_report_on_their_own_notice() -> None:
    class Panel:
        def __init__(self) -> None:
            self.notice = Notice()

        @guarded("Building the report")
        def build(self, _button: object = None) -> str:
            raise KeyError("internal detail")

        @guarded("Saving")
        def save(self) -> str:
            return "saved"

    panel = Panel()
    assert panel.build() is None
    assert "Building the report did not work" in panel.notice.text
    assert "internal detail" not in panel.notice.value
    assert panel.save() == "saved"


# ============================================================================ staged sections


class Heavy(StagedSection):
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.events: list[str] = []
        super().__init__([W.HTML("quick part")])
        self.stage()

    def build_rest(self) -> None:
        if self.fail:
            raise RuntimeError("boom")
        self.events.append("heavy part")

    def show_failure(self, exc: Exception) -> None:
        self.events.append(f"failed: {type(exc).__name__}")


def test_a_staged_section_builds_at_once_without_a_browser() -> None:
    assert Heavy().events == ["heavy part"]
    failed = Heavy(fail=True)
    assert failed.events == ["failed: RuntimeError"] and failed.built
    failed.finish_building()
    assert failed.events == ["failed: RuntimeError"]  # once only


def test_a_staged_section_builds_its_heavy_part_once_the_page_shows_it(monkeypatch) -> None:
    async def main() -> tuple[list[str], list[str]]:
        loop = asyncio.get_running_loop()
        monkeypatch.setattr(section, "running_loop", lambda: loop)
        monkeypatch.setattr(Heavy, "delay_seconds", 0.0)
        monkeypatch.setattr(Heavy, "fallback_seconds", 30.0)
        shown = Heavy()
        before = list(shown.events)
        shown._view_count = 1  # the browser drew it
        for _ in range(100):
            if shown.built:
                break
            await asyncio.sleep(0.01)
        return before, shown.events

    before, after = run_isolated(main())
    assert before == [] and after == ["heavy part"]


# ============================================================================ styles and fields


def test_each_stylesheet_is_one_widget_per_kernel() -> None:
    register_stylesheet("kit-test", "<style>.x { color: red; }</style>")
    sheet = stylesheet("kit-test")
    assert stylesheet("kit-test") is sheet and ".x" in sheet.value
    register_stylesheet("kit-test", "<style>.x { color: blue; }</style>")
    assert stylesheet("kit-test") is sheet and "blue" in sheet.value  # updated in place
    sheet.close()
    assert stylesheet("kit-test") is not sheet  # made again once closed
    assert "ilc-notice" in stylesheet("base").value
    with pytest.raises(KeyError):
        stylesheet("no-such-sheet")
    with pytest.raises(ValueError):
        register_stylesheet("bad", ".x { }")
    assert shared(W.Layout, width="auto") is shared(W.Layout, width="auto")


def test_a_field_is_labelled_by_its_own_description() -> None:
    box = field("Problem of practice", W.Textarea(), label_width="9em")
    assert box.description == "Problem of practice" and box.tooltip == "Problem of practice"
    assert box.style.description_width == "9em" and not box.description_allow_html
    other = field("Surfacing data", W.Textarea(), label_width="9em")
    assert other.style is box.style  # one shared style model
    pick = field("Collective", W.Dropdown(options=["a", "b"]))
    assert pick.description == "Collective"
    area = text_field("Notes", rows=3)
    assert isinstance(area, W.Textarea) and area.rows == 3 and area.description == "Notes"
    with pytest.raises(TypeError):
        field("Caption", W.HTML("x"))
    with pytest.raises(ValueError):
        field("  ", W.Text())
