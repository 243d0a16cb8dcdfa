"""The evidence logger of workbook 04: the entry form, editing with a version check,
delete / restore / undo, the import panel and the facilitator's projector view (the table
of entries is :mod:`.table`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as W
import traitlets as T

from ...errors import ConflictError, IlcError, ImportValidationError
from ...format import as_date, input_number
from ...vocab import EVIDENCE_TYPES
from .._base import Notice, esc
from .._kit.controls import send_when_left
from . import state
from .editing import _EditableEntries
from .importer import _ImportPanel
from .projector import projector_html
from .section import (
    INVALID,
    LABEL_WIDTH,
    box,
    button,
    desc_style,
    html,
    labelled,
    labelled_row,
    layout,
    notice,
    set_options,
)
from .section import text_style as _text_style
from .state import COMMON_UNITS, FIELD_LABELS, TYPE_HELP

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ...errors import Problem
    from ...placemat import Placemat
    from ...session import SessionContext

WidgetT = TypeVar("WidgetT", bound=W.Widget)

TYPE_HINT = "Bernhardt's four types: pick the one this evidence is."


def _wide(width: str) -> W.Layout:
    """A field's layout: its label (:data:`LABEL_WIDTH`) and a box ``width`` wide, never
    wider than the form."""
    return layout(width=f"calc({LABEL_WIDTH} + {width})", max_width="100%")


class EvidenceLogger(_EditableEntries):
    """Log evidence of the four types, list it with filters, edit, delete and restore it,
    and import a CSV or XLSX file of entries; facilitators also get a projector view."""

    form_notice: Notice

    value = T.Dict(
        help="The entry in the form, by data-contract field (date as YYYY-MM-DD); "
        "setting it fills the form"
    )
    title_text = "Log evidence"
    intro_text = (
        "Log small and often: one entry per measurement, survey or observation. Each entry "
        "is saved when you add it and appears for everyone in the collective within seconds."
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self._editing_version = 0
        self._last_deleted: int | None = None
        self._auto_unit = ""
        self._auto_type: str | None = None
        self._filling = False
        self._quiet_value = False
        super().__init__(ctx, **kwargs)

    # ------------------------------------------------------------------ building

    def _build(self) -> W.Widget:
        self.form = self._build_form()
        table = self._build_table_frame()  # filled once the page shows the form
        self.importer: _ImportPanel | None = None
        self.import_box = W.Accordion(children=[], selected_index=None)
        self.import_box.add_class("ilc-ev-import-box")
        self.work = W.VBox([self.form, table, self.import_box])
        self.board = W.HTML(layout=W.Layout(display="none"))
        self.board.add_class("ilc-ev-projector")
        parts: list[W.Widget] = []
        self.projector_button: W.ToggleButton | None = None
        if self.ctx.is_facilitator:
            self.projector_button = W.ToggleButton(
                description="Projector view",
                icon="television",
                tooltip="A large, read-only live view of this collective's evidence, "
                "for projecting in the room",
                layout=layout(width="auto"),
            )
            self.projector_button.add_class("ilc-ev-projector-toggle")
            self.projector_button.observe(self._on_projector, "value")
            parts.append(box([self.projector_button], vertical=False))
        return W.VBox([*parts, self.work, self.board])

    def _input(self, widget: WidgetT, css: str) -> WidgetT:
        """A field of the form: its CSS class, its text sent when it is left (so "Add" never
        overtakes it), and the ``value`` trait follows it."""
        send_when_left(widget)
        widget.add_class(css)
        widget.observe(self._on_form_change, "value")
        return widget

    def _suggesting(
        self, placeholder: str, width: str, css: str, options: Sequence[str] = ()
    ) -> W.Combobox:
        """A text field that suggests values (the most used ones, filled in by refresh)."""
        combo = W.Combobox(
            style=_text_style(),
            options=list(options),
            placeholder=placeholder,
            ensure_option=False,
            layout=layout(width=width, max_width="100%"),
        )
        return self._input(combo, css)

    def _build_form(self) -> W.Widget:
        self.type_input = self._input(
            W.ToggleButtons(
                options=[(name, key) for key, name in EVIDENCE_TYPES.items()],
                value=None,
                tooltips=[TYPE_HELP[k] for k in EVIDENCE_TYPES],
                style={"button_width": "10.5em"},
            ),
            "ilc-ev-type",
        )
        self.type_help = html(f"<span class='ilc-help'>{TYPE_HINT}</span>")
        self.indicator_input = self._input(
            W.Dropdown(style=desc_style(), options=[("(none)", "")], layout=_wide("24em")),
            "ilc-ev-indicator",
        )
        self.date_input = self._input(
            W.DatePicker(style=desc_style(), value=dt.date.today(), layout=_wide("12em")),
            "ilc-ev-date",
        )
        self.value_input = self._input(
            W.Text(style=_text_style(), placeholder="e.g. 72", layout=_wide("7em")),
            "ilc-ev-value",
        )
        self.unit_input = self._suggesting("e.g. %, days", "13em", "ilc-ev-unit", COMMON_UNITS)
        self.n_input = self._input(
            W.Text(style=_text_style(), placeholder="how many", layout=_wide("7em")),
            "ilc-ev-n",
        )
        self.subgroup_input = self._suggesting(
            "e.g. grade 1, multilingual learners", f"calc({LABEL_WIDTH} + 24em)", "ilc-ev-subgroup"
        )
        self.description_input = self._input(
            W.Textarea(
                style=_text_style(),
                placeholder="What was measured or seen, in a sentence or two (no student names).",
                rows=4,
                layout=layout(width="100%"),
            ),
            "ilc-ev-description",
        )
        self.source_input = self._suggesting(
            "e.g. walkthrough form, SIS report, survey", "100%", "ilc-ev-source"
        )
        self.who_input = self._input(
            W.Dropdown(style=desc_style(), options=[], layout=layout(width="100%")), "ilc-ev-who"
        )
        self.errors: dict[str, W.HTML] = {}
        for column in FIELD_LABELS:
            error = html()
            error.add_class("ilc-ev-error")
            error.add_class(f"ilc-ev-error-{column}")
            self.errors[column] = error
        self.add_button = button(
            "Add evidence", kind="primary", icon="plus", shape=W.Layout(width="auto")
        )
        self.add_button.add_class("ilc-ev-add")
        self.add_button.on_click(lambda _b: self._guard("Saving", self.submit, self.form_notice))
        self.cancel_button = button("Cancel edit", icon="times", shape=W.Layout(width="auto"))
        self.cancel_button.add_class("ilc-ev-cancel")
        self.cancel_button.layout.display = "none"
        self.cancel_button.on_click(lambda _b: self._guard("Cancelling", self.cancel_edit))
        self.form_notice = notice("ilc-ev-form-notice")
        self.indicator_input.observe(self._on_indicator, "value")
        self.type_input.observe(self._on_type, "value")
        self.who_input.observe(self._on_who, "value")
        self.observe(self._on_value, "value")
        self.form_title = html("<h3>New entry</h3>")
        form = box([self.form_title, *self._form_parts(), self.form_notice])
        form.add_class("ilc-box")
        form.add_class("ilc-ev-form")
        self._sync_value()
        return form

    def _form_parts(self) -> list[W.Widget]:
        def row(label: str, widget: W.Widget, *columns: str, help: str = "") -> W.Box:
            return box([labelled_row(label, widget, help), *[self.errors[c] for c in columns]])

        value_unit = box(
            [labelled("Value", self.value_input), labelled("Unit", self.unit_input, "3em")],
            vertical=False,
            align_items="center",
            flex_flow="row wrap",
        )
        left = box(
            [
                row("Indicator", self.indicator_input, "indicator", help="from your placemat"),
                row("Date", self.date_input, "date"),
                box([value_unit, self.errors["value"], self.errors["unit"]]),
                row("n (how many)", self.n_input, "n", help="people or students"),
                row("Subgroup", self.subgroup_input, "subgroup", help="blank = everyone"),
            ],
            width="50%",
        )
        right = box(
            [
                row("Description", self.description_input, "description"),
                row("Source", self.source_input, "source"),
                row("Entered by", self.who_input, "entered_by", help="I am …"),
            ],
            width="50%",
        )
        self.type_help.add_class("ilc-field-hint")
        types = box(
            [
                labelled("Evidence type", self.type_input),
                self.type_help,
                self.errors["evidence_type"],
            ]
        )
        buttons = box(
            [self.add_button, self.cancel_button],
            vertical=False,
            margin=f"0 0 0 {LABEL_WIDTH}",
            align_items="center",
        )
        buttons.add_class("ilc-ev-buttons")
        columns = box([left, right], vertical=False)
        columns.add_class("ilc-ev-cols")
        return [types, columns, buttons]

    def _build_rest(self) -> None:
        """The entries table and the import panel, once the page shows the form."""
        super()._build_rest()
        self.importer = _ImportPanel(self)
        self.import_box.children = [self.importer]
        self.import_box.set_title(0, "Import entries from a file (CSV or XLSX)")
        self.import_box.selected_index = None

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        """Read the collective's placemat, members and entries again and redraw the table
        (and the projector view); the form keeps what is typed."""
        if not self.collective:
            return
        placemat = self.net.placemat(self.collective).placemat
        self._load_names()
        if self.staged:  # the entries are read once the table can show them
            self._read_entries()
        self._quiet = True
        try:
            self._refresh_choices(placemat)
        finally:
            self._quiet = False
        self._render_table()
        if self.projector_button is not None and self.projector_button.value:
            self._render_projector()

    def _refresh_choices(self, placemat: Placemat) -> None:
        self._indicators = {}
        for ind in placemat.indicators:
            if ind.name.strip():
                self._indicators.setdefault(ind.name.strip(), ind)
        set_options(self.indicator_input, [("(none)", "")] + [(n, n) for n in self._indicators])
        if self.table_ready:
            self._refresh_filters()
        self._refresh_who()
        live = [e for e in self._entries if not e["deleted"]]
        self.unit_input.options = state.common_values(live, "unit", COMMON_UNITS)
        self.subgroup_input.options = state.common_values(live, "subgroup", ())
        self.source_input.options = state.common_values(live, "source", ())

    def _refresh_who(self) -> None:
        # the "I am ..." choices: this session's own name first, then the members
        actor = self.ctx.actor
        own = actor.lower() in self._names
        members = [
            (str(r["name"]), str(r["email"]).lower() or str(r["name"])) for r in self._members
        ]
        who_options: list[tuple[str, str]] = []
        if not own:
            shown = "Our collective (shared link)" if actor.endswith(" link") else actor
            who_options.append((shown or "Someone in the collective", actor))
        who_options += state.unique_labels(members)
        before = self.who_input.value
        set_options(self.who_input, who_options)
        if before is None:
            preferred = self.room.who or (actor.lower() if own else actor)
            values = [v for _, v in who_options]
            self.who_input.value = (
                preferred if preferred in values else (values[0] if values else None)
            )

    # ------------------------------------------------------------------ the form

    def form_entry(self) -> dict[str, Any]:
        """The entry in the form, as :meth:`Network.add_evidence` takes it."""
        return {
            "date": self.date_input.value,
            "evidence_type": self.type_input.value or "",
            "indicator": self.indicator_input.value or "",
            "value": self.value_input.value.strip(),
            "unit": self.unit_input.value.strip(),
            "n": self.n_input.value.strip(),
            "subgroup": self.subgroup_input.value.strip(),
            "description": self.description_input.value.strip(),
            "source": self.source_input.value.strip(),
            "entered_by": self.who_input.value or self.ctx.actor,
        }

    def _sync_value(self) -> None:
        entry = self.form_entry()
        day = entry["date"]
        entry["date"] = day.isoformat() if isinstance(day, dt.date) else ""
        self._quiet_value = True
        try:
            self.value = entry
        finally:
            self._quiet_value = False

    def _on_form_change(self, _change: Mapping[str, Any]) -> None:
        self._sync_value()

    def _on_value(self, change: Mapping[str, Any]) -> None:
        if self._quiet_value:
            return
        self.fill_form(change["new"])

    def fill_form(self, entry: Mapping[str, Any]) -> None:
        """Put an entry (data-contract fields) into the form."""
        self._filling = True
        try:
            self._fill(entry)
        finally:
            self._filling = False
        self._auto_unit = ""
        self._auto_type = None
        self._sync_value()

    def _fill(self, entry: Mapping[str, Any]) -> None:
        text = state.text
        kind = text(entry.get("evidence_type"))
        self.type_input.value = kind if kind in EVIDENCE_TYPES else None
        indicator = text(entry.get("indicator"))
        if indicator and indicator not in [v for _, v in self.indicator_input.options]:
            self.indicator_input.options = [*self.indicator_input.options, (indicator, indicator)]
        self.indicator_input.value = indicator
        self.date_input.value = as_date(entry.get("date"))
        raw_value = entry.get("value")
        self.value_input.value = (
            raw_value if isinstance(raw_value, str) else input_number(raw_value)
        )
        self.unit_input.value = text(entry.get("unit"))
        raw_n = entry.get("n")
        self.n_input.value = raw_n if isinstance(raw_n, str) else input_number(raw_n)
        self.subgroup_input.value = text(entry.get("subgroup"))
        self.description_input.value = text(entry.get("description"))
        self.source_input.value = text(entry.get("source"))
        who = text(entry.get("entered_by"))
        if who:
            if who not in [v for _, v in self.who_input.options]:
                self.who_input.options = [*self.who_input.options, (self.who_label(who), who)]
            self.who_input.value = who

    def _on_indicator(self, change: Mapping[str, Any]) -> None:
        if self._quiet or self._filling:
            return
        ind = self._indicators.get(state.text(change["new"]))
        if ind is None:
            return
        if not self.unit_input.value.strip() or self.unit_input.value.strip() == self._auto_unit:
            self.unit_input.value = ind.unit
        self._auto_unit = ind.unit
        if ind.evidence_type in EVIDENCE_TYPES and (
            self.type_input.value is None or self.type_input.value == self._auto_type
        ):
            self.type_input.value = ind.evidence_type
            self._auto_type = ind.evidence_type

    def _on_type(self, change: Mapping[str, Any]) -> None:
        key = change["new"]
        said = f"{EVIDENCE_TYPES[key]}: {TYPE_HELP[key]}" if key in TYPE_HELP else TYPE_HINT
        self.type_help.value = f"<span class='ilc-help'>{esc(said)}</span>"
        if key:
            self.errors["evidence_type"].value = ""

    def _on_who(self, change: Mapping[str, Any]) -> None:
        if not self._quiet and change["new"]:
            self.room.who = str(change["new"])

    def fields(self) -> dict[str, W.Widget]:
        """The form's fields by data-contract column, in the order people meet them."""
        return {
            "evidence_type": self.type_input,
            "indicator": self.indicator_input,
            "date": self.date_input,
            "value": self.value_input,
            "unit": self.unit_input,
            "n": self.n_input,
            "subgroup": self.subgroup_input,
            "description": self.description_input,
            "source": self.source_input,
            "entered_by": self.who_input,
        }

    def _clear_errors(self) -> None:
        for error in self.errors.values():
            error.value = ""
        for widget in self.fields().values():
            widget.remove_class(INVALID)
        self.form_notice.clear()

    def _show_problems(self, problems: Sequence[Problem]) -> None:
        """Say what is wrong under each field and in the form's notice (an alert), mark
        those fields invalid and put the focus on the first of them."""
        found = state.form_problems(problems, self.errors)
        for column, texts in found.by_field.items():
            joined = "<br>".join(esc(t) for t in texts)
            self.errors[column].value = f"<div class='ilc-err'><span>{joined}</span></div>"
        self.form_notice.show(found.summary, "error")
        wrong = [w for c, w in self.fields().items() if c in found.by_field]
        for widget in wrong:
            widget.add_class(INVALID)
        # a row of toggle buttons takes no focus as a whole: its message says what is wrong
        focusable = [w for w in wrong if not isinstance(w, W.ToggleButtons)]
        if focusable:
            focusable[0].focus()

    def submit(self) -> None:
        """Add the entry in the form, or save the entry being edited."""
        self._clear_errors()
        self.notice.clear()
        entry = self.form_entry()
        if not self.collective:
            raise IlcError("Pick a collective first.")
        try:
            if self.editing is None:
                new_id = self.net.add_evidence(self.collective, actor=self.ctx.actor, **entry)
                self._fresh_id = new_id
                self._reset_after_add()
                self.form_notice.show(f"Added: {state.entry_summary(entry)}.", "success")
            else:
                entry_id = self.editing
                try:
                    self.net.update_evidence(
                        entry_id,
                        self._editing_version,
                        collective=self.collective,
                        actor=self.ctx.actor,
                        **entry,
                    )
                except ConflictError:
                    self._conflict(entry_id)
                    return
                self._fresh_id = entry_id
                self._leave_edit()
                self.clear_form()
                saved = state.entry_summary(entry)
                self.form_notice.show(f"Saved your changes: {saved}.", "success")
        except ImportValidationError as exc:
            self._show_problems(exc.problems)
            return
        self.undo_button.layout.display = "none"
        self.page = 0
        self._saved()

    def _reset_after_add(self) -> None:
        """Ready for the next entry of the same kind: keep type, indicator, date, unit,
        source and who; clear the rest."""
        for widget in (self.value_input, self.n_input, self.subgroup_input):
            widget.value = ""
        self.description_input.value = ""

    def clear_form(self) -> None:
        """Empty the form (keeps who is typing)."""
        self.type_input.value = None
        self.indicator_input.value = ""
        self.date_input.value = dt.date.today()
        for widget in (
            self.value_input,
            self.unit_input,
            self.n_input,
            self.subgroup_input,
            self.description_input,
            self.source_input,
        ):
            widget.value = ""
        self._auto_unit = ""
        self._auto_type = None

    def _switched(self) -> None:
        # what is typed stays (nothing typed is lost); an edit of the other collective's
        # entry becomes a new entry for this one
        self._leave_edit()
        self._clear_errors()
        self.table_notice.clear()
        self.form_notice.clear()
        self.undo_button.layout.display = "none"
        self._fresh_id = self._last_deleted = None
        self.page = 0
        if self.table_ready:
            self.clear_filters()
            self.show_deleted.value = False
        if self.importer is not None:
            self.importer.reset()
        self.who_input.options = []

    # ------------------------------------------------------------------ projector view

    def _on_projector(self, change: Mapping[str, Any]) -> None:
        on = bool(change["new"])
        self.work.layout.display = "none" if on else ""
        self.board.layout.display = "" if on else "none"
        if on:
            self._render_projector()

    def _render_projector(self) -> None:
        name = self._collective_names.get(self.collective, self.collective)
        self.board.value = projector_html(self._entries, name)
