"""The collective board's look: its stylesheet (sent once per page) and shared models."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle

from .._kit.board import BoardModels
from .._kit.board import sheets as board_sheets
from .._kit.styles import register_stylesheet, shared

__all__ = ["BOARD_CSS", "Shared", "sheets"]

BOARD_CSS = """
<style>
.ilc-collective-board .widget-html-content { line-height: 1.45; }
.ilc-collective-board .widget-html-content p { margin: .3em 0; }
.ilc-collective-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .35em .7em .5em;
  margin: .4em 0; background: #fff; }
.ilc-collective-card.ilc-warned { border-left: 4px solid #d4a72c; }
.ilc-collective-card.ilc-locked { border-color: #54aeff; background: #f6fbff; }
.ilc-collective-card.ilc-collective-invalid { border-color: #cf222e;
  box-shadow: 0 0 0 1px #cf222e; }
.ilc-collective-name input { font-weight: 600; font-size: 1.05em; }
.ilc .ilc-code { font-family: monospace; font-size: .85em; color: #57606a; white-space: nowrap; }
.ilc .ilc-meta { margin: .15em 0 .25em; }
.ilc .ilc-card-grid { display: flex; flex-wrap: wrap; gap: .3em 1.6em; align-items: flex-start; }
.ilc .ilc-card-grid > .ilc-members { flex: 1 1 36em; min-width: 0; }
.ilc .ilc-card-grid > .ilc-mix { flex: 0 1 21em; }
.ilc table.ilc-members-table { width: 100%; }
.ilc table.ilc-members-table td.note { color: #57606a; font-size: .92em; }
.ilc .ilc-mix h4 { font-size: .85em; margin: .2em 0 .1em; color: #57606a; font-weight: 600; }
.ilc .ilc-mix table { border-collapse: collapse; font-size: .85em; }
.ilc .ilc-mix td { padding: 0 4px; white-space: nowrap; }
.ilc .ilc-mix td.lbl { max-width: 13em; min-width: 9em; overflow: hidden;
  text-overflow: ellipsis; }
.ilc table.ilc-members-table td.nowrap { white-space: nowrap; }
.ilc table.ilc-members-table td:first-child { white-space: nowrap; }
.ilc .ilc-bar { display: inline-block; height: .7em; background: #1f5f8b; border-radius: 2px;
  vertical-align: middle; margin-right: .35em; }
.ilc .ilc-bar.d { background: #d9822b; }
.ilc .ilc-bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.ilc .ilc-chart svg { max-width: 100%; height: auto; }
.ilc ol.ilc-chart-key { columns: 2 22em; font-size: .9em; margin: .3em 0 .3em 1.4em; padding: 0; }
.ilc ul.ilc-warnings { margin: .15em 0 .3em 1.3em; padding: 0; }
.ilc ul.ilc-warnings li { color: #7d4e00; }
.ilc-collective-actions { position: sticky; top: 0; z-index: 5; background: #fff;
  padding: .25em 0; border-bottom: 1px solid #eaeef2; }
.ilc-settings { border: 1px solid #d0d7de; border-radius: 6px; padding: .3em .7em; margin: .3em 0;
  background: #f6f8fa; }
.ilc-settings .widget-checkbox { width: auto; margin-right: 1.2em; }
.ilc-collective-panel { border-top: 1px dashed #d0d7de; margin-top: .3em; padding-top: .3em; }
.ilc .ilc-explain ul { margin: .2em 0 .2em 1.2em; padding: 0; }
.ilc details summary { cursor: pointer; color: #0969da; }
.ilc-link-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(17.5em, 1fr));
  gap: .7em; margin: .4em 0; }
.ilc-link-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .5em .7em;
  background: #fff; }
.ilc-link-card h4 { margin: 0 0 .15em; font-size: 1.02em; }
.ilc-link-card .qr svg { width: 132px; height: 132px; display: block; margin: .3em 0; }
.ilc-link-card .url { font-family: monospace; font-size: .72em; word-break: break-all; }
.ilc a.ilc-download { display: inline-block; border: 1px solid #0969da; border-radius: 5px;
  padding: .2em .7em; margin: .2em .5em .2em 0; color: #0969da; text-decoration: none; }
.ilc a.ilc-download:hover { background: #ddf4ff; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
</style>
"""

register_stylesheet("collectives", BOARD_CSS)


def sheets() -> list[W.HTML]:
    """The stylesheets the board shows (each sent once per page)."""
    return board_sheets("collectives")


class Shared(BoardModels):
    """Layouts and styles shared by every card of a board (fewer models to load)."""

    def __init__(self) -> None:
        super().__init__()
        self.name = shared(W.Layout, width="26em")
        self.text = shared(W.Layout, width="18em")
        self.choice = shared(W.Layout, width="21em")
        self.grow = shared(W.Layout, flex="1 1 auto", margin="0 0 0 .5em")
        self.center = shared(W.Layout, align_items="center", flex_flow="row wrap")
        # labelled fields: the label (7em) and the input together
        self.labelled = shared(W.Layout, width="25em", max_width="100%")
        self.labelled_choice = shared(W.Layout, width="28em", max_width="100%")
        self.email = shared(W.Layout, width="21.5em", max_width="100%")
        self.short_choice = shared(W.Layout, width="22.6em", max_width="100%")
        self.choice_style = shared(DescriptionStyle)
