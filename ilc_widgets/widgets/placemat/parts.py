"""The placemat's look: its stylesheet (sent once per page) and the small widget makers
every part of the editor uses (cards, labelled text areas, buttons, dropdowns)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Final, TypeVar

import ipywidgets as W
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from .._base import esc
from .._kit.autosave import Debouncer
from .._kit.controls import field
from .._kit.styles import register_stylesheet, shared

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

WidgetT = TypeVar("WidgetT", bound=W.Widget)

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
.ilc-pm .ilc-pm-stacked { flex-wrap: wrap; height: auto; }
.ilc-pm .ilc-pm-stacked > .widget-label { flex: 0 0 100%; width: 100% !important;
  max-width: none; text-align: left; font-size: .85em; font-weight: 600; color: #32383f;
  line-height: 1.2; margin: 2px 0; height: auto; }
.ilc-pm .ilc-pm-stacked > textarea, .ilc-pm .ilc-pm-stacked > input,
.ilc-pm .ilc-pm-stacked > select { flex: 1 1 100%; width: 100%; }
.ilc-pm .ilc-pm-quiet-label > .widget-label { position: absolute !important;
  width: 1px !important; height: 1px !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; white-space: nowrap !important; margin: 0 !important;
  padding: 0 !important; flex: 0 0 auto !important; }
.ilc-pm .ilc-pm-priority-row > .ilc-pm-priority { min-width: 0; flex: 1 1 0%; }
.ilc-pm .ilc-pm-priority-row > button, .ilc-pm .ilc-pm-step-buttons > button {
  flex: 0 0 auto; }
.ilc-pm button.ilc-pm-icon { font-size: 0; }
.ilc-pm button.ilc-pm-icon::before { font-size: var(--jp-widgets-font-size, 13px); }
.ilc-pm button.ilc-pm-up::before { content: "↑"; content: "↑" / ""; }
.ilc-pm button.ilc-pm-down::before { content: "↓"; content: "↓" / ""; }
.ilc-pm button.ilc-pm-remove::before { content: "✕"; content: "✕" / ""; }
@media (max-width: 900px) {
  .ilc-pm .ilc-pm-body { flex-wrap: wrap; }
  .ilc-pm .ilc-pm-body > .ilc-pm-form { width: 100% !important; flex: 1 1 100% !important; }
  .ilc-pm .ilc-pm-body > .ilc-pm-side { width: 100% !important; min-width: 0 !important;
    flex: 1 1 100% !important; position: static; max-height: none; align-self: stretch; }
}
@media (max-width: 600px) {
  /* a full-width field in a column keeps its own height (its flex basis is its width) */
  .ilc-pm .widget-vbox > .widget-inline-hbox { flex: 0 0 auto !important; }
  .ilc-pm .widget-vbox > .widget-box { flex-shrink: 0 !important; }
  .ilc-pm .ilc-pm-header { flex-wrap: wrap; }
  .ilc-pm .ilc-pm-header > .widget-box { align-items: flex-start !important; }
  .ilc-pm .ilc-pm-who { width: 100% !important; }
  .ilc-pm .ilc-pm-indrow { flex-wrap: wrap; }
  .ilc-pm .ilc-pm-indrow > .widget-box { width: 100% !important; flex: 1 1 100% !important;
    padding: 0 !important; }
  .ilc-pm .ilc-pm-step-body { flex-wrap: wrap; }
  .ilc-pm .ilc-pm-step-body > .widget-textarea { width: 100% !important;
    flex: 1 1 100% !important; }
  .ilc-pm .ilc-pm-step-head { flex-wrap: wrap; }
  .ilc-pm .ilc-pm-step-level { width: 100% !important; }
  .ilc-pm .ilc-pm-plan-grid { grid-template-columns: minmax(0, 1fr) !important; }
  .ilc-pm .ilc-pm-plan-grid .ilc-pm-gridhead { display: none; }
  .ilc-pm .ilc-pm-plan-grid .ilc-pm-plan-type { margin-top: .5em; }
  .ilc-pm .ilc-pm-plan-grid .ilc-pm-quiet-label > .widget-label { position: static !important;
    width: auto !important; height: auto !important; clip: auto !important;
    overflow: visible !important; white-space: normal !important; text-align: left;
    font-size: .85em; }
  .ilc-pm .ilc-pm-card { padding: 6px 8px 8px; }
  .ilc-pm .ilc-pm-export .widget-hbox { flex-wrap: wrap; }
}
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


def _stacked(label: str, widget: WidgetT, *, quiet: bool = False) -> WidgetT:
    """Label ``widget`` with ``label`` (its own ``<label>``, so its accessible name),
    shown above the field; ``quiet``: the label is read but not shown (a caption beside it
    says the same, e.g. a card title or a grid's column heads), except on a phone."""
    field(label, widget, label_width="auto")
    widget.add_class("ilc-pm-quiet-label" if quiet else "ilc-pm-stacked")
    return widget


FOCUS_DELAY: Final = 0.4
"""Seconds to wait before focusing a field just added (its view must be on the page)."""


def focus_soon(widget: W.Widget) -> None:
    """Move the keyboard focus to ``widget`` once the page shows it (a field just added:
    the browser draws it after this call returns)."""
    Debouncer(lambda: widget.focus() if getattr(widget, "comm", None) else None, FOCUS_DELAY)()


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


def _small_button(name: str, cls: str) -> W.Button:
    """A small button showing one glyph (``cls`` picks it: ilc-pm-up, -down, -remove) and
    named in words with its row ("Move priority 2 down"): the words are its text, hidden by
    the stylesheet, and its tooltip."""
    widget = W.Button(
        description=name, tooltip=name, layout=_lay(width="2.6em"), style=shared(W.ButtonStyle)
    )
    widget.add_class(cls)
    widget.add_class("ilc-pm-icon")
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


def _row_buttons(index: int, total: int, what: str) -> tuple[W.Button, W.Button, W.Button]:
    """Up, down and remove buttons for row ``index`` of ``total``, named with the row
    (``what`` "priority": "Move priority 2 down"); the first row cannot move up, the last
    not down."""
    row = f"{what} {index + 1}"
    up = _small_button(f"Move {row} up", "ilc-pm-up")
    down = _small_button(f"Move {row} down", "ilc-pm-down")
    remove = _small_button(f"Remove {row}", "ilc-pm-remove")
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
