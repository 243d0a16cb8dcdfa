"""A section as static output, for runs with no browser (papermill, nbconvert, nbval).

Widgets need a front end to be drawn: a notebook executed by papermill keeps only their
model ids, so the saved file would show nothing. Under such a run every section is built
synchronously (see :func:`ilc_widgets.session.has_front_end`) and shown through
:class:`StaticView`: its HTML (text, tables and the values of fields as read-only text)
with every chart as its own ``image/svg+xml`` output, in page order. The saved notebook and
its ``nbconvert --to html`` export then read as a report offline.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING

import ipywidgets as W

from ._base import esc

if TYPE_CHECKING:
    from collections.abc import Iterator

_SVG = re.compile(r"<svg\b.*?</svg>", re.S | re.I)
_STYLE = re.compile(r"<style\b.*?</style>", re.S | re.I)
_XML_PROLOGUE = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>", re.S)
_SKIP = (W.Button, W.FileUpload, W.IntProgress, W.FloatProgress)


def _hidden(widget: W.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _field(description: str, value: str) -> str:
    label = f"<b>{esc(description)}</b> " if description else ""
    return f"<div class='ilc-static-field'>{label}{esc(value)}</div>"


def _output_html(output: W.Output) -> Iterator[str]:
    for item in output.outputs:
        data = item.get("data", {})
        if "image/svg+xml" in data:
            yield str(data["image/svg+xml"])
        elif "image/png" in data:
            yield f"<img alt='chart' src='data:image/png;base64,{data['image/png']}'>"
        elif "text/html" in data:
            yield str(data["text/html"])
        elif "text/plain" in data:
            yield f"<pre>{esc(str(data['text/plain']))}</pre>"
        elif item.get("output_type") == "stream":
            yield f"<pre>{esc(str(item.get('text', '')))}</pre>"


def to_html(widget: W.Widget) -> str:
    """The widget tree as HTML: what the page would show, with fields as plain text."""
    if _hidden(widget) or isinstance(widget, _SKIP):
        return ""
    if isinstance(widget, W.HTML | W.HTMLMath):
        return str(widget.value)
    if isinstance(widget, W.Label):
        return f"<div>{esc(str(widget.value))}</div>"
    if isinstance(widget, W.Output):
        return "".join(_output_html(widget))
    if isinstance(widget, W.Image):
        data = base64.b64encode(bytes(widget.value)).decode()
        return f"<img alt='chart' src='data:image/{widget.format};base64,{data}'>"
    if isinstance(widget, W.Accordion | W.Tab):
        parts = []
        for i, child in enumerate(widget.children):
            title = widget.get_title(i) if hasattr(widget, "get_title") else ""
            parts.append(f"<h3>{esc(title or '')}</h3>{to_html(child)}")
        return "".join(parts)
    if isinstance(widget, W.Box):
        inner = "".join(to_html(c) for c in widget.children)
        return f"<div>{inner}</div>" if inner else ""
    description = str(getattr(widget, "description", "") or "")
    if isinstance(widget, W.Checkbox | W.ToggleButton):
        return _field(description, "yes" if widget.value else "no")
    if isinstance(widget, W.SelectMultiple):
        return _field(description, ", ".join(str(x) for x in widget.label or ()))
    if hasattr(widget, "label") and isinstance(widget, W.widgets.widget_selection._Selection):
        return _field(description, str(widget.label or ""))
    value = getattr(widget, "value", None)
    if value is None or value == "":
        return _field(description, "") if description else ""
    return _field(description, str(value))


def split_charts(text: str) -> list[tuple[str, str]]:
    """``text`` as (mime type, data) parts: HTML runs and one SVG part per chart."""
    styles: set[str] = set()

    def once(match: re.Match[str]) -> str:  # each stylesheet once per section
        block = match.group(0)
        if block in styles:
            return ""
        styles.add(block)
        return block

    text = _STYLE.sub(once, text)
    parts: list[tuple[str, str]] = []
    at = 0
    for match in _SVG.finditer(text):
        before = text[at : match.start()]
        if before.strip():
            parts.append(("text/html", before))
        parts.append(("image/svg+xml", _XML_PROLOGUE.sub("", match.group(0))))
        at = match.end()
    rest = text[at:]
    if rest.strip():
        parts.append(("text/html", rest))
    return parts


class StaticView:
    """What a section shows when no browser will draw it: HTML and charts as outputs.

    ``widget`` is the section's widget (built, with every staged part drawn), for a
    researcher who wants its ``value``.
    """

    def __init__(self, widget: W.Widget) -> None:
        self.widget = widget

    def __repr__(self) -> str:
        return f"{type(self.widget).__name__}(static view)"

    @property
    def parts(self) -> list[tuple[str, str]]:
        """The outputs in page order: ``("text/html", ...)`` and ``("image/svg+xml", ...)``."""
        return split_charts(to_html(self.widget))

    def _ipython_display_(self) -> None:
        from IPython.display import display

        name = type(self.widget).__name__
        parts = self.parts or [("text/html", "")]
        for i, (mime, data) in enumerate(parts):
            plain = repr(self) if i == 0 else f"{name}: chart"
            display({mime: data, "text/plain": plain}, raw=True)  # type: ignore[no-untyped-call]

    def _repr_html_(self) -> str:
        return to_html(self.widget)
