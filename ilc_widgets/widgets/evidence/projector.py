"""The facilitator's projector view of a collective's evidence: large tiles per type, the
latest entries and what to collect next (HTML, everything typed escaped)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...format import as_date, with_unit
from ...stats import missing_type_prompts
from .._base import esc
from . import state
from .section import badge, tiles
from .table import records

if TYPE_CHECKING:
    import pandas as pd

LATEST = 8
"""Entries the projector lists."""


def projector_html(frame: pd.DataFrame, name: str, *, now: dt.datetime | None = None) -> str:
    """The projector view of ``frame`` (entries, deleted ones too) of the collective
    ``name``."""
    text = state.text
    live = frame[~frame["deleted"]] if len(frame) else frame
    counts = state.type_counts(live)
    latest = (
        live.sort_values(["created_at", "id"], ascending=False).head(LATEST) if len(live) else live
    )
    items = []
    for entry in records(latest):
        day = as_date(entry.get("date"))
        value = with_unit(entry.get("value"), entry.get("unit"))
        n: Any = entry.get("n")
        indicator = text(entry.get("indicator"))
        subgroup = text(entry.get("subgroup"))
        bits = [
            f"<span class='when'>{esc(day.strftime('%b %d') if day else '')}</span>",
            badge(text(entry.get("evidence_type"))),
            f" <b>{esc(indicator)}</b>:" if indicator else "",
            f"<span class='val'>{esc(value)}</span>" if value else "",
            f"<span class='muted'>n = {int(n)}</span>" if not state.blank(n) else "",
            f" <span class='muted'>· {esc(subgroup)}</span>" if subgroup else "",
        ]
        desc = text(entry.get("description"))
        more = f"<div>{esc(state.short(desc, 140))}</div>" if desc else ""
        items.append(f"<div class='ilc-proj-item'>{''.join(bits)}{more}</div>")
    listing = "".join(items) or "<p class='muted'>No evidence logged yet.</p>"
    prompts = missing_type_prompts(counts)
    prompt_html = (
        "<h3>What to collect next</h3><ul class='ilc-prompts'>"
        + "".join(f"<li>{esc(p)}</li>" for p in prompts)
        + "</ul>"
        if prompts
        else ""
    )
    stamp = (now or dt.datetime.now()).strftime("%H:%M:%S")
    return (
        "<div class='ilc ilc-proj'>"
        f"<div><span class='ilc-proj-title'>{esc(name)}</span> "
        f"<span class='muted'>· {len(live)} entries · live, updated {stamp}</span></div>"
        f"{tiles(counts)}<h3>Latest evidence</h3>{listing}{prompt_html}</div>"
    )
