"""Opening any workbook in a browser and walking its accordions and tabs (shared by the
browser tests of the page chrome: phone layout and axe)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

WORKBOOKS = {
    "00": "00_home.ipynb",
    "01": "01_gather_themes.ipynb",
    "02": "02_form_collectives.ipynb",
    "03": "03_design_inquiry.ipynb",
    "04": "04_collect_evidence.ipynb",
    "05": "05_review_progress.ipynb",
    "06": "06_share_knowledge.ipynb",
}

# what shows once a workbook's sections have rendered, per role ("any" for both)
READY = {
    ("00", "any"): [".ilc-app"],
    ("01", "facilitator"): [".ilc-theme-board"],
    ("01", "participant"): [".ilc-app"],
    ("02", "facilitator"): [".ilc-collective-board"],
    ("02", "participant"): [".ilc-app"],
    ("03", "facilitator"): [".ilc-pm-picker select"],
    ("03", "any"): [".ilc-pm-editor"],
    ("04", "any"): ["button.ilc-ev-add", ".ilc-cov-totals .ilc-tile-perceptions .count"],
    ("05", "facilitator"): [".ilc-rv-dashboard .ilc-rv-picker select"],
    ("05", "any"): [".ilc-rv-dashboard .ilc-rv-indicator"],
    ("06", "any"): [".ilc-gallery .ilc-gal-card"],
}

# the facilitator's pages that show a collective once one is picked: the picker, then
# what shows once it is picked
PICK = {
    "03": (".ilc-pm-picker select", ".ilc-pm-editor"),
    "05": (".ilc-rv-dashboard .ilc-rv-picker select", ".ilc-rv-dashboard .ilc-rv-indicator"),
}


def workbook_link(link: str, number: str) -> str:
    """A link printed by ``ilc serve`` (to 00_home) turned to workbook ``number``."""
    assert "00_home.ipynb" in link
    return link.replace("00_home.ipynb", WORKBOOKS[number])


def settle(page: Any, rounds: int = 3) -> None:
    """Wait until the number of widgets on the page stops changing (staged sections)."""
    last = -1
    steady = 0
    for _ in range(60):
        count = page.evaluate("() => document.querySelectorAll('.jupyter-widgets').length")
        steady = steady + 1 if count == last else 0
        if steady >= rounds:
            return
        last = count
        page.wait_for_timeout(500)


def open_workbook(
    page: Any, link: str, number: str, role: str, collective: str = "literacy-1"
) -> None:
    """Go to workbook ``number`` through ``link`` and wait for its sections (the
    facilitator picks ``collective`` where a page asks for one)."""
    page.goto(workbook_link(link, number))
    selectors = READY.get((number, role)) or READY[(number, "any")]
    for selector in selectors:
        page.wait_for_selector(selector, state="visible")
    if role == "facilitator" and number in PICK:
        picker, shown = PICK[number]
        label = next(
            o
            for o in page.locator(picker).first.locator("option").all_inner_texts()
            if o.strip().endswith(f"({collective})")
        )
        page.locator(picker).first.select_option(label=label)
        page.wait_for_selector(shown, state="visible")
    settle(page)


_MARK_ROUND = """(k) => {
  const marked = [];
  for (const acc of document.querySelectorAll('.jupyter-widget-Accordion')) {
    const headers = [...acc.children].filter(c => c.classList.contains('jupyter-widget-Collapse'))
      .map(c => c.querySelector(':scope > .jupyter-widget-Collapse-header'));
    const h = headers[Math.min(k, headers.length - 1)];
    if (h && !h.parentElement.classList.contains('jupyter-widget-Collapse-open')) marked.push(h);
  }
  for (const c of document.querySelectorAll('.jupyter-widget-Collapse')) {
    if (c.parentElement && c.parentElement.closest('.jupyter-widget-Accordion')) continue;
    const h = c.querySelector(':scope > .jupyter-widget-Collapse-header');
    if (h && !c.classList.contains('jupyter-widget-Collapse-open')) marked.push(h);
  }
  for (const tab of document.querySelectorAll('.jupyter-widget-tab')) {
    const tabs = tab.querySelectorAll(':scope > .lm-TabBar .lm-TabBar-tab');
    const t = tabs[Math.min(k, tabs.length - 1)];
    if (t && !t.classList.contains('lm-mod-current')) marked.push(t);
  }
  marked.forEach(e => e.setAttribute('data-ilc-open', ''));
  return marked.length;
}"""

_MOST_PANES = """() => {
  let most = 1;
  for (const acc of document.querySelectorAll('.jupyter-widget-Accordion'))
    most = Math.max(most, acc.querySelectorAll(':scope > .jupyter-widget-Collapse').length);
  for (const tab of document.querySelectorAll('.jupyter-widget-tab'))
    most = Math.max(most, tab.querySelectorAll(':scope > .lm-TabBar .lm-TabBar-tab').length);
  return most;
}"""


def pane_rounds(page: Any) -> Iterator[int]:
    """Show every accordion pane and tab in turn: round k opens the k-th pane of each
    accordion and tab set (and every lone collapse); yields k once that is on screen."""
    most = int(page.evaluate(_MOST_PANES))
    k = 0
    while k < most:
        page.evaluate(_MARK_ROUND, k)
        for handle in page.query_selector_all("[data-ilc-open]"):
            if handle.is_visible():
                handle.scroll_into_view_if_needed()
                handle.click()
            handle.evaluate("e => e.removeAttribute('data-ilc-open')")
        settle(page, rounds=2)
        yield k
        most = max(most, int(page.evaluate(_MOST_PANES)))
        k += 1
