"""The repeating rows of the form: a ranked priority, a theory-of-action step, an indicator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from ...format import as_date, input_number
from ...vocab import CADENCES, EVIDENCE_TYPES, TOA_LEVELS
from .parts import (
    _desc_style,
    _dropdown,
    _html,
    _lay,
    _row_buttons,
    _small_button,
    _text,
    _textarea,
)

if TYPE_CHECKING:
    from ...placemat import Indicator, TheoryStep


class _PriorityRow(W.HBox):  # type: ignore[misc]
    """One ranked priority: rank, text, up, down, remove."""

    def __init__(self, index: int, text: str, total: int) -> None:
        self.index = index
        self.text = _text(
            text,
            "A priority the group will work on",
            "ilc-pm-priority",
            label=f"Priority {index + 1}",
            label_width="6.5em",
            flex="1 1 0%",
        )
        self.up, self.down, self.remove = _row_buttons(index, total, "priority")
        super().__init__(
            [self.text, self.up, self.down, self.remove],
            layout=_lay(width="100%", align_items="center"),
        )
        self.add_class("ilc-pm-priority-row")


class _StepRow(W.VBox):  # type: ignore[misc]
    """One if/then step of the theory of action."""

    def __init__(self, step: TheoryStep, index: int, total: int) -> None:
        self.step_id = step.id
        self.level = _dropdown(
            [(v, k) for k, v in TOA_LEVELS.items()],
            step.level if step.level in TOA_LEVELS else "leader_actions",
            "ilc-pm-step-level",
            label=f"Step {index + 1}",
            width="17em",
            label_width="4em",
        )
        self.up, self.down, self.remove = _row_buttons(index, total, "step")
        self.if_text = _textarea(
            step.if_text,
            "we (leaders) …",
            3,
            "ilc-pm-step-if",
            label="If",
            width="50%",
            label_width="2.2em",
        )
        self.then_text = _textarea(
            step.then_text,
            "… will …",
            3,
            "ilc-pm-step-then",
            label="then",
            width="50%",
            label_width="3em",
        )
        buttons = W.HBox([self.up, self.down, self.remove], layout=_lay())
        buttons.add_class("ilc-pm-step-buttons")
        head = W.HBox(
            [self.level, buttons],
            layout=_lay(width="100%", align_items="center", justify_content="space-between"),
        )
        head.add_class("ilc-pm-step-head")
        body = W.HBox([self.if_text, self.then_text], layout=_lay(width="100%"))
        body.add_class("ilc-pm-step-body")
        super().__init__([head, body], layout=_lay(width="100%"))
        self.add_class("ilc-pm-step")


class _IndicatorCard(W.VBox):  # type: ignore[misc]
    """One leading or lagging indicator (``index``: its place in its list, naming its remove
    button)."""

    def __init__(self, ind: Indicator, index: int = 0) -> None:
        self.ind_id = ind.id
        self.name = _text(
            ind.name,
            "e.g. Walkthroughs with all look-fors",
            "ilc-pm-ind-name",
            label="Name",
            label_width="6.5em",
            flex="1 1 auto",
        )
        kind = "lagging" if ind.kind == "lagging" else "leading"
        self.remove = _small_button(f"Remove {kind} indicator {index + 1}", "ilc-pm-remove")
        self.measure = _textarea(
            ind.measure,
            "What exactly is measured, of whom",
            2,
            "ilc-pm-ind-measure",
            label="Measure",
        )
        self.evidence_type = _dropdown(
            [(v, k) for k, v in EVIDENCE_TYPES.items()],
            ind.evidence_type if ind.evidence_type in EVIDENCE_TYPES else "student_learning",
            "ilc-pm-ind-type",
            label="Evidence",
        )
        self.baseline = _text(
            input_number(ind.baseline),
            "now",
            "ilc-pm-ind-baseline",
            label="Baseline",
            width="11em",
            label_width="6.5em",
        )
        self.target = _text(
            input_number(ind.target), "goal", "ilc-pm-ind-target", label="Target", width="7.2em"
        )
        self.unit = _text(ind.unit, "%", "ilc-pm-ind-unit", label="Unit", width="6.2em")
        self.target_date = W.DatePicker(
            value=as_date(ind.target_date),
            description="Target date",
            layout=_lay(width="17em"),
            style=_desc_style("6.5em"),
        )
        self.target_date.add_class("ilc-pm-ind-date")
        self.cadence = _dropdown(
            [(v, k) for k, v in CADENCES.items()],
            ind.cadence if ind.cadence in CADENCES else "monthly",
            "ilc-pm-ind-cadence",
            label="How often",
            width="17em",
        )
        self.warning = _html("", "ilc-pm-warn")
        wrap = _lay(width="100%", flex_flow="row wrap")
        super().__init__(
            [
                W.HBox([self.name, self.remove], layout=_lay(width="100%")),
                self.measure,
                self.evidence_type,
                W.HBox([self.baseline, self.target, self.unit], layout=wrap),
                W.HBox([self.target_date, self.cadence], layout=wrap),
                self.warning,
            ],
            layout=_lay(width="100%"),
        )
        self.add_class("ilc-pm-ind")
        self.add_class("ilc-pm-indicator")
