"""Workbook 01, gathering: the participant intake form.

:class:`IntakeForm` is what the intake link (``01_gather_themes.ipynb?role=intake&key=...``)
shows: one person's name, role, district and focus for inquiry, submitted like an exit
ticket, after which the form clears for the next person. It never shows anyone else's
data. Facilitators see the same form folded away, to add someone by hand.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...errors import ImportValidationError
from ...vocab import MODALITIES, PARTICIPANT_REQUIRED, ROLES
from .._base import button
from .._kit.board import sheets, write_failed
from .._kit.controls import field, send_when_left
from .._kit.notice import Notice
from .state import FIELD_LABELS, FORM_FIELDS, form_problems, problem_message
from .styles import FIELD_WIDTH, LABEL_WIDTH, Models, shown

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ...network import Network
    from ...session import SessionContext

__all__ = ["IntakeForm"]

esc = html.escape

PLACEHOLDERS = {
    "name": "First and last name",
    "email": "name@school.org",
    "organization": "Your school or office",
    "district": "Your district (or system, or division)",
    "region": "Needed if you meet in person",
    "focus": (
        "One or two sentences: the problem you want to work on and what in your data makes "
        "it matter (for example: 'Half our ninth graders fail a course in the first "
        "semester, mostly for missing work.')"
    ),
}
"""What an empty field shows."""

INTAKE_INTRO = (
    "<div class='ilc'><h2>Your focus for inquiry</h2>"
    "<p>Tell us who you are and the problem of practice you most want to work "
    "on this year. Facilitators use everyone's focus to form small collectives "
    "of leaders who share a theme. Only the facilitators see your answers.</p>"
    "<p class='muted'>Fields marked * are required.</p></div>"
)


class IntakeForm(W.VBox):  # type: ignore[misc]
    """One person's details and focus for inquiry, added to the network on Submit.

    Shown to the intake link (the whole page) and to facilitators (folded, to add someone
    by hand); a collective's link shows nothing. Problems show under their field and keep
    what was typed; after a successful submit the form thanks the person and clears.
    """

    value = T.Dict(help="What is typed in the form: contract column -> text")
    submitted = T.Unicode("", help="participant_id of the last person added through this form")

    FIELDS = FORM_FIELDS
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
        self._models = Models()
        if ctx.role == "intake":
            intro = W.HTML(INTAKE_INTRO, layout=self._models.plain, style=self._models.html_style)
            children: list[W.Widget] = [intro, self.build_form()]
        else:
            children = [self._facilitator_view()]
        self.children = (*sheets("intake"), *children)
        self.add_class("ilc-app")
        self.add_class("ilc-intake")
        self._sync()

    # -- building

    def build_form(self) -> W.VBox:
        """The form's fields and Submit button (built once; for facilitators on opening)."""
        if self.form is not None:
            return self.form
        rows = [self._field(f) for f in self.FIELDS]
        self.submit_button = button("Submit", style="primary")
        self.submit_button.add_class("ilc-intake-submit")
        self.submit_button.on_click(lambda _: self.submit())
        self.form = W.VBox([*rows, W.HBox([self.submit_button]), self.notice])
        self.form.add_class("ilc-intake-form")
        self._sync()
        return self.form

    def _input(self, name: str) -> W.Widget:
        m = self._models
        if name == "role":
            options = [("Choose your role", ""), *((lbl, key) for key, lbl in ROLES.items())]
            return W.Dropdown(options=options, value="", layout=m.input, style=m.choice_style)
        if name == "modality":
            options = [
                ("No preference", ""),
                *((MODALITIES[k], k) for k in ("in_person", "virtual")),
            ]
            return W.Dropdown(options=options, value="", layout=m.input, style=m.choice_style)
        if name == "focus":
            return W.Textarea(
                placeholder=PLACEHOLDERS["focus"],
                layout=W.Layout(width=FIELD_WIDTH, max_width="100%", height="7em"),
                style=m.text_style,
            )
        return W.Text(placeholder=PLACEHOLDERS.get(name, ""), layout=m.input, style=m.text_style)

    def _field(self, name: str) -> W.VBox:
        widget = send_when_left(self._input(name))  # "Submit" never overtakes the last words
        widget.add_class(f"ilc-intake-{name}")
        widget.observe(lambda _c, n=name: self._changed(n), "value")
        self.inputs[name] = widget
        needed = name in PARTICIPANT_REQUIRED or (name == "focus" and self.ctx.role == "intake")
        required = " *" if needed else ""
        field(f"{FIELD_LABELS[name]}{required}", widget, label_width=LABEL_WIDTH)
        error = W.HTML(
            layout=W.Layout(margin=f"0 0 0 {LABEL_WIDTH}", display="none"),
            style=self._models.html_style,
        )
        error.add_class(f"ilc-intake-error-{name}")
        self.errors[name] = error
        plain = self._models.plain
        return W.VBox([widget, error], layout=plain)

    def _facilitator_view(self) -> W.Accordion:
        link = ""
        if self.ctx.role == "facilitator":
            from ...access import access_query

            href = f"./01_gather_themes.ipynb?{access_query(self.net.secret, role='intake')}"
            link = (
                f"<p>Participants' link to this form: <a class='ilc-link ilc-intake-link' "
                f"href='{esc(href)}' target='_blank'>open the intake form</a> (copy its "
                "address to share it, or print the links sheet with QR codes in workbook 2). "
                "It shows the form only, nobody's data.</p>"
            )
        intro = W.HTML(
            "<div class='ilc'><p>Use the form to add one person by hand "
            f"(for example someone who could not open the link).</p>{link}</div>",
            layout=self._models.plain,
            style=self._models.html_style,
        )
        holder = W.VBox([intro], layout=self._models.plain)
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
        shown(error, bool(message))
        widget = self.inputs.get(name)
        if widget is not None:  # the page template sets aria-invalid from this class
            if message:
                widget.add_class("ilc-invalid")
            else:
                widget.remove_class("ilc-invalid")

    def _focus_first_error(self, names: Iterable[str]) -> None:
        """Move the keyboard focus to the first field (in form order) with a problem."""
        wrong = set(names)
        for name in self.FIELDS:
            if name in wrong and name in self.inputs:
                self.inputs[name].focus()
                return

    def clear(self) -> None:
        """Empty every field (after a submission, for the next person)."""
        for name, widget in self.inputs.items():
            widget.value = ""
            self._set_error(name, "")
        self._sync()

    # -- submitting

    def _problems(self, fields: dict[str, str]) -> dict[str, str]:
        return form_problems(fields, self.ctx.role)

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
            self._focus_first_error(problems)
            return None
        self.submit_button.disabled = True
        try:
            actor = "" if self.ctx.role == "intake" else self.ctx.actor
            pid = self.net.add_participant(actor=actor, source="intake", **fields)
        except ImportValidationError as error:
            general = []
            for problem in error.problems:
                message = problem_message(problem, self.ctx.role)
                if problem.column in self.errors:
                    self._set_error(problem.column or "", message)
                else:
                    general.append(message)
            self.notice.show(
                " ".join(general) or "Please fix the fields marked in red; nothing was saved yet.",
                "error",
            )
            self._focus_first_error(p.column or "" for p in error.problems)
            return None
        except Exception as error:
            hint = "Your answers are still here; please try Submit again in a moment."
            write_failed(self.notice, "Submitting the intake form", error, "Not saved", hint)
            return None
        finally:
            self.submit_button.disabled = False
        name = fields["name"]
        self.clear()
        self.submitted = pid
        self.notice.show(self._thanks(name, pid), "success")
        return pid

    def _thanks(self, name: str, pid: str) -> str:
        if self.ctx.role != "intake":
            return f"Added {name} ({pid})."
        first = name.split()[0] if name.split() else name
        return (
            f"Thank you, {first}! Your focus for inquiry was received. "
            "The form is ready for the next person."
        )
