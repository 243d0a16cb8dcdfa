"""The page chrome's accessibility contract on a real page (workbook 04 through a
collective's link, in headless Chromium): a Notice is a polite live region and an alert
while it shows an error, toggle buttons say whether they are pressed, a field flagged
``ilc-invalid`` is aria-invalid, and the focus ring is at least 2 px wide."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests._pages import open_workbook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE = "literacy-1"
FORM_NOTICE = ".ilc-ev-form-notice"


def attrs(page: Any, selector: str, *names: str) -> dict[str, str | None]:
    """The named attributes of the first element matching ``selector``."""
    return {name: page.get_attribute(selector, name) for name in names}


@pytest.fixture
def evidence(served_fresh, page):
    open_workbook(page, served_fresh.collectives[CODE], "04", "participant")
    return page


def test_notices_are_live_regions_and_errors_alerts(evidence):
    page = evidence
    page.wait_for_selector(f"{FORM_NOTICE}[role=status]", state="attached")
    assert attrs(page, FORM_NOTICE, "role", "aria-live", "aria-atomic") == {
        "role": "status",
        "aria-live": "polite",
        "aria-atomic": "true",
    }
    # every Notice on the page carries the contract, not only this one
    notices = page.eval_on_selector_all(
        ".ilc-live", "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-live')])"
    )
    assert len(notices) >= 2
    assert all(n in (["status", "polite"], ["alert", "assertive"]) for n in notices), notices

    # the form sent empty: the notice says so as an alert
    page.fill(".ilc-ev-description textarea", "")
    page.fill(".ilc-ev-value input", "")
    page.click("button.ilc-ev-add")
    page.wait_for_selector(f"{FORM_NOTICE}[role=alert]", state="attached")
    assert page.get_attribute(FORM_NOTICE, "aria-live") == "assertive"
    assert "ilc-alert" in (page.get_attribute(FORM_NOTICE, "class") or "")
    assert page.inner_text(FORM_NOTICE).strip()


def test_invalid_fields_are_aria_invalid(evidence):
    page = evidence
    page.fill(".ilc-ev-value input", "40")
    page.fill(".ilc-ev-unit input", "")
    page.fill(".ilc-ev-description textarea", "Checking the unit")
    page.click("button.ilc-ev-add")
    page.wait_for_selector(f"{FORM_NOTICE}[role=alert]", state="attached")
    flagged = page.locator(".ilc-ev-form .ilc-invalid")
    if flagged.count():  # the evidence form flags its own fields (issue 10)
        fields = page.locator(".ilc-ev-form .ilc-invalid :is(input, textarea, select)")
        assert fields.count() >= 1
        for i in range(fields.count()):
            assert fields.nth(i).get_attribute("aria-invalid") == "true"
    # the contract itself, on a field of the real page: the class comes and goes as the
    # widget manager sets it from Python (classList on the widget's element)
    unit = ".ilc-ev-unit"
    page.eval_on_selector(unit, "e => e.classList.add('ilc-invalid')")
    page.wait_for_selector(f"{unit} input[aria-invalid=true]", state="attached")
    page.eval_on_selector(unit, "e => e.classList.remove('ilc-invalid')")
    page.wait_for_function(
        "sel => !document.querySelector(sel).hasAttribute('aria-invalid')", arg=f"{unit} input"
    )


def test_toggle_buttons_say_which_is_pressed(evidence):
    page = evidence
    buttons = page.locator(".ilc-ev-type button")
    assert buttons.count() >= 2
    pressed = [buttons.nth(i).get_attribute("aria-pressed") for i in range(buttons.count())]
    assert set(pressed) <= {"true", "false"} and pressed.count("true") <= 1, pressed
    target = next(i for i, p in enumerate(pressed) if p != "true")
    buttons.nth(target).click()
    page.wait_for_function(
        "i => document.querySelectorAll('.ilc-ev-type button')[i]"
        ".getAttribute('aria-pressed') === 'true'",
        arg=target,
    )
    after = [buttons.nth(i).get_attribute("aria-pressed") for i in range(buttons.count())]
    assert after.count("true") == 1 and after[target] == "true", after


def test_the_focus_ring_is_two_pixels(evidence):
    page = evidence
    page.focus(".ilc-ev-unit input")
    page.keyboard.press("Tab")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; }"""
    )
    assert ring[0] == "solid" and ring[1] >= 2, ring
    assert ring[2] == "rgb(11, 87, 208)", ring


def test_button_names_are_words_not_icon_glyphs(evidence):
    page = evidence
    add = page.locator("button.ilc-ev-add")
    add.wait_for(state="visible")
    assert add.locator("i").count() == 1  # the button shows its icon
    assert add.locator("i").get_attribute("aria-hidden") == "true"
    hidden = page.eval_on_selector_all(
        "button i.fa", "els => els.map(e => e.getAttribute('aria-hidden'))"
    )
    assert hidden and set(hidden) == {"true"}, hidden
    # the accessible name (Chrome's accessibility tree) begins with the word, no glyph
    named = page.get_by_role("button", name=re.compile(r"^\s*Add evidence"))
    assert named.count() == 1, add.aria_snapshot()


def _status(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_a_page_closed_without_beforeunload_ends_its_kernel(evidence, served_fresh):
    """Phones often close a tab without "beforeunload" (where Voilà ends the page's kernel);
    the chrome ends it on "pagehide" instead, unless the page is kept for the back button."""
    page = evidence
    kernel = page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    url = f"{served_fresh.base_url}api/kernels/{kernel}"
    assert _status(url) == 200
    hide = "p => window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: p}))"
    page.evaluate(hide, True)  # kept in the back-forward cache: it may come back
    page.wait_for_timeout(2000)
    assert _status(url) == 200
    page.evaluate(hide, False)  # gone for good
    for _ in range(40):
        if _status(url) == 404:
            break
        page.wait_for_timeout(500)
    assert _status(url) == 404


def test_row_buttons_show_their_whole_word_at_desktop_width(evidence):
    """The row buttons' words come from the stylesheet (their own font size is 0); their
    widths once used em and collapsed to "E" and "D" at desktop width."""
    page = evidence
    page.wait_for_selector("button.ilc-ev-edit", state="visible")
    sizes = page.eval_on_selector_all(
        "button.ilc-ev-edit, button.ilc-ev-delete",
        "els => els.filter(e => e.getClientRects().length)"
        ".map(e => [e.getBoundingClientRect().width, e.scrollWidth, e.clientWidth])",
    )
    assert sizes and all(width >= 50 for width, _, _ in sizes), sizes
    assert all(scroll <= client for _, scroll, client in sizes), sizes
