"""The theme board's look: its stylesheet (sent once per page) and shared models."""

from __future__ import annotations

import ipywidgets as W

from .._kit.board import BoardModels
from .._kit.styles import register_stylesheet, shared

__all__ = ["BOARD_CSS", "Shared"]

BOARD_CSS = """
<style>
.ilc-theme-board .widget-html-content { line-height: 1.45; }
.ilc-theme-board .widget-html-content p { margin: .3em 0; }
.ilc-theme-card { border: 1px solid #d0d7de; border-radius: 6px; padding: .35em .6em;
  margin: .35em 0; background: #fff; }
.ilc-theme-card.ilc-unthemed { border-color: #d4a72c; background: #fffdf0; }
.ilc-theme-card.ilc-theme-invalid { border-color: #cf222e; box-shadow: 0 0 0 1px #cf222e; }
.ilc-theme-card .ilc-theme-name input { font-weight: 600; font-size: 1.05em; }
.ilc table.ilc-statements { border-collapse: collapse; width: 100%; font-size: .9em;
  margin: .2em 0; }
.ilc table.ilc-statements td { border-top: 1px solid #eaeef2; padding: 2px 6px;
  vertical-align: top; }
.ilc table.ilc-statements td.who { width: 16em; color: #57606a; font-size: .92em; }
.ilc .kw { display: inline-block; border-radius: 9px; padding: 0 .45em; font-size: .82em;
  background: #eef2f6; margin: 0 .25em .1em 0; }
.ilc-statement-row { border-top: 1px solid #eaeef2; }
.ilc-statement-row .widget-checkbox { width: auto; flex: 0 0 auto; max-width: 14em; }
.ilc-statement-row .widget-checkbox .widget-label-basic span { font-weight: 600; }
.ilc-board-actions { position: sticky; top: 0; z-index: 5; background: #fff;
  padding: .2em 0; border-bottom: 1px solid #eaeef2; }
.ilc-charts svg { max-width: 100%; height: auto; }
.ilc-chart-table > summary { cursor: pointer; color: #0b4f8a; font-weight: 600; }
/* Accept themes: white on a darker green (5.1:1; the default green gives 4.1:1) */
.ilc-theme-board .jupyter-button.ilc-accept.mod-success:enabled { background-color: #1a7f37;
  color: #ffffff; }
</style>
"""

register_stylesheet("themes", BOARD_CSS)


class Shared(BoardModels):
    """The models every card and statement row of a theme board shares."""

    def __init__(self) -> None:
        super().__init__()
        self.name = shared(W.Layout, width="24em")
        self.tick = shared(W.Layout, width="1.8em")
        self.grow = shared(W.Layout, flex="1 1 auto", margin="0 0 0 .6em")
        self.center = shared(W.Layout, align_items="center")
        self.top = shared(W.Layout, align_items="flex-start")
        self.wrap = shared(W.Layout, align_items="center", flex_flow="row wrap")
