"""Workbooks 03 and 04 by keyboard only, in headless Chromium: Tab to a field, type, save,
and hear it (the section's live region says so); a new row takes the focus; an error
moves the focus to the field it is about. Every field on both pages has a name.

No clicks and no ``fill`` here: only ``page.keyboard`` (Tab, Shift+Tab, Enter, Space and
typing), as someone without a mouse would work.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import expect

from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLACEMAT = "03_design_inquiry.ipynb"
EVIDENCE = "04_collect_evidence.ipynb"
CODE = "literacy-1"
MAX_TABS = 250  # more focus stops than either page has above the fields used here

# The accessible name of each field (input, textarea, select) as Chrome computes it, from
# the accessibility tree; fields the tree leaves out (hidden) are not counted.
FIELD_ROLES = ("textbox", "combobox", "listbox", "spinbutton", "searchbox", "ComboBoxSelect")


def link(served: Any, notebook: str) -> str:
    return str(served.collectives[CODE]).replace("00_home.ipynb", notebook)


def focused(page: Any, selector: str) -> bool:
    """True when the focused element is inside ``selector`` (a field's widget)."""
    return bool(
        page.evaluate(
            "sel => { const el = document.activeElement;"
            " return !!(el && el !== document.body && el.closest(sel)); }",
            selector,
        )
    )


def tab_to(page: Any, selector: str, *, back: bool = False) -> int:
    """Press Tab (Shift+Tab when ``back``) until the focus is inside ``selector``; the
    number of presses."""
    key = "Shift+Tab" if back else "Tab"
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press(key)
        if focused(page, selector):
            return presses
    raise AssertionError(f"{key} never reached {selector}")


def live_text(page: Any, selector: str) -> str:
    """The text of a live region, checking that it is one (role=status or alert, or
    aria-live), as the page template makes every Notice."""
    region = page.locator(selector).first
    role = region.get_attribute("role")
    live = region.get_attribute("aria-live")
    assert role in ("status", "alert") or live in ("polite", "assertive"), (
        f"{selector} is not a live region (role={role!r}, aria-live={live!r})"
    )
    return str(region.inner_text())


def unnamed_fields(page: Any) -> tuple[int, int, list[str]]:
    """(fields without an accessible name, fields, what the unnamed ones are), from
    Chrome's accessibility tree."""
    cdp = page.context.new_cdp_session(page)
    try:
        tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    fields = [
        n for n in tree if not n.get("ignored") and n.get("role", {}).get("value") in FIELD_ROLES
    ]
    unnamed = [n for n in fields if not str(n.get("name", {}).get("value", "")).strip()]
    what = [f"{n['role']['value']} {n.get('backendDOMNodeId')}" for n in unnamed]
    return len(unnamed), len(fields), what


def saved(page: Any, net: Any, done: Any) -> None:
    """Wait until the stored placemat passes ``done`` (saving follows a pause in typing),
    then check that the page's live save status says so, with the stored version."""
    deadline = time.monotonic() + 60
    while not done(net.placemat(CODE).placemat):
        assert time.monotonic() < deadline, "what was typed was never saved"
        page.wait_for_timeout(250)
    version = net.placemat(CODE).version
    status = page.locator(".ilc-pm-status")
    expect(status).to_contain_text(re.compile(rf"Saved at .*version {version}\b"))
    assert "Saved" in live_text(page, ".ilc-pm-status")


def start(page: Any, url: str, ready: str) -> None:
    page.goto(url)
    page.wait_for_selector(ready, state="visible", timeout=240_000)  # a kernel starts
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")


def test_placemat_by_keyboard_saves_announces_and_focuses_new_rows(served_fresh, page):
    start(page, link(served_fresh, PLACEMAT), ".ilc-pm-editor")
    expect(page.locator(".ilc-pm-status")).to_contain_text("version")
    net = open_network(served_fresh.database)

    tab_to(page, ".ilc-pm-problem")
    page.keyboard.press("Control+A")
    typed = "Only 4 in 10 of our K-2 readers reach benchmark (typed by keyboard)"
    page.keyboard.type(typed)
    # the save status is the live region: it says the save happened
    saved(page, net, lambda doc: doc.problem_of_practice == typed)

    # Shift+Tab goes back the way it came, Tab forward again
    page.keyboard.press("Shift+Tab")
    assert not focused(page, ".ilc-pm-problem")
    page.keyboard.press("Tab")
    assert focused(page, ".ilc-pm-problem")

    # "+ Add a priority" by Enter: the new row's field takes the focus
    rows = page.locator(".ilc-pm-priority input")
    before = rows.count()
    tab_to(page, ".ilc-pm-add-priority")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(before + 1)
    page.wait_for_function(
        "() => { const all = document.querySelectorAll('.ilc-pm-priority input');"
        " return document.activeElement === all[all.length - 1]; }",
        timeout=15_000,
    )
    page.keyboard.type("Daily small-group phonics (keyboard)")
    saved(page, net, lambda doc: doc.priorities[-1:] == ["Daily small-group phonics (keyboard)"])
    assert len(net.placemat(CODE).placemat.priorities) == before + 1

    # the row's buttons say what they do, with the row
    last = before + 1
    up = page.locator(".ilc-pm-priority-row button.ilc-pm-up").last
    assert up.get_attribute("title") == f"Move priority {last} up"
    expect(page.get_by_role("button", name=f"Move priority {last} up")).to_have_count(1)
    expect(page.get_by_role("button", name=f"Remove priority {last}")).to_have_count(1)
    bar = page.get_by_role("progressbar", name="Placemat complete")
    expect(bar).to_have_count(1)

    missing, total, what = unnamed_fields(page)
    print(f"\n03: {missing} of {total} fields without a name {what}")
    assert total >= 40 and missing == 0, what


def test_evidence_by_keyboard_adds_announces_and_focuses_errors(served_fresh, page):
    start(page, link(served_fresh, EVIDENCE), "button.ilc-ev-add")
    page.wait_for_selector(".ilc-ev-row", state="visible")
    net = open_network(served_fresh.database)
    before = len(net.evidence_frame(CODE))

    tab_to(page, ".ilc-ev-type")
    # the type buttons are focus stops of their own: move to "Perceptions", press Space
    for _ in range(4):
        if page.evaluate("() => document.activeElement.innerText.trim()") == "Perceptions":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.innerText.trim()") == "Perceptions"
    page.keyboard.press("Space")
    expect(page.locator(".ilc-ev-type button.mod-active")).to_have_text("Perceptions")

    tab_to(page, ".ilc-ev-value")
    page.keyboard.type("64")
    page.keyboard.press("Tab")
    assert focused(page, ".ilc-ev-unit")
    page.keyboard.type("%")
    tab_to(page, ".ilc-ev-description")
    description = "Exit survey, typed without a mouse"
    page.keyboard.type(description)
    tab_to(page, "button.ilc-ev-add")
    page.keyboard.press("Enter")

    page.wait_for_selector(".ilc-ev-form-notice:has-text('Added')", state="visible")
    assert "Added" in live_text(page, ".ilc-ev-form-notice")
    frame = net.evidence_frame(CODE)
    assert len(frame) == before + 1
    assert (frame["description"] == description).any()

    # the value and description were cleared: adding again is an error, said as an alert,
    # and the focus goes to the field it is about, marked invalid
    assert focused(page, "button.ilc-ev-add")
    page.keyboard.press("Enter")
    notice = page.locator(".ilc-ev-form-notice")
    expect(notice).to_contain_text("nothing was saved")
    assert notice.get_attribute("role") == "alert"
    page.wait_for_function("() => !!document.activeElement.closest('.ilc-invalid')", timeout=15_000)
    assert page.evaluate("() => document.activeElement.getAttribute('aria-invalid')") == "true"
    assert len(net.evidence_frame(CODE)) == before + 1

    # the table's buttons name the entry they act on
    edit = page.locator(".ilc-ev-row button.ilc-ev-edit").first
    assert str(edit.get_attribute("title")).startswith("Edit entry of ")

    missing, total, what = unnamed_fields(page)
    print(f"\n04: {missing} of {total} fields without a name {what}")
    assert total >= 15 and missing == 0, what
