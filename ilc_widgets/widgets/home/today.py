"""Today's step: the facilitator's control (00 through the facilitator link) and the card
that leads a collective's home page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...access import NOTEBOOKS
from .._base import esc
from .._kit.controls import field
from .._kit.notice import Notice, guarded
from .._kit.styles import shared
from . import state

if TYPE_CHECKING:
    from ...session import SessionContext


def today_card_html(ctx: SessionContext, notebook: str) -> str:
    """The large "Today" card: the step, one sentence, and a big link there that keeps
    the session's access."""
    title = NOTEBOOKS[notebook]
    return (
        "<section class='ilc-today' aria-labelledby='ilc-today-title'>"
        f"<h3 id='ilc-today-title'>Today: {esc(title)}</h3>"
        f"<p>{esc(state.STEP_SENTENCES.get(notebook, ''))}</p>"
        f"<a class='ilc-today-go' href='{esc(ctx.link(notebook))}' target='_self'>"
        f"Open {esc(title)}</a></section>"
    )


def steps_html(ctx: SessionContext, steps: list[state.Step]) -> str:
    """The list of workbooks: links styled as links, done steps as text, today marked."""
    items = []
    for step in steps:
        if step.done:
            items.append(
                "<li class='ilc-step-done'><span class='ilc-step-done-mark' aria-hidden='true'>"
                f"&#10003;</span>{esc(step.done)}</li>"
            )
            continue
        mark = "<span class='ilc-today-mark'>Today</span>" if step.today else ""
        extra = " ilc-step-today" if step.today else ""
        items.append(
            f"<li><a class='ilc-step-link{extra}' href='{esc(ctx.link(step.notebook))}' "
            f"target='_self'>{esc(step.title)}{mark}</a></li>"
        )
    return f"<ol class='ilc-steps ilc-phases'>{''.join(items)}</ol>"


class TodayControl(W.VBox):  # type: ignore[misc]
    """The facilitator sets the workbook one collective, or all, works in today."""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net = ctx.require_network()
        collectives = [(c.code, c.name) for c in self.net.collective_list()]
        self.names = dict(collectives)
        self.notebook = field(
            "Workbook",
            W.Dropdown(
                options=state.notebook_options(),
                value=state.TODAY_NOTEBOOKS[0],
                layout=shared(W.Layout, width="100%"),
            ),
            label_width="6em",
        )
        self.scope = field(
            "For",
            W.Dropdown(
                options=state.scope_options(collectives),
                value=state.ALL_COLLECTIVES,
                layout=shared(W.Layout, width="100%"),
            ),
            label_width="6em",
        )
        self.set_button = W.Button(
            description="Set today's step",
            button_style="primary",
            tooltip="Set the step for the chosen collectives",
        )
        self.set_button.on_click(self.set_today)
        self.current = W.HTML()
        self.notice = Notice()  # the section's live region (ilc-live, from the kit)
        intro = W.HTML(
            "<div class='ilc'><h3>Today's step</h3><p>Each collective's home page leads with "
            "the workbook set here. A collective's own step wins over the one for all.</p></div>"
        )
        self._show_current()
        super().__init__(
            [intro, self.notebook, self.scope, self.set_button, self.notice, self.current],
            **{"layout": shared(W.Layout, max_width="40em"), **kwargs},
        )
        self.add_class("ilc-home-today-control")

    def _show_current(self) -> None:
        lines = state.today_summary(state.steps_from_settings(self.net.settings), self.names)
        if lines:
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            self.current.value = f"<div class='ilc'><p>Set now:</p><ul>{items}</ul></div>"
        else:
            self.current.value = "<div class='ilc'><p class='muted'>No step is set.</p></div>"

    @guarded("Setting today's step")
    def set_today(self, _button: W.Button | None = None) -> None:
        """Save the chosen step for the chosen collectives and say what was set."""
        notebook, scope = str(self.notebook.value or ""), str(self.scope.value)
        self.net.set_today(notebook, scope, actor=self.ctx.actor)
        who = state.ALL_LABEL if scope == state.ALL_COLLECTIVES else self.names.get(scope, scope)
        if notebook:
            self.notice.show(f"Today for {who}: {NOTEBOOKS[notebook]}.", "success")
        else:
            self.notice.show(f"Cleared today's step for {who}.", "success")
        self._show_current()
