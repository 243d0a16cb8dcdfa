"""Workbook 04 widgets: the evidence logger, the coverage tracker and the implementation log.

Plain pytest on the demo network: set widget values, click buttons, read what is shown.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import ipywidgets as W
import pandas as pd
import pytest

from ilc_widgets import workbook
from ilc_widgets.errors import IlcError
from ilc_widgets.placemat import Indicator, Placemat, TheoryStep
from ilc_widgets.vocab import EVIDENCE_TYPES
from ilc_widgets.widgets.evidence import (
    PAGE_SIZE,
    CoverageTracker,
    EvidenceLogger,
    ImplementationLog,
)
from ilc_widgets.widgets.home import DeniedView
from tests._aio import run_isolated

CODE = "literacy-1"
TODAY = dt.date.today()


def fill(logger, **fields):
    """Type an entry into the logger's form."""
    widgets = {
        "evidence_type": logger.type_input,
        "indicator": logger.indicator_input,
        "date": logger.date_input,
        "value": logger.value_input,
        "unit": logger.unit_input,
        "n": logger.n_input,
        "subgroup": logger.subgroup_input,
        "description": logger.description_input,
        "source": logger.source_input,
        "entered_by": logger.who_input,
    }
    for name, value in fields.items():
        widgets[name].value = value


def visible_rows(logger):
    return [r for r in logger.rows if r.shown]


def shown_text(logger):
    return " ".join(re.sub(r"<[^>]+>", " ", r.cells.value) for r in visible_rows(logger))


def live_count(net, code=CODE):
    return len(net.evidence_frame(code))


@pytest.fixture
def participant(ctx_for):
    return ctx_for("participant", CODE)


@pytest.fixture
def logger(participant):
    return EvidenceLogger(participant)


# ---------------------------------------------------------------------- adding evidence


@pytest.mark.parametrize("kind", list(EVIDENCE_TYPES))
def test_add_evidence_of_each_type(logger, participant, kind):
    net = participant.network
    before = live_count(net)
    fill(
        logger,
        evidence_type=kind,
        date=TODAY - dt.timedelta(days=1),
        value="61.5",
        unit="%",
        n="42",
        subgroup="grade 1",
        description=f"A {kind} check",
        source="team notes",
    )
    logger.add_button.click()
    assert "Added" in logger.form_notice.text
    frame = net.evidence_frame(CODE)
    assert len(frame) == before + 1
    row = frame[frame["description"] == f"A {kind} check"].iloc[0]
    assert row["evidence_type"] == kind
    assert row["value"] == 61.5 and row["unit"] == "%" and row["n"] == 42
    assert row["subgroup"] == "grade 1" and row["source"] == "team notes"
    assert row["entered_by"] == participant.actor
    assert row["date"] == TODAY - dt.timedelta(days=1)
    # newest first, highlighted; the form is ready for the next entry of the same kind
    first = visible_rows(logger)[0]
    assert f"A {kind} check" in first.cells.value
    assert "ilc-ev-fresh" in first._dom_classes
    assert logger.type_input.value == kind and logger.unit_input.value == "%"
    assert logger.value_input.value == "" and logger.description_input.value == ""


def test_indicator_choice_fills_unit_and_type(logger):
    names = [v for _, v in logger.indicator_input.options]
    assert names[0] == "" and "DIBELS composite at benchmark" in names
    logger.indicator_input.value = "Foundational skills block taught as designed"
    assert logger.unit_input.value == "%"
    assert logger.type_input.value == "school_processes"
    # a type chosen by hand is kept when the indicator changes
    logger.type_input.value = "perceptions"
    logger.indicator_input.value = "DIBELS composite at benchmark"
    assert logger.type_input.value == "perceptions"
    logger.unit_input.value = "points"
    logger.indicator_input.value = "Phonics screener skills mastered (grade 1)"
    assert logger.unit_input.value == "points"  # typed by hand: kept


def test_who_entered_defaults_to_the_session_and_offers_members(logger, participant):
    values = [v for _, v in logger.who_input.options]
    assert logger.who_input.value == participant.actor
    members = participant.network.members(CODE)
    assert set(members["email"].str.lower()) <= set(values)
    email = members["email"].iloc[0].lower()
    logger.who_input.value = email
    fill(logger, evidence_type="perceptions", description="Exit survey themes")
    logger.add_button.click()
    frame = participant.network.evidence_frame(CODE)
    assert frame[frame["description"] == "Exit survey themes"]["entered_by"].iloc[0] == email
    assert members["name"].iloc[0] in visible_rows(logger)[0].cells.value


def test_value_trait_mirrors_and_fills_the_form(logger):
    fill(logger, evidence_type="demographic", value="140", unit="students")
    assert logger.value["evidence_type"] == "demographic"
    # the form starts on the day it was built (not the day this module was imported: a
    # suite that crosses midnight would compare two different days)
    assert logger.value["value"] == "140"
    assert logger.value["date"] == logger.date_input.value.isoformat()
    assert logger.date_input.value in (TODAY, dt.date.today())
    logger.value = {"evidence_type": "perceptions", "description": "Focus group", "date": ""}
    assert logger.type_input.value == "perceptions"
    assert logger.description_input.value == "Focus group"
    assert logger.date_input.value is None


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("fields", "column", "words"),
    [
        ({"value": "72", "unit": ""}, "unit", "no unit"),
        ({"date": TODAY + dt.timedelta(days=3)}, "date", "in the future"),
        ({"n": "-4"}, "n", "0 or more"),
        ({"evidence_type": None}, "evidence_type", "Choose the type"),
        ({"value": "", "description": ""}, "description", "value or a description"),
        ({"value": "lots", "unit": "%"}, "value", "not a number"),
        ({"date": None}, "date", "Pick the date"),
    ],
)
def test_validation_shows_messages_per_field_and_writes_nothing(
    logger, participant, fields, column, words
):
    net = participant.network
    before = live_count(net)
    revision = net.revision(CODE)
    entry = {
        "evidence_type": "student_learning",
        "value": "40",
        "unit": "%",
        "n": "20",
        "description": "Screener",
        **fields,
    }
    fill(logger, **entry)
    logger.add_button.click()
    assert live_count(net) == before and net.revision(CODE) == revision
    error = logger.errors[column].value
    assert words.lower() in error.lower(), error
    assert "nothing was saved" in logger.form_notice.text
    # what was typed is still there
    for name, value in entry.items():
        if name in ("value", "unit", "n", "description"):
            assert getattr(logger, f"{name}_input").value == value
    # fixing it clears the messages and saves
    fill(logger, evidence_type="student_learning", date=TODAY, value="40", unit="%", n="20")
    logger.description_input.value = "Screener"
    logger.add_button.click()
    assert live_count(net) == before + 1
    assert all(e.value == "" for e in logger.errors.values())


# ---------------------------------------------------------------------- edit, conflict


def _first_entry(logger):
    row = visible_rows(logger)[0]
    return row, row.entry_id


def test_edit_loads_the_entry_and_saves_with_its_version(logger, participant):
    net = participant.network
    row, entry_id = _first_entry(logger)
    before = net.evidence_frame(CODE).set_index("id").loc[entry_id]
    row.edit_button.click()
    assert logger.editing == entry_id
    assert logger.add_button.description == "Save changes"
    assert logger.value_input.value != "" or logger.description_input.value != ""
    assert logger.type_input.value == before["evidence_type"]
    assert logger.indicator_input.value == before["indicator"]
    logger.n_input.value = "77"
    logger.add_button.click()
    after = net.evidence_frame(CODE).set_index("id").loc[entry_id]
    assert after["n"] == 77 and after["version"] == before["version"] + 1
    assert after["indicator"] == before["indicator"] and after["value"] == before["value"]
    assert logger.editing is None and logger.add_button.description == "Add evidence"
    assert "Saved your changes" in logger.form_notice.text
    assert live_count(net) == len(net.evidence_frame(CODE))  # no new entry


def test_edit_conflict_shows_a_message_keeps_the_form_and_overwrites_nothing(logger, participant):
    net = participant.network
    row, entry_id = _first_entry(logger)
    row.edit_button.click()
    logger.description_input.value = "My wording"
    # someone else saves the same entry first
    version = int(net.evidence_frame(CODE).set_index("id").loc[entry_id, "version"])
    net.update_evidence(entry_id, version, collective=CODE, actor="other", description="Theirs")
    logger.add_button.click()
    saved = net.evidence_frame(CODE).set_index("id").loc[entry_id]
    assert saved["description"] == "Theirs"
    text = logger.form_notice.text
    assert "Someone else changed this entry" in text and "nothing was overwritten" in text
    assert "Their version (highlighted in the table)" in text and "Theirs" in text
    assert logger.description_input.value == "My wording"
    assert logger.editing == entry_id
    # the table was reloaded and shows their version
    assert "Theirs" in shown_text(logger)
    # saving again, knowingly, replaces theirs
    logger.add_button.click()
    assert net.evidence_frame(CODE).set_index("id").loc[entry_id, "description"] == "My wording"


def test_edit_of_an_entry_deleted_meanwhile(logger, participant):
    net = participant.network
    row, entry_id = _first_entry(logger)
    row.edit_button.click()
    logger.description_input.value = "Keep me"
    net.delete_evidence(entry_id, collective=CODE, actor="other")
    before = live_count(net)
    logger.add_button.click()
    assert "deleted this entry" in logger.form_notice.text
    assert logger.editing is None and logger.description_input.value == "Keep me"
    assert live_count(net) == before


def test_cancel_edit_empties_the_form(logger):
    row, _ = _first_entry(logger)
    row.edit_button.click()
    logger.cancel_button.click()
    assert logger.editing is None and logger.value_input.value == ""
    assert logger.cancel_button.layout.display == "none"


# ---------------------------------------------------------------------- delete and restore


def test_delete_restore_and_undo(logger, participant):
    net = participant.network
    before = live_count(net)
    row, entry_id = _first_entry(logger)
    row.delete_button.click()
    assert live_count(net) == before - 1
    assert entry_id not in [r.entry_id for r in visible_rows(logger)]
    assert "deleted" in logger.table_notice.text
    assert logger.undo_button.layout.display == ""
    logger.undo_button.click()
    assert live_count(net) == before
    assert visible_rows(logger)[0].entry_id == entry_id
    # delete again, then restore from the "Show deleted" list
    visible_rows(logger)[0].delete_button.click()
    logger.show_deleted.value = True
    rows = visible_rows(logger)
    assert [r.entry_id for r in rows] == [entry_id]
    assert rows[0].delete_button.description.startswith("Restore entry of ")
    assert "ilc-ev-restore" in rows[0].delete_button._dom_classes
    assert rows[0].edit_button.layout.visibility == "hidden"
    assert "ilc-ev-deleted-row" in rows[0]._dom_classes
    rows[0].delete_button.click()
    assert live_count(net) == before
    assert visible_rows(logger) == [] and "No deleted entries" in logger.empty_html.value
    logger.show_deleted.value = False
    assert entry_id in [r.entry_id for r in visible_rows(logger)]


# ---------------------------------------------------------------------- filters and pages


def test_filters_type_indicator_dates_and_who(logger, participant):
    net = participant.network
    frame = net.evidence_frame(CODE)
    total = len(frame)
    assert "of 66" in logger.page_label.value or str(total) in logger.page_label.value

    def count():
        label = logger.page_label.value
        m = re.search(r"of (\d+)", label)
        return int(m.group(1)) if m else 0

    logger.filter_type.value = "school_processes"
    assert count() == (frame["evidence_type"] == "school_processes").sum()
    assert "matching" in logger.page_label.value
    logger.filter_type.value = "*"
    name = "DIBELS composite at benchmark"
    logger.filter_indicator.value = name
    assert count() == (frame["indicator"] == name).sum()
    logger.filter_indicator.value = ""
    assert count() == (frame["indicator"].fillna("") == "").sum()
    logger.filter_indicator.value = "*"
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    logger.filter_from.value, logger.filter_to.value = start, end
    assert count() == ((frame["date"] >= start) & (frame["date"] <= end)).sum()
    for row in visible_rows(logger):
        day = re.search(r"\d{4}-\d{2}-\d{2}", row.cells.value).group(0)
        assert start.isoformat() <= day <= end.isoformat()
    logger.clear_filters()
    who = frame["entered_by"].value_counts().index[0]
    logger.filter_who.value = who
    assert count() == (frame["entered_by"] == who).sum()
    logger.filter_from.value = TODAY + dt.timedelta(days=1)
    assert count() == 0 and "No entries match" in logger.empty_html.value
    logger.clear_filters()
    assert count() == total


def test_pagination_keeps_a_big_collective_fast(ctx_for):
    ctx = ctx_for("participant", "multilingual-1")
    net = ctx.network
    rows = pd.DataFrame(
        {
            "date": [(TODAY - dt.timedelta(days=i % 300)).isoformat() for i in range(3000)],
            "evidence_type": [list(EVIDENCE_TYPES)[i % 4] for i in range(3000)],
            "value": [str(i) for i in range(3000)],
            "unit": "points",
            "n": "12",
            "description": [f"entry {i}" for i in range(3000)],
        }
    )
    net.import_evidence(rows, "big.csv", collective="multilingual-1", actor="test")
    started = time.perf_counter()
    logger = EvidenceLogger(ctx)
    built = time.perf_counter() - started
    total = 3004
    assert len(visible_rows(logger)) == PAGE_SIZE
    assert f"1–{PAGE_SIZE} of {total}" in logger.page_label.value
    assert logger.prev_button.disabled and not logger.next_button.disabled
    first_page = [r.entry_id for r in visible_rows(logger)]
    logger.next_button.click()
    assert logger.page == 1 and f"26–50 of {total}" in logger.page_label.value
    assert not set(first_page) & {r.entry_id for r in visible_rows(logger)}
    started = time.perf_counter()
    logger.go_to(10_000)
    paged = time.perf_counter() - started
    last = -(-total // PAGE_SIZE)
    assert logger.page == last - 1 and f"page {last} of {last}" in logger.page_label.value
    assert len(visible_rows(logger)) == total - (last - 1) * PAGE_SIZE
    assert logger.next_button.disabled
    logger.prev_button.click()
    assert logger.page == last - 2
    # a filter goes back to the first page
    logger.filter_type.value = "perceptions"
    assert logger.page == 0 and "of 750 matching" in logger.page_label.value
    started = time.perf_counter()
    logger.refresh()
    refreshed = time.perf_counter() - started
    # a season of evidence never means thousands of rows on the page: one page of reused
    # rows, whatever the size (timings are printed, not asserted: the machine is shared)
    assert len(logger.rows) == PAGE_SIZE
    assert tuple(logger.rows_box.children) == tuple(logger.rows)
    print(
        f"\n3004 entries: built {built:.2f} s, last page {paged:.3f} s, refresh {refreshed:.2f} s"
    )


# ---------------------------------------------------------------------- bulk import


FOREIGN_CSV = (
    "When,Type of evidence,Measure,Result,Units,Count,Student group,Notes,Where from\n"
    "2026-10-02,Perception,,78,%,31,teachers,Pulse on the new block,Staff survey\n"
    "2026-10-09,School processes,Foundational skills block taught as designed,55,%,22,,"
    "Walkthroughs wk 6,Walkthrough form\n"
    "2026-10-16,student learning,DIBELS composite at benchmark,47,%,310,grade 1,,DIBELS\n"
)


def _upload(logger, data: bytes, name: str):
    logger.importer.upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime.now(dt.timezone.utc),
        },
    )


def test_bulk_import_with_mapping_preview_and_progress(logger, participant):
    net = participant.network
    before = live_count(net)
    _upload(logger, FOREIGN_CSV.encode(), "walkthroughs.csv")
    imp = logger.importer
    mapping = imp.column_map()
    assert mapping["When"] == "date" and mapping["Result"] == "value"
    assert mapping["Type of evidence"] == "evidence_type" and mapping["Units"] == "unit"
    assert mapping["Measure"] == "indicator" and mapping["Count"] == "n"
    assert mapping["Where from"] == ""  # not recognised: ignored until mapped
    assert "Ignored columns: Where from" in imp.preview_html.value
    imp.map_inputs["Where from"].value = "source"
    assert "3 entries are ready" in imp.preview_html.value
    assert "Pulse on the new block" in imp.preview_html.value
    assert imp.import_button.description == "Import 3 entries" and not imp.import_button.disabled
    assert live_count(net) == before  # a preview writes nothing
    imp.import_button.click()
    assert live_count(net) == before + 3
    assert imp.progress.value == 3
    assert "Imported 3 entries" in imp.message.text
    frame = net.evidence_frame(CODE)
    added = frame[frame["source"] == "Walkthrough form"].iloc[0]
    assert added["indicator"] == "Foundational skills block taught as designed"
    assert added["evidence_type"] == "school_processes" and added["n"] == 22
    assert added["entered_by"] == participant.actor
    assert imp.import_button.disabled and imp.preview_html.value == ""
    assert "Imported 3 entries" in logger.table_notice.text


def test_bulk_import_with_problems_imports_nothing(logger, participant):
    net = participant.network
    before = live_count(net)
    bad = (
        "date,evidence_type,value,unit,n,description,collective\n"
        "2026-10-02,perceptions,78,,10,ok,\n"
        f"{(TODAY + dt.timedelta(days=5)).isoformat()},perceptions,5,%,3,future,\n"
        "2026-10-03,feelings,5,%,-2,bad type,\n"
        "2026-10-04,perceptions,5,%,2,other collective,grading-1\n"
    )
    _upload(logger, bad.encode(), "bad.csv")
    imp = logger.importer
    text = imp.preview_html.value
    assert "nothing can be imported" in text
    assert "row 2" in text and "no unit" in text
    assert "row 3" in text and "in the future" in text
    assert "row 4" in text and "feelings" in text
    assert "row 5" in text and "grading-1" in text
    assert imp.import_button.disabled
    imp.import_button.click()
    assert live_count(net) == before
    assert live_count(net, "grading-1") == len(net.evidence_frame("grading-1"))


def test_bulk_import_ambiguous_dates_with_a_chosen_order(logger, participant):
    net = participant.network
    data = (
        "date,evidence_type,value,unit\n03/04/2026,perceptions,50,%\n05/06/2026,perceptions,60,%\n"
    )
    _upload(logger, data.encode(), "eu.csv")
    imp = logger.importer
    assert "ambiguous" in imp.preview_html.value and imp.import_button.disabled
    imp.date_order.value = "dmy"
    assert "2 entries are ready" in imp.preview_html.value
    imp.import_button.click()
    frame = net.evidence_frame(CODE)
    days = set(frame[frame["value"].isin([50.0, 60.0]) & (frame["unit"] == "%")]["date"])
    assert {dt.date(2026, 4, 3), dt.date(2026, 6, 5)} <= days


def test_bulk_import_xlsx(logger, participant):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "evidence_type", "indicator", "value", "unit", "n"])
    sheet.append([dt.date(2026, 10, 20), "Demographic", "", 96.5, "%", 400])
    buf = io.BytesIO()
    book.save(buf)
    before = live_count(participant.network)
    _upload(logger, buf.getvalue(), "attendance.xlsx")
    assert "1 entries are ready" in logger.importer.preview_html.value
    logger.importer.import_button.click()
    assert live_count(participant.network) == before + 1


def test_unreadable_upload_shows_a_message(logger):
    _upload(logger, b"%PDF-1.4 not a table", "report.pdf")
    assert "PDF" in logger.importer.preview_html.value
    assert logger.importer.import_button.disabled


# ---------------------------------------------------------------------- coverage


@pytest.fixture
def fresh_collective(ctx_for):
    """A new collective with a two-indicator placemat and no evidence."""
    ctx = ctx_for("facilitator")
    net = ctx.network
    net.create_collective("fresh-1", "Fresh start", actor="test")
    placemat = Placemat(
        problem_of_practice="Few students discuss math reasoning in class",
        theory_of_action=[
            TheoryStep("coaches model talk moves", "teachers use talk moves", "leader_actions"),
            TheoryStep(
                "teachers use talk moves", "students explain their reasoning", "student_outcomes"
            ),
        ],
        indicators=[
            Indicator(
                name="Talk moves observed",
                kind="leading",
                evidence_type="school_processes",
                unit="%",
            ),
            Indicator(
                name="Students explaining",
                kind="lagging",
                evidence_type="student_learning",
                unit="%",
            ),
        ],
    )
    net.save_placemat("fresh-1", placemat, 0, actor="test")
    from ilc_widgets.session import SessionContext

    return SessionContext(
        "participant",
        network=net,
        collective=net.collective("fresh-1"),
        actor="fresh-1 link",
        query="x",
    )


def test_coverage_counts_and_prompts_follow_new_evidence(fresh_collective):
    ctx = fresh_collective
    logger = EvidenceLogger(ctx)
    tracker = CoverageTracker(ctx)
    assert tracker.value == dict.fromkeys(EVIDENCE_TYPES, 0)
    prompts = tracker.prompts_html.value
    assert "No perceptions data yet: a short survey of teachers" in prompts
    assert "No demographic data yet" in prompts
    assert "Talk moves observed" in prompts and "Students explaining" in prompts
    table = tracker.table_html.value
    assert table.index("Talk moves observed") < table.index("Students explaining")
    assert "planned" in table
    fill(logger, evidence_type="perceptions", value="64", unit="%", n="18", description="Survey")
    logger.add_button.click()
    # the tracker on the same page updates at once (no polling needed)
    assert tracker.value["perceptions"] == 1
    assert "No perceptions data yet" not in tracker.prompts_html.value
    assert "No demographic data yet" in tracker.prompts_html.value
    assert "(no indicator)" in tracker.table_html.value
    fill(logger, evidence_type="school_processes", indicator="Talk moves observed")
    fill(logger, value="40", n="12")
    logger.add_button.click()
    assert tracker.value["school_processes"] == 1
    assert "“Talk moves observed”" not in tracker.prompts_html.value
    for kind in ("demographic", "student_learning"):
        fill(logger, evidence_type=kind, indicator="Students explaining", value="5", unit="%")
        logger.add_button.click()
    assert tracker.value == dict.fromkeys(EVIDENCE_TYPES, 1)
    assert "Every type of evidence and every indicator has entries" in tracker.prompts_html.value
    row = re.search(r"Students explaining.*?</tr>", tracker.table_html.value).group(0)
    assert re.findall(r">(\d+)<", row)[-1] == "2"  # the row's total


def test_coverage_with_an_empty_placemat(ctx_for):
    tracker = CoverageTracker(ctx_for("participant", "multilingual-1"))
    assert tracker.value["demographic"] == 3 and tracker.value["student_learning"] == 1
    assert "No perceptions data yet" in tracker.prompts_html.value
    assert "(no indicator)" in tracker.table_html.value
    assert "The placemat has no indicators yet" in tracker.prompts_html.value
    assert "framed cell" not in tracker.table_html.value
    # no theory of action and no actions yet: said plainly, no "0 of 0 steps"
    log = ImplementationLog(ctx_for("participant", "multilingual-1"))
    assert "No actions logged yet." in log.summary.value and "0 of 0" not in log.summary.value


# ---------------------------------------------------------------------- implementation log


def test_implementation_log_add_and_remove_linked_to_steps(fresh_collective):
    ctx = fresh_collective
    log = ImplementationLog(ctx)
    steps = ctx.network.placemat("fresh-1").placemat.theory_of_action
    options = log.step_input.options
    assert options[0] == ("(not linked to a step)", "")
    assert [v for _, v in options[1:]] == [s.id for s in steps]
    assert options[1][0].startswith("1. If coaches model talk moves, then teachers use")
    assert log.value == []
    assert "No actions logged for this step yet" in "".join(
        w.value for w in log.timeline.children if hasattr(w, "value")
    )
    log.date_input.value = TODAY - dt.timedelta(days=2)
    log.step_input.value = steps[1].id
    log.action_input.value = "Modelled two talk moves in grade 4"
    log.add_button.click()
    assert log.action_input.value == ""
    frame = ctx.network.implementation_log("fresh-1")
    assert frame["toa_step"].tolist() == [steps[1].id]
    assert log.value[0]["toa_step"] == steps[1].id
    log.step_input.value = ""
    log.action_input.value = "Shared the schedule"
    log.add_button.click()
    # grouped by step: step 2's heading comes before its action, the unlinked group last
    texts = [
        getattr(w, "value", "") or getattr(getattr(w, "text", None), "value", "")
        for w in log.timeline.children
    ]
    joined = " | ".join(texts)
    assert joined.index("Step 2") < joined.index("Modelled two talk moves")
    assert joined.index("Not linked to a step") < joined.index("Shared the schedule")
    assert "2 actions logged, covering 1 of 2 steps" in log.summary.value
    # remove takes two clicks
    row = next(w for w in log.timeline.children if getattr(w, "action_id", None))
    row.remove_button.click()
    assert len(ctx.network.implementation_log("fresh-1")) == 2
    row.remove_button.click()
    assert len(ctx.network.implementation_log("fresh-1")) == 1
    assert len(log.value) == 1


def test_implementation_log_validation_keeps_the_text(fresh_collective):
    log = ImplementationLog(fresh_collective)
    log.action_input.value = "Planned walkthroughs"
    log.date_input.value = TODAY + dt.timedelta(days=7)
    log.add_button.click()
    assert "future" in log.form_notice.text
    assert log.action_input.value == "Planned walkthroughs"
    log.action_input.value = "  "
    log.date_input.value = TODAY
    log.add_button.click()
    assert "Describe the action" in log.form_notice.text
    assert fresh_collective.network.implementation_log("fresh-1").empty


def test_implementation_log_groups_the_demo_actions(ctx_for):
    log = ImplementationLog(ctx_for("participant", CODE))
    assert len(log.value) == 9
    assert "covering 2 of 3 steps" in log.summary.value


# ---------------------------------------------------------------------- live updates


def test_polling_shows_another_sessions_writes_without_touching_the_form(ctx_for):
    first, second = ctx_for("participant", CODE), ctx_for("participant", CODE)
    mine, theirs = EvidenceLogger(first), EvidenceLogger(second)
    tracker = CoverageTracker(second)
    log = ImplementationLog(second)
    # someone is half-way through an entry on the second page
    fill(theirs, evidence_type="demographic", value="12", unit="students", description="Half")
    theirs.indicator_input.value = "DIBELS composite at benchmark"
    perceptions = tracker.value["perceptions"]
    fill(mine, evidence_type="perceptions", value="81", unit="%", n="25", description="Live one")
    mine.add_button.click()
    assert "Live one" not in shown_text(theirs)
    assert theirs.poller.poll_once() is True
    assert "Live one" in visible_rows(theirs)[0].cells.value
    assert tracker.poller.poll_once() is True
    assert tracker.value["perceptions"] == perceptions + 1
    # the half-filled form is untouched
    assert theirs.description_input.value == "Half" and theirs.value_input.value == "12"
    assert theirs.unit_input.value == "students" and theirs.type_input.value == "demographic"
    assert theirs.indicator_input.value == "DIBELS composite at benchmark"
    # nothing new: no refresh
    assert theirs.poller.poll_once() is False
    # a write straight through the network (another kernel) shows too
    net = first.network
    net.add_evidence(
        CODE,
        actor="kernel-2",
        evidence_type="school_processes",
        date=TODAY,
        description="From elsewhere",
    )
    net.add_action(CODE, TODAY, "Coached the grade 2 team", "", actor="kernel-2")
    assert theirs.poller.poll_once() and "From elsewhere" in shown_text(theirs)
    assert log.poller.poll_once() and "Coached the grade 2 team" in str(log.value)


def test_projector_view_is_live_for_facilitators(ctx_for):
    facilitator = ctx_for("facilitator")
    board = EvidenceLogger(facilitator)
    board.picker.value = CODE
    assert board.projector_button is not None
    board.projector_button.value = True
    assert board.work.layout.display == "none" and board.board.layout.display == ""
    assert "ilc-proj" in board.board.value and "Latest evidence" in board.board.value
    participant = ctx_for("participant", CODE)
    participant.network.add_evidence(
        CODE,
        actor="p",
        evidence_type="perceptions",
        date=TODAY,
        value=88,
        unit="%",
        description="Projected entry <b>now</b>",
    )
    assert board.poller.poll_once()
    assert "Projected entry &lt;b&gt;now&lt;/b&gt;" in board.board.value
    assert "What to collect next" not in board.board.value  # literacy-1 has all four types
    # another collective with no perceptions data: the board says what to collect next
    board.picker.value = "multilingual-1"
    assert "Many Voices, One Plan" in board.board.value
    assert "What to collect next" in board.board.value
    assert "No perceptions data yet" in board.board.value
    board.picker.value = CODE
    assert board.board.value.index("Latest evidence") < board.board.value.index("Projected entry")
    board.projector_button.value = False
    assert board.work.layout.display == "" and board.board.layout.display == "none"
    # participants get no projector
    assert EvidenceLogger(participant).projector_button is None


# ---------------------------------------------------------------------- escaping


def test_everything_typed_is_escaped(logger, participant, fresh_collective):
    evil = "<script>alert('x')</script>"
    fill(
        logger,
        evidence_type="perceptions",
        description=evil,
        subgroup="<b>bold</b>",
        source="<img src=x onerror=alert(1)>",
    )
    logger.add_button.click()
    html = visible_rows(logger)[0].cells.value
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "<img" not in html
    assert "<script>" not in logger.form_notice.value
    # imported indicator names, coverage rows, log actions
    net = participant.network
    net.add_evidence(
        "fresh-1",
        actor="<i>me</i>",
        evidence_type="demographic",
        date=TODAY,
        indicator="<u>odd</u>",
        description="d",
    )
    net.add_action("fresh-1", TODAY, "<script>bad()</script>", "", actor="<i>me</i>")
    tracker = CoverageTracker(fresh_collective)
    assert "<u>odd</u>" not in tracker.table_html.value and "&lt;u&gt;" in tracker.table_html.value
    log = ImplementationLog(fresh_collective)
    rows = [w for w in log.timeline.children if getattr(w, "action_id", None)]
    assert "<script>" not in rows[0].text.value and "&lt;script&gt;" in rows[0].text.value
    assert "<i>me</i>" not in rows[0].text.value
    other = EvidenceLogger(fresh_collective)
    assert "<u>odd</u>" not in shown_text(other) and "<i>me</i>" not in shown_text(other)
    _upload(
        other, b"date,evidence_type,description\n2026-10-01,perceptions,<b>x</b>\n", "<b>f</b>.csv"
    )
    assert "<b>x</b>" not in other.importer.preview_html.value
    assert "<b>f</b>" not in "".join(
        getattr(w, "value", "") for w in other.importer.mapping.children
    )


# ---------------------------------------------------------------------- roles


def test_participant_sees_and_touches_only_their_collective(logger, participant):
    net = participant.network
    assert logger.picker is None and logger.collective == CODE
    other = net.evidence_frame("grading-1")
    shown = shown_text(logger)
    for text in other["description"].head(10):
        assert text not in shown
    foreign_id = int(other["id"].iloc[0])
    # a forged id from another collective: refused, nothing changes
    with pytest.raises(IlcError, match="no evidence entry"):
        logger.delete(foreign_id)
    with pytest.raises(IlcError, match="no evidence entry"):
        logger.edit(foreign_id)
    assert len(net.evidence_frame("grading-1")) == len(other)
    # through a button, the same refusal is a message, not a traceback
    row = visible_rows(logger)[0]
    row.entry_id = foreign_id
    row.delete_button.click()
    assert "no evidence entry" in logger.table_notice.text
    assert len(net.evidence_frame("grading-1")) == len(other)
    actions = net.implementation_log("grading-1")
    log = ImplementationLog(participant)
    assert len(actions) > 0  # the demo's grading collective has logged actions
    with pytest.raises(IlcError, match="no action"):
        log.remove(int(actions["id"].iloc[0]))
    assert len(net.implementation_log("grading-1")) == len(actions)
    with pytest.raises(IlcError):
        logger.switch("grading-1")
    assert logger.collective == CODE


def test_facilitator_picks_a_collective_for_all_sections(ctx_for):
    ctx = ctx_for("facilitator")
    net = ctx.network
    logger, tracker, log = EvidenceLogger(ctx), CoverageTracker(ctx), ImplementationLog(ctx)
    codes = [v for _, v in logger.picker.options]
    assert codes == [c.code for c in net.collective_list()]
    # one picker shows on the page; the sections below follow it
    assert logger.picker.layout.display != "none"
    assert tracker.picker.layout.display == log.picker.layout.display == "none"
    logger.picker.value = "grading-1"
    assert tracker.collective == log.collective == "grading-1"
    assert tracker.picker.value == "grading-1"
    grading = net.evidence_frame("grading-1")
    assert f"({len(grading)} logged)" in logger.table_title.value
    assert tracker.value == {k: int((grading["evidence_type"] == k).sum()) for k in EVIDENCE_TYPES}
    assert "Grades That Mean Something" in logger.heading.value
    fill(logger, evidence_type="perceptions", description="Facilitator note")
    logger.add_button.click()
    assert net.evidence_frame("grading-1")["description"].str.contains("Facilitator note").any()
    assert (
        tracker.value["perceptions"] == int((grading["evidence_type"] == "perceptions").sum()) + 1
    )
    logger.filter_type.value = "perceptions"
    fill(logger, description="half-typed for grading-1")
    tracker.picker.value = CODE
    assert (
        logger.collective == CODE
        and f"({len(net.evidence_frame(CODE))} logged)" in logger.table_title.value
    )
    # filters start clean for another collective; what was typed is kept
    assert logger.filter_type.value == "*"
    assert logger.description_input.value == "half-typed for grading-1"
    assert "Sound Foundations" in log.heading.value
    assert len(log.value) == len(net.implementation_log(CODE))


def test_researcher_narrowed_to_one_collective(ctx_for):
    ctx = ctx_for("researcher")
    from ilc_widgets.session import SessionContext

    narrowed = SessionContext(
        "researcher",
        network=ctx.network,
        collective=ctx.network.collective("grading-1"),
        actor="r",
    )
    logger = EvidenceLogger(narrowed)
    assert logger.picker is not None and logger.collective == "grading-1"


def test_workbook_sections_and_denied_and_intake(ctx_for):
    ctx = ctx_for("participant", CODE)
    for name, kind in (
        ("evidence_logger", EvidenceLogger),
        ("coverage", CoverageTracker),
        ("implementation_log", ImplementationLog),
    ):
        widget = workbook.section(ctx, name)
        assert isinstance(widget, kind) and "ilc-app" in widget._dom_classes
    denied = ctx_for("denied")
    assert isinstance(workbook.section(denied, "evidence_logger"), DeniedView)
    intake = ctx_for("intake")
    widget = EvidenceLogger(intake)
    assert widget.body.layout.display == "none"
    assert "collective's link" in widget.notice.text


# ---------------------------------------------------------------------- staged drawing


def test_long_lists_are_built_once_the_page_shows_the_section(participant, monkeypatch):
    """Under a kernel's event loop a section first shows what can be used at once (the
    forms); the entries table, the import panel, the counts and the timeline follow when
    the page has drawn the section (or after a short fallback delay)."""
    import asyncio

    from ilc_widgets.widgets import evidence
    from ilc_widgets.widgets._kit import section as kit_section

    # the sections' staging is the kit's StagedSection: its timing is the class attributes
    # of the evidence sections' base, its loop the kit's
    base = evidence.section._Section
    monkeypatch.setattr(base, "fallback_seconds", 0.05)
    # plain pytest has no kernel: let this test's asyncio loop stand in for the kernel's
    monkeypatch.setattr(kit_section, "running_loop", asyncio.get_running_loop)

    async def main():
        logger = EvidenceLogger(participant)
        monkeypatch.setattr(base, "fallback_seconds", 30)
        tracker = CoverageTracker(participant)
        log = ImplementationLog(participant)
        for widget in (logger, tracker, log):
            widget.poller.stop()
        # first view: the forms work (the placemat's indicators, the members) ...
        assert "DIBELS composite at benchmark" in [v for _, v in logger.indicator_input.options]
        assert len(logger.who_input.options) == 1 + len(participant.network.members(CODE))
        # ... the lists are still to come
        assert not logger.staged and logger.rows == [] and logger.importer is None
        assert "Loading the entries" in logger.table.children[-1].value
        assert "Counting the evidence" in tracker.totals_html.value and tracker.value == {}
        assert log.timeline.children == () and log.value == []
        # what the page reports once it has drawn a section
        monkeypatch.setattr(base, "delay_seconds", 0.01)
        tracker._view_count = 1
        log._view_count = 1
        assert not tracker.staged  # a moment later, once the first view is drawn
        await asyncio.sleep(0.05)
        assert tracker.staged and tracker.value["student_learning"] == 33
        assert log.staged and len(log.value) == 9 and "9 actions logged" in log.summary.value
        assert sum(isinstance(w, evidence._ActionRow) for w in log.timeline.children) == 9
        assert len(log.step_input.options) == 4
        await asyncio.sleep(0.2)  # nothing reported for the logger: the fallback builds it
        assert logger.staged and logger.table_ready
        assert len(visible_rows(logger)) == PAGE_SIZE and "66 logged" in logger.table_title.value
        assert logger.importer is not None

    run_isolated(main())


# ---------------------------------------------------------------------- access (issue 10)

FIELD_TYPES = (W.Text, W.Textarea, W.Dropdown, W.DatePicker, W.Select, W.ToggleButtons)


def fields_of(widget):
    found = [widget] if isinstance(widget, FIELD_TYPES) else []
    for child in getattr(widget, "children", ()) or ():
        found += fields_of(child)
    return found


def test_every_field_of_the_workbook_has_its_own_label(logger, participant):
    log = ImplementationLog(participant)
    fields = fields_of(logger) + fields_of(log)
    assert len(fields) >= 18  # the form, the table's filters, the import panel, the log
    assert [type(f).__name__ for f in fields if not f.description.strip()] == []
    assert logger.value_input.description == "Value" and logger.unit_input.description == "Unit"
    assert logger.filter_from.description == "From"
    assert log.action_input.description == "What was done"
    # the captions are the labels now, not HTML beside the fields
    captions = " ".join(w.value for w in fields_of_html(logger.form))
    assert "<b>Indicator</b>" not in captions and "<b>Unit</b>" not in captions


def fields_of_html(widget):
    found = [widget] if isinstance(widget, W.HTML) else []
    for child in getattr(widget, "children", ()) or ():
        found += fields_of_html(child)
    return found


def test_row_buttons_name_the_entry(logger):
    row = visible_rows(logger)[0]
    entry = logger._entry(row.entry_id)
    day = dt.date.fromisoformat(str(entry["date"])[:10])
    assert row.edit_button.description.startswith(f"Edit entry of {day.day} {day:%b %Y}")
    assert row.delete_button.description.startswith(f"Delete entry of {day.day} {day:%b %Y}")
    assert row.delete_button.tooltip.startswith("Delete entry of")
    assert {"ilc-ev-edit", "ilc-ev-rowbtn"} <= set(row.edit_button._dom_classes)


def test_an_error_marks_the_fields_and_moves_the_focus(logger, participant, monkeypatch):
    focused: list[W.Widget] = []
    monkeypatch.setattr(W.DOMWidget, "focus", lambda self: focused.append(self))
    fill(logger, evidence_type="perceptions", value="lots", unit="%", n="-2", description="x")
    logger.add_button.click()
    assert "ilc-invalid" in logger.value_input._dom_classes
    assert "ilc-invalid" in logger.n_input._dom_classes
    assert "ilc-invalid" not in logger.description_input._dom_classes
    assert focused == [logger.value_input]
    assert "ilc-alert" in logger.form_notice._dom_classes
    assert "nothing was saved" in logger.form_notice.text
    fill(logger, value="40", n="20")
    logger.add_button.click()
    assert "ilc-invalid" not in logger.value_input._dom_classes
    assert "ilc-invalid" not in logger.n_input._dom_classes
    assert "Added" in logger.form_notice.text


def test_the_implementation_log_focuses_what_is_missing(participant, monkeypatch):
    focused: list[W.Widget] = []
    monkeypatch.setattr(W.DOMWidget, "focus", lambda self: focused.append(self))
    log = ImplementationLog(participant)
    log.add_button.click()
    assert focused == [log.action_input]
    assert "ilc-invalid" in log.action_input._dom_classes
    assert "Describe the action" in log.form_notice.text


def test_the_stylesheet_lays_the_form_out_for_a_phone():
    from ilc_widgets.widgets.evidence import CSS

    phone = CSS[CSS.index("@media (max-width: 600px)") :]
    for rule in (".ilc-field {", ".ilc-ev-type .widget-toggle-button", ".ilc-ev-buttons"):
        assert rule in phone


def test_table_rows_are_made_as_the_page_needs_them(fresh_collective):
    """A collective with two entries gets two rows (not a page's worth of widgets); a
    filter that matches fewer hides the rest by their class, which the stylesheet hides."""
    from ilc_widgets.widgets.evidence.table import HIDDEN

    logger = EvidenceLogger(fresh_collective)
    assert logger.rows == [] and "No evidence logged yet" in logger.empty_html.value
    for value, kind in (("40", "school_processes"), ("55", "student_learning")):
        fill(
            logger,
            evidence_type=kind,
            date=TODAY,
            value=value,
            unit="%",
            description=f"{kind} check",
        )
        logger.add_button.click()
        assert "Added" in logger.form_notice.text, logger.form_notice.text
    assert len(logger.rows) == 2 == len(visible_rows(logger))
    assert tuple(logger.rows_box.children) == tuple(logger.rows)
    logger.filter_type.value = "student_learning"
    assert len(logger.rows) == 2 and len(visible_rows(logger)) == 1
    hidden = [r for r in logger.rows if not r.shown]
    assert [HIDDEN in r._dom_classes for r in hidden] == [True]
    assert all(HIDDEN not in r._dom_classes for r in visible_rows(logger))
    assert f".ilc-ev-row.{HIDDEN} {{ display: none" in logger_stylesheet()
    assert len({id(r.layout) for r in logger.rows}) == 1  # one shared layout, not one a row


def logger_stylesheet() -> str:
    from ilc_widgets.widgets.evidence import section

    return "\n".join(v for v in vars(section).values() if isinstance(v, str) and "ilc-ev-row" in v)


def test_typed_fields_send_their_text_when_left_not_at_every_key(logger):
    """A page holds a field's next update until the kernel answered the last one but sends a
    click at once: with an update per key, "Add" could overtake the last words typed."""
    typed = [
        logger.value_input,
        logger.unit_input,
        logger.n_input,
        logger.subgroup_input,
        logger.description_input,
        logger.source_input,
    ]
    assert [w.continuous_update for w in typed] == [False] * len(typed)


def test_the_other_submit_forms_send_typed_text_when_left(fresh_collective, ctx_for):
    from ilc_widgets.widgets.intake.form import IntakeForm

    log = ImplementationLog(fresh_collective)
    assert log.action_input.continuous_update is False
    form = IntakeForm(ctx_for("intake", None))
    typed = [w for w in form.inputs.values() if isinstance(w, (W.Text, W.Textarea))]
    assert len(typed) >= 3 and not any(w.continuous_update for w in typed)
