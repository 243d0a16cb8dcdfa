"""Labelled fields: a text box, text area or dropdown whose label is its accessible name.

A caption pasted next to a field as separate HTML looks like a label but is not one: a
screen reader announces the field as "edit text, blank". :func:`field` gives the field its
own ``description`` instead, which ipywidgets draws as a ``<label for=…>`` tied to the
input, so the label is read with the field and clicking it focuses the field; the label
also becomes the field's tooltip. The label width is a shared Style model (see
:func:`~.styles.shared`).
"""

from __future__ import annotations

from typing import Any, TypeVar

import ipywidgets as W

from .styles import shared

__all__ = ["field", "send_when_left", "text_field"]

WidgetT = TypeVar("WidgetT", bound=W.Widget)


def field(label: str, widget: WidgetT, *, label_width: str = "11em") -> WidgetT:
    """Give ``widget`` (Text, Textarea, Dropdown, DatePicker, …) ``label`` as its own
    label and accessible name, ``label_width`` wide; returns the same widget.

    Raises TypeError for a widget that cannot carry a label (HTML, boxes): label its
    inputs instead.
    """
    if not label.strip():
        raise ValueError("a field needs a label people can read")
    if not widget.has_trait("description") or isinstance(widget, (W.HTML, W.Label, W.Box)):
        raise TypeError(f"a {type(widget).__name__} has no label of its own")
    widget.description = label
    widget.description_allow_html = False
    if widget.has_trait("tooltip") and not widget.tooltip:
        widget.tooltip = label
    style = getattr(widget, "style", None)
    if style is not None and style.has_trait("description_width"):
        # a shared style with the same settings and this width (never change one in place)
        settings = {
            name: getattr(style, name)
            for name in style.trait_names(sync=lambda x: x)
            if not name.startswith("_")
        }
        widget.style = shared(type(style), **{**settings, "description_width": label_width})
    return widget


def send_when_left(widget: WidgetT) -> WidgetT:
    """A typed field of a form with a submit button: its text is sent when the field is left
    (or Enter is pressed), not at every key.

    A page sends a field's next update only after the kernel answered its last one, but a
    click at once; with an update per key, under load the click on "Add" or "Submit" reached
    the kernel before the last words typed (an entry was saved as "Exit survey," instead of
    the whole sentence). Leaving the field to click sends its text first.
    """
    if isinstance(widget, (W.Text, W.Textarea)):  # a Combobox is a Text
        widget.continuous_update = False
    return widget


def text_field(
    label: str,
    value: str = "",
    *,
    placeholder: str = "",
    rows: int = 0,
    label_width: str = "11em",
    **kwargs: Any,
) -> W.Text | W.Textarea:
    """A labelled text box (``rows`` > 0: a text area of that many rows)."""
    widget: W.Text | W.Textarea = (
        W.Textarea(value=value, placeholder=placeholder, rows=rows, **kwargs)
        if rows > 0
        else W.Text(value=value, placeholder=placeholder, **kwargs)
    )
    return field(label, widget, label_width=label_width)
