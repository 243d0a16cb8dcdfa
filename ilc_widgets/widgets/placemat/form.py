"""The placemat form: the cards laid out like the placemat (problem of practice in the
centre, priorities, theory of action, leading and lagging indicators, evidence plan), the
check beside it, and the document it edits.

The form keeps the document and the widgets in step (a change typed goes into the document;
a document loaded is shown, touching only what differs) and says when a person changed
something through :meth:`PlacematForm._on_edit`; saving is the editor's
(:class:`~.editor.PlacematEditor`).
"""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, Any, Final, TypeVar

import ipywidgets as W
import traitlets as T

from ...format import as_date, input_number
from ...merge import clone
from ...placemat import Indicator, Placemat, TheoryStep, check_placemat
from ...vocab import CADENCES, EVIDENCE_TYPES
from .._base import Notice, esc
from .check import check_html
from .export import ExportCard
from .history import HistoryPanel
from .parts import (
    _adder,
    _card,
    _html,
    _lay,
    _list_card,
    _set_value,
    _stacked,
    _textarea,
    _walk,
    close_all,
    focus_soon,
)
from .rows import _IndicatorCard, _PriorityRow, _StepRow
from .state import next_step_level, number_warning, parse_number, swap

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from ...network import Network

__all__ = ["PlacematForm"]


LISTS: Final = (
    (
        "priority",
        "Priorities",
        "Ranked: what the group works on first. Use the arrows to reorder.",
        "+ Add a priority",
        "ilc-pm-priorities",
    ),
    (
        "step",
        "Theory of action",
        "A chain of if/then steps from leader actions to adult practice to student outcomes. "
        "The last step should say what changes for students.",
        "+ Add an if/then step",
        "ilc-pm-toa",
    ),
    (
        "leading",
        "Leading indicators",
        "Timely and actionable: walkthroughs, formative results, this month's attendance.",
        "+ Add a leading indicator",
        "ilc-pm-leading",
    ),
    (
        "lagging",
        "Lagging indicators",
        "Summative: state tests, graduation rate, end-of-year chronic absenteeism.",
        "+ Add a lagging indicator",
        "ilc-pm-lagging",
    ),
)
"""The form's lists: key, card title, hint, add button label, card class."""

PLAN_COLUMNS: Final = {
    "what": "what will be collected",
    "who": "by whom",
    "when": "when",
}
"""The evidence plan's columns, as each field's label ends ("Perceptions: by whom")."""

INVALID: Final = "ilc-invalid"
"""The class the page template turns into aria-invalid on a field's input."""


ItemT = TypeVar("ItemT", TheoryStep, Indicator)


def _by_id(items: Sequence[ItemT], item_id: str) -> ItemT | None:
    """The step or indicator with this id (None once someone removed it)."""
    return next((item for item in items if item.id == item_id), None)


class PlacematForm(W.VBox):  # type: ignore[misc]
    """The placemat of one collective as a form; subclasses save what people change."""

    value = T.Dict(help="The placemat document being edited (as stored)")

    def __init__(
        self,
        network: Network,
        code: str,
        doc: Placemat,
        *,
        participant: bool = False,
        **kwargs: Any,
    ) -> None:
        self.network = network
        self.code = code
        self.collective = network.collective(code)
        self._doc = clone(doc)
        self._loading = False
        self._syncing = False
        self._locked = False

        self.notice = Notice()
        # the save status is a live region too: "Saved …" is read out when typing pauses
        self.status = Notice(layout=_lay(margin="0"))
        self.status.add_class("ilc-pm-status")
        members = network.member_records(code) if participant else []
        self.members = [str(m["name"]) for m in members]
        self.who = W.Dropdown(
            options=[("(choose your name)", "")] + [(m, m) for m in self.members],
            value="",
            description="I am",
            layout=W.Layout(width="22em", display="" if participant and members else "none"),
            style={"description_width": "3em"},
        )
        self.who.add_class("ilc-pm-who")
        head = _html(
            "<div class='ilc'><div class='muted'>Collaborative Inquiry Placemat</div>"
            f"<h2 class='ilc-collective-name'>{esc(self.collective.name)}</h2>"
            + (
                f"<div class='muted'>{esc(self.collective.theme)}</div>"
                if self.collective.theme
                else ""
            )
            + "</div>"
        )
        header = W.HBox(
            [head, W.VBox([self.who, self.status], layout=W.Layout(align_items="flex-end"))],
            layout=W.Layout(width="100%", justify_content="space-between", align_items="flex-end"),
        )
        header.add_class("ilc-pm-header")
        self.conflict_box = W.VBox(layout=W.Layout(width="100%"))

        # problem of practice (the centre of the placemat)
        self.problem = _textarea(
            "",
            "What is happening, for whom, that the adults in our schools can change? "
            "e.g. “Only 41% of our K-2 students reach benchmark …”",
            4,
            "ilc-pm-problem",
        )
        self.surfacing = _textarea(
            "",
            "The data that showed it: results, walkthroughs, surveys, rosters …",
            3,
            "ilc-pm-surfacing",
        )
        self._bind(self.problem, lambda v: setattr(self._doc, "problem_of_practice", v))
        self._bind(self.surfacing, lambda v: setattr(self._doc, "surfacing_data", v))
        problem_card = _card(
            "Problem of practice",
            "The centre of the placemat: a problem within the group's influence that you "
            "can observe.",
            [
                _stacked("Problem of practice", self.problem, quiet=True),  # the card's title
                _stacked("What data surfaced it", self.surfacing),
            ],
            "ilc-pm-centre",
        )

        # the lists: priorities, theory of action, leading and lagging indicators
        self.priority_rows: list[_PriorityRow] = []
        self.step_rows: list[_StepRow] = []
        self.indicator_cards: dict[str, list[_IndicatorCard]] = {"leading": [], "lagging": []}
        on_add: dict[str, Callable[[], None]] = {
            "priority": self._add_priority,
            "step": self._add_step,
            "leading": functools.partial(self._add_indicator, "leading"),
            "lagging": functools.partial(self._add_indicator, "lagging"),
        }
        boxes: dict[str, W.VBox] = {}
        adds: dict[str, W.Button] = {}
        list_cards: dict[str, W.VBox] = {}
        for key, title, hint, add_label, cls in LISTS:
            boxes[key] = W.VBox(layout=_lay(width="100%"))
            adds[key] = _adder(add_label, f"ilc-pm-add-{key}", on_add[key])
            list_cards[key] = _list_card(title, hint, boxes[key], adds[key], cls)
        self.priority_box, self.step_box = boxes["priority"], boxes["step"]
        self.add_priority, self.add_step = adds["priority"], adds["step"]
        self.indicator_boxes = {k: boxes[k] for k in ("leading", "lagging")}
        self.add_indicator = {k: adds[k] for k in ("leading", "lagging")}
        priorities_card, toa_card = list_cards["priority"], list_cards["step"]
        cards = [list_cards["leading"], list_cards["lagging"]]
        indicators_row = W.HBox(
            [
                W.Box([cards[0]], layout=W.Layout(width="50%", padding="0 4px 0 0")),
                W.Box([cards[1]], layout=W.Layout(width="50%", padding="0 0 0 4px")),
            ],
            layout=_lay(width="100%"),
        )
        indicators_row.add_class("ilc-pm-indrow")

        # evidence plan
        self.plan_widgets: dict[str, dict[str, W.Widget]] = {}
        grid: list[W.Widget] = [
            _html(f"<div class='ilc-pm-gridhead'>{h}</div>")
            for h in ("Evidence type", "What will be collected", "By whom", "When")
        ]
        for key, type_label in EVIDENCE_TYPES.items():
            what = _textarea(
                "", "What you will collect", 2, f"ilc-pm-plan-{key}-what", width="auto"
            )
            who = _textarea("", "Who collects it", 2, f"ilc-pm-plan-{key}-who", width="auto")
            when = _textarea("", "When or how often", 2, f"ilc-pm-plan-{key}-when", width="auto")
            for name, widget in (("what", what), ("who", who), ("when", when)):
                self._bind(widget, self._plan_setter(key, name))
                # the row and column heads are the caption; the label says both
                _stacked(f"{type_label}: {PLAN_COLUMNS[name]}", widget, quiet=True)
            self.plan_widgets[key] = {"what": what, "who": who, "when": when}
            grid += [_html(f"<b>{esc(type_label)}</b>", "ilc-pm-plan-type"), what, who, when]
        plan_grid = W.GridBox(
            grid,
            layout=W.Layout(
                width="100%",
                grid_template_columns="9.5em minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr)",
                grid_gap="4px 8px",
                align_items="flex-start",
            ),
        )
        plan_grid.add_class("ilc-pm-plan-grid")
        plan_card = _card(
            "Evidence plan",
            "Bernhardt's four types of evidence: plan at least three. What will be "
            "collected, by whom, when.",
            [plan_grid],
            "ilc-pm-plan",
        )

        # export and history
        self.exporter = ExportCard(self._export_source, self.notice)
        self.html_button = self.exporter.html_button
        self.pdf_button = self.exporter.pdf_button
        self.download = self.exporter.download
        export_card = self.exporter.card
        self.history = HistoryPanel(network, self.collective, on_restore=self.restore_selected)
        self.history_list = self.history.history_list
        self.view_button = self.history.view_button
        self.restore_button = self.history.restore_button
        self.history_view = self.history.history_view

        self.form = W.VBox(
            [
                problem_card,
                priorities_card,
                toa_card,
                indicators_row,
                plan_card,
                export_card,
                self.history,
            ],
            layout=W.Layout(flex="1 1 auto", min_width="0", width="auto"),
        )
        self.form.add_class("ilc-pm-form")
        self.check = _html("", "ilc-pm-check-html")
        self.alert_bar = _html("", "ilc-pm-alert-bar")
        side = W.VBox([self.check], layout=W.Layout(width="300px", min_width="260px"))
        side.add_class("ilc-pm-side")
        side.add_class("ilc-pm-card")
        body = W.HBox([self.form, side], layout=W.Layout(width="100%", grid_gap="12px"))
        body.add_class("ilc-pm-body")

        super().__init__(
            [header, self.alert_bar, self.notice, self.conflict_box, body],
            layout=_lay(width="100%"),
            **kwargs,
        )
        self.observe(self._on_value_set, "value")

    # ------------------------------------------------------------------ for the editor

    def _on_edit(self) -> None:
        """A person changed the document (already in ``self._doc``): save it."""
        raise NotImplementedError

    def _export_source(self) -> tuple[Placemat, dict[str, Any], str]:
        """The placemat to print, the export options and the file stem."""
        raise NotImplementedError

    def restore_selected(self) -> None:
        """Make the version chosen in the history the newest one."""
        raise NotImplementedError

    @property
    def placemat(self) -> Placemat:
        """A copy of the placemat as the form shows it."""
        return clone(self._doc)

    # ------------------------------------------------------------------ binding

    def _bind(self, widget: W.Widget, setter: Callable[[Any], None]) -> None:
        def changed(change: dict[str, Any]) -> None:
            if self._loading:
                return
            setter(change["new"])
            self._changed()

        widget.observe(changed, "value")

    def _plan_setter(self, key: str, name: str) -> Callable[[Any], None]:
        return lambda v: setattr(self._doc.evidence_plan[key], name, v)

    def _changed(self) -> None:
        """A person changed something: refresh the check, then let the editor save."""
        self._refresh_check()
        self._sync_value()
        self._on_edit()

    def _on_value_set(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self._doc.to_dict():
            return
        self._doc = Placemat.from_dict(change["new"])
        self._show_doc()
        self._changed()

    def _sync_value(self) -> None:
        self._syncing = True
        try:
            self.value = self._doc.to_dict()
        finally:
            self._syncing = False

    def _refresh_check(self) -> None:
        self.check.value = check_html(check_placemat(self._doc))

    # ------------------------------------------------------------------ showing the document

    def _show_doc(self) -> None:
        """Put the document into the form, touching only what differs."""
        self._loading = True
        try:
            _set_value(self.problem, self._doc.problem_of_practice)
            _set_value(self.surfacing, self._doc.surfacing_data)
            if len(self.priority_rows) == len(self._doc.priorities):
                for row, text in zip(self.priority_rows, self._doc.priorities, strict=True):
                    _set_value(row.text, text)
            else:
                self._render_priorities()
            if [r.step_id for r in self.step_rows] == [s.id for s in self._doc.theory_of_action]:
                for row, step in zip(self.step_rows, self._doc.theory_of_action, strict=True):
                    _set_value(row.level, step.level)
                    _set_value(row.if_text, step.if_text)
                    _set_value(row.then_text, step.then_text)
            else:
                self._render_steps()
            for kind in ("leading", "lagging"):
                items = [i for i in self._doc.indicators if i.kind == kind]
                cards = self.indicator_cards[kind]
                if [c.ind_id for c in cards] == [i.id for i in items]:
                    for card, ind in zip(cards, items, strict=True):
                        self._fill_indicator(card, ind)
                else:
                    self._render_indicators(kind)
            for key, widgets in self.plan_widgets.items():
                item = self._doc.evidence_plan[key]
                for name, widget in widgets.items():
                    _set_value(widget, getattr(item, name))
        finally:
            self._loading = False
        self._refresh_check()
        self._sync_value()

    def _fill_indicator(self, card: _IndicatorCard, ind: Indicator) -> None:
        _set_value(card.name, ind.name)
        _set_value(card.measure, ind.measure)
        _set_value(card.evidence_type, ind.evidence_type)
        _set_value(card.cadence, ind.cadence if ind.cadence in CADENCES else "monthly")
        _set_value(card.unit, ind.unit)
        _set_value(card.target_date, as_date(ind.target_date))
        for widget, value in ((card.baseline, ind.baseline), (card.target, ind.target)):
            try:
                shown = parse_number(widget.value)
            except ValueError:
                shown = None
            if shown != value:
                widget.value = input_number(value)
            widget.remove_class(INVALID)
        card.warning.value = ""

    @contextlib.contextmanager
    def _quiet(self) -> Iterator[None]:
        """Fill widgets without taking it for a person's change."""
        loading, self._loading = self._loading, True
        try:
            yield
        finally:
            self._loading = loading

    def _replace(self, box: W.Box, rows: Sequence[W.Widget]) -> None:
        """Show ``rows`` in ``box`` (locked like the rest of the form), closing the old ones."""
        old = list(box.children)
        box.children = tuple(rows)
        for widget in old:
            close_all(widget)
        if self._locked:
            self._apply_lock()

    def _render_priorities(self) -> None:
        with self._quiet():
            total = len(self._doc.priorities)
            rows = []
            for i, text in enumerate(self._doc.priorities):
                row = _PriorityRow(i, text, total)
                self._bind(row.text, self._priority_setter(i))
                row.up.on_click(lambda _, i=i: self.move_priority(i, -1))
                row.down.on_click(lambda _, i=i: self.move_priority(i, 1))
                row.remove.on_click(lambda _, i=i: self.remove_priority(i))
                rows.append(row)
            self.priority_rows = rows
            self._replace(self.priority_box, rows)

    def _priority_setter(self, index: int) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            if index < len(self._doc.priorities):
                self._doc.priorities[index] = str(value)

        return setter

    def _render_steps(self) -> None:
        with self._quiet():
            steps = self._doc.theory_of_action
            rows: list[_StepRow] = []
            children: list[W.Widget] = []
            for i, step in enumerate(steps):
                row = _StepRow(step, i, len(steps))
                sid = step.id
                self._bind(row.level, self._step_setter(sid, "level"))
                self._bind(row.if_text, self._step_setter(sid, "if_text"))
                self._bind(row.then_text, self._step_setter(sid, "then_text"))
                row.up.on_click(lambda _, sid=sid: self.move_step(sid, -1))
                row.down.on_click(lambda _, sid=sid: self.move_step(sid, 1))
                row.remove.on_click(lambda _, sid=sid: self.remove_step(sid))
                if i:
                    children.append(_html("<div class='ilc-pm-arrow'>↓</div>"))
                rows.append(row)
                children.append(row)
            self.step_rows = rows
            self._replace(self.step_box, children)

    def _step_setter(self, step_id: str, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            step = _by_id(self._doc.theory_of_action, step_id)
            if step is not None:
                setattr(step, name, value)

        return setter

    def _render_indicators(self, kind: str) -> None:
        with self._quiet():
            cards = []
            for n, ind in enumerate(i for i in self._doc.indicators if i.kind == kind):
                card = _IndicatorCard(ind, n)
                iid = ind.id
                for name in ("name", "measure", "evidence_type", "cadence", "unit"):
                    self._bind(getattr(card, name), self._indicator_setter(iid, name))
                self._bind(
                    card.target_date,
                    self._indicator_setter(
                        iid, "target_date", lambda d: d.isoformat() if d else None
                    ),
                )
                for name in ("baseline", "target"):
                    self._bind(getattr(card, name), self._number_setter(card, iid, name))
                card.remove.on_click(lambda _, iid=iid: self.remove_indicator(iid))
                cards.append(card)
            self.indicator_cards[kind] = cards
            self._replace(self.indicator_boxes[kind], cards)

    def _indicator_setter(
        self, ind_id: str, name: str, convert: Callable[[Any], Any] | None = None
    ) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            ind = _by_id(self._doc.indicators, ind_id)
            if ind is not None:
                setattr(ind, name, convert(value) if convert else value)

        return setter

    def _number_setter(self, card: _IndicatorCard, ind_id: str, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            ind = _by_id(self._doc.indicators, ind_id)
            if ind is None:
                return
            field = getattr(card, name)
            try:
                setattr(ind, name, parse_number(str(value)))
                card.warning.value = ""
                field.remove_class(INVALID)
            except ValueError:
                card.warning.value = f"<span class='ilc-pm-warn'>{esc(number_warning(name))}</span>"
                field.add_class(INVALID)

        return setter

    # ------------------------------------------------------------------ list edits

    def _structural(self) -> None:
        """After adding, removing or reordering: redraw lists, then save."""
        self._render_priorities()
        self._render_steps()
        self._render_indicators("leading")
        self._render_indicators("lagging")
        self._changed()

    def _add_priority(self) -> None:
        self._doc.priorities.append("")
        self._structural()
        focus_soon(self.priority_rows[-1].text)

    def move_priority(self, index: int, delta: int) -> None:
        """Move a priority up (-1) or down (+1) in the ranking."""
        if swap(self._doc.priorities, index, delta):
            self._structural()

    def remove_priority(self, index: int) -> None:
        """Remove one priority."""
        if 0 <= index < len(self._doc.priorities):
            del self._doc.priorities[index]
            self._structural()

    def _add_step(self) -> None:
        steps = self._doc.theory_of_action
        steps.append(TheoryStep(level=next_step_level(steps)))
        self._structural()
        focus_soon(self.step_rows[-1].level)

    def move_step(self, step_id: str, delta: int) -> None:
        """Move a theory-of-action step up (-1) or down (+1); its id stays the same."""
        steps = self._doc.theory_of_action
        i = next((n for n, s in enumerate(steps) if s.id == step_id), None)
        if i is not None and swap(steps, i, delta):
            self._structural()

    def remove_step(self, step_id: str) -> None:
        """Remove a theory-of-action step."""
        self._doc.theory_of_action = [s for s in self._doc.theory_of_action if s.id != step_id]
        self._structural()

    def _add_indicator(self, kind: str) -> None:
        self._doc.indicators.append(Indicator(kind=kind))
        self._structural()
        focus_soon(self.indicator_cards[kind][-1].name)

    def remove_indicator(self, ind_id: str) -> None:
        """Remove an indicator."""
        self._doc.indicators = [i for i in self._doc.indicators if i.id != ind_id]
        self._structural()

    # ------------------------------------------------------------------ locking

    def _apply_lock(self) -> None:
        """Disable every field while locked (a clash waits for a person); re-enable them,
        with the ends of each list unable to move further, when not."""
        for widget in _walk(self.form):
            if hasattr(widget, "disabled"):
                widget.disabled = self._locked
        if not self._locked:
            groups: list[Sequence[_PriorityRow | _StepRow]] = [self.priority_rows, self.step_rows]
            for group in groups:
                for i, row in enumerate(group):
                    row.up.disabled = i == 0
                    row.down.disabled = i == len(group) - 1
