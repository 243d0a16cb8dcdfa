"""The implementation log of workbook 04: dated actions the leaders took, each linked to a
step of the theory of action, shown as a timeline grouped by step (the grouping is
:func:`~.state.group_actions`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...errors import IlcError
from ...format import as_date, date_text
from ...vocab import TOA_LEVELS
from .._base import Notice, esc
from .._kit.controls import send_when_left
from . import state
from .section import (
    INVALID,
    LABEL_WIDTH,
    _Section,
    box,
    button,
    desc_style,
    html,
    labelled_row,
    layout,
    notice,
    set_options,
    text_style,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...placemat import TheoryStep

NO_STEPS = (
    "<p class='muted'>The placemat has no theory-of-action steps yet (workbook 3). "
    "Actions can still be logged, and linked to steps once there are some.</p>"
)


class _ActionRow(W.HBox):  # type: ignore[misc]
    """One logged action with its Remove button (click twice to remove)."""

    def __init__(self, owner: ImplementationLog, action: Mapping[str, Any]) -> None:
        self.owner = owner
        self.action_id = int(action["id"])
        day = as_date(action.get("date"))
        who = owner.who_label(action.get("entered_by"))
        self.text = html(
            "<div class='ilc-log-line'><span class='ilc-log-when'>"
            f"{esc(day.strftime('%b %d, %Y') if day else '')}</span><span>"
            f"{esc(state.text(action.get('action')))}"
            + (f" <span class='muted'>· {esc(who)}</span>" if who else "")
            + "</span></div>",
            flex="1 1 auto",
            width="auto",
        )
        # shown as "Remove" (the stylesheet), named with the action it removes
        self.which = f"the action of {date_text(day)}" if day else "this action"
        self.remove_button = button(
            f"Remove {self.which}", shape=layout(flex="0 0 auto", width="auto")
        )
        self.remove_button.add_class("ilc-log-remove")
        self.remove_button.add_class("ilc-ev-rowbtn")
        self.remove_button.on_click(
            lambda _b: owner._guard("Removing", self._click, owner.form_notice)
        )
        super().__init__([self.text, self.remove_button], layout=layout(align_items="center"))
        self.add_class("ilc-log-item")

    def close(self) -> None:
        """Close the row and its parts."""
        self.text.close()
        self.remove_button.close()
        super().close()

    def _click(self) -> None:
        if "ilc-log-confirm" not in self.remove_button._dom_classes:
            self.remove_button.description = f"Click again to remove {self.which}"
            self.remove_button.add_class("ilc-log-confirm")
            self.remove_button.button_style = "danger"
            return
        self.owner.remove(self.action_id)


class ImplementationLog(_Section):
    """Dated actions the leaders took, each linked to a step of the theory of action,
    shown as a timeline grouped by step."""

    form_notice: Notice

    value: T.List[dict[str, Any]] = T.List(
        help="The actions logged, oldest first: id, date, action, toa_step, entered_by"
    )
    title_text = "Implementation log"
    intro_text = (
        "Record what the leaders did, when, and which step of the theory of action it carries "
        "out. In the review (workbook 5) these actions sit beside the evidence, so the group "
        "can connect what it did with what changed."
    )

    def _build(self) -> W.Widget:
        self._signature: tuple[Any, ...] = ()
        self._steps: list[TheoryStep] = []
        self.date_input = W.DatePicker(
            style=desc_style(),
            value=dt.date.today(),
            layout=layout(width=f"calc({LABEL_WIDTH} + 12em)", max_width="100%"),
        )
        self.date_input.add_class("ilc-log-date")
        self.step_input = W.Dropdown(
            style=desc_style(),
            options=[("(not linked to a step)", "")],
            layout=layout(width="100%"),
        )
        self.step_input.add_class("ilc-log-step")
        self.action_input = W.Textarea(
            style=text_style(),
            placeholder="What did the leaders do? e.g. Ran look-for walkthroughs in every K-2 "
            "classroom and gave feedback the same day.",
            rows=3,
            layout=layout(width="100%"),
        )
        self.action_input.add_class("ilc-log-action")
        send_when_left(self.action_input)  # "Add action" never overtakes the last words
        self.add_button = button("Add action", kind="primary", icon="plus")
        self.add_button.add_class("ilc-log-add")
        self.add_button.on_click(lambda _b: self._guard("Saving", self.add, self.form_notice))
        self.form_notice = notice("ilc-log-notice")
        form = box(
            [
                html("<h3>New action</h3>"),
                labelled_row("Date", self.date_input, width="100%"),
                labelled_row("Step", self.step_input, "of the theory of action", width="100%"),
                labelled_row("What was done", self.action_input, width="100%"),
                box([self.add_button], vertical=False, margin="0 0 0 9.5em"),
                self.form_notice,
            ]
        )
        form.add_class("ilc-box")
        form.add_class("ilc-log-form")
        self.summary = html()
        self.summary.add_class("ilc-log-summary")
        self.timeline = W.VBox()
        self.timeline.add_class("ilc-log-timeline")
        return W.VBox([form, self.summary, self.timeline])

    def refresh(self) -> None:
        """Read the steps and the log again and redraw the timeline."""
        if not self.collective or not self.staged:  # read once the page shows the section
            return
        placemat = self.net.placemat(self.collective).placemat
        self._load_names()
        actions = state.action_records(self.net.action_list(self.collective))
        self._steps = [
            s for s in placemat.theory_of_action if s.if_text.strip() or s.then_text.strip()
        ]
        options = [("(not linked to a step)", "")] + [
            (f"{i}. {state.step_text(s, 55)}", s.id) for i, s in enumerate(self._steps, 1)
        ]
        set_options(self.step_input, state.unique_labels(options))
        self.value = actions
        signature = (
            tuple(tuple(a.values()) for a in actions),
            tuple((s.id, s.if_text, s.then_text, s.level) for s in self._steps),
            tuple(sorted(self._names.items())),
        )
        summary = esc(state.log_summary(actions, self._steps))
        self.summary.value = (
            f"<div class='ilc'><h3>Timeline by step</h3><span class='muted'>{summary}</span></div>"
        )
        if signature == self._signature:
            return
        self._signature = signature
        self._render(actions)

    def _build_rest(self) -> None:
        """The timeline is drawn by the refresh that follows."""
        self._signature = ()

    def _render(self, actions: list[dict[str, Any]]) -> None:
        old = list(self.timeline.children)
        children: list[W.Widget] = [] if self._steps else [html(NO_STEPS)]
        for group in state.group_actions(actions, self._steps):
            count = len(group.actions)
            if group.step is not None:
                level = TOA_LEVELS.get(group.step.level, group.step.level)
                children.append(
                    html(
                        "<div class='ilc-log-group'><span class='pill'>"
                        f"Step {group.number} · {esc(level)}</span>"
                        f" {esc(state.step_text(group.step, 200))} <span class='muted'>({count} "
                        f"action{'s' if count != 1 else ''})</span></div>"
                    )
                )
                if not count:
                    children.append(
                        html(
                            "<div class='ilc-log-item muted'>No actions logged for this step "
                            "yet.</div>"
                        )
                    )
            else:
                title = (
                    "Linked to a step no longer in the theory of action"
                    if group.orphans
                    else "Not linked to a step"
                )
                children.append(
                    html(
                        "<div class='ilc-log-group' style='border-left-color:#8c959f'>"
                        f"{esc(title)}</div>"
                    )
                )
            children += [_ActionRow(self, a) for a in group.actions]
        self.timeline.children = children
        for widget in old:
            widget.close()

    def add(self) -> None:
        """Log the action in the form."""
        self.form_notice.clear()
        for widget in (self.date_input, self.action_input):
            widget.remove_class(INVALID)
        if self.date_input.value is None:
            self._invalid(self.date_input)
            raise IlcError("Pick the date of the action.")
        text = self.action_input.value.strip()
        if not text:
            self._invalid(self.action_input)
            raise IlcError("Describe the action that was taken.")
        who = self.room.who or self.ctx.actor
        self.net.add_action(
            self.collective, self.date_input.value, text, self.step_input.value or "", actor=who
        )
        self.action_input.value = ""
        self.form_notice.show("Action added to the log.", "success")
        self.notice.clear()
        self._saved()

    @staticmethod
    def _invalid(widget: W.Widget) -> None:
        """Mark a field wrong (aria-invalid) and put the focus on it."""
        widget.add_class(INVALID)
        widget.focus()

    def remove(self, action_id: int) -> None:
        """Remove an action of this collective from the log."""
        self.net.delete_action(action_id, collective=self.collective, actor=self.ctx.actor)
        self.form_notice.show("Action removed from the log.", "info")
        self._saved()

    def _switched(self) -> None:
        self._signature = ()
        self.form_notice.clear()
