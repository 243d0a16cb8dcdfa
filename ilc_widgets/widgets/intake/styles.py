"""The intake form's and roster import's look: their stylesheet (sent once per page) and
shared models."""

from __future__ import annotations

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .._kit.styles import register_stylesheet, shared

__all__ = ["CSS", "INPUT_WIDTH", "LABEL_WIDTH", "Models", "shown"]

LABEL_WIDTH = "12em"
"""The width of a field's caption."""
INPUT_WIDTH = "30em"
"""The width of a form's input."""

CSS = """
<style>
.ilc-intake .widget-html-content, .ilc-roster .widget-html-content { line-height: 1.45; }
.ilc-intake .widget-html-content p, .ilc-roster .widget-html-content p { margin: .3em 0; }
.ilc-intake-form .widget-text, .ilc-intake-form .widget-textarea,
.ilc-intake-form .widget-dropdown { margin-bottom: .25em; }
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
        self.caption = shared(W.Layout, width=LABEL_WIDTH, min_width=LABEL_WIDTH)
        self.input = shared(W.Layout, width=INPUT_WIDTH)
        self.html_style = shared(HTMLStyle)
        self.text_style = shared(TextStyle)
        self.choice_style = shared(DescriptionStyle)

    def caption_html(self, text: str) -> W.HTML:
        """A fixed-width bold caption in front of an input (``text`` is HTML)."""
        return W.HTML(f"<b>{text}</b>", layout=self.caption, style=self.html_style)
