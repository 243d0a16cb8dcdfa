"""The board's mix charts: roles in each collective, and districts and roles per collective."""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from ...vocab import ROLES, label

if TYPE_CHECKING:
    from .board import CollectiveBoard

__all__ = ["CHARTED", "chart_text", "render_charts", "role_order"]

esc = html.escape
log = logging.getLogger(__name__)

CHARTED = 40
"""The most collectives drawn in the mix charts (the first ones on the board)."""


def render_charts(board: CollectiveBoard) -> None:
    """Draw the mix charts: roles in each collective, and districts and roles per collective.

    Matplotlib is loaded here, the first time the tab is opened, not when the page loads.
    """
    from ... import charts

    board._charts_stale = False
    groups = [g for g in board._groups if g.members]
    if not groups:
        board.charts.value = (
            "<div class='ilc'><p class='muted'>No collectives to chart yet: form collectives "
            "first.</p></div>"
        )
        return
    shown = groups[:CHARTED]
    people = [[board._people[p] for p in g.members if p in board._people] for g in shown]
    names = [chart_text(g.name or g.code) for g in shown]
    roles = sorted({p.role for members in people for p in members}, key=role_order)
    series = {
        chart_text(label("role", r) or "(no role)"): [
            sum(1 for p in members if p.role == r) for members in people
        ]
        for r in roles
    }
    state = "proposal (not saved)" if board._proposal else "saved collectives"
    plain = [g.name or g.code for g in shown]
    roles_title = f"Roles in each collective ({state})"
    mix = {
        "districts": [len({p.district for p in m}) for m in people],
        "roles": [len({p.role for p in m}) for m in people],
    }
    mix_title = "Distinct districts and roles per collective"
    words = {
        label("role", r) or "(no role)": [sum(1 for p in m if p.role == r) for m in people]
        for r in roles
    }
    try:
        composition = charts.described(
            charts.stacked_bar_svg(names, series, title=roles_title, xlabel="members"),
            *charts.series_words(roles_title, plain, words, unit="members", category="Collective"),
        )
        mixing = charts.described(
            charts.grouped_bar_svg(
                [str(i + 1) for i in range(len(shown))], mix, title=mix_title, ylabel="how many"
            ),
            *charts.series_words(mix_title, plain, mix, category="Collective"),
        )
    except Exception:
        log.exception("drawing the mix charts failed")
        board.charts.value = (
            "<div class='ilc'><div class='ilc-notice error'>The charts could not be drawn; "
            "the cards on the Collectives tab show the same figures.</div></div>"
        )
        return
    key = "".join(
        f"<li>{esc(g.name or g.code)} <span class='ilc-code'>{esc(g.code)}</span></li>"
        for g in shown
    )
    more = (
        f"<p class='muted'>The first {CHARTED} of {len(groups)} collectives are drawn.</p>"
        if len(groups) > CHARTED
        else ""
    )
    board.charts.value = (
        "<div class='ilc'><p class='muted'>How mixed each collective is: look for a "
        "collective with far fewer districts or roles than the others, and move someone "
        "on its card.</p>"
        f"{composition}{mixing}"
        "<p class='muted'>The numbers in the second chart:</p>"
        f"<ol class='ilc-chart-key'>{key}</ol>{more}</div>"
    )


def chart_text(text: str, width: int = 38) -> str:
    """A label for a chart: shortened, with '$' kept literal (not read as maths)."""
    text = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def role_order(role: str) -> tuple[int, str]:
    """Roles in the vocabulary's order (unknown roles last)."""
    order = list(ROLES)
    return (order.index(role) if role in order else len(order), role)
