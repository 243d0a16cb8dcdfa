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
        board.chart_sizes.value = "<div class='ilc'><p class='muted'>No themes yet.</p></div>"
        board.chart_roles.value = board.chart_districts.value = ""
        return
    names = [chart_label(n) for n, _ in groups]
    full = [n for n, _ in groups]
    sizes = [len(m) for _, m in groups]
    title = "Statements per theme"
    board.chart_sizes.value = charts.described(
        charts.bar_svg(names, sizes, title=title, xlabel="participants"),
        *charts.bar_words(
            title, full, [float(n) for n in sizes], unit="participants", category="Theme"
        ),
    )
    for widget, title, series in (
        (board.chart_roles, "Themes by role", chart_series(groups, state.people, "role")),
        (
            board.chart_districts,
            "Themes by district",
            chart_series(groups, state.people, "district", MAX_CHART_DISTRICTS),
        ),
    ):
        widget.value = charts.described(
            charts.stacked_bar_svg(names, series, title=title, xlabel="participants"),
            *charts.series_words(title, full, series, unit="participants", category="Theme"),
        )
