"""Workbooks at phone and tablet width in headless Chromium.

At 390x844, 03, 04 and 05 through a collective's link, with every accordion pane and tab
shown in turn: every visible field and button lies inside the viewport horizontally, every
field (input, textarea, select) is at least 120 px wide, and the page does not scroll
sideways. At 768x1024 the facilitator's 01 and 02 do not scroll sideways either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests._pages import open_workbook, pane_rounds

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE = "literacy-1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
MIN_FIELD_PX = 120

# every visible control (not hidden by the widget, not a file input behind a button)
_MEASURE = """() => {
  const out = [];
  const controls = document.querySelectorAll(
    '#rendered_cells input, #rendered_cells textarea, #rendered_cells select, ' +
    '#rendered_cells button');
  for (const el of controls) {
    if (el.type === 'file' || el.type === 'hidden') continue;
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
    if (!el.getClientRects().length) continue;
    let name = el.tagName.toLowerCase();
    const owner = el.closest('[class*="ilc-"]');
    const cls = owner ? [...owner.classList].filter(c => c.startsWith('ilc-')).join('.') : '';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    out.push({
      tag: name, where: cls, text: text.slice(0, 30),
      left: r.left, right: r.right, width: r.width,
      field: name !== 'button' && el.type !== 'checkbox' && el.type !== 'radio',
    });
  }
  return out;
}"""

_SCROLL_WIDTH = "() => document.scrollingElement.scrollWidth"


def problems(page: Any, width: int) -> list[str]:
    """What breaks the phone layout on the page as shown."""
    found = []
    for c in page.evaluate(_MEASURE):
        label = f"{c['tag']} {c['text']!r} in .{c['where']}"
        if c["left"] < -0.5 or c["right"] > width + 0.5:
            found.append(f"{label} outside the viewport ({c['left']:.0f}..{c['right']:.0f})")
        if c["field"] and c["width"] < MIN_FIELD_PX:
            found.append(f"{label} only {c['width']:.0f} px wide")
    scroll = int(page.evaluate(_SCROLL_WIDTH))
    if scroll > width:
        found.append(f"the page scrolls sideways ({scroll} px wide)")
    return found


@pytest.mark.parametrize("number", ["03", "04", "05"])
def test_participant_pages_fit_a_phone(served_fresh, browser, number):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        open_workbook(page, served_fresh.collectives[CODE], number, "participant")
        page.screenshot(path=str(ARTIFACTS / f"phone-{number}.png"), full_page=False)
        found: list[str] = []
        for k in pane_rounds(page):
            found += [f"(panes {k}) {p}" for p in problems(page, PHONE["width"])]
        assert not found, "\n".join(sorted(set(found)))
    finally:
        context.close()


@pytest.mark.parametrize("number", ["01", "02"])
def test_facilitator_pages_fit_a_tablet(served_fresh, browser, number):
    context = browser.new_context(viewport=TABLET)
    try:
        page = context.new_page()
        page.set_default_timeout(90_000)
        open_workbook(page, served_fresh.facilitator, number, "facilitator")
        page.screenshot(path=str(ARTIFACTS / f"tablet-{number}.png"))
        found: list[str] = []
        for k in pane_rounds(page):
            scroll = int(page.evaluate(_SCROLL_WIDTH))
            if scroll > TABLET["width"]:
                found.append(f"(panes {k}) the page scrolls sideways ({scroll} px wide)")
        assert not found, "\n".join(found)
    finally:
        context.close()
