"""Workbook 01, gathering: the participant intake form and the roster/survey import.

:class:`IntakeForm` is what the intake link (``01_gather_themes.ipynb?role=intake&key=...``)
shows: one person's name, role, district and focus for inquiry, submitted like an exit
ticket, after which the form clears for the next person. It never shows anyone else's
data. Facilitators see the same form folded away, to add someone by hand.

:class:`RosterImport` is the facilitator's import of a roster or a survey export (CSV or
XLSX): pick the file, map its columns to the data contract (pre-filled with guesses),
see a preview with every problem named by row and column, then import all rows or none.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..errors import IlcError, ImportValidationError, Problem
from ..vocab import MODALITIES, PARTICIPANT_COLUMNS, PARTICIPANT_REQUIRED, ROLES, label
from ._base import CSS as BASE_CSS
from ._base import Notice, Poller, button, esc, html_table

if TYPE_CHECKING:
    import pandas as pd

    from ..network import Network
    from ..session import SessionContext

log = logging.getLogger(__name__)


FIELD_LABELS: dict[str, str] = {
    "participant_id": "Participant id",
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "organization": "School or office",
    "district": "District",
    "region": "Region",
    "modality": "How you will meet",
    "focus": "Focus for inquiry",
    "theme": "Theme",
    "second_theme": "Second theme",
}
"""How each contract column is named on the page."""

PREVIEW_LABELS = {"modality": "In person / virtual", "focus": "Focus"}
_LABEL_WIDTH = "12em"
CSS = """
<style>
.ilc-intake .widget-html-content, .ilc-roster .widget-html-content { line-height: 1.45; }
.ilc-intake .widget-html-content p, .ilc-roster .widget-html-content p { margin: .3em 0; }
.ilc-intake-form .widget-text, .ilc-intake-form .widget-textarea,
.ilc-intake-form .widget-dropdown { margin-bottom: .25em; }
.ilc-roster-mapping { border: 1px solid #d0d7de; border-radius: 6px; padding: .2em .8em .6em;
  margin: .4em 0; }
.ilc-roster-preview table td { max-width: 22em; }
.ilc a.ilc-link { color: #0969da; text-decoration: underline; }
</style>
"""
_INPUT_WIDTH = "30em"


def _shown(widget: W.Widget, visible: bool) -> None:
    widget.layout.display = "" if visible else "none"


# ---------------------------------------------------------------------- intake form


class IntakeForm(W.VBox):  # type: ignore[misc]
    """One person's details and focus for inquiry, added to the network on Submit.

    Shown to the intake link (the whole page) and to facilitators (folded, to add someone
    by hand); a collective's link shows nothing. Problems show under their field and keep
    what was typed; after a successful submit the form thanks the person and clears.
    """

    value = T.Dict(help="What is typed in the form: contract column -> text")
    submitted = T.Unicode("", help="participant_id of the last person added through this form")

    FIELDS = PARTICIPANT_COLUMNS[1:9]
    """The contract columns a person fills in (name through focus)."""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.inputs: dict[str, W.Widget] = {}
        self.errors: dict[str, W.HTML] = {}
        self.notice = Notice()
        self.notice.add_class("ilc-intake-notice")
        self.net: Network = ctx.require_network()
        self.form: W.VBox | None = None
        self._layouts = {
            "caption": W.Layout(width=_LABEL_WIDTH, min_width=_LABEL_WIDTH),
            "input": W.Layout(width=_INPUT_WIDTH),
            "plain": W.Layout(),
        }
        self._styles = {
            "html": HTMLStyle(),
            "text": TextStyle(),
            "choice": DescriptionStyle(),
        }
        if ctx.role == "intake":
            intro = W.HTML(
                BASE_CSS + CSS + "<div class='ilc'><h2>Your focus for inquiry</h2>"
                "<p>Tell us who you are and the problem of practice you most want to work "
                "on this year. Facilitators use everyone's focus to form small collectives "
                "of leaders who share a theme. Only the facilitators see your answers.</p>"
                "<p class='muted'>Fields marked * are required.</p></div>",
                layout=self._layouts["plain"],
                style=self._styles["html"],
            )
            children: list[W.Widget] = [intro, self.build_form()]
        else:
            children = [self._facilitator_view()]
        self.children = tuple(children)
        self.add_class("ilc-app")
        self.add_class("ilc-intake")
        self._sync()

    # -- building

    def build_form(self) -> W.VBox:
        """The form's fields and Submit button (built once; for facilitators on opening)."""
        if self.form is not None:
            return self.form
        rows = [self._field(f) for f in self.FIELDS]
        self.submit_button = button("Submit", style="primary", icon="paper-plane")
        self.submit_button.add_class("ilc-intake-submit")
        self.submit_button.on_click(lambda _: self.submit())
        self.form = W.VBox([*rows, W.HBox([self.submit_button]), self.notice])
        self.form.add_class("ilc-intake-form")
        self._sync()
        return self.form

    def _field(self, name: str) -> W.VBox:
        layout = self._layouts["input"]
        widget: W.Widget
        if name == "role":
            options = [("Choose your role", ""), *((lbl, key) for key, lbl in ROLES.items())]
            widget = W.Dropdown(
                options=options, value="", layout=layout, style=self._styles["choice"]
            )
        elif name == "modality":
            options = [
                ("No preference", ""),
                *((MODALITIES[k], k) for k in ("in_person", "virtual")),
            ]
            widget = W.Dropdown(
                options=options, value="", layout=layout, style=self._styles["choice"]
            )
        elif name == "focus":
            widget = W.Textarea(
                placeholder=(
                    "One or two sentences: the problem you want to work on and what in your "
                    "data makes it matter (for example: 'Half our ninth graders fail a course "
                    "in the first semester, mostly for missing work.')"
                ),
                layout=W.Layout(width=_INPUT_WIDTH, height="7em"),
                style=self._styles["text"],
            )
        else:
            placeholders = {
                "name": "First and last name",
                "email": "name@school.org",
                "organization": "Your school or office",
                "district": "Your district (or system, or division)",
                "region": "Needed if you meet in person",
            }
            widget = W.Text(
                placeholder=placeholders.get(name, ""), layout=layout, style=self._styles["text"]
            )
        widget.add_class(f"ilc-intake-{name}")
        widget.observe(lambda _c, n=name: self._changed(n), "value")
        self.inputs[name] = widget
        needed = name in PARTICIPANT_REQUIRED or (name == "focus" and self.ctx.role == "intake")
        required = " *" if needed else ""
        caption = W.HTML(
            f"<b>{esc(FIELD_LABELS[name])}{required}</b>",
            layout=self._layouts["caption"],
            style=self._styles["html"],
        )
        error = W.HTML(
            layout=W.Layout(margin=f"0 0 0 {_LABEL_WIDTH}", display="none"),
            style=self._styles["html"],
        )
        error.add_class(f"ilc-intake-error-{name}")
        self.errors[name] = error
        plain = self._layouts["plain"]
        return W.VBox([W.HBox([caption, widget], layout=plain), error], layout=plain)

    def _facilitator_view(self) -> W.Accordion:
        link = ""
        if self.ctx.role == "facilitator":
            from ..access import access_query

            href = f"./01_gather_themes.ipynb?{access_query(self.net.secret, role='intake')}"
            link = (
                f"<p>Participants' link to this form: <a class='ilc-link ilc-intake-link' "
                f"href='{esc(href)}' target='_blank'>open the intake form</a> (copy its "
                "address to share it, or print the links sheet with QR codes in workbook 2). "
                "It shows the form only, nobody's data.</p>"
            )
        intro = W.HTML(
            BASE_CSS + CSS + "<div class='ilc'><p>Use the form to add one person by hand "
            f"(for example someone who could not open the link).</p>{link}</div>",
            layout=self._layouts["plain"],
            style=self._styles["html"],
        )
        holder = W.VBox([intro], layout=self._layouts["plain"])
        box = W.Accordion(
            children=[holder],
            titles=("Intake form: add a participant",),
            layout=W.Layout(margin="0 0 1em 0"),
        )
        box.selected_index = None

        def opened(change: dict[str, Any]) -> None:
            if change["new"] is not None and self.form is None:
                holder.children = (intro, self.build_form())

        box.observe(opened, "selected_index")
        self.accordion = box
        return box

    # -- state

    def _changed(self, name: str) -> None:
        self._set_error(name, "")
        if self.notice.value and "success" in self.notice.value:
            self.notice.clear()
        self._sync()

    def _sync(self) -> None:
        self.value = {name: str(w.value) for name, w in self.inputs.items()}

    def _set_error(self, name: str, message: str) -> None:
        error = self.errors.get(name)
        if error is None:
            return
        error.value = f"<div class='ilc'><span class='bad'>{esc(message)}</span></div>"
        _shown(error, bool(message))

    def clear(self) -> None:
        """Empty every field (after a submission, for the next person)."""
        for name, widget in self.inputs.items():
            widget.value = ""
            self._set_error(name, "")
        self._sync()

    # -- submitting

    def _problems(self, fields: dict[str, str]) -> dict[str, str]:
        whose = "your" if self.ctx.role == "intake" else "the"
        required = ["name", "email", "role", "district"]
        if self.ctx.role == "intake":
            required.append("focus")
        found: dict[str, str] = {}
        for name in required:
            if not fields.get(name, "").strip():
                verb = "choose" if name == "role" else "enter"
                found[name] = f"Please {verb} {whose} {FIELD_LABELS[name].lower()}."
        if fields.get("modality") == "in_person" and not fields.get("region", "").strip():
            found["region"] = f"Please enter {whose} region: in-person groups meet by region."
        return found

    def _message(self, problem: Problem) -> str:
        text = problem.message
        if "already in the network" in text:
            if self.ctx.role == "intake":
                return (
                    "This email address has already been used to submit a focus. "
                    "To change yours, tell your facilitator."
                )
            return "Someone with this email address is already in the network."
        if text.endswith(" is blank"):
            return f"Please enter the {FIELD_LABELS.get(problem.column or '', 'value').lower()}."
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")

    def submit(self) -> str | None:
        """Validate and add the person; returns their participant_id (None when not saved)."""
        self.build_form()
        fields = {name: str(w.value).strip() for name, w in self.inputs.items()}
        for name in self.errors:
            self._set_error(name, "")
        problems = self._problems(fields)
        for name, message in problems.items():
            self._set_error(name, message)
        if problems:
            self.notice.show("Please fix the fields marked in red; nothing was saved yet.", "error")
            return None
        self.submit_button.disabled = True
        try:
            actor = "" if self.ctx.role == "intake" else self.ctx.actor
            pid = self.net.add_participant(actor=actor, source="intake", **fields)
        except ImportValidationError as error:
            general = []
            for problem in error.problems:
                if problem.column in self.errors:
                    self._set_error(problem.column or "", self._message(problem))
                else:
                    general.append(self._message(problem))
            self.notice.show(
                " ".join(general) or "Please fix the fields marked in red; nothing was saved yet.",
                "error",
            )
            return None
        except IlcError as error:
            self.notice.show(f"Not saved: {error}", "error")
            return None
        except Exception:
            log.exception("intake form submission failed")
            self.notice.show(
                "Not saved: the database could not be reached. Your answers are still here; "
                "please try Submit again in a moment.",
                "error",
            )
            return None
        finally:
            self.submit_button.disabled = False
        name = fields["name"]
        self.clear()
        self.submitted = pid
        if self.ctx.role == "intake":
            first = name.split()[0] if name.split() else name
            self.notice.show(
                f"Thank you, {first}! Your focus for inquiry was received. "
                "The form is ready for the next person.",
                "success",
            )
        else:
            self.notice.show(f"Added {name} ({pid}).", "success")
        return pid


# ---------------------------------------------------------------------- roster import

NOT_IN_FILE = ""
_PREVIEW_ROWS = 8
_MAX_PROBLEMS_SHOWN = 60
_MAPPED_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("name_2", "name"),
    ("email", "email"),
    ("role", "role"),
    ("organization", "organization"),
    ("district", "district"),
    ("region", "region"),
    ("modality", "modality"),
    ("focus", "focus"),
    ("focus_2", "focus"),
    ("participant_id", "participant_id"),
    ("theme", "theme"),
    ("second_theme", "second_theme"),
)
"""Mapping slots: (slot, contract column). ``name_2``/``focus_2`` are joined to the first."""

_SLOT_LABELS: dict[str, str] = {
    "name": "Name *",
    "name_2": "… and last name",
    "email": "Email *",
    "role": "Role *",
    "organization": "School or office",
    "district": "District *",
    "region": "Region",
    "modality": "In person / virtual",
    "focus": "Focus for inquiry",
    "focus_2": "… joined with",
    "participant_id": "Participant id",
    "theme": "Theme",
    "second_theme": "Second theme",
}


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RosterImport(W.VBox):  # type: ignore[misc]
    """Upload a roster or survey export, map its columns, preview, validate and import.

    Facilitators and researchers only; a collective's link sees a one-line note and the
    intake link nothing at all.
    """

    value = T.Dict(help="The column map in use: file header -> contract column ('' = ignored)")
    imported = T.Int(0, help="How many participants the last import added")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.table: pd.DataFrame | None = None
        self.filename = ""
        self.valid_rows = 0
        self.dropdowns: dict[str, W.Dropdown] = {}
        self.samples: dict[str, W.HTML] = {}
        self.net: Network = ctx.require_network()
        plain, html_style = W.Layout(), HTMLStyle()
        head = W.HTML(
            BASE_CSS + CSS + "<div class='ilc'><h2>Import a roster or survey export</h2>"
            "<p class='muted'>A CSV (UTF-8, comma or semicolon) or XLSX file with one row per "
            "person. The template's columns are matched by name; for a survey tool's export, "
            "choose below which of its columns holds each field. Nothing is imported until "
            "every row is valid; then all rows are added at once.</p></div>",
            layout=plain,
            style=html_style,
        )
        self.upload = W.FileUpload(
            accept=".csv,.xlsx,.xlsm,.txt",
            multiple=False,
            description="Choose a file",
            button_style="",
            layout=W.Layout(width="auto"),
        )
        self.upload.add_class("ilc-roster-upload")
        self.upload.observe(self._on_upload, "value")
        self.notice = Notice(layout=plain, style=html_style)
        self.notice.add_class("ilc-roster-notice")
        self.mapping = W.VBox(layout=W.Layout(display="none"))
        self.mapping.add_class("ilc-roster-mapping")
        self.preview = W.HTML(layout=plain, style=html_style)
        self.preview.add_class("ilc-roster-preview")
        self.problems = W.HTML(layout=plain, style=html_style)
        self.problems.add_class("ilc-roster-problems")
        self.import_button = button("Import participants", style="success", icon="upload")
        self.import_button.add_class("ilc-roster-import")
        self.import_button.disabled = True
        self.import_button.on_click(lambda _: self.run_import())
        self.cancel_button = button("Start over", icon="times")
        self.cancel_button.on_click(lambda _: self.reset())
        self.actions = W.HBox(
            [self.import_button, self.cancel_button], layout=W.Layout(display="none")
        )
        self.progress = W.IntProgress(
            value=0, min=0, max=1, description="Importing", layout=W.Layout(display="none")
        )
        self.summary = W.HTML(layout=plain, style=html_style)
        self.summary.add_class("ilc-roster-summary")
        self.roster = W.HTML(layout=plain, style=html_style)
        self.roster_box = W.Accordion(children=[self.roster], titles=("Participants",))
        self.roster_box.selected_index = None
        self.roster_box.observe(lambda _: self._render_roster(), "selected_index")
        self.children = (
            head,
            W.HBox([self.upload], layout=plain),
            self.notice,
            self.mapping,
            self.problems,
            self.actions,
            self.progress,
            self.preview,
            self.summary,
            self.roster_box,
        )
        self.add_class("ilc-app")
        self.add_class("ilc-roster")
        self.refresh()
        # the summary follows submissions of the intake form and themes accepted below
        self.poller = Poller(self.net.revision, self.refresh, interval=4.0)
        self.poller.start()

    # -- roster in the network

    def refresh(self) -> None:
        """Show how many participants the network has (the table renders when opened)."""
        frame = self.net.participants_frame()
        n = len(frame)
        if n == 0:
            self.summary.value = (
                "<div class='ilc'><p class='muted'>No participants yet: import a file or "
                "share the intake form.</p></div>"
            )
        else:
            no_focus = int((frame["focus"].fillna("").str.strip() == "").sum())
            themed = int((frame["theme"].fillna("").str.strip() != "").sum())
            parts = [
                f"<b>{n}</b> participant{'s' if n != 1 else ''} from "
                f"<b>{frame['district'].nunique()}</b> district"
                f"{'s' if frame['district'].nunique() != 1 else ''}",
                f"{themed} with a theme",
            ]
            if no_focus:
                parts.append(f"<span class='warn'>{no_focus} without a focus statement</span>")
            self.summary.value = (
                f"<div class='ilc'><p>In the network: {' · '.join(parts)}.</p></div>"
            )
        self._roster_frame = frame
        self.roster.value = ""
        if self.roster_box.selected_index is not None:
            self._render_roster()

    def _render_roster(self) -> None:
        if self.roster_box.selected_index is None or self.roster.value:
            return
        frame = self._roster_frame
        limit = 400
        rows = [
            (
                r.name,
                label("role", str(r.role)),
                r.district,
                _short(str(r.focus or ""), 90),
                r.theme or "",
            )
            for r in frame.head(limit).itertuples()
        ]
        more = (
            f"<p class='muted'>… and {len(frame) - limit} more (open the network in "
            "JupyterLab to see every row).</p>"
            if len(frame) > limit
            else ""
        )
        self.roster.value = (
            "<div class='ilc'>"
            + html_table(
                rows,
                ["Name", "Role", "District", "Focus", "Theme"],
                empty="No participants yet.",
            )
            + more
            + "</div>"
        )

    # -- reading a file

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self.load_file(bytes(item["content"]), str(item.get("name") or "uploaded file"))

    def load_file(self, content: bytes, filename: str) -> bool:
        """Read an uploaded file and show its column mapping; False if it cannot be read."""
        from ..importers import read_table, suggest_column_map

        self.reset(clear_upload=False)
        try:
            table = read_table(content, filename, kind="participants")
        except ImportValidationError as error:
            self.notice.show(
                f"{filename} cannot be read; nothing was imported. Fix the file and choose "
                "it again.",
                "error",
            )
            self._show_problems(error)
            return False
        except Exception:
            log.exception("reading %s failed", filename)
            self.notice.show(f"{filename} could not be read as CSV or XLSX.", "error")
            return False
        self.table, self.filename = table, filename
        headers = [str(c) for c in table.columns]
        guess = suggest_column_map(headers, "participants")
        chosen: dict[str, str] = {}
        for header, column in guess.items():
            slot = column if column not in chosen else f"{column}_2"
            if slot in _SLOT_LABELS and slot not in chosen:
                chosen[slot] = header
        self._build_mapping(headers, chosen)
        fmt = str(table.attrs.get("format", "")).upper()
        self.notice.show(
            f"{filename}: {len(table)} row{'s' if len(table) != 1 else ''}, "
            f"{len(headers)} columns ({fmt}). Check the column choices below.",
            "info",
        )
        self.validate()
        return True

    def _build_mapping(self, headers: list[str], chosen: dict[str, str]) -> None:
        options = [("— not in this file —", NOT_IN_FILE), *((_short(h, 60), h) for h in headers)]
        rows: list[W.Widget] = [
            W.HTML(
                "<div class='ilc'><h3>Which column holds what?</h3><p class='muted'>"
                "Guesses are filled in; change any that are wrong. * = required. "
                "Two name columns (first and last) are joined with a space.</p></div>"
            )
        ]
        self.dropdowns, self.samples = {}, {}
        for slot, _column in _MAPPED_FIELDS:
            dropdown = W.Dropdown(
                options=options,
                value=chosen.get(slot, NOT_IN_FILE),
                layout=W.Layout(width="22em"),
            )
            dropdown.add_class(f"ilc-map-{slot}")
            dropdown.observe(lambda _c: self.validate(), "value")
            sample = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
            self.dropdowns[slot], self.samples[slot] = dropdown, sample
            caption = W.HTML(
                f"<b>{esc(_SLOT_LABELS[slot])}</b>",
                layout=W.Layout(width=_LABEL_WIDTH, min_width=_LABEL_WIDTH),
            )
            rows.append(W.HBox([caption, dropdown, sample]))
        self.ignored = W.HTML()
        rows.append(self.ignored)
        self.mapping.children = rows
        _shown(self.mapping, True)
        _shown(self.actions, True)

    def column_map(self) -> dict[str, str]:
        """The map passed to the importer: every file header -> contract column or ''."""
        if self.table is None:
            return {}
        result = {str(h): "" for h in self.table.columns}
        for slot, column in _MAPPED_FIELDS:
            dropdown = self.dropdowns.get(slot)
            if dropdown is not None and dropdown.value:
                result[dropdown.value] = column
        # joined columns keep their order: the first slot's header before the second's
        ordered = {h: c for h, c in result.items() if c}
        for slot in ("name", "focus"):
            first = self.dropdowns[slot].value if slot in self.dropdowns else ""
            if first and first in ordered:
                ordered = {first: ordered.pop(first), **ordered}
        return {**ordered, **{h: c for h, c in result.items() if not c}}

    def set_mapping(self, **slots: str) -> None:
        """Choose file columns by slot (``name=``, ``name_2=``, ``email=``, ...; '' = none)."""
        for slot, header in slots.items():
            if slot not in self.dropdowns:
                raise KeyError(f"unknown mapping slot {slot!r}; known: {sorted(self.dropdowns)}")
            self.dropdowns[slot].value = header

    def _duplicate_choices(self) -> list[str]:
        used: dict[str, list[str]] = {}
        for slot, _column in _MAPPED_FIELDS:
            header = self.dropdowns[slot].value
            if header:
                used.setdefault(header, []).append(_SLOT_LABELS[slot].rstrip(" *"))
        return [
            f"The column '{header}' is chosen for {' and '.join(slots)}; choose it once."
            for header, slots in used.items()
            if len(slots) > 1
        ]

    def validate(self) -> bool:
        """Check the mapped file with the importer's rules; show the preview and problems."""
        from ..importers import load_participants

        table = self.table
        if table is None:
            return False
        self._update_samples(table)
        mapping = self.column_map()
        self.value = mapping
        ignored = [h for h, c in mapping.items() if not c]
        self.ignored.value = (
            "<div class='ilc'><span class='muted'>Not imported: "
            + esc(", ".join(ignored))
            + "</span></div>"
            if ignored
            else ""
        )
        self.valid_rows = 0
        self.import_button.disabled = True
        self.import_button.description = "Import participants"
        duplicates = self._duplicate_choices()
        if duplicates:
            self.preview.value = ""
            self.problems.value = (
                "<div class='ilc'>"
                + "".join(f"<p class='bad'>{esc(d)}</p>" for d in duplicates)
                + "</div>"
            )
            return False
        emails, ids = self._existing()
        try:
            frame = load_participants(
                table,
                self.filename,
                column_map=mapping,
                existing_emails=emails,
                existing_ids=ids,
            )
        except ImportValidationError as error:
            self._show_preview(self._raw_preview(table, mapping), {p.row for p in error.problems})
            self._show_problems(error)
            return False
        self._show_preview(self._clean_preview(frame), set())
        self.valid_rows = len(frame)
        warnings: list[Problem] = list(frame.attrs.get("warnings", []))
        generated = int(frame.attrs.get("generated_ids", 0))
        notes = [
            f"<p class='ok'><b>All {len(frame)} rows are valid.</b> Nothing is saved until you "
            "click Import.</p>"
        ]
        if generated:
            notes.append(
                f"<p class='muted'>{generated} row{'s have' if generated != 1 else ' has'} no "
                "participant id: one is made from the email address.</p>"
            )
        if warnings:
            notes.append(
                "<p class='warn'>Worth checking (these do not stop the import):</p>"
                + self._problem_table(warnings, len(warnings))
            )
        self.problems.value = "<div class='ilc'>" + "".join(notes) + "</div>"
        self.import_button.disabled = False
        n = len(frame)
        self.import_button.description = f"Import {n} participant{'s' if n != 1 else ''}"
        return True

    def _existing(self) -> tuple[set[str], set[str]]:
        frame = self.net.participants_frame()
        return (
            {str(e).lower() for e in frame["email"]},
            {str(i) for i in frame["participant_id"]},
        )

    def _update_samples(self, table: pd.DataFrame) -> None:
        for slot, sample in self.samples.items():
            header = self.dropdowns[slot].value
            if not header:
                sample.value = ""
                continue
            values = [v for v in table[header].head(50) if str(v).strip()]
            example = _short(values[0], 50) if values else "(blank in the first rows)"
            sample.value = f"<div class='ilc'><span class='muted'>e.g. {esc(example)}</span></div>"

    def _raw_preview(self, table: pd.DataFrame, mapping: dict[str, str]) -> pd.DataFrame:
        import pandas as pd

        head = table.head(_PREVIEW_ROWS)
        out: dict[str, pd.Series[str]] = {}
        for header, column in mapping.items():
            if not column:
                continue
            part = head[header].astype(str).str.strip()
            out[column] = (out[column] + " " + part).str.strip() if column in out else part
        return pd.DataFrame(out, index=head.index)

    def _clean_preview(self, frame: pd.DataFrame) -> pd.DataFrame:
        head = frame.head(_PREVIEW_ROWS).copy()
        head["role"] = [label("role", str(v)) for v in head["role"]]
        head["modality"] = [label("modality", str(v)) for v in head["modality"]]
        return head

    def _show_preview(self, head: pd.DataFrame, bad_rows: set[int | None]) -> None:
        mapped = set((self.value or {}).values())
        columns = [c for c in PARTICIPANT_COLUMNS if c in head.columns and c in mapped]
        rows = []
        for row_number, record in zip(head.index, head.to_dict("records"), strict=True):
            mark = "⚠" if row_number in bad_rows else ""
            rows.append(
                (
                    f"{row_number} {mark}".strip(),
                    *(_short(str(record.get(c, "")), 60) for c in columns),
                )
            )
        total = len(self.table) if self.table is not None else len(head)
        caption = (
            f"<h3>Preview</h3><p class='muted'>The first {len(rows)} of {total} rows as they "
            "will be imported (row numbers as in the spreadsheet; ⚠ = a problem below).</p>"
        )
        self.preview.value = (
            "<div class='ilc' style='overflow-x:auto'>"
            + caption
            + html_table(rows, ["Row", *(PREVIEW_LABELS.get(c, FIELD_LABELS[c]) for c in columns)])
            + "</div>"
        )

    def _problem_table(self, problems: list[Problem], total: int) -> str:
        mapping = self.value or {}
        by_column: dict[str, list[str]] = {}
        for header, column in mapping.items():
            if column:
                by_column.setdefault(column, []).append(header)
        rows = []
        for p in problems[:_MAX_PROBLEMS_SHOWN]:
            column = p.column or ""
            headers = by_column.get(column, [])
            shown = (
                f"{column} (file column '{' + '.join(headers)}')"
                if headers and headers != [column]
                else column
            )
            message = p.message
            if p.row is None and "required column" in message and self.table is not None:
                message += " (choose the file column that holds it above)"
            rows.append((p.file, "" if p.row is None else p.row, shown, message))
        more = total - len(rows)
        extra = f"<p class='muted'>… and {more} more.</p>" if more > 0 else ""
        return html_table(rows, ["File", "Row", "Column", "Problem"]) + extra

    def _show_problems(self, error: ImportValidationError) -> None:
        n = error.total
        self.problems.value = (
            "<div class='ilc'><p class='bad'><b>"
            f"{n} problem{'s' if n != 1 else ''} found; nothing will be imported until "
            "they are fixed</b> (fix them in the file and choose it again, or change a column "
            "choice above).</p>" + self._problem_table(error.problems, n) + "</div>"
        )

    # -- importing

    def run_import(self) -> int:
        """Import every row of the mapped file (or none); returns how many were added."""
        if self.table is None:
            self.notice.show("Choose a file first.", "error")
            return 0
        if not self.validate():
            self.notice.show("The file has problems (listed below); nothing was imported.", "error")
            return 0
        total = self.valid_rows
        self.import_button.disabled = True
        self.progress.max = max(total, 1)
        self.progress.value = 0
        _shown(self.progress, True)

        def progress(done: int, _total: int) -> None:
            self.progress.value = done

        try:
            added = self.net.import_participants(
                self.table,
                self.filename,
                column_map=self.column_map(),
                actor=self.ctx.actor,
                progress=progress,
            ).added
        except ImportValidationError as error:
            self._show_problems(error)
            self.notice.show(f"{self.filename} was not imported: it has problems.", "error")
            return 0
        except IlcError as error:
            self.notice.show(f"Nothing was imported: {error}", "error")
            return 0
        except Exception:
            log.exception("importing %s failed", self.filename)
            self.notice.show(
                "Nothing was imported: the database could not be reached. Try again.", "error"
            )
            return 0
        finally:
            _shown(self.progress, False)
            self.import_button.disabled = self.valid_rows == 0
        name = self.filename
        self.reset()
        self.imported = added
        self.notice.show(
            f"Imported {added} participant{'s' if added != 1 else ''} from {name}. "
            "Next: suggest themes from their focus statements below.",
            "success",
        )
        self.refresh()
        self.poller.mark_seen()
        return added

    def reset(self, *, clear_upload: bool = True) -> None:
        """Forget the chosen file and hide the mapping and preview."""
        self.table, self.filename, self.valid_rows = None, "", 0
        self.mapping.children = ()
        _shown(self.mapping, False)
        _shown(self.actions, False)
        self.preview.value = self.problems.value = ""
        self.notice.clear()
        self.value = {}
        self.import_button.disabled = True
        if clear_upload and self.upload.value:
            self.upload.value = ()
