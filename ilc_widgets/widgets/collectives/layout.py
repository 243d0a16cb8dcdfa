"""The collective board's controls: settings, buttons, progress, messages and tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from .._kit.notice import Notice

if TYPE_CHECKING:
    from .board import CollectiveBoard

__all__ = ["CHARTS_TAB", "COLLECTIVES_TAB", "ID_RULE", "LINKS_TAB", "PAGE_CARDS", "build"]

COLLECTIVES_TAB, CHARTS_TAB, LINKS_TAB = 0, 1, 2
PAGE_CARDS = 30
"""Cards shown at once; more appear on request (large networks)."""

ID_RULE = (
    "A collective's id is in its link, and its placemat and evidence belong to that id. "
    "When you form collectives again, a proposed collective <b>continues</b> an existing "
    "one (same id, link, name, facilitator and saved work) when it has the same theme and "
    "shares members with it: the pairs that share the most members are matched first, and "
    "each existing collective is continued at most once. Other proposed collectives get new "
    "ids and links. Locked collectives keep their id and their members. When you save, an "
    "existing collective that is left without members is removed only if it has no saved "
    "work; one with a placemat, evidence or reflections stays (empty), so nothing is lost. "
    "To keep a collective that has started its work exactly as it is, lock it before forming."
)


def build(board: CollectiveBoard) -> None:
    """Make the board's controls, tabs and message lines (as attributes of ``board``)."""
    sh = board._shared
    net_settings = board.net.settings
    head = W.HTML(
        "<div class='ilc'><h2>Collectives</h2><p class='muted'>"
        "<b>Form collectives</b> proposes theme-based collectives that mix roles and "
        "districts, with in-person members in a collective that meets in their region. "
        "Review each card: name it, assign its facilitator, move members, and lock the "
        "collectives that should stay as they are (locked members stay together when you "
        "form again). <b>Save collectives</b> saves the proposal; then hand out the links "
        "in <b>Links and exports</b>.</p>"
        f"<details><summary>How ids and links are kept when you save</summary><p>{ID_RULE}"
        "</p></details></div>",
        layout=sh.plain,
        style=sh.html_style,
    )
    box = W.Layout(width="11em")
    wide = {"description_width": "5.5em"}

    def size(name: str, text: str, default: int, least: int) -> W.BoundedIntText:
        widget = W.BoundedIntText(
            value=int(net_settings.get(name, default)),
            min=least,
            max=60,
            description=text,
            layout=box,
            style=wide,
        )
        widget.add_class(f"ilc-{name.replace('_', '-')}")
        return widget

    board.max_size = size("max_size", "Max size", 10, 2)
    board.min_size = size("min_size", "Min size", 4, 1)

    def check(name: str, text: str, default: bool, tip: str) -> W.Checkbox:
        widget = W.Checkbox(
            value=bool(net_settings.get(name, default)),
            description=text,
            indent=False,
            tooltip=tip,
            layout=sh.auto,
            style=sh.check_style,
        )
        widget.add_class(f"ilc-{name.replace('_', '-')}")
        return widget

    board.use_second = check(
        "use_second_theme",
        "Use second-choice themes",
        True,
        "Place people in their second theme when that keeps the size and region rules",
    )
    board.mix_roles = check("mix_roles", "Mix roles", True, "Spread roles across collectives")
    board.mix_districts = check(
        "mix_districts", "Mix districts", True, "Spread districts across collectives"
    )
    board.region_rule = check(
        "region_for_in_person",
        "In-person members meet in their region",
        True,
        "A collective with in-person members has in-person members of one region only",
    )
    settings = W.HBox(
        [
            board.max_size,
            board.min_size,
            board.use_second,
            board.mix_roles,
            board.mix_districts,
            board.region_rule,
        ],
        layout=W.Layout(align_items="center", flex_flow="row wrap"),
    )
    settings.add_class("ilc-settings")
    board.form_button = sh.button(
        "Form collectives",
        style="primary",
        tooltip="Propose collectives for everyone with a theme (nothing is saved yet)",
    )
    board.form_button.add_class("ilc-form")
    board.form_button.on_click(lambda _b: board.form())
    board.progress = W.IntProgress(
        value=0, min=0, max=10, bar_style="info", layout=W.Layout(display="none", width="10em")
    )
    board.status = W.HTML(layout=sh.grow, style=sh.html_style)
    board.status.add_class("ilc-collective-status")
    board.notice = Notice(layout=sh.plain, style=sh.html_style)
    board.notice.add_class("ilc-collective-notice")
    board.summary = W.HTML(layout=sh.plain, style=sh.html_style)
    board.summary.add_class("ilc-collective-summary")
    board.save_button = sh.button("Save collectives", style="success", tooltip="Save this proposal")
    board.save_button.add_class("ilc-save")
    board.save_button.on_click(lambda _b: board.save())
    board.reload_button = sh.button("Back to saved collectives", tooltip="Drop the proposal")
    board.reload_button.add_class("ilc-reload")
    board.reload_button.on_click(lambda _b: board.load_saved(announce=True))
    board.lock_worked_button = sh.button(
        "Lock those with saved work",
        tooltip="Lock every collective that has a placemat, evidence or reflections",
    )
    board.lock_worked_button.add_class("ilc-lock-worked")
    board.lock_worked_button.on_click(lambda _b: board.lock_worked())
    actions = W.HBox(
        [board.save_button, board.reload_button, board.lock_worked_button],
        layout=W.Layout(align_items="center", flex_flow="row wrap"),
    )
    actions.add_class("ilc-collective-actions")
    board.explain = W.HTML(layout=sh.plain, style=sh.html_style)
    board.explain.add_class("ilc-explanations")
    board.unthemed = W.HTML(layout=sh.plain, style=sh.html_style)
    board.unthemed.add_class("ilc-unthemed-people")
    board.cards_box = W.VBox(layout=sh.plain)
    board.cards_box.add_class("ilc-collective-cards")
    board.more_button = W.Button(description="Show more", layout=W.Layout(width="auto"))
    board.more_button.add_class("ilc-more-cards")
    board.more_button.on_click(lambda _b: board._show_more())
    board.links_box = W.VBox(layout=sh.plain)
    board.links_box.add_class("ilc-links")
    board.charts = W.HTML(layout=sh.plain, style=sh.html_style)
    board.charts.add_class("ilc-collective-charts")
    cards_tab = W.VBox([board.explain, board.unthemed, board.cards_box, board.more_button])
    board.tabs = W.Tab(
        children=[cards_tab, board.charts, board.links_box],
        titles=("Collectives", "Mix charts", "Links and exports"),
    )
    board.tabs.add_class("ilc-collective-tabs")
    board.tabs.observe(lambda _c: board._tab_changed(), "selected_index")
    board.children = (
        head,
        settings,
        W.HBox([board.form_button, board.progress, board.status], layout=sh.center),
        board.notice,
        board.summary,
        actions,
        board.tabs,
    )
