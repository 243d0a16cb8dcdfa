"""Workbook 05's pulse survey: the disclaimer, who is answering, which wave, the statements
on the agreement scale, and Submit (answering again replaces one's answers for that wave).

Researchers (and facilitators) can load their own item set from a file for the page, and
ask every collective the same items; the answers are stored with the item set's name.
"""

from __future__ import annotations

import contextlib
import tempfile
from html import escape as esc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_button import ButtonStyle

from ...efficacy import (
    DEFAULT_ITEM_SET,
    PULSE_DISCLAIMER,
    WAVES,
    ItemSet,
    item_set_to_dict,
    load_item_set,
    scale_text,
)
from ...errors import IlcError, ImportValidationError
from ...format import date_text
from .._kit.notice import guarded
from .._kit.styles import shared
from .pulse_common import ITEM_SET_SETTING, PulseSection, hub_user
from .section import button, dropdown, html, lay, toggles
from .state import missing_numbers, scale_options

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ...session import SessionContext

__all__ = ["PulseSurvey"]


class PulseSurvey(PulseSection):
    """The pulse survey: the disclaimer, who is answering, which wave, the statements on the
    agreement scale, and Submit (answering again replaces one's answers for that wave)."""

    value = T.Dict(help="The answers chosen so far: item id -> score on the scale")
    css_class = "ilc-rv-pulse"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.items: dict[str, Any] = {}
        self._members: dict[str, str] = {}
        self._loaded_for: tuple[str, str, str] | None = None
        self._filling = False
        self.upload: Any = None
        super().__init__(ctx, **kwargs)

    # -- widgets
    def build(self) -> W.Widget:
        """Disclaimer, respondent, wave, the statements (built once shown) and Submit."""
        self.disclaimer = html(cls="ilc-rv-disclaimer-box")
        self.who = dropdown(
            [("(choose your name)", "")], "", "ilc-rv-who", label="I am", width="28em"
        )
        self.who.observe(self._on_who_or_wave, "value")
        self.wave = toggles(
            [(label, w) for w, label in WAVES.items()], "start", "ilc-rv-wave", width="11em"
        )
        self.wave.observe(self._on_who_or_wave, "value")
        self.answered = html(cls="ilc-rv-answered")
        self.items_box = W.VBox(layout=lay(width="100%"))
        self.items_box.add_class("ilc-rv-items")
        self.submit = button("Submit my answers", "ilc-rv-submit", kind="primary")
        self.submit.on_click(lambda _b: self.submit_answers())
        children: list[W.Widget] = [
            self.disclaimer,
            W.HBox([self.who, self.wave], layout=lay(width="100%", flex_flow="row wrap")),
            self.answered,
            self.items_box,
            self.submit,
        ]
        if self.ctx.is_facilitator:
            children.append(self._build_upload())
        self._render_disclaimer()
        return W.VBox(children, layout=lay(width="100%"))

    def _build_upload(self) -> W.Widget:
        self.upload = W.FileUpload(
            accept=".csv,.xlsx,.json",
            multiple=False,
            description="Load an item set…",
            icon="",
            layout=lay(width="auto"),
            style=shared(ButtonStyle),
        )
        self.upload.add_class("ilc-rv-upload")
        self.upload.observe(self._on_upload, "value")
        self.share_button = button("Ask every collective these items", "ilc-rv-share-items")
        self.share_button.on_click(lambda _b: self.share_items())
        self.default_button = button("Use the kit's items", "ilc-rv-default-items")
        self.default_button.on_click(lambda _b: self.use_default_items())
        self.upload_note = html(cls="ilc-rv-upload-note")
        self.upload_note.value = (
            "<div class='ilc-rv-help'>Researchers: load your own items from a CSV, XLSX or "
            "JSON file with the columns item_id, dimension, text and (optionally) reverse. "
            "This page then asks and scores your items; <b>Ask every collective these "
            "items</b> puts them in every collective's workbook. Answers are stored with the "
            "item set's name.</div>"
        )
        return W.VBox(
            [
                html("<div class='ilc'><h3>Your own item set</h3></div>"),
                W.HBox([self.upload, self.share_button, self.default_button], layout=lay()),
                self.upload_note,
            ],
            layout=lay(width="100%"),
        )

    def _render_disclaimer(self) -> None:
        items = self.item_set
        name = (
            ""
            if items is DEFAULT_ITEM_SET
            else f"<div>Item set in use: <b>{esc(items.name)}</b> ({len(items.items)} items).</div>"
        )
        self.disclaimer.value = (
            f"<div class='ilc ilc-rv-disclaimer'><b>A reflective pulse, not a validated "
            f"scale.</b> {esc(PULSE_DISCLAIMER)}<div class='muted'>Scale: "
            f"{esc(scale_text(items))}.</div>{name}</div>"
        )

    def _build_items(self) -> None:
        """One row of buttons per statement, grouped by dimension."""
        items = self.item_set
        options, width = scale_options(items)
        rows: list[W.Widget] = []
        self.items = {}
        number = 0
        for dim, dim_items in items.by_dimension().items():
            if not dim_items:
                continue
            rows.append(html(f"<div class='ilc-rv-dim'>{esc(items.dimensions[dim])}</div>"))
            for item in dim_items:
                number += 1
                rows.append(
                    html(
                        f"<div class='ilc-rv-item'><span class='num'>{number}.</span>"
                        f"{esc(item.text)}</div>"
                    )
                )
                choice = toggles(options, None, "ilc-rv-choice", width=width)
                choice.add_class(f"ilc-rv-item-{item.item_id}")
                choice.observe(self._on_answer, "value")
                self.items[item.item_id] = choice
                rows.append(choice)
        self.items_box.children = tuple(rows)
        self._loaded_for = None
        self._prefill()

    # -- data
    def refresh(self) -> None:
        """Read the members and whether the chosen person has answered this wave."""
        members = self.net.members(self.collective)
        self._members = {str(r.participant_id): str(r.name) for r in members.itertuples()}
        hub = hub_user(self.ctx)
        if hub:
            email = hub.lower()
            match = [
                str(r.participant_id) for r in members.itertuples() if str(r.email).lower() == email
            ]
            who = match[0] if match else hub
            label = self._members.get(who, hub)
            self.who.options = [(f"{label} (signed in)", who)]
            self.who.value = who
            self.who.disabled = True
        else:
            options = [("(choose your name)", "")] + [
                (name, pid) for pid, name in self._members.items()
            ]
            if list(self.who.options) != options:
                current = self.who.value
                self.who.options = options
                self.who.value = current if current in self._members else ""
        if not self.items and self.viewed:
            self._build_items()
        self._prefill()

    def after_view(self) -> None:
        """Build the statements once the page shows."""
        if not self.items:
            self._build_items()

    def switched(self) -> None:
        """Another collective: nobody is chosen, nothing is answered."""
        self.who.options = [("(choose your name)", "")]
        self.who.value = ""
        self._loaded_for = None
        self._clear_answers()

    def item_set_changed(self) -> None:
        """Ask the new item set's statements."""
        self._render_disclaimer()
        if self.viewed and self.shows_something:
            self._build_items()

    @property
    def respondent(self) -> str:
        """Who is answering (a participant id, or the JupyterHub login)."""
        return str(self.who.value or "")

    def _on_who_or_wave(self, _change: Mapping[str, Any]) -> None:
        self.notice.clear()
        self.guard("Loading earlier answers", self._prefill)

    def _on_answer(self, _change: Mapping[str, Any]) -> None:
        if not self._filling:
            self.value = self.answers()

    def answers(self) -> dict[str, int]:
        """The scores chosen so far, by item id."""
        return {i: int(w.value) for i, w in self.items.items() if w.value is not None}

    def _clear_answers(self) -> None:
        self._filling = True
        try:
            for choice in self.items.values():
                choice.value = None
        finally:
            self._filling = False
        self.value = {}

    def _prefill(self) -> None:
        """Show the chosen person's earlier answers for this wave (once per choice)."""
        who, wave = self.respondent, str(self.wave.value)
        key = (who, wave, self.item_set.name)
        if not who:
            self.answered.value = (
                "<div class='muted'>Choose your name, then answer each statement.</div>"
                if self._members or not self.ctx.is_facilitator
                else ""
            )
            if self._loaded_for is not None:
                self._clear_answers()
                self._loaded_for = None
            return
        earlier = self._earlier(who, wave)
        label = WAVES.get(wave, wave).lower()
        if earlier.empty:
            self.answered.value = (
                f"<div class='muted'>Not answered yet for the {esc(label)} pulse.</div>"
            )
        else:
            when = date_text(earlier["submitted_at"].max())
            self.answered.value = (
                f"<div class='ilc-notice info'>Answered for the {esc(label)} pulse on "
                f"{esc(when)}. Submitting again replaces those answers.</div>"
            )
        if key == self._loaded_for or not self.items:
            return
        self._loaded_for = key
        scores = {str(i): int(v) for i, v in zip(earlier["item_id"], earlier["score"], strict=True)}
        self._filling = True
        try:
            for item_id, choice in self.items.items():
                choice.value = scores.get(item_id)
        finally:
            self._filling = False
        self.value = self.answers()

    def _earlier(self, who: str, wave: str) -> pd.DataFrame:
        frame = self.net.pulse_frame(self.collective)
        if frame.empty:
            return frame
        mask = (
            (frame["respondent"].astype(str) == who)
            & (frame["wave"].astype(str) == wave)
            & (frame["item_set"].astype(str) == self.item_set.name)
        )
        return frame[mask]

    # -- submitting
    @guarded("Submitting your answers")
    def submit_answers(self) -> bool:
        """Save the answers (replacing this person's earlier ones for the wave)."""
        self.notice.clear()
        who, wave = self.respondent, str(self.wave.value)
        if not self.items:
            self._build_items()
        if not who:
            self.field_error(self.who, "Choose your name in “I am” before submitting.")
            return False
        answers = self.answers()
        missing = missing_numbers(self.items, answers)
        if missing:
            listed = ", ".join(str(n) for n in missing[:6]) + ("…" if len(missing) > 6 else "")
            self.notice.show(
                f"Answer every statement before submitting ({len(missing)} left: number {listed}).",
                "error",
            )
            return False
        name = self._members.get(who, who)

        def save() -> None:
            self.net.submit_pulse(
                self.collective,
                who,
                wave,
                answers,
                item_set=self.item_set.name,
                actor=self.ctx.actor,
            )

        if not self.guard("Saving your answers", save):
            return False
        self._loaded_for = (who, wave, self.item_set.name)
        self.room.changed()
        self.notice.show(
            f"Thank you, {name}: your answers for the {WAVES[wave].lower()} pulse are saved. "
            "Answering again replaces them.",
            "success",
        )
        return True

    # -- item sets
    def _on_upload(self, change: Mapping[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        first = files[0]
        self.load_items(str(first["name"]), bytes(first["content"]))
        with contextlib.suppress(Exception):
            self.upload.value = ()

    @guarded("Loading the item set")
    def load_items(self, filename: str, content: bytes) -> ItemSet | None:
        """Read an item set file (CSV, XLSX or JSON) and use it on this page."""
        self.notice.clear()
        name = Path(filename).name or "items.csv"
        with tempfile.TemporaryDirectory(prefix="ilc-items-") as folder:
            path = Path(folder) / name
            path.write_bytes(content)
            try:
                found = load_item_set(path)
            except ImportValidationError as exc:
                problems = "".join(f"<li>{esc(str(p))}</li>" for p in exc.problems[:20])
                self.upload_note.value = (
                    f"<div class='ilc-notice error'><b>{esc(name)} was not loaded</b>: "
                    f"{exc.total} problem{'s' if exc.total != 1 else ''}."
                    f"<ul>{problems}</ul></div>"
                )
                self.notice.show(f"{name} was not loaded: see the problems listed above.", "error")
                return None
            except (IlcError, ValueError, OSError) as exc:
                self.upload_note.value = ""
                self.notice.show(f"{name} was not loaded: {exc}", "error")
                return None
        self.room.item_set = found
        dims = ", ".join(found.dimensions.values())
        self.upload_note.value = (
            f"<div class='ilc-notice success'>Using the item set <b>{esc(found.name)}</b>: "
            f"{len(found.items)} statements in {len(found.dimensions)} dimensions "
            f"({esc(dims)}).</div>"
        )
        return found

    @guarded("Sharing the item set")
    def share_items(self) -> bool:
        """Ask every collective the item set in use on this page (stored in the network's
        settings; pages opened from now on use it)."""
        self.notice.clear()
        items = self.item_set
        if items.name == DEFAULT_ITEM_SET.name:
            self.notice.show("Load an item set first: every collective already uses these.")
            return False

        def save() -> None:
            self.net.update_settings(
                actor=self.ctx.actor, **{ITEM_SET_SETTING: item_set_to_dict(items)}
            )

        if not self.guard("Sharing the item set", save):
            return False
        self.room.shared_items = items
        self.notice.show(
            f"Every collective's pulse now asks the item set '{items.name}' (pages opened "
            "from now on).",
            "success",
        )
        return True

    @guarded("Going back to the kit's items")
    def use_default_items(self) -> None:
        """Go back to the kit's own items, on this page and, if another set was shared, for
        every collective."""
        self.notice.clear()
        if isinstance(self.room.shared_items, ItemSet):

            def save() -> None:
                self.net.update_settings(actor=self.ctx.actor, **{ITEM_SET_SETTING: None})

            if not self.guard("Going back to the kit's items", save):
                return
            self.room.shared_items = None
        self.room.item_set = None
        if self.upload is not None:
            self.upload_note.value = (
                "<div class='ilc-notice info'>Using the kit's own items, in every collective.</div>"
            )
