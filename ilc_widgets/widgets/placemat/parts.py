"""The placemat's look: its stylesheet (sent once per page) and the small widget makers
every part of the editor uses (cards, labelled text areas, buttons, dropdowns)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .._base import esc
from .._kit.styles import register_stylesheet, shared

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

CSS: Final = """
<style>
.ilc-pm { max-width: 1240px; }
.ilc-pm .ilc-pm-card { border: 1px solid #8c959f; border-radius: 8px; padding: 6px 12px 10px;
  margin: 6px 0; background: #fff; box-sizing: border-box; }
.ilc-pm .ilc-pm-centre { border: 4px double #1b1f24; background: #fcfcf8; }
.ilc-pm .ilc-pm-h { font-weight: 700; font-size: 1.12em; margin: 2px 0 0; color: #1b1f24; }
.ilc-pm .ilc-pm-hint { color: #57606a; font-size: .9em; margin: 0 0 4px; line-height: 1.35; }
.ilc-pm .ilc-pm-lbl { font-size: .85em; font-weight: 600; color: #32383f; line-height: 1.2;
  margin-top: 2px; }
.ilc-pm .ilc-pm-rank { font-weight: 700; text-align: right; padding-right: 6px; }
.ilc-pm .ilc-pm-step { border-left: 4px solid #57606a; padding-left: 8px; margin: 2px 0; }
.ilc-pm .ilc-pm-arrow { text-align: center; font-size: 1.2em; line-height: 1; color: #57606a; }
.ilc-pm .ilc-pm-ind { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px 8px;
  margin: 4px 0; background: #fafbfc; }
.ilc-pm .ilc-pm-warn { color: #9a6700; font-size: .85em; }
.ilc-pm textarea { font-family: inherit; font-size: .97em; line-height: 1.35; }
.ilc-pm .ilc-pm-problem textarea { font-size: 1.05em; }
.ilc-pm .ilc-pm-side { position: sticky; top: 8px; align-self: flex-start;
  max-height: calc(100vh - 16px); overflow-y: auto; }
.jp-OutputArea:has(.ilc-pm-side), .jp-OutputArea-child:has(.ilc-pm-side),
.jp-OutputArea-output:has(.ilc-pm-side), .widget-box:has(> * .ilc-pm-side),
.widget-box:has(> .ilc-pm-side), .jp-OutputArea:has(.ilc-pm-alert-bar),
.jp-OutputArea-child:has(.ilc-pm-alert-bar), .jp-OutputArea-output:has(.ilc-pm-alert-bar),
.widget-box:has(> .ilc-pm-alert-bar) { overflow: visible; }
.ilc-pm .ilc-pm-check ul { list-style: none; padding-left: 0; margin: .3em 0; }
.ilc-pm .ilc-pm-check li { margin: 0 0 .45em; line-height: 1.3; font-size: .93em; }
.ilc-pm .ilc-pm-check .mark { display: inline-block; width: 1.3em; font-weight: 700; }
.ilc-pm .ilc-pm-bar { border: 1px solid #1b1f24; height: 14px; border-radius: 7px;
  overflow: hidden; background: #fff; margin: .2em 0; }
.ilc-pm .ilc-pm-bar > div { height: 100%; background: #1f5f8b; }
.ilc-pm .ilc-pm-status { font-size: .92em; color: #32383f; }
.ilc-pm .ilc-pm-conflict-box { border: 2px solid #9a6700; background: #fff8c5;
  border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
.ilc-pm .ilc-pm-both { display: flex; gap: 8px; }
.ilc-pm .ilc-pm-alert-bar { position: sticky; top: 0; z-index: 20; }
.ilc-pm .ilc-pm-alert { border: 2px solid #9a6700; background: #fff8c5; border-radius: 6px;
  padding: 6px 10px; box-shadow: 0 2px 6px rgba(0,0,0,.25); }
.ilc-pm .ilc-pm-alert a { font-weight: 700; }
#ilc-pm-conflict { scroll-margin-top: 60px; }
.ilc-pm .ilc-pm-both > div { flex: 1; border: 1px solid #8c959f; border-radius: 5px;
  padding: 4px 6px; background: #fff; white-space: pre-wrap; font-size: .92em; }
.ilc-pm .ilc-pm-gridhead { font-weight: 700; font-size: .88em; }
.ilc-pm .widget-button { min-width: 2.2em; }
.ilc-pm .widget-html-content { line-height: 1.35; }
.ilc-pm .ilc-pm-step-level .widget-label { font-weight: 700; text-align: left; }
.ilc-pm .ilc-pm-priority .widget-label { font-weight: 700; }
.ilc-pm .ilc-pm-ind .widget-label { color: #32383f; }
.ilc-pm button.ilc-pm-add { background: #fff; border: 1px dashed #57606a; }
.ilc-pm .ilc-pm-map { display: grid; grid-template-columns: 1fr 1.3fr 1fr; gap: 3px;
  margin: .3em 0 .6em; font-size: .78em; line-height: 1.2; }
.ilc-pm .ilc-pm-map div { border: 1px solid #57606a; padding: 3px 4px; min-height: 2.4em; }
.ilc-pm .ilc-pm-map div.pop { border: 3px double #1b1f24; font-weight: 700; }
.ilc-pm .ilc-pm-map div.todo { border-style: dashed; color: #57606a; }
.ilc-pm .widget-accordion .lm-AccordionPanel, .ilc-pm .jupyter-widget-Collapse-contents {
  padding: 6px 8px; }
</style>
"""

"""The placemat's own stylesheet (registered as "placemat")."""

register_stylesheet("placemat", CSS)


def _lay(**traits: Any) -> W.Layout:
    return shared(W.Layout, **traits)


def _text_style(width: str) -> TextStyle:
    return shared(TextStyle, description_width=width)


def _desc_style(width: str) -> DescriptionStyle:
    return shared(DescriptionStyle, description_width=width)


def _html(text: str, cls: str = "") -> W.HTML:
    widget = W.HTML(text, layout=_lay(margin="0"), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def _label(text: str) -> W.HTML:
    return _html(f"<div class='ilc-pm-lbl'>{esc(text)}</div>")


def _field(text: str, widget: W.Widget) -> W.VBox:
    return W.VBox([_label(text), widget], layout=_lay(width="100%"))


_LIVE: Final[dict[str, Any]] = {"continuous_update": True}
"""What makes a text field send each keystroke (the form saves as people type)."""


def _input(
    kind: Any,
    cls: str,
    style: Callable[[str], Any],
    *,
    label: str = "",
    width: str = "100%",
    label_width: str = "6.5em",
    flex: str = "",
    **traits: Any,
) -> Any:
    """A field of ``kind`` labelled ``label`` (``label_width`` wide), with the CSS class
    ``cls`` and shared layout and style; ``flex`` (e.g. "1 1 auto") takes the room left
    instead of ``width``."""
    widget = kind(
        description=label,
        layout=_lay(flex=flex) if flex else _lay(width=width),
        style=style(label_width if label else ""),
        **traits,
    )
    widget.add_class(cls)
    return widget


def _textarea(value: str, placeholder: str, rows: int, cls: str, **opts: Any) -> W.Textarea:
    """A text area that saves as people type (options: see :func:`_input`)."""
    return _input(
        W.Textarea,
        cls,
        _text_style,
        value=value,
        placeholder=placeholder,
        rows=rows,
        **_LIVE,
        **opts,
    )


def _text(value: str, placeholder: str, cls: str, **opts: Any) -> W.Text:
    """A one-line text field that saves as people type (options: see :func:`_input`)."""
    opts.setdefault("label_width", "initial")
    return _input(W.Text, cls, _text_style, value=value, placeholder=placeholder, **_LIVE, **opts)


def _button(label: str, cls: str, *, kind: str = "", icon: str = "") -> W.Button:
    widget = W.Button(
        description=label,
        tooltip=label,
        button_style=kind,
        icon=icon,
        layout=_lay(width="auto"),
        style=shared(W.ButtonStyle),
    )
    widget.add_class(cls)
    return widget


def _small_button(label: str, tooltip: str, cls: str) -> W.Button:
    widget = W.Button(
        description=label, tooltip=tooltip, layout=_lay(width="2.6em"), style=shared(W.ButtonStyle)
    )
    widget.add_class(cls)
    return widget


def _dropdown(options: Any, value: str, cls: str, **opts: Any) -> W.Dropdown:
    """A dropdown (options: see :func:`_input`)."""
    return _input(W.Dropdown, cls, _desc_style, options=options, value=value, **opts)


def _card(title: str, hint: str, children: Sequence[W.Widget], cls: str) -> W.VBox:
    head = _html(
        f"<div class='ilc-pm-h'>{esc(title)}</div><div class='ilc-pm-hint'>{esc(hint)}</div>"
    )
    box = W.VBox([head, *children], layout=_lay(width="100%"))
    box.add_class("ilc-pm-card")
    box.add_class(cls)
    return box


def _row_buttons(
    index: int, total: int, what: str, *, move: bool = True
) -> tuple[W.Button, W.Button, W.Button]:
    """Up, down and remove buttons for row ``index`` of ``total`` (``what``: "this step");
    the first row cannot move up, the last not down."""
    up = _small_button("↑", f"Move {what} up" if move else "Move up", "ilc-pm-up")
    down = _small_button("↓", f"Move {what} down" if move else "Move down", "ilc-pm-down")
    remove = _small_button("✕", f"Remove {what}", "ilc-pm-remove")
    up.disabled = index == 0
    down.disabled = index == total - 1
    return up, down, remove


def _adder(label: str, cls: str, on_add: Callable[[], None]) -> W.Button:
    """A dashed "+ Add …" button under a list."""
    widget = _button(label, cls)
    widget.add_class("ilc-pm-add")
    widget.on_click(lambda _: on_add())
    return widget


def _list_card(title: str, hint: str, box: W.Box, add: W.Button, cls: str) -> W.VBox:
    """A card holding a list (``box``) and its add button."""
    return _card(title, hint, [box, W.HBox([add], layout=_lay())], cls)


def _walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def _set_value(widget: W.Widget, value: Any) -> None:
    if widget.value != value:
        widget.value = value


def close_all(widget: W.Widget) -> None:
    """Close ``widget`` and everything inside it (their models leave the page)."""
    for w in _walk(widget):
        with contextlib.suppress(Exception):
            w.close()
