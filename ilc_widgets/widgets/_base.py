"""Small pieces shared by the kit's widgets: escaping, the base stylesheet, tables, buttons.

The shared parts now live in :mod:`ilc_widgets.widgets._kit` (styles, notices, the event
loop, saving and polling); they are re-exported here so that the sections keep working
while they move to the kit one by one.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ._kit.autosave import Debouncer
from ._kit.loop import SHUTDOWN_GRACE, install_shutdown_grace, running_loop
from ._kit.notice import Notice
from ._kit.page import Poller
from ._kit.styles import BASE_CSS, shared, stylesheet

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "CSS",
    "SHUTDOWN_GRACE",
    "Debouncer",
    "Notice",
    "Poller",
    "button",
    "esc",
    "html_table",
    "install_shutdown_grace",
    "running_loop",
    "shared",
    "style",
]

esc = html.escape

CSS = BASE_CSS
"""The kit's base stylesheet (:data:`ilc_widgets.widgets._kit.styles.BASE_CSS`)."""


def style() -> W.HTML:
    """The kit's base stylesheet, as a widget to put once on a page (one per kernel)."""
    return stylesheet("base")


def html_table(
    rows: Iterable[Sequence[Any]],
    headers: Sequence[str],
    *,
    empty: str = "Nothing yet.",
    raw_columns: Iterable[int] = (),
) -> str:
    """An HTML table with every cell escaped (except the columns listed in ``raw_columns``)."""
    raw = set(raw_columns)
    body = []
    for row in rows:
        cells = "".join(
            f"<td>{cell if i in raw else esc('' if cell is None else str(cell))}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return f"<p class='muted'>{esc(empty)}</p>"
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    rows_html = "".join(body)
    return (
        f"<table class='ilc-table'><thead><tr>{head}</tr></thead><tbody>{rows_html}</tbody></table>"
    )


def button(description: str, *, style: str = "", icon: str = "", tooltip: str = "") -> W.Button:
    """A button with the kit's defaults."""
    return W.Button(
        description=description,
        button_style=style,
        icon=icon,
        tooltip=tooltip or description,
        layout=W.Layout(width="auto"),
    )
