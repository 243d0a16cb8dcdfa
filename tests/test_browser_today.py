"""Today's step in headless Chromium: the facilitator sets it on 00, each collective's home
page leads with it (own step over the one for all), and the card works at phone width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ilc_widgets.access import NOTEBOOKS
from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path("test-artifacts")
OWN, OTHER = "literacy-1", "grading-1"
D03, D04 = "03_design_inquiry.ipynb", "04_collect_evidence.ipynb"


def ready(page: Any) -> str:
    page.wait_for_selector(".ilc-app", state="visible")
    return str(page.inner_text("body"))


def set_today(page: Any, notebook: str, scope_label: str) -> None:
    """Choose the workbook and the collectives on the facilitator's home page, and set."""
    page.get_by_label("Workbook", exact=True).select_option(label=NOTEBOOKS[notebook])
    page.get_by_label("For", exact=True).select_option(label=scope_label)
    page.get_by_role("button", name="Set today's step").click()


def serious(page: Any, *selectors: str) -> list[str]:
    """axe-core's critical and serious violations (rule and element), in ``selectors`` only
    when given (the parts this feature draws), else on the whole page."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"include": [[s] for s in selectors]} if selectors else None
    found = Axe().run(page, context=context).response["violations"]
    return [
        f"{v['id']}: {node['target']}"
        for v in found
        if v["impact"] in ("critical", "serious")
        for node in v["nodes"]
    ]


def shot(page: Any, name: str, width: int, height: int) -> None:
    """The page at ``width`` (grown to its whole height: Voilà scrolls inside the body)."""
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(300)
    full = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"))
    page.set_viewport_size({"width": width, "height": min(max(int(full), height) + 20, 6000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{width}-full.png"))
    page.set_viewport_size({"width": width, "height": height})


def test_facilitator_sets_today_and_each_home_leads_with_its_step(served_fresh, page):
    net = open_network(served_fresh.database)
    own, other = net.collective(OWN), net.collective(OTHER)

    # the facilitator sets 04 for literacy-1 on 00
    page.goto(served_fresh.facilitator)
    ready(page)
    set_today(page, D04, f"{own.name} ({OWN})")
    notice = page.locator(".ilc-home-today-control .ilc-live")
    notice.filter(has_text=f"Today for {own.name}").wait_for()
    assert NOTEBOOKS[D04] in notice.inner_text()
    assert serious(page, ".ilc-home-today-control") == []
    print("axe, facilitator's 00 (whole page):", serious(page))
    shot(page, "today-facilitator", 1280, 900)

    # literacy-1's home leads with the Today card; its link opens 04 with the group's key
    home = page.context.new_page()
    home.goto(served_fresh.collectives[OWN])
    text = ready(home)
    home.wait_for_selector(".ilc-today")
    assert f"Today: {NOTEBOOKS[D04]}" in home.inner_text(".ilc-today")
    assert text.index("Today:") < text.index("All workbooks") < text.index("Members")
    go = home.locator("a.ilc-today-go")
    href = go.get_attribute("href") or ""
    assert D04 in href and f"collective={OWN}" in href and "key=" in href
    # 01 and 02 are done steps, not links; the other workbooks are links, today's marked
    steps = home.locator("ol.ilc-steps")
    assert "done: your theme is" in steps.inner_text()
    assert steps.locator("a[href*='01_gather'], a[href*='02_form']").count() == 0
    assert steps.locator("a.ilc-step-link").count() == 4
    assert D04 in (steps.locator("a.ilc-step-today").get_attribute("href") or "")

    # phone width: the card and the list in one column, the big link full width
    shot(home, "today-collective", 390, 844)
    box = go.bounding_box()
    card = home.locator(".ilc-today").bounding_box()
    assert box is not None and card is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] >= card["width"] - 60  # the link spans the card (less its padding)
    for link in home.locator("a.ilc-step-link").all():
        b = link.bounding_box()
        assert b is not None and b["x"] >= 0 and b["x"] + b["width"] <= 390
    shot(home, "today-collective", 1280, 900)
    assert serious(home, ".ilc-today", "ol.ilc-steps") == []
    print("axe, literacy-1's 00 (whole page):", serious(home))

    go.click()
    home.wait_for_url(re.compile(re.escape(D04)))
    home.wait_for_selector("button.ilc-ev-add", state="visible")
    assert f"collective={OWN}" in home.url

    # another collective: no step of its own and none for all, so the list only
    third = page.context.new_page()
    third.goto(served_fresh.collectives[OTHER])
    ready(third)
    assert other.name in third.inner_text("body")
    assert third.query_selector(".ilc-today") is None

    # a step for all reaches it; literacy-1 keeps its own
    set_today(page, D03, "All collectives")
    notice.filter(has_text="Today for All collectives").wait_for()
    third.reload()
    ready(third)
    third.wait_for_selector(".ilc-today")
    assert f"Today: {NOTEBOOKS[D03]}" in third.inner_text(".ilc-today")
    fourth = page.context.new_page()
    fourth.goto(served_fresh.collectives[OWN])
    ready(fourth)
    fourth.wait_for_selector(".ilc-today")
    assert f"Today: {NOTEBOOKS[D04]}" in fourth.inner_text(".ilc-today")
    net.close()


def test_collective_link_on_02_shows_its_own_collective(served_fresh, page):
    net = open_network(served_fresh.database)
    members = set(net.members(OWN)["name"])
    outsiders = [n for n in net.participants["name"] if n not in members]
    page.goto(served_fresh.collectives[OWN].replace("00_home.ipynb", "02_form_collectives.ipynb"))
    page.wait_for_selector(".ilc-restricted-app", state="visible")
    text = page.inner_text(".ilc-restricted-app")
    assert "This step is done for your collective." in text
    assert "This section is for facilitators" not in text
    assert net.collective(OWN).name in text
    assert all(n in text for n in members)
    assert not [n for n in outsiders if n in text]
    href = page.locator(".ilc-restricted-app a").get_attribute("href") or ""
    assert "00_home.ipynb" in href and f"collective={OWN}" in href
    page.set_viewport_size({"width": 390, "height": 844})
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "today-02-collective-390.png"))
    net.close()
