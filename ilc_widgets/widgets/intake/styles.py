"""The intake form's and roster import's look: their stylesheet (sent once per page) and
shared models."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .._kit.styles import register_stylesheet, shared

__all__ = ["CSS", "FIELD_WIDTH", "INPUT_WIDTH", "LABEL_WIDTH", "Models", "shown"]

LABEL_WIDTH = "12em"
"""The width of a field's caption."""
INPUT_WIDTH = "30em"
"""The width of a form's input."""
FIELD_WIDTH = "42em"
"""The width of a labelled field: its label (:data:`LABEL_WIDTH`) and its input."""

CSS = """
<style>
.ilc-intake .widget-html-content, .ilc-roster .widget-html-content { line-height: 1.45; }
.ilc-intake .widget-html-content p, .ilc-roster .widget-html-content p { margin: .3em 0; }
.ilc-intake-form .widget-text, .ilc-intake-form .widget-textarea,
.ilc-intake-form .widget-dropdown { margin-bottom: .25em; }
.ilc-intake-form .widget-label, .ilc-roster-mapping .widget-label { font-weight: 700;
  color: #1b1f24; }
.ilc-roster-mapping { border: 1px solid #d0d7de; border-radius: 6px; padding: .2em .8em .6em;
  margin: .4em 0; }
.ilc-roster-preview table td { max-width: 22em; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
</style>
"""

register_stylesheet("intake", CSS)


def shown(widget: W.Widget, visible: bool) -> None:
    """Show or hide ``widget`` (its own layout)."""
    widget.layout.display = "" if visible else "none"


class Models:
    """Layouts and styles shared by the fields of a form."""

    def __init__(self) -> None:
        self.plain = shared(W.Layout)
        self.input = shared(W.Layout, width=FIELD_WIDTH, max_width="100%")
        self.html_style = shared(HTMLStyle)
        self.text_style = shared(TextStyle)
        self.choice_style = shared(DescriptionStyle)
