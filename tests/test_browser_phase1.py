"""Workbook 01 in headless Chromium: a facilitator imports, suggests, shapes and accepts themes;
the intake link shows only the form; a collective's link shows no roster."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pandas as pd
import pytest

from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO = Path(__file__).resolve().parent.parent / "data_templates" / "demo" / "participants.csv"
NOTEBOOK = "01_gather_themes.ipynb"
IMPORTED = 24


def workbook_url(url: str) -> str:
    return url.replace("00_home.ipynb", NOTEBOOK)


def survey_export(n: int) -> bytes:
    """A survey tool's export of new people: the demo roster, other headers, no themes."""
    demo = pd.read_csv(DEMO, dtype=str).fillna("").head(n)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "Timestamp",
            "First name",
            "Last name",
            "Email Address",
            "Current assignment",
            "School / site",
            "School district",
            "Region",
            "Attend how?",
            "What would you like to explore through inquiry this year?",
        ]
    )
    for i, r in enumerate(demo.itertuples()):
        first, _, last = str(r.name).partition(" ")
        writer.writerow(
            [
                f"2026-09-01 09:{i:02d}",
                f"{first}-{i}",
                last,
                f"survey{i}@new.example",
                str(r.role).replace("_", " ").title(),
                str(r.organization),
                str(r.district),
                str(r.region),
                {"in_person": "In person", "virtual": "Online"}.get(str(r.modality), ""),
                str(r.focus),
            ]
        )
    return buf.getvalue().encode("utf-8")


def ready(page) -> str:
    page.wait_for_selector(".ilc-app", state="visible")
    return page.inner_text("body")


def wait_for_text(page, selector: str, text: str, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = page.inner_text(selector) if page.query_selector(selector) else ""
        if text in found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"{text!r} did not appear in {selector}: {found!r}")


def test_facilitator_imports_suggests_and_accepts_themes(served_fresh, page):
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.goto(workbook_url(served_fresh.facilitator))
    text = ready(page)
    assert "Import a roster or survey export" in text and "Themes" in text
    page.wait_for_selector(".ilc-theme-board", state="visible")

    # upload a survey export whose headers are not the template's
    # (the FileUpload's <input type=file> is not in the page: its button opens the chooser)
    with page.expect_file_chooser() as chooser:
        page.click("button.ilc-roster-upload")
    chooser.value.set_files(
        files=[{"name": "survey.csv", "mimeType": "text/csv", "buffer": survey_export(IMPORTED)}]
    )
    wait_for_text(page, ".ilc-roster-problems", "required column")
    page.screenshot(path="test-artifacts/phase1-mapping.png", full_page=True)
    # map the role column, which the guesses did not recognise
    page.select_option(".ilc-map-role select", label="Current assignment")
    wait_for_text(page, ".ilc-roster-problems", f"All {IMPORTED} rows are valid")
    preview = page.inner_text(".ilc-roster-preview")
    assert "Wade-0 Johansen" in preview  # first and last name joined
    page.screenshot(path="test-artifacts/phase1-preview.png", full_page=True)
    page.click(f"button.ilc-roster-import:has-text('Import {IMPORTED} participants')")
    wait_for_text(page, ".ilc-roster-notice", f"Imported {IMPORTED} participants")
    net = open_network(served_fresh.database)
    people = net.participants
    imported = people[people["email"].str.endswith("@new.example")]
    assert len(imported) == IMPORTED
    assert imported["theme"].isna().all()  # tidy: missing text is NA

    # the board takes in the new people, then suggests themes for everyone
    wait_for_text(page, ".ilc-board-notice", "new participants", timeout=30)
    page.click("button.ilc-suggest")
    wait_for_text(page, ".ilc-board-notice", "Suggested", timeout=180)
    names = page.eval_on_selector_all(".ilc-theme-name input", "els => els.map(e => e.value)")
    assert len(names) >= 2
    # rename the first theme in the page
    renamed = f"{names[0]} in our schools"
    page.fill(".ilc-theme-name input >> nth=0", renamed)
    page.press(".ilc-theme-name input >> nth=0", "Enter")
    wait_for_text(page, ".ilc-board-notice", "Renamed")
    page.screenshot(path="test-artifacts/phase1-board.png", full_page=True)

    # charts render when their tab is opened
    page.click(".lm-TabBar-tab:has-text('Charts')")
    page.wait_for_function("document.querySelectorAll('.ilc-charts svg').length === 3")
    page.screenshot(path="test-artifacts/phase1-charts.png", full_page=True)
    page.click(".lm-TabBar-tab:has-text('Board')")

    if page.is_enabled(".ilc-leave-unthemed input"):
        page.check(".ilc-leave-unthemed input")
    page.click("button.ilc-accept")
    wait_for_text(page, ".ilc-board-notice", "Accepted")
    saved = net.themes
    shown = page.eval_on_selector_all(".ilc-theme-name input", "els => els.map(e => e.value)")
    assert saved["name"].tolist() == shown
    assert shown[0] == renamed
    people = net.participants
    themed = people[people["theme"] != ""]
    assert set(themed["theme"]) <= set(shown)
    assert int(saved["participants"].sum()) == len(themed)
    assert len(themed) >= len(people) - 20  # only the unthemed ones are left blank
    net.close()

    # coming back later, the board shows the accepted themes
    page.reload()
    ready(page)
    page.wait_for_selector(".ilc-theme-name input", state="visible")
    again = page.eval_on_selector_all(".ilc-theme-name input", "els => els.map(e => e.value)")
    assert again == shown
    assert "saved (accepted" in page.inner_text(".ilc-board-summary")


def test_intake_link_shows_only_the_form_and_saves_a_submission(served_fresh, page):
    net = open_network(served_fresh.database)
    page.goto(served_fresh.intake)
    text = ready(page)
    assert "Your focus for inquiry" in text
    assert "Import a roster" not in text and "Suggest themes" not in text
    assert page.query_selector("input[type=file]") is None
    for name in net.participants["name"]:
        assert name not in text
    for theme in net.themes["name"]:
        assert theme not in page.inner_text(".ilc-app")
    page.fill(".ilc-intake-name input", "Marisol <b>Vega</b>")
    page.fill(".ilc-intake-email input", "mvega@intake.example")
    page.select_option(".ilc-intake-role select", label="Instructional coach")
    page.fill(".ilc-intake-organization input", "Harbor View Elementary")
    page.fill(".ilc-intake-district input", "Birch Harbor Public Schools")
    page.fill(
        ".ilc-intake-focus textarea",
        "Our K-2 teachers still teach three-cueing; we want structured literacy routines.",
    )
    page.screenshot(path="test-artifacts/phase1-intake-form.png", full_page=True)
    page.click("button.ilc-intake-submit")
    wait_for_text(page, ".ilc-intake-notice", "Thank you, Marisol")
    assert page.input_value(".ilc-intake-name input") == ""
    assert "<b>" not in page.inner_html(".ilc-intake-notice").replace("&lt;b&gt;", "")
    page.screenshot(path="test-artifacts/phase1-intake-thanks.png", full_page=True)
    row = net.participants.set_index("email").loc["mvega@intake.example"]
    assert row["role"] == "instructional_coach"
    assert row["name"] == "Marisol <b>Vega</b>"
    assert row["focus"].startswith("Our K-2 teachers")
    # a blank submission is refused inline
    page.click("button.ilc-intake-submit")
    wait_for_text(page, ".ilc-intake-notice", "Please fix the fields")
    assert "Please enter your name" in page.inner_text(".ilc-intake-error-name")
    net.close()


def test_collective_link_shows_no_roster_and_no_themes(served_fresh, page):
    net = open_network(served_fresh.database)
    code = "literacy-1"
    page.goto(workbook_url(served_fresh.collectives[code]))
    text = ready(page)
    assert "This step is done for your collective." in text  # what happened in 01 (issue 10)
    assert page.query_selector("input[type=file]") is None
    assert page.query_selector(".ilc-theme-board") is None
    assert page.query_selector(".ilc-intake-form") is None
    for name in net.participants["name"]:
        assert name not in text
    page.screenshot(path="test-artifacts/phase1-collective.png", full_page=True)
    net.close()
