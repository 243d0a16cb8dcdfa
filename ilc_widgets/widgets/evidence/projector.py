"""The facilitator's projector view of a collective's evidence: large tiles per type, the
latest entries and what to collect next (HTML, everything typed escaped)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...format import as_date, with_unit
from ...stats.coverage import missing_type_prompts
from .._base import esc
from . import state
from .section import badge, tiles

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .state import Entries

LATEST = 8
"""Entries the projector lists."""


def _newest(entry: Mapping[str, Any]) -> tuple[bool, dt.datetime, int]:
    """Sort key: entered last first (an entry without a time after the others)."""
    created = entry.get("created_at")
    return (created is not None, created or dt.datetime.min, int(entry["id"]))


def projector_html(entries: Entries, name: str, *, now: dt.datetime | None = None) -> str:
    """The projector view of ``entries`` (deleted ones too) of the collective ``name``."""
    text = state.text
    live = [e for e in entries if not e["deleted"]]
    counts = state.type_counts(live)
    latest = sorted(live, key=_newest, reverse=True)[:LATEST]
    items = []
    for entry in latest:
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
