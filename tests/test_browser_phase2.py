"""Workbook 02 in headless Chromium: a facilitator forms, shapes and saves collectives and hands
out the links; a collective's link sees nothing; and the whole chain from an empty network
(roster upload and themes in workbook 01, then collectives and links in workbook 02)."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ilc_widgets.access import access_query
from ilc_widgets.network import create_network, open_network
from tests.conftest import start_ilc_serve, stop_served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DEMO = Path(__file__).resolve().parent.parent / "data_templates" / "demo" / "participants.csv"
NOTEBOOK = "02_form_collectives.ipynb"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def workbook_url(url: str, notebook: str = NOTEBOOK) -> str:
    return url.replace("00_home.ipynb", notebook)


def ready(page: Any) -> str:
    page.wait_for_selector(".ilc-app", state="visible")
    return str(page.inner_text("body"))


def wait_for_text(page: Any, selector: str, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    found = ""
    while time.monotonic() < deadline:
        found = page.inner_text(selector) if page.query_selector(selector) else ""
        if text in found:
            return str(found)
        time.sleep(0.25)
    raise AssertionError(f"{text!r} did not appear in {selector}: {found!r}")


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"phase2-{name}.png"), full_page=True)


def download(page: Any, selector: str) -> bytes:
    """Click a download link and return the file the browser saved."""
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    return Path(path).read_bytes()


def test_facilitator_forms_saves_and_hands_out_links(served_fresh, page):
    net = open_network(served_fresh.database)
    saved_codes = {c.code for c in net.collective_list()}
    page.set_viewport_size({"width": 1280, "height": 2600})
    page.goto(workbook_url(served_fresh.facilitator))
    text = ready(page)
    page.wait_for_selector(".ilc-collective-board", state="visible")
    # the board opens on the saved collectives
    assert "Showing the saved collectives" in text
    for c in net.collective_list():
        assert c.code in text
    assert "not in a collective yet" in text
    shot(page, "saved")

    page.click("button.ilc-form")
    wait_for_text(page, ".ilc-collective-notice", "Proposed", timeout=180)
    assert "Proposal, not saved yet" in page.inner_text(".ilc-collective-summary")
    shot(page, "proposal")

    # a new collective: name it, give it a facilitator, move someone into it
    cards = page.query_selector_all(".ilc-collective-card")
    new_index = next(i for i, card in enumerate(cards) if "New collective" in card.inner_text())
    card = f".ilc-collective-card >> nth={new_index}"
    page.fill(f"{card} >> .ilc-collective-name input", "Attendance Allies")
    page.click(f"{card} >> .ilc-collective-edit")
    page.fill(f"{card} >> .ilc-facilitator-name input", "Lena Park")
    page.fill(f"{card} >> .ilc-facilitator-email input", "lpark@lprsc.example")
    wait_for_text(page, card, "Facilitator: Lena Park")
    code = page.inner_text(f"{card} >> .ilc-code").strip()
    first = f".ilc-collective-card >> nth={1 if new_index == 0 else 0}"
    page.click(f"{first} >> .ilc-collective-edit")
    page.wait_for_selector(f"{first} >> .ilc-move-target select option", state="attached")
    mover = page.eval_on_selector(
        f"{first} >> .ilc-move-member select", "s => s.options[s.selectedIndex].text"
    ).replace("\xa0", " ")
    target_label = next(
        o
        for o in page.eval_on_selector_all(
            f"{first} >> .ilc-move-target select option", "os => os.map(o => o.text)"
        )
        if o.replace("\xa0", " ").endswith(f"· {code}")
    )
    page.select_option(f"{first} >> .ilc-move-target select", label=target_label)
    page.click(f"{first} >> button.ilc-move")
    wait_for_text(page, ".ilc-collective-notice", "Moved")
    wait_for_text(page, card, mover.split(" (")[0])
    shot(page, "shaped")

    page.click("button.ilc-save")
    wait_for_text(page, ".ilc-collective-notice", "Saved", timeout=120)
    assert "Showing the saved collectives" in page.inner_text(".ilc-collective-summary")
    saved = net.collective(code)
    assert saved.name == "Attendance Allies"
    assert (saved.facilitator_name, saved.facilitator_email) == ("Lena Park", "lpark@lprsc.example")
    people = net.participants
    assert people.loc[people["theme"].notna(), "collective"].notna().all()  # tidy: NA
    mover_id = people.set_index("name").loc[mover.split(" (")[0], "participant_id"]
    assert net.collective_of(participant_id=mover_id) == code
    assert saved_codes <= {c.code for c in net.collective_list()}  # their work is kept

    # the mix charts (drawn when their tab opens)
    page.click(".lm-TabBar-tab:has-text('Mix charts')")
    page.wait_for_function(
        "document.querySelectorAll('.ilc-collective-charts svg').length === 2", timeout=120_000
    )
    charts = page.inner_text(".ilc-collective-charts")
    assert "Attendance Allies" in charts
    assert "Roles in each collective (saved collectives)" in page.inner_html(
        ".ilc-collective-charts"
    )
    shot(page, "charts")

    # links and exports
    page.click(".lm-TabBar-tab:has-text('Links and exports')")
    n = len(net.collective_list())
    page.wait_for_function(
        f"document.querySelectorAll('.ilc-link-card svg').length === {n}", timeout=120_000
    )
    base = page.input_value(".ilc-base-url input")
    assert base == served_fresh.base_url
    links = page.inner_text(".ilc-link-cards")
    assert "role=facilitator" not in links
    query = access_query(net.secret, collective=code)
    assert f"{base}voila/render/00_home.ipynb?{query}" in links
    shot(page, "links")
    sheet = download(page, "a.ilc-download-sheet").decode("utf-8")
    assert sheet.count("<svg") == n and "role=facilitator" not in sheet
    assert "Attendance Allies" in sheet
    rows = list(
        csv.DictReader(io.StringIO(download(page, "a.ilc-download-csv").decode("utf-8-sig")))
    )
    assert len(rows) == len(net.memberships)
    assert {r["collective"] for r in rows} == set(net.memberships["collective"])
    xlsx = download(page, "a.ilc-download-xlsx")
    assert xlsx[:2] == b"PK"
    # a member's link opens their collective's home page
    page.goto(f"{base}voila/render/00_home.ipynb?{query}")
    assert "Attendance Allies" in ready(page)
    net.close()


def test_collective_link_sees_nothing_of_the_board(served_fresh, page):
    net = open_network(served_fresh.database)
    page.goto(workbook_url(served_fresh.collectives["literacy-1"]))
    text = ready(page)
    assert "This step is done for your collective." in text  # what happened in 02 (issue 10)
    assert page.query_selector(".ilc-collective-board") is None
    people = net.participants
    for name in people[people["collective"] != "literacy-1"]["name"]:
        assert name not in text
    for c in net.collective_list():
        assert c.code == "literacy-1" or c.name not in text
    shot(page, "collective-link")
    net.close()


def survey_export() -> bytes:
    """The demo roster as a survey tool exports it: other headers, no themes."""
    demo = pd.read_csv(DEMO, dtype=str).fillna("")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "Full name",
            "Email Address",
            "Current assignment",
            "School / site",
            "School district",
            "Region",
            "Attend how?",
            "What would you like to explore through inquiry this year?",
        ]
    )
    attend = {"in_person": "In person", "virtual": "Online", "either": "No preference"}
    for r in demo.itertuples():
        writer.writerow(
            [
                r.name,
                r.email,
                str(r.role).replace("_", " ").title(),
                r.organization,
                r.district,
                r.region,
                attend[str(r.modality)],
                r.focus,
            ]
        )
    return buf.getvalue().encode("utf-8")


def test_from_an_empty_network_to_collective_links(tmp_path, page):
    """Workbook 01 then 02 as a facilitator: upload, map, import, suggest and accept themes,
    form and save collectives, see the links."""
    path = tmp_path / "empty.sqlite"
    create_network(path, "Fresh network").close()
    served = start_ilc_serve(str(path))
    try:
        page.set_viewport_size({"width": 1280, "height": 2400})
        page.goto(workbook_url(served.facilitator, "01_gather_themes.ipynb"))
        ready(page)
        page.wait_for_selector(".ilc-theme-board", state="visible")
        with page.expect_file_chooser() as chooser:
            page.click("button.ilc-roster-upload")
        chooser.value.set_files(
            files=[{"name": "survey.csv", "mimeType": "text/csv", "buffer": survey_export()}]
        )
        wait_for_text(page, ".ilc-roster-problems", "required column")
        page.select_option(".ilc-map-role select", label="Current assignment")
        wait_for_text(page, ".ilc-roster-problems", "All 78 rows are valid")
        page.click("button.ilc-roster-import:has-text('Import 78 participants')")
        wait_for_text(page, ".ilc-roster-notice", "Imported 78 participants")
        wait_for_text(page, ".ilc-board-notice", "new participants", timeout=60)
        page.click("button.ilc-suggest")
        wait_for_text(page, ".ilc-board-notice", "Suggested", timeout=300)
        if page.is_enabled(".ilc-leave-unthemed input"):
            page.check(".ilc-leave-unthemed input")
        page.click("button.ilc-accept")
        wait_for_text(page, ".ilc-board-notice", "Accepted")
        net = open_network(path)
        themed = net.participants[net.participants["theme"].notna()]
        assert len(themed) >= 60 and net.collective_list() == []

        # workbook 02: no collectives yet; form, save, links
        page.goto(workbook_url(served.facilitator))
        ready(page)
        wait_for_text(page, ".ilc-collective-notice", "No collectives yet")
        page.click("button.ilc-form")
        wait_for_text(page, ".ilc-collective-notice", "Proposed", timeout=180)
        shot(page, "e2e-proposal")
        page.click("button.ilc-save")
        wait_for_text(page, ".ilc-collective-notice", "Saved", timeout=120)
        collectives = net.collective_list()
        assert collectives
        memberships = net.memberships
        assert set(memberships["participant_id"]) == set(themed["participant_id"])
        sizes = memberships.groupby("collective").size()
        assert sizes.max() <= 10
        page.click(".lm-TabBar-tab:has-text('Links and exports')")
        page.wait_for_function(
            f"document.querySelectorAll('.ilc-link-card svg').length === {len(collectives)}",
            timeout=120_000,
        )
        links = page.inner_text(".ilc-link-cards")
        for c in collectives:
            assert c.name in links
            assert access_query(net.secret, collective=c.code) in links
        shot(page, "e2e-links")
        net.close()
    finally:
        stop_served(served)
