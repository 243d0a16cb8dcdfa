"""The board's Charts tab: theme sizes, themes by role and themes by district."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from .state import UNTHEMED, chart_label, chart_series

if TYPE_CHECKING:
    from .board import ThemeBoard

__all__ = ["MAX_CHART_DISTRICTS", "render_charts"]

MAX_CHART_DISTRICTS = 7
"""Districts drawn on their own in the by-district chart (the rest are one bar part)."""


def render_charts(board: ThemeBoard) -> None:
    """Draw the three charts of ``board``."""
    from ... import charts

    board._charts_stale = False
    if board.chart_sizes is None or board.chart_roles is None or board.chart_districts is None:
        sh = board._shared
        board.chart_sizes = W.HTML(layout=sh.plain, style=sh.html_style)
        board.chart_roles = W.HTML(layout=sh.plain, style=sh.html_style)
        board.chart_districts = W.HTML(layout=sh.plain, style=sh.html_style)
        board.charts_box.children = (board.chart_sizes, board.chart_roles, board.chart_districts)
    board.chart_sizes.value = "<div class='ilc'><p class='muted'>Drawing the charts…</p></div>"
    state = board.state
    groups = [(t.name, t.members) for t in state.filled()]
    if state.unthemed:
        groups.append((UNTHEMED, state.unthemed))
    if not groups:
        board.chart_sizes.value = charts.empty_svg("No themes yet")
        board.chart_roles.value = board.chart_districts.value = ""
        return
    names = [chart_label(n) for n, _ in groups]
    board.chart_sizes.value = charts.bar_svg(
        names,
        [len(m) for _, m in groups],
        title="Statements per theme",
        xlabel="participants",
    )
    board.chart_roles.value = charts.stacked_bar_svg(
        names,
        chart_series(groups, state.people, "role"),
        title="Themes by role",
        xlabel="participants",
    )
    board.chart_districts.value = charts.stacked_bar_svg(
        names,
        chart_series(groups, state.people, "district", MAX_CHART_DISTRICTS),
        title="Themes by district",
        xlabel="participants",
    )
