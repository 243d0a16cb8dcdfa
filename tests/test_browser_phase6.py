"""Workbook 06 in headless Chromium: the facilitator filters the gallery and builds the
network report; a collective's link sees the shared cards but no facilitator controls; a
tampered link sees nothing."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "06_share_knowledge.ipynb"


def facilitator_url(served) -> str:
    return served.facilitator.replace("00_home.ipynb", NOTEBOOK)


def collective_url(served, code: str) -> str:
    return served.collectives[code].replace("00_home.ipynb", NOTEBOOK)


def open_gallery(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".ilc-gallery .ilc-gal-card", state="visible", timeout=60_000)


def collective_names(served) -> dict[str, str]:
    net = open_network(served.database)
    try:
        return {c.code: c.name for c in net.collective_list()}
    finally:
        net.close()


def test_facilitator_filters_the_gallery_and_builds_the_report(served_fresh, page):
    names = collective_names(served_fresh)
    page.set_viewport_size({"width": 1280, "height": 1000})
    open_gallery(page, facilitator_url(served_fresh))
    cards = page.locator(".ilc-gallery .ilc-gal-card")
    expect(cards).to_have_count(len(names))
    expect(page.locator(".ilc-gal-count")).to_contain_text(f"{len(names)} of {len(names)}")
    # filter by theme: only the two absenteeism collectives stay visible
    page.select_option(".ilc-gal-theme-filter select", label="Persistent absenteeism")
    visible = page.locator(".ilc-gallery .ilc-gal-card:visible")
    expect(visible).to_have_count(2)
    expect(page.locator(".ilc-gal-count")).to_contain_text("2 of")
    text = page.inner_text(".ilc-gallery")
    assert names["absenteeism-1"] in text and names["absenteeism-2"] in text
    # open one card's full share-out
    visible.first.locator(".ilc-gal-toggle").click()
    expect(visible.first.locator(".ilc-gal-detail")).to_contain_text("Theory of action")
    page.screenshot(path="test-artifacts/phase6-gallery-facilitator.png", full_page=False)
    # and back to every collective, then by modality
    page.select_option(".ilc-gal-theme-filter select", label="All themes")
    expect(visible).to_have_count(len(names))
    page.select_option(".ilc-gal-modality-filter select", label="Virtual")
    expect(page.locator(".ilc-gal-count")).not_to_contain_text(f"{len(names)} of")
    # the across-collectives view has its charts
    across = page.locator(".ilc-across")
    expect(across).to_contain_text("Network-wide change in the efficacy pulse", timeout=30_000)
    expect(across).to_contain_text("relied on most")
    assert across.locator("svg").count() >= 2
    # build the report and see the download links
    report = page.locator(".ilc-network-report")
    report.scroll_into_view_if_needed()
    page.click(".ilc-report-build")
    html_link = page.locator("a.ilc-report-html")
    expect(html_link).to_be_visible(timeout=60_000)
    expect(page.locator("a.ilc-report-pdf")).to_be_visible()
    expect(page.locator(".ilc-report-status")).to_contain_text("Built at")
    href = html_link.get_attribute("href") or ""
    assert href.startswith("data:text/html;base64,")
    written = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "Share-outs of each collective" in written
    pdf_href = page.locator("a.ilc-report-pdf").get_attribute("href") or ""
    assert base64.b64decode(pdf_href.split(",", 1)[1]).startswith(b"%PDF")
    assert re.search(r"\.pdf$", page.locator("a.ilc-report-pdf").get_attribute("download") or "")
    report.screenshot(path="test-artifacts/phase6-report-facilitator.png")
    page.screenshot(path="test-artifacts/phase6-facilitator-full.png", full_page=True)


def test_collective_link_sees_shared_cards_but_no_facilitator_controls(served_fresh, page):
    names = collective_names(served_fresh)
    open_gallery(page, collective_url(served_fresh, "grading-1"))
    expect(page.locator(".ilc-gallery .ilc-gal-card")).to_have_count(len(names))
    own = page.locator(".ilc-gal-card.ilc-gal-own")
    expect(own).to_have_count(1)
    expect(own).to_contain_text(names["grading-1"])
    expect(own).to_contain_text("Your collective")
    expect(page.locator(".ilc-restricted-message")).to_contain_text("for facilitators")
    assert page.locator(".ilc-report-build").count() == 0
    assert page.locator(".ilc-report-bundle").count() == 0
    assert page.locator(".ilc-report-min").count() == 0
    body = page.inner_text("body")
    assert "@" not in body


def test_tampered_link_sees_nothing(served_fresh, page):
    url = collective_url(served_fresh, "grading-1")
    page.goto(url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"))
    page.wait_for_selector(".ilc-denied-app", state="visible", timeout=60_000)
    body = page.inner_text("body")
    assert "This link is not valid" in body
    assert page.locator(".ilc-gal-card").count() == 0
    assert page.locator(".ilc-across").count() == 0
    assert page.locator(".ilc-report-build").count() == 0
    for name in collective_names(served_fresh).values():
        assert name not in body
