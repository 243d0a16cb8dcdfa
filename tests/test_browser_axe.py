"""axe-core (WCAG 2.2 A and AA) on every workbook, through a collective's link and the
facilitator's link, with every accordion pane and tab shown in turn: no critical and no
serious violation.

The counts per page are written to ``test-artifacts/axe/<role>-<workbook>.json`` (rules,
impact and number of elements), so a run before and after a change can be compared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests._pages import WORKBOOKS, open_workbook, pane_rounds

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CODE = "literacy-1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "axe"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("critical", "serious")


def axe_violations(page: Any) -> dict[str, dict[str, Any]]:
    """Run axe on the page as shown: rule id -> impact and the elements' selectors."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    found: dict[str, dict[str, Any]] = {}
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        found[violation["id"]] = {"impact": violation["impact"], "targets": targets}
    return found


def page_violations(page: Any) -> dict[str, dict[str, Any]]:
    """Every violation on the page, over all its accordion panes and tabs."""
    merged: dict[str, dict[str, Any]] = {}
    for _round in pane_rounds(page):
        for rule, seen in axe_violations(page).items():
            entry = merged.setdefault(rule, {"impact": seen["impact"], "targets": []})
            entry["targets"] = sorted(set(entry["targets"]) | set(seen["targets"]))
    return merged


CASES = [(role, number) for role in ("participant", "facilitator") for number in WORKBOOKS]


@pytest.mark.parametrize(("role", "number"), CASES, ids=[f"{r}-{n}" for r, n in CASES])
def test_no_critical_or_serious_axe_violation(served_fresh, page, role, number):
    link = served_fresh.facilitator if role == "facilitator" else served_fresh.collectives[CODE]
    open_workbook(page, link, number, role)
    found = page_violations(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    summary = {
        rule: {"impact": v["impact"], "count": len(v["targets"]), "targets": v["targets"][:20]}
        for rule, v in sorted(found.items())
    }
    (ARTIFACTS / f"{role}-{number}.json").write_text(json.dumps(summary, indent=1))
    blocking = {
        rule: f"{v['impact']} x{len(v['targets'])}: {v['targets'][:5]}"
        for rule, v in found.items()
        if v["impact"] in BLOCKING
    }
    assert not blocking, blocking
