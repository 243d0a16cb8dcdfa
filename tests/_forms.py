"""Filling the kit's forms in a browser, as a person would (shared by the browser tests)."""

from __future__ import annotations

import time
from typing import Any


def log_entry(page: Any, label: str, description: str, value: str = "55", unit: str = "%") -> float:
    """Fill workbook 04's evidence form and click Add; the time of the click (monotonic)."""
    page.click(f".ilc-ev-type button:has-text('{label}')")
    page.fill(".ilc-ev-value input", value)
    page.fill(".ilc-ev-unit input", unit)
    page.fill(".ilc-ev-n input", "12")
    page.fill(".ilc-ev-description textarea", description)
    clicked = time.monotonic()
    page.click("button.ilc-ev-add")
    return clicked
