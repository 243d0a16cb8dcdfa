"""Workbook 05 in headless Chromium: through a collective's link the dashboard shows, a
member takes the pulse and the group saves a reflection that is on the timeline after a
reload; through the facilitator link the overview shows and a collective is picked."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "05_review_progress.ipynb"
CODE = "literacy-1"


def url_for(served, code: str) -> str:
    return served.collectives[code].replace("00_home.ipynb", NOTEBOOK)


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def open_review(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".ilc-rv-dashboard .ilc-rv-indicator", state="visible")


def test_collective_link_dashboard_pulse_and_reflection(served_fresh, page):
    url = url_for(served_fresh, CODE)
    open_review(page, url)
    cards = page.locator(".ilc-rv-dashboard .ilc-rv-indicator")
    expect(cards).to_have_count(3)
    # trend charts are drawn once the page shows
    expect(cards.first.locator("svg")).to_have_count(1, timeout=30_000)
    expect(cards.first.locator(".ilc-rv-status")).to_contain_text("On track")
    # the chart is an image named with its numbers, with a table of the same numbers
    chart = cards.first.locator("[role=img]")
    expect(chart).to_have_attribute("aria-label", re.compile(r"^Trend of .+; status on track\.$"))
    cards.first.get_by_text("Show as table").click()
    expect(cards.first.locator("table.ilc-chart-data")).to_be_visible()
    expect(page.locator(".ilc-rv-ix")).to_contain_text(
        "Is the program making a difference in learning results?"
    )
    expect(page.locator(".ilc-rv-es-result")).to_contain_text("d = ", timeout=30_000)
    expect(page.locator(".ilc-rv-es-result")).to_contain_text("Hinge point: 0.40")
    assert page.locator(".ilc-rv-picker").count() == 0
    page.screenshot(path="test-artifacts/phase5-dashboard.png")
    page.locator(".ilc-rv-coverage").screenshot(path="test-artifacts/phase5-coverage.png")
    page.locator(".ilc-rv-effect").screenshot(path="test-artifacts/phase5-effect-size.png")

    # the pulse: Gwen answers the review wave
    expect(page.locator(".ilc-rv-disclaimer")).to_contain_text("not a validated scale")
    page.select_option(".ilc-rv-who select", label="Gwen Adeyemi")
    page.locator(".ilc-rv-wave button", has_text="Review").click()
    expect(page.locator(".ilc-rv-answered")).to_contain_text("Not answered yet for the review")
    for item in ("su1", "su2", "su3", "jw1", "jw2", "jw3", "ei1", "ei2", "ei3"):
        page.locator(f".ilc-rv-item-{item} button", has_text="4 · Agree").click()
    page.click(".ilc-rv-submit")
    expect(page.locator(".ilc-rv-pulse .ilc-rv-notice")).to_contain_text("Thank you, Gwen")
    net = open_network(served_fresh.database)
    pulse = net.pulse_frame(CODE)
    net.close()
    gwen = pulse[(pulse["respondent"] == "p011") & (pulse["wave"] == "review")]
    assert sorted(gwen["score"].tolist()) == [4] * 9
    expect(page.locator(".ilc-rv-results-table")).to_contain_text("(n 9)")
    page.locator(".ilc-rv-pulse").screenshot(path="test-artifacts/phase5-pulse.png")

    # the reflection of a new meeting, saved as typed, on the timeline after a reload
    page.fill(".ilc-rv-date input", "2026-12-03")
    words = "P5 went well: screener <b>mastery</b> rose"
    page.fill(".ilc-rv-went-well textarea", words)
    # each reflection box is named by its question (its visible label)
    expect(page.get_by_role("textbox", name="What went well?")).to_have_value(words)
    page.fill(".ilc-rv-adjust textarea", "P5 adjust: add oral language routines")
    page.locator(".ilc-rv-area-indicators input").check()

    def saved() -> bool:
        net = open_network(served_fresh.database)
        try:
            frame = net.reflections_frame(CODE)
        finally:
            net.close()
        rows = frame[frame["went_well"] == words]
        return bool(len(rows)) and list(rows["adjust_areas"].iloc[0]) == ["indicators"]

    wait_until(saved, 30)
    page.reload()
    page.wait_for_selector(".ilc-rv-timeline .ilc-rv-meeting", state="visible")
    timeline = page.locator(".ilc-rv-timeline")
    expect(timeline).to_contain_text("Past meetings (3)")
    expect(timeline.locator(".ilc-rv-meeting").first).to_contain_text("Meeting of 3 Dec 2026")
    expect(timeline.locator(".ilc-rv-meeting").first).to_contain_text(words)
    assert timeline.locator("b:has-text('mastery')").count() == 0  # shown as text
    page.locator(".ilc-rv-reflection").screenshot(path="test-artifacts/phase5-reflection.png")


def test_facilitator_picks_a_collective(served_fresh, page):
    page.goto(served_fresh.facilitator.replace("00_home.ipynb", NOTEBOOK))
    picker = ".ilc-rv-dashboard .ilc-rv-picker select"
    page.wait_for_selector(picker, state="visible")
    overview = page.locator(".ilc-rv-overview")
    expect(overview).to_contain_text("Sound Foundations (River Valley)")
    expect(overview).to_contain_text("Bell to Bell (Prairie East)")
    page.screenshot(path="test-artifacts/phase5-facilitator-overview.png")
    net = open_network(served_fresh.database)
    name = net.collective("tier1-instruction-1").name
    net.close()
    page.select_option(picker, label=f"{name} (tier1-instruction-1)")
    cards = page.locator(".ilc-rv-dashboard .ilc-rv-indicator")
    expect(cards).to_have_count(3)
    expect(page.locator(".ilc-rv-dashboard .ilc-collective-name")).to_have_text(name)
    # every section of the page follows the pick
    expect(page.locator(".ilc-rv-effect .ilc-rv-picker select")).to_have_value(
        f"{name} (tier1-instruction-1)"
    )
    expect(page.locator(".ilc-rv-es-result")).to_contain_text("Grade 7 science", timeout=30_000)
    expect(page.locator(".ilc-rv-timeline")).to_contain_text("Past meetings (2)")
    expect(cards.first.locator("svg")).to_have_count(1, timeout=30_000)
    page.screenshot(path="test-artifacts/phase5-facilitator.png")


def test_another_collectives_link_shows_none_of_it(served_fresh, page):
    net = open_network(served_fresh.database)
    literacy = net.collective(CODE).name
    net.close()
    open_review(page, url_for(served_fresh, "absenteeism-1"))
    expect(page.locator(".ilc-rv-reflection .ilc-rv-timeline")).to_contain_text("Past meetings")
    text = page.inner_text("body")
    assert literacy not in text
    assert "Grade 1 phonics inventory" not in text
