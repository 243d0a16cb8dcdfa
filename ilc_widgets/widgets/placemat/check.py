"""The completeness and quality check beside the form: a bar, a small map of the placemat
marking each section done or with what is left, what to do next and what is done.

Plain HTML built from :func:`ilc_widgets.placemat.check_placemat`'s results (no widgets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...format import DONE_MARK, TODO_MARK
from .._base import esc
from .state import CHECK_TITLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...placemat import Check

__all__ = ["check_html", "placemat_map"]

_MAP = (
    ("Priorities", "grid-area:1/1", ("Priorities",)),
    ("Theory of action", "grid-area:1/2/2/4", ("Theory of action",)),
    ("Leading indicators", "grid-area:2/1", ("Leading indicators", "Indicators")),
    ("Problem of practice", "grid-area:2/2", ("Problem of practice",)),
    ("Lagging indicators", "grid-area:2/3", ("Lagging indicators", "Indicators")),
    ("Evidence plan", "grid-area:3/1/4/4", ("Evidence plan",)),
)


def placemat_map(checks: Sequence[Check]) -> str:
    """A small map of the placemat: each section marked done or with what is left."""
    cells = []
    for title, area, sections in _MAP:
        todo = sum(1 for c in checks if c.section in sections and not c.ok)
        mark = DONE_MARK if not todo else f"{TODO_MARK} {todo} to do"
        cls = ("pop " if title == "Problem of practice" else "") + ("todo" if todo else "done")
        cells.append(f"<div class='{cls}' style='{area}'>{esc(title)}<br>{mark}</div>")
    return (
        "<div class='ilc-pm-map' role='group' aria-label='Placemat sections'>"
        f"{''.join(cells)}</div>"
    )


def check_html(checks: Sequence[Check]) -> str:
    """The completeness and quality check as HTML: a bar, what is done, what to do next."""
    done = sum(c.ok for c in checks)
    total = len(checks) or 1
    pct = round(100 * done / total)
    todo = [c for c in checks if not c.ok]
    ok = [c for c in checks if c.ok]
    items = "".join(
        f"<li class='ilc-pm-todo'><span class='mark'>{TODO_MARK}</span><b>{esc(c.section)}:</b> "
        f"{esc(c.message)}</li>"
        for c in todo
    )
    passed = "".join(
        f"<li class='ilc-pm-done'><span class='mark'>{DONE_MARK}</span>"
        f"{esc(CHECK_TITLES.get(c.key, c.section))}</li>"
        for c in ok
    )
    next_steps = (
        f"<div class='ilc-pm-lbl'>Still to do ({len(todo)})</div><ul>{items}</ul>"
        if todo
        else "<p><b>Every check passes.</b> Read the placemat aloud together: does it still "
        "tell one story from leaders to students?</p>"
    )
    done_list = f"<div class='ilc-pm-lbl'>Done ({len(ok)})</div><ul>{passed}</ul>" if ok else ""
    return (
        "<div class='ilc ilc-pm-check'><div class='ilc-pm-h'>Placemat check</div>"
        f"<div class='ilc-pm-bar' role='progressbar' aria-label='Placemat complete' "
        f"aria-valuenow='{pct}' aria-valuemin='0' aria-valuemax='100' "
        f"aria-valuetext='{pct}% complete, {done} of {total} checks'>"
        f"<div style='width:{pct}%'></div></div>"
        f"<div class='ilc-pm-complete'><b>{pct}% complete</b> · {done} of {total} checks</div>"
        f"{placemat_map(checks)}{next_steps}{done_list}</div>"
    )
