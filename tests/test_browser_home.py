"""``ilc serve`` on the demo, driven in headless Chromium: the home workbook and its access."""

from __future__ import annotations

import pytest

from ilc_widgets.network import open_network

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ready(page):
    page.wait_for_selector(".ilc-app", state="visible")
    return page.inner_text("body")


def test_collective_link_shows_its_name_and_members(served_demo, page):
    net = open_network(served_demo.database)
    code = "literacy-1"
    collective = net.collective(code)
    members = net.members(code)["name"].tolist()
    others = net.participants
    outsiders = others[(others["collective"] != code) & (others["collective"] != "")]["name"]
    page.goto(served_demo.collectives[code])
    text = _ready(page)
    assert collective.name in text
    for name in members:
        assert name in text
    for name in outsiders:
        assert name not in text
    page.screenshot(path="test-artifacts/home-collective.png", full_page=True)
    # the phase links keep the collective's access
    href = page.get_attribute("a:has-text('Design inquiry')", "href")
    assert href is not None and f"collective={code}" in href and "key=" in href


@pytest.mark.parametrize("tamper", ["wrong-key", "other-collective", "no-key"])
def test_tampered_link_shows_nothing(served_demo, page, tamper):
    net = open_network(served_demo.database)
    url = served_demo.collectives["literacy-1"]
    if tamper == "wrong-key":
        url = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    elif tamper == "other-collective":
        url = url.replace("collective=literacy-1", "collective=grading-1")
    else:
        url = url.split("&key=")[0]
    page.goto(url)
    page.wait_for_selector(".ilc-denied-app", state="visible")
    text = page.inner_text("body")
    assert "This link is not valid" in text
    for name in net.participants["name"]:
        assert name not in text
    for c in net.collective_list():
        assert c.name not in text


def test_facilitator_link_lists_every_collective(served_demo, page):
    net = open_network(served_demo.database)
    page.goto(served_demo.facilitator)
    text = _ready(page)
    for c in net.collective_list():
        assert c.name in text
    page.screenshot(path="test-artifacts/home-facilitator.png", full_page=True)
