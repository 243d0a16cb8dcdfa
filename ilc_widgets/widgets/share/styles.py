"""Workbook 06's stylesheet (sent once per page) and the small widgets its sections share."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

import ipywidgets as W
from ipywidgets.widgets.widget_string import HTMLStyle

from .._kit.styles import register_stylesheet, shared

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CSS", "button", "dropdown", "html", "row", "section_html"]

CSS = """
<style>
.ilc-gal .ilc-gal-filters { gap: 10px; flex-wrap: wrap; align-items: center; }
.ilc-gal .ilc-gal-count { color: #57606a; }
.ilc-gal .ilc-gal-grid { display: grid; gap: 10px; width: 100%;
  grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); }
.ilc-gal .ilc-gal-card { border: 1px solid #8c959f; border-radius: 8px; padding: 8px 12px 10px;
  background: #fff; box-sizing: border-box; min-width: 0; }
.ilc-gal .ilc-gal-card.ilc-gal-own { border: 2px solid #1b1f24; }
.ilc-gal .ilc-gal-card.ilc-gal-open { grid-column: 1 / -1; }
.ilc-gal .ilc-gal-theme { font-size: .78em; text-transform: uppercase; letter-spacing: .04em;
  color: #32383f; font-weight: 700; }
.ilc-gal .ilc-gal-name { font-size: 1.12em; margin: 1px 0 2px; }
.ilc-gal .ilc-gal-you { display: inline-block; border: 1px solid #1b1f24; border-radius: 9px;
  padding: 0 .45em; font-size: .75em; margin-left: .4em; vertical-align: middle; }
.ilc-gal p { margin: .25em 0; line-height: 1.38; }
.ilc-gal .ilc-gal-status { font-weight: 600; }
.ilc-gal .widget-html-content { line-height: 1.35; min-width: 0; max-width: 100%; }
.ilc-gal table { border-collapse: collapse; margin: .3em 0 .5em; font-size: .92em; width: 100%; }
.ilc-gal th, .ilc-gal td { border: 1px solid #d0d7de; padding: 3px 7px; text-align: left;
  vertical-align: top; }
.ilc-gal th { background: #f3f5f7; }
.ilc-gal td.num, .ilc-gal th.num { text-align: right; }
.ilc-gal .supp { font-style: italic; color: #57606a; }
.ilc-gal .meta, .ilc-gal .note { color: #57606a; font-size: .9em; }
.ilc-gal ol.toa { padding-left: 1.4em; margin: .2em 0 .5em; }
.ilc-gal ol.toa li { margin-bottom: .3em; }
.ilc-gal .lvl { font-weight: 700; font-size: .78em; text-transform: uppercase; color: #32383f; }
.ilc-gal .mark { font-weight: 700; display: inline-block; min-width: 1em; }
.ilc-gal blockquote { margin: .2em 0 .6em; padding-left: .7em; border-left: 3px solid #8c959f; }
.ilc-gal h4 { margin: .7em 0 .2em; font-size: 1em; }
.ilc-gal .pop { border-left: 4px double #1b1f24; padding-left: .6em; }
.ilc-gal .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
  gap: 8px; margin-bottom: .6em; }
.ilc-gal .mini { border: 1px solid #8c959f; border-radius: 6px; padding: 6px 9px;
  background: #fff; }
.ilc-gal .mini h4 { margin-top: 0; }
.ilc-gal .related { font-size: .92em; }
.ilc-gal .ilc-gal-chart svg { max-width: 100%; height: auto; }
.ilc-gal .ilc-gal-disclaimer { border: 1px solid #d4a72c; background: #fff8c5; border-radius: 5px;
  padding: .4em .7em; margin: .3em 0 .5em; }
.ilc-gal .ilc-gal-privacy { border: 1px solid #8c959f; border-radius: 5px; padding: .35em .7em;
  margin: .2em 0 .5em; font-size: .92em; box-sizing: border-box; width: calc(100% - 6px); }
.ilc-gal .ilc-gal-disclaimer { box-sizing: border-box; width: calc(100% - 6px); }
.ilc-gal .ilc-gal-toggle { align-self: flex-start; }
.ilc-gal a.ilc-download { display: inline-block; border: 1px solid #0969da; border-radius: 5px;
  padding: .3em .8em; margin: .2em .5em .2em 0; text-decoration: none; color: #0969da;
  font-weight: 600; }
.ilc-gal a.ilc-download:hover { background: #ddf4ff; }
.ilc-gal .ilc-gal-section { margin-top: .8em; }
.ilc-gal .ilc-gal-row { gap: 12px; flex-wrap: wrap; }
.ilc-gal .ilc-chart-table > summary { cursor: pointer; color: #0b4f8a; font-weight: 600; }
@media (max-width: 600px) {
  /* one column on a phone: cards, the mini grids and fields full width */
  .ilc-gal .ilc-gal-grid, .ilc-gal .grid { grid-template-columns: minmax(0, 1fr); }
  .ilc-gal .ilc-gal-card { padding: 6px 8px 8px; }
  .ilc-gal table { display: block; overflow-x: auto; max-width: 100%; }
  .ilc-gal .widget-dropdown, .ilc-gal .widget-text, .ilc-gal .widget-bounded-int-text {
    width: 100% !important; max-width: 100%; flex-wrap: wrap; }
  .ilc-gal .widget-inline-hbox > .widget-label { width: 100% !important; text-align: left; }
  .ilc-gal .widget-inline-hbox > select, .ilc-gal .widget-inline-hbox > input {
    flex: 1 1 100%; min-width: 0; }
  .ilc-gal .jupyter-button { max-width: 100%; white-space: normal; height: auto; }
}
</style>
"""
register_stylesheet("gallery", CSS)


def html(value: str = "", cls: str = "") -> W.HTML:
    """An HTML widget a full line wide (with the class ``cls``), sharing its models."""
    widget = W.HTML(value, layout=shared(W.Layout, width="100%"), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def button(description: str, *, style: str = "") -> W.Button:
    """A button sharing its layout and style models with the others (the page opens sooner);
    no icon (an icon-font glyph would start the button's accessible name)."""
    return W.Button(
        description=description,
        button_style=style,
        tooltip=description,
        layout=shared(W.Layout, width="auto"),
        style=shared(W.ButtonStyle),
    )


def row(*children: W.Widget) -> W.HBox:
    """Widgets side by side, vertically centred, with a gap between them."""
    box = W.HBox(list(children), layout=shared(W.Layout, align_items="center"))
    box.add_class("ilc-gal-row")
    return box


def section_html(title: str, body: str) -> str:
    """A titled part of a section (``body`` is HTML, already escaped)."""
    return f"<div class='ilc ilc-gal-section'><h3>{escape(title)}</h3>{body}</div>"


def dropdown(
    label: str, choices: Sequence[tuple[str, str]], cls: str, *, width: str, label_width: str
) -> W.Dropdown:
    """A labelled dropdown of ``(label, value)`` choices, its first one chosen."""
    widget = W.Dropdown(
        options=list(choices),
        value=choices[0][1],
        description=label,
        layout=shared(W.Layout, width=width),
        style=shared(W.widgets.widget_description.DescriptionStyle, description_width=label_width),
    )
    widget.add_class(cls)
    return widget
