"""Workbook 01's widgets, driven as a person would: intake form, roster import, theme board."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import ipywidgets as W
import pandas as pd
import pytest

from ilc_widgets import workbook
from ilc_widgets.themes import UNTHEMED, Theme, ThemeSuggestion
from ilc_widgets.widgets import theme_board as board_module
from ilc_widgets.widgets.home import DONE_HERE, FACILITATORS_ONLY
from ilc_widgets.widgets.intake import IntakeForm, RosterImport
from ilc_widgets.widgets.theme_board import ThemeBoard
from ilc_widgets.widgets.themes import suggest as suggest_module

DEMO = Path(__file__).resolve().parent.parent / "data_templates" / "demo" / "participants.csv"

SURVEY_HEADERS = [
    "Timestamp",
    "First name",
    "Last name",
    "Email Address",
    "Current assignment",
    "School / site",
    "School district",
    "Region",
    "How would you prefer to attend?",
    "What problem of practice would you like to explore this year?",
]


def survey_rows(n: int = 6, start: int = 0) -> list[list[str]]:
    """Rows of a survey tool's export, made from the demo roster with new people."""
    demo = pd.read_csv(DEMO, dtype=str).fillna("")
    labels = {
        "principal": "Principal",
        "teacher_leader": "Teacher Leader",
        "instructional_coach": "Instructional Coach",
        "assistant_principal": "Asst. Principal",
        "central_office": "District office",
        "superintendent": "Superintendent",
        "school_psychologist": "School Psychologist",
        "other": "Other",
    }
    attend = {"in_person": "In person", "virtual": "Online", "either": "No preference"}
    rows = []
    for i, r in enumerate(demo.iloc[start : start + n].itertuples()):
        first, _, last = str(r.name).partition(" ")
        rows.append(
            [
                f"2026-09-0{1 + i % 9} 10:1{i % 10}:00",
                f"{first}X",
                last,
                f"new{start + i}@survey.example",
                labels[str(r.role)],
                str(r.organization),
                str(r.district),
                str(r.region),
                attend[str(r.modality)],
                str(r.focus),
            ]
        )
    return rows


def to_csv(rows: list[list[str]], headers: list[str] = SURVEY_HEADERS) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def upload(widget: RosterImport, data: bytes, name: str = "survey.csv") -> None:
    """Set the FileUpload's value as the browser does."""
    widget.upload.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 9, 1, tzinfo=dt.timezone.utc),
        },
    )


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


# ---------------------------------------------------------------------- roster import


def test_foreign_export_is_mapped_previewed_and_imported(ctx_for):
    ctx = ctx_for("facilitator")
    net = ctx.network
    before = len(net.participants)
    w = RosterImport(ctx)
    assert "ilc-app" in w._dom_classes
    upload(w, to_csv(survey_rows(6)))
    # the guesses: first + last name joined, email, district, focus ...
    assert w.dropdowns["name"].value == "First name"
    assert w.dropdowns["name_2"].value == "Last name"
    assert w.dropdowns["email"].value == "Email Address"
    assert w.dropdowns["focus"].value.startswith("What problem of practice")
    # ... but not the role, which this survey calls "Current assignment"
    assert w.dropdowns["role"].value == ""
    assert "required column &#x27;role&#x27; is missing" in w.problems.value
    assert "choose the file column that holds it above" in w.problems.value
    assert w.import_button.disabled
    w.set_mapping(role="Current assignment")
    assert not w.import_button.disabled
    assert w.import_button.description == "Import 6 participants"
    assert "All 6 rows are valid" in w.problems.value
    # the preview shows rows after mapping: joined names, normalized role labels
    first = survey_rows(1)[0]
    assert f"{first[1]} {first[2]}" in w.preview.value
    assert "Assistant principal" in w.preview.value or "Principal" in w.preview.value
    assert "Timestamp" in w.ignored.value  # bookkeeping columns are shown as not imported
    assert w.value["Current assignment"] == "role"
    w.import_button.click()
    assert w.imported == 6
    after = net.participants
    assert len(after) == before + 6
    added = after[after["email"].str.endswith("@survey.example")]
    assert f"{first[1]} {first[2]}" in set(added["name"])
    assert set(added["role"]) <= {
        "principal",
        "teacher_leader",
        "instructional_coach",
        "assistant_principal",
        "central_office",
        "superintendent",
        "school_psychologist",
        "other",
    }
    assert "Imported 6 participants" in w.notice.text
    assert f"<b>{before + 6}</b> participants" in w.summary.value
    assert w.table is None and w.upload.value == ()  # ready for the next file


def test_row_problems_name_row_and_column_and_nothing_is_imported(ctx_for):
    ctx = ctx_for("facilitator")
    net = ctx.network
    existing = net.participants.iloc[0]
    rows = survey_rows(5)
    rows[1][3] = "not-an-email"  # spreadsheet row 3
    rows[2][4] = "Wizard"  # row 4: unknown role
    rows[3][3] = str(existing["email"]).upper()  # row 5: already in the network
    w = RosterImport(ctx)
    upload(w, to_csv(rows))
    w.set_mapping(role="Current assignment")
    html = w.problems.value
    assert "3 problems found" in html
    assert re.search(r"<td>3</td><td>email \(file column &#x27;Email Address&#x27;\)</td>", html)
    assert "not a valid email" in html
    assert "<td>4</td>" in html and "Wizard" in html
    assert "<td>5</td>" in html and "already in the network" in html
    assert "⚠" in w.preview.value
    assert w.import_button.disabled
    before = len(net.participants)
    assert w.run_import() == 0
    assert len(net.participants) == before
    assert "nothing was imported" in w.notice.text


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "empty.csv", "the file is empty"),
        (b"%PDF-1.4 binary", "roster.pdf", "this is a PDF"),
        (b"not a zip", "roster.xlsx", "not a valid XLSX"),
        ("name;email\nAna;a@x.example\n".encode("utf-16"), "u16.csv", "UTF-16"),
    ],
)
def test_unreadable_file_imports_nothing(ctx_for, data, name, expected):
    ctx = ctx_for("facilitator")
    before = len(ctx.network.participants)
    w = RosterImport(ctx)
    upload(w, data, name)
    assert "cannot be read" in w.notice.text
    assert expected in w.problems.value
    assert w.mapping.layout.display == "none"
    assert w.import_button.disabled
    assert w.run_import() == 0
    assert len(ctx.network.participants) == before


def test_xlsx_roster_in_the_template_columns_imports(ctx_for):
    openpyxl = pytest.importorskip("openpyxl")
    ctx = ctx_for("facilitator")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "role", "district", "focus", "modality", "region"])
    sheet.append(
        ["Ana Ruiz", "ana@xlsx.example", "Principal", "North SD", "Chronic absence", "", ""]
    )
    sheet.append(["Bo Lin", "bo@xlsx.example", "coach", "South SD", "Tier 1 math", "online", ""])
    buf = io.BytesIO()
    book.save(buf)
    w = RosterImport(ctx)
    upload(w, buf.getvalue(), "roster.xlsx")
    assert w.dropdowns["name"].value == "name" and w.dropdowns["role"].value == "role"
    assert w.import_button.description == "Import 2 participants"
    assert w.run_import() == 2
    people = ctx.network.participants.set_index("email")
    assert people.loc["bo@xlsx.example", "role"] == "instructional_coach"
    assert people.loc["bo@xlsx.example", "modality"] == "virtual"


def test_one_column_chosen_twice_blocks_import(ctx_for):
    w = RosterImport(ctx_for("facilitator"))
    upload(w, to_csv(survey_rows(3)))
    w.set_mapping(role="Current assignment", organization="School district")
    assert "chosen for School or office and District" in w.problems.value
    assert w.import_button.disabled
    w.set_mapping(organization="School / site")
    assert not w.import_button.disabled


def test_file_contents_are_escaped(ctx_for):
    rows = survey_rows(2)
    rows[0][1] = "<script>alert(1)</script>"
    rows[1][3] = "<img src=x onerror=alert(2)>"
    headers = [*SURVEY_HEADERS[:-1], "<b>Focus</b> for inquiry"]
    w = RosterImport(ctx_for("facilitator"))
    upload(w, to_csv(rows, headers), "<i>survey</i>.csv")
    w.set_mapping(role="Current assignment", focus="<b>Focus</b> for inquiry")
    page = w.preview.value + w.problems.value + w.notice.value + w.ignored.value
    page += "".join(s.value for s in w.samples.values())
    assert "<script>" not in page and "<img" not in page and "<i>survey" not in page
    assert "&lt;script&gt;" in page and "&lt;img" in page


def test_roster_table_renders_only_when_opened(ctx_for):
    ctx = ctx_for("facilitator")
    w = RosterImport(ctx)
    assert w.roster.value == ""
    w.roster_box.selected_index = 0
    name = str(ctx.network.participants["name"].iloc[0])
    assert name in w.roster.value


# ---------------------------------------------------------------------- intake form


def fill(form: IntakeForm, **values: str) -> None:
    for key, value in values.items():
        form.inputs[key].value = value


GOOD = {
    "name": "Rosa Delgado",
    "email": "Rosa.Delgado@Example.org",
    "role": "assistant_principal",
    "organization": "Lakeview Middle",
    "district": "Lakeview SD",
    "region": "North Lakes",
    "modality": "in_person",
    "focus": "Our sixth graders miss more school in winter than any other grade.",
}


def test_intake_submission_is_saved_and_the_form_clears(ctx_for):
    ctx = ctx_for("intake")
    form = IntakeForm(ctx)
    assert "ilc-app" in form._dom_classes
    fill(form, **GOOD)
    assert form.value["name"] == "Rosa Delgado"
    form.submit_button.click()
    people = ctx.network.participants.set_index("email")
    row = people.loc["rosa.delgado@example.org"]
    assert row["role"] == "assistant_principal"
    assert row["district"] == "Lakeview SD" and row["modality"] == "in_person"
    assert row["focus"] == GOOD["focus"]
    assert form.submitted == row["participant_id"]
    assert "Thank you, Rosa" in form.notice.text
    assert all(v == "" for v in form.value.values())
    # the next person starts from an empty form; typing hides the thank-you
    form.inputs["name"].value = "Next Person"
    assert form.notice.value == ""


def test_intake_validation_is_inline_and_keeps_what_was_typed(ctx_for):
    ctx = ctx_for("intake")
    before = len(ctx.network.participants)
    form = IntakeForm(ctx)
    fill(form, name="Sam Poe", email="sam.poe", modality="in_person")
    assert form.submit() is None
    assert "Please enter your district" in form.errors["district"].value
    assert "Please choose your role" in form.errors["role"].value
    assert "Please enter your focus" in form.errors["focus"].value
    assert "region" in form.errors["region"].value
    assert form.errors["name"].layout.display == "none"
    fill(form, role="principal", district="Lakeview SD", region="North", focus="Grading.")
    assert form.errors["district"].layout.display == "none"  # cleared by typing
    assert form.submit() is None
    assert "not a valid email address" in form.errors["email"].value
    assert form.value["name"] == "Sam Poe" and form.value["email"] == "sam.poe"
    assert len(ctx.network.participants) == before
    form.inputs["email"].value = "sam.poe@example.org"
    assert form.submit() is not None
    assert len(ctx.network.participants) == before + 1


def test_intake_duplicate_email_does_not_reveal_anyone(ctx_for):
    ctx = ctx_for("intake")
    existing = ctx.network.participants.iloc[3]
    form = IntakeForm(ctx)
    fill(form, **{**GOOD, "email": str(existing["email"])})
    assert form.submit() is None
    message = form.errors["email"].value
    assert "already been used" in message
    assert str(existing["name"]) not in texts(form)


def test_intake_escapes_what_was_typed(ctx_for):
    ctx = ctx_for("intake")
    form = IntakeForm(ctx)
    fill(form, **{**GOOD, "name": "<b>Bold</b> <script>x</script>"})
    assert form.submit() is not None
    assert "<b>Bold" not in form.notice.value and "&lt;b&gt;Bold" in form.notice.value
    stored = ctx.network.participants.set_index("email").loc["rosa.delgado@example.org"]
    assert stored["name"] == "<b>Bold</b> <script>x</script>"  # stored as typed


def test_facilitator_sees_the_form_folded_and_can_add_someone(ctx_for):
    ctx = ctx_for("facilitator")
    form = IntakeForm(ctx)
    assert form.form is None and form.accordion.selected_index is None
    assert "role=intake" in texts(form)  # the participants' link to the form
    form.accordion.selected_index = 0
    assert form.form is not None
    fill(form, **{**GOOD, "focus": ""})  # a facilitator may add someone without a focus yet
    pid = form.submit()
    assert pid and "Added Rosa Delgado" in form.notice.text


# ---------------------------------------------------------------------- roles


@pytest.mark.parametrize("role", ["intake", "participant"])
def test_intake_and_participant_links_see_no_roster_and_no_themes(ctx_for, role):
    ctx = ctx_for(role)
    people = ctx.network.participants
    pages = [workbook.section(ctx, s) for s in ("intake_form", "roster_import", "theme_board")]
    shown = "\n".join(texts(p) for p in pages)
    for name in people["name"]:
        assert str(name) not in shown
    for email in people["email"]:
        assert str(email) not in shown
    own_theme = ctx.collective.theme if ctx.collective is not None else None
    for theme in ctx.network.themes["name"]:
        if theme == own_theme:  # 01 tells a collective's link its own theme (issue 10)
            continue
        assert f">{theme}<" not in shown and f"'{theme}'" not in shown
    roster, board = pages[1], pages[2]
    assert not hasattr(roster, "upload") and not getattr(board, "value", None)
    if role == "intake":
        assert pages[0].inputs  # the form, and only the form
        assert FACILITATORS_ONLY not in shown
    else:
        assert not getattr(pages[0], "inputs", None)
        assert DONE_HERE in shown and FACILITATORS_ONLY not in shown  # what happened in 01
        assert "collective=literacy-1" in shown  # the way back to their home page


def test_denied_session_shows_only_the_not_valid_message(ctx_for):
    ctx = ctx_for("denied")
    first = workbook.section(ctx, "roster_import")
    second = workbook.section(ctx, "theme_board")
    assert "not valid" in texts(first)
    assert "not valid" not in texts(second)


# ---------------------------------------------------------------------- theme board


def fake_suggestion(monkeypatch: pytest.MonkeyPatch, net: Any, unthemed: int = 2) -> list[str]:
    """Make Suggest group statements by the demo's own themes (fast and deterministic).

    The last ``unthemed`` people (by id) come back Unthemed. Returns the theme names.
    """
    frame = net.participants

    def compute(texts: list[str], n_themes: int | None) -> ThemeSuggestion:
        by_focus = {
            str(f): (str(t), str(p))
            for f, t, p in frame[["focus", "theme", "participant_id"]].itertuples(index=False)
        }
        last = set(sorted(frame["participant_id"])[-unthemed:]) if unthemed else set()
        labels = [
            UNTHEMED if by_focus[t][1] in last else f"Suggested {by_focus[t][0]}" for t in texts
        ]
        names = list(dict.fromkeys(lbl for lbl in labels if lbl != UNTHEMED))
        themes = [
            Theme(n, [i for i, lbl in enumerate(labels) if lbl == n], [n.split()[-1].lower()])
            for n in names
        ]
        rest = [i for i, lbl in enumerate(labels) if lbl == UNTHEMED]
        if rest:
            themes.append(Theme(UNTHEMED, rest, []))
        return ThemeSuggestion(labels, themes, "test")

    monkeypatch.setattr(suggest_module, "_compute", compute)
    return [f"Suggested {t}" for t in dict.fromkeys(frame["theme"])]


def test_board_opens_on_the_saved_themes(ctx_for):
    ctx = ctx_for("facilitator")
    board = ThemeBoard(ctx)
    saved = list(ctx.network.themes["name"])
    assert [t["name"] for t in board.value["themes"]] == saved
    assert board.value["saved"] is True and board.value["unthemed"] == []
    people = ctx.network.participants
    first = board.value["themes"][0]
    assert set(first["members"]) == set(people[people["theme"] == saved[0]]["participant_id"])
    card = board.card(saved[0])
    row = people[people["theme"] == saved[0]].iloc[0]
    assert str(row["name"]) in card.body.value
    assert "saved (accepted" in board.summary.value
    assert "ilc-app" in board._dom_classes


def test_suggest_rename_merge_split_move_and_accept(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    net = ctx.network
    names = fake_suggestion(monkeypatch, net, unthemed=2)
    board = ThemeBoard(ctx)
    board.suggest_button.click()
    assert [t["name"] for t in board.value["themes"]] == names
    assert len(board.value["unthemed"]) == 2
    assert "Suggested 7 themes; 2 people are unthemed" in board.notice.text
    assert board.value["saved"] is False

    # rename: type in the card's name box
    card = board.card(names[0])
    card.name_box.value = "Grading for learning"
    assert board.value["themes"][0]["name"] == "Grading for learning"

    # merge: tick two themes, click Merge
    a, b = board.card(names[1]), board.card(names[2])
    size = len(a.members) + len(b.members)
    a.select.value = b.select.value = True
    board.merge_button.click()
    merged = board.value["themes"][1]
    assert merged["name"] == names[1] and len(merged["members"]) == size
    assert names[2] not in [t["name"] for t in board.value["themes"]]

    # split: open "Move or split…" on a card, tick two statements, make a new theme
    card = board.card(names[1])
    card.edit.value = True
    rows = card.rows_box.children
    assert len(rows) == size
    rows[0].check.value = rows[1].check.value = True
    split_ids = [rows[0].pid, rows[1].pid]
    card.split_button.click()
    new = board.value["themes"][2]
    assert new["name"] == "New theme" and new["members"] == split_ids
    board.card("New theme").name_box.value = "Newcomer supports"

    # move: tick an Unthemed statement, choose a theme, click Move
    loose = board.card(UNTHEMED)
    loose.edit.value = True
    loose.rows_box.children[0].check.value = True
    moved = loose.rows_box.children[0].pid
    target = board.card("Newcomer supports").key
    loose.move_target.value = target
    loose.move_button.click()
    assert moved in board.value["themes"][2]["members"]
    assert len(board.value["unthemed"]) == 1

    # accept is blocked while someone is unthemed ... until the facilitator says so
    assert board.accept() is False
    assert "still Unthemed" in board.notice.text
    assert net.themes["name"].tolist() != [t["name"] for t in board.value["themes"]]
    board.leave_unthemed.value = True
    board.accept_button.click()
    assert "Accepted" in board.notice.text, board.notice.text
    assert board.value["saved"] is True
    saved = net.themes
    assert saved["name"].tolist() == [t["name"] for t in board.value["themes"]]
    assert saved["keywords"].iloc[0] == ["practices"]
    people = net.participants.set_index("participant_id")
    for theme in board.value["themes"]:
        assert set(people.loc[theme["members"], "theme"]) == {theme["name"]}
    assert people.loc[board.value["unthemed"], "theme"].isna().tolist() == [True]  # tidy: NA
    assert people.loc[moved, "theme"] == "Newcomer supports"
    # a facilitator coming back later sees the same board
    again = ThemeBoard(ctx)

    def shape(value: dict[str, Any]) -> list[tuple[str, list[str]]]:
        return [(t["name"], sorted(t["members"])) for t in value["themes"]]

    assert shape(again.value) == shape(board.value)
    assert again.value["unthemed"] == board.value["unthemed"]


def test_the_real_theme_suggestion_runs_from_the_board(ctx_for):
    ctx = ctx_for("facilitator")
    board = ThemeBoard(ctx)
    board.n_themes.value = 6
    board.suggest_button.click()
    value = board.value
    assert 1 < len(value["themes"]) <= 6
    placed = [p for t in value["themes"] for p in t["members"]] + value["unthemed"]
    assert sorted(placed) == sorted(ctx.network.participants["participant_id"])
    assert all(t["name"] and t["name"] != UNTHEMED for t in value["themes"])
    assert not board.suggest_button.disabled


def test_names_that_cannot_be_accepted_are_flagged(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    names = fake_suggestion(monkeypatch, ctx.network, unthemed=0)
    board = ThemeBoard(ctx)
    board.suggest()
    board.rename(names[1], names[0].upper())
    assert "two themes are called" in board.notice.text
    assert "ilc-invalid" in board.card(names[0].upper()).name_box._dom_classes
    assert board.accept() is False and "two themes are called" in board.notice.text
    board.rename(names[0].upper(), "unthemed")
    assert board.accept() is False and "kept for statements without a theme" in board.notice.text
    board.rename("unthemed", "  ")
    assert board.accept() is False and "has no name" in board.notice.text
    board.rename("  ", "Math talk")
    assert "ilc-invalid" not in board.card("Math talk").name_box._dom_classes
    assert board.accept() is True


def test_split_of_every_statement_is_refused_and_merge_needs_two(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    names = fake_suggestion(monkeypatch, ctx.network, unthemed=0)
    board = ThemeBoard(ctx)
    board.suggest()
    members = board.value["themes"][0]["members"]
    assert board.split(names[0], members) == ""
    assert "rename the theme instead" in board.notice.text
    board.card(names[0]).select.value = True
    board.merge_button.click()
    assert "two or more themes" in board.notice.text
    assert len(board.value["themes"]) == len(names)


def test_statements_and_names_are_escaped(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    net = ctx.network
    net.add_participant(
        name="<script>alert(1)</script>",
        email="x@esc.example",
        role="principal",
        district="<b>District</b>",
        focus="<img src=x onerror=alert(2)> grading $5 fees",
    )
    board = ThemeBoard(ctx)
    html = texts(board)
    assert "<script>alert" not in html and "<img src" not in html
    assert "&lt;script&gt;" in board.card(UNTHEMED).body.value
    board.move(board.value["unthemed"], board.value["themes"][0]["name"])
    board.rename(board.value["themes"][0]["name"], "<i>Grades</i> $x$")
    board.tabs.selected_index = 1  # the charts render when their tab opens
    assert board.chart_sizes is not None and "<svg" in board.chart_sizes.value
    for chart in (board.chart_sizes, board.chart_roles, board.chart_districts):
        assert "<i>Grades" not in chart.value and "<b>District" not in chart.value
    assert "&lt;i&gt;Grades" in board.chart_sizes.value
    for chart in (board.chart_sizes, board.chart_roles, board.chart_districts):
        assert chart.value.count("role='img'") == 1 and "Show as table" in chart.value
    assert "aria-label='Statements per theme. &lt;i&gt;Grades&lt;/i&gt; $x$: " in (
        board.chart_sizes.value
    )
    assert "Themes by role" in board.chart_roles.value
    assert "Themes by district" in board.chart_districts.value


def test_new_participants_appear_in_unthemed(ctx_for):
    ctx = ctx_for("facilitator")
    board = ThemeBoard(ctx)
    assert board.value["unthemed"] == []
    pid = ctx.network.add_participant(
        name="Late Arrival", email="late@x.example", role="principal", district="D", focus="IEPs"
    )
    assert board.poller is not None and board.poller.poll_once()
    assert board.value["unthemed"] == [pid]
    assert "1 new participant" in board.notice.text
    assert board.value["saved"] is True  # their theme is blank on the board and in the database


def test_accepting_over_someone_elses_accept_asks_first(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    names = fake_suggestion(monkeypatch, ctx.network, unthemed=0)
    mine, theirs = ThemeBoard(ctx), ThemeBoard(ctx)
    mine.suggest()
    theirs.suggest()
    theirs.rename(names[0], "Their name")
    assert theirs.accept() is True
    assert mine.accept() is False
    assert "Someone else accepted themes" in mine.notice.text
    assert "Their name" in ctx.network.themes["name"].tolist()
    assert mine.accept() is True
    assert "Their name" not in ctx.network.themes["name"].tolist()


def test_a_large_board_stays_compact(ctx_for, monkeypatch):
    ctx = ctx_for("facilitator")
    net = ctx.network
    extra = pd.DataFrame(
        {
            "name": [f"Person {i}" for i in range(200)],
            "email": [f"p{i}@big.example" for i in range(200)],
            "role": ["principal", "teacher_leader"] * 100,
            "district": [f"District {i % 12}" for i in range(200)],
            "focus": [f"Statement number {i} about attendance" for i in range(200)],
        }
    )
    net.import_participants(extra, "big.csv")
    board = ThemeBoard(ctx)
    unthemed = board.card(UNTHEMED)
    assert unthemed.body.value.count("<tr>") == board_module.PREVIEW_ROWS
    assert unthemed.show_all is not None
    unthemed.show_all.value = True
    assert unthemed.body.value.count("<tr>") == 200
    unthemed.edit.value = True
    assert len(unthemed.rows_box.children) == board_module.PAGE_ROWS
    unthemed.more.click()
    assert len(unthemed.rows_box.children) == 2 * board_module.PAGE_ROWS
    board.tabs.selected_index = 1
    assert board.chart_districts is not None
    assert "other districts" in board.chart_districts.value


def test_roster_summary_follows_intake_submissions(ctx_for):
    ctx = ctx_for("facilitator")
    roster = RosterImport(ctx)
    n = len(ctx.network.participants)
    assert f"<b>{n}</b> participants" in roster.summary.value
    form = IntakeForm(ctx_for("intake"))
    fill(form, **GOOD)
    assert form.submit() is not None
    assert roster.poller.poll_once()
    assert f"<b>{n + 1}</b> participants" in roster.summary.value


def test_imported_people_with_a_theme_keep_it_on_the_board(ctx_for):
    ctx = ctx_for("facilitator")
    board = ThemeBoard(ctx)
    saved = board.value["themes"][0]["name"]
    frame = pd.DataFrame(
        {
            "name": ["A One", "B Two"],
            "email": ["a@t.example", "b@t.example"],
            "role": ["principal", "principal"],
            "district": ["D", "D"],
            "focus": ["x", "y"],
            "theme": [saved, "Brand new theme"],
        }
    )
    ctx.network.import_participants(frame, "themed.csv")
    board.refresh()
    names = [t["name"] for t in board.value["themes"]]
    assert names[-1] == "Brand new theme"
    ids = ctx.network.participants.set_index("email")["participant_id"]
    assert ids["a@t.example"] in board.value["themes"][0]["members"]
    assert board.value["saved"] is True
