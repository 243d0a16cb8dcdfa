"""Workbook 05: the collective leader efficacy pulse (the survey) and its results.

The pulse is a reflective tool, not a validated scale, and says so wherever it appears
(:data:`~ilc_widgets.efficacy.PULSE_DISCLAIMER`). Members answer it at the start of
inquiry and again at review; answering again replaces one's answers for that wave.
Researchers (and facilitators) can load their own item set from a file for the page; the
answers are stored with the item set's name.

Results show, per dimension, the start and review means with their n and the change;
inside a collective's own workbook the members see their own group's results, with n next
to every figure and a plain note when n is small (suppression in shared reports is the
network report's job).
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W
import pandas as pd
import traitlets as T
from ipywidgets.widgets.widget_button import ButtonStyle

from ..efficacy import (
    DEFAULT_ITEM_SET,
    PULSE_DISCLAIMER,
    WAVES,
    ItemSet,
    PulseDataError,
    item_set_from_dict,
    item_set_to_dict,
    load_item_set,
    pulse_change,
    scale_text,
)
from ..errors import IlcError, ImportValidationError
from ..format import date_text
from ._base import esc, shared
from .dashboard import (
    ReviewSection,
    button,
    cached_svg,
    chart_key,
    dropdown,
    html,
    lay,
    no_chart,
    remember_svg,
    room_of,
    toggles,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..network import Network
    from ..session import SessionContext

__all__ = ["ITEM_SET_SETTING", "PulseResults", "PulseSurvey", "network_item_set"]

ITEM_SET_SETTING: Final = "pulse_item_set"
"""The network setting that holds the item set every collective's pulse asks (when set)."""

SHORT_LABELS: Final[dict[int, str]] = {
    1: "1 · Strongly disagree",
    2: "2 · Disagree",
    3: "3 · Neither",
    4: "4 · Agree",
    5: "5 · Strongly agree",
}
"""Button labels for the default agreement scale (3 is "Neither agree nor disagree")."""

CSS: Final = """
<style>
.ilc-rv-disclaimer { border: 2px solid #57606a; border-left-width: 8px; border-radius: 6px;
  background: #f6f8fa; padding: .45em .8em; margin: .3em 0 .5em; line-height: 1.4;
  max-width: 60em; }
.ilc-rv-dim { font-weight: 700; font-size: 1.05em; margin: .7em 0 .1em;
  border-bottom: 2px solid #d0d7de; max-width: 60em; }
.ilc-rv-item { margin: .35em 0 .05em; line-height: 1.35; }
.ilc-rv-item .num { font-weight: 700; margin-right: .3em; }
.ilc-rv-pulse .widget-toggle-buttons .widget-toggle-button { font-size: .88em; }
.ilc-rv-pulse .widget-toggle-buttons .mod-active { font-weight: 700; outline: 2px solid #1b1f24; }
.ilc-rv-answered { margin: .3em 0; }
.ilc table.ilc-table.ilc-rv-table td.num, .ilc table.ilc-table.ilc-rv-table th.num {
  text-align: right; white-space: nowrap; }
.ilc-rv-smalln { border: 2px dashed #9a6700; background: #fff8c5; border-radius: 6px;
  padding: .35em .7em; margin: .4em 0; max-width: 60em; line-height: 1.4; }
.ilc-rv-results-chart svg { width: 100%; max-width: 620px; height: auto; }
</style>
"""


def _hub_user(ctx: SessionContext) -> str:
    """The JupyterHub login of this session ('' outside JupyterHub)."""
    user = os.environ.get("JUPYTERHUB_USER", "")
    return user if user and ctx.actor == user else ""


def _answers_frame(responses: pd.DataFrame, item_set: ItemSet) -> pd.DataFrame:
    """The stored answers of one item set, in the columns efficacy's scoring reads."""
    if responses.empty:
        return pd.DataFrame(columns=["respondent", "wave", "item_id", "score"])
    mine = responses[responses["item_set"].astype(str) == item_set.name]
    return mine[["respondent", "wave", "item_id", "score"]].reset_index(drop=True)


def _other_sets(responses: pd.DataFrame, item_set: ItemSet) -> str:
    if responses.empty:
        return ""
    others = responses[responses["item_set"].astype(str) != item_set.name]
    if others.empty:
        return ""
    people = others.groupby("item_set")["respondent"].nunique()
    listed = ", ".join(
        f"'{name}' ({n} {'person' if n == 1 else 'people'})" for name, n in people.items()
    )
    return (
        f"Answers to other item sets are stored too: {listed}. Their results show when that "
        "item set is loaded on this page."
    )


def network_item_set(net: Network) -> ItemSet | None:
    """The item set a researcher or facilitator shared with every collective (None when the
    kit's own items are used, or when the stored one cannot be read)."""
    data = net.settings.get(ITEM_SET_SETTING)
    if not data:
        return None
    try:
        return item_set_from_dict(data)
    except ValueError:
        return None


class _PulseBase(ReviewSection):
    """What the survey and its results share: the item set in use on the page."""

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        room = room_of(ctx)
        if not room.shared_loaded:
            room.shared_loaded = True
            with contextlib.suppress(Exception):  # a settings hiccup leaves the kit's items
                room.shared_items = network_item_set(ctx.require_network())
        super().__init__(ctx, **kwargs)
        self.room.observe(self._on_item_set, ["item_set", "shared_items"])

    @property
    def item_set(self) -> ItemSet:
        """The item set in use: one loaded on this page, else the one shared with every
        collective, else the kit's own."""
        for found in (self.room.item_set, self.room.shared_items):
            if isinstance(found, ItemSet):
                return found
        return DEFAULT_ITEM_SET

    def _on_item_set(self, _change: Mapping[str, Any]) -> None:
        self.guard("Changing the item set", self.item_set_changed)

    def item_set_changed(self) -> None:
        """The page's item set changed."""

    def close(self) -> None:
        """Stop following the page's item set and close."""
        with contextlib.suppress(Exception):
            self.room.unobserve(self._on_item_set, ["item_set", "shared_items"])
        super().close()


class PulseSurvey(_PulseBase):
    """The pulse survey: the disclaimer, who is answering, which wave, the statements on the
    agreement scale, and Submit (answering again replaces one's answers for that wave)."""

    value = T.Dict(help="The answers chosen so far: item id -> score on the scale")
    title_text = "Collective leader efficacy pulse"
    intro_text = (
        "Nine short statements about how your collective works together, answered at the "
        "start of the inquiry and again at review. It takes about two minutes."
    )
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
        self.submit = button("Submit my answers", "ilc-rv-submit", kind="primary", icon="check")
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
            icon="upload",
            layout=lay(width="auto"),
            style=shared(ButtonStyle),
        )
        self.upload.add_class("ilc-rv-upload")
        self.upload.observe(self._on_upload, "value")
        self.share_button = button(
            "Ask every collective these items", "ilc-rv-share-items", icon="share"
        )
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
            f"{CSS}<div class='ilc ilc-rv-disclaimer'><b>A reflective pulse, not a validated "
            f"scale.</b> {esc(PULSE_DISCLAIMER)}<div class='muted'>Scale: "
            f"{esc(scale_text(items))}.</div>{name}</div>"
        )

    def _build_items(self) -> None:
        """One row of buttons per statement, grouped by dimension."""
        items = self.item_set
        scale = range(items.scale_min, items.scale_max + 1)
        labels = SHORT_LABELS if items.scale_labels == DEFAULT_ITEM_SET.scale_labels else {}
        options = [(labels.get(k) or items.scale_labels.get(k) or str(k), k) for k in scale]
        width = "11.5em" if labels or items.scale_labels else "3.5em"
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
        hub = _hub_user(self.ctx)
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
    def submit_answers(self) -> bool:
        """Save the answers (replacing this person's earlier ones for the wave)."""
        self.notice.clear()
        who, wave = self.respondent, str(self.wave.value)
        if not self.items:
            self._build_items()
        if not who:
            self.notice.show("Choose your name in “I am” before submitting.", "error")
            return False
        answers = self.answers()
        missing = [n for n, i in enumerate(self.items, start=1) if i not in answers]
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


class PulseResults(_PulseBase):
    """Per dimension: the start and review means with their n, the change, and the change
    among the people who answered both; a chart and a table."""

    value: T.List[Any] = T.List(
        help="Per dimension: start and review means with their n, and the change"
    )
    title_text = "Pulse results: before and after"
    intro_text = (
        "Each dimension's mean agreement at the start of the inquiry and at review, and the "
        "change. n is the number of people behind each figure."
    )
    css_class = "ilc-rv-pulse-results"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.table: pd.DataFrame | None = None
        self._chart_pending: tuple[str, dict[str, Any]] | None = None
        super().__init__(ctx, **kwargs)

    def build(self) -> W.Widget:
        """Disclaimer line, small-n note, chart and table."""
        self.note = html(cls="ilc-rv-results-note")
        self.chart = html(cls="ilc-rv-results-chart")
        self.table_html = html(cls="ilc-rv-results-table")
        return W.VBox([self.note, self.chart, self.table_html], layout=lay(width="100%"))

    def item_set_changed(self) -> None:
        """Score the new item set."""
        self.safe_refresh()

    def switched(self) -> None:
        """Another collective."""
        self.chart.value = ""

    @property
    def min_n(self) -> int:
        """Below this many people a figure is called small (the network's privacy minimum)."""
        try:
            return int(self.net.settings.get("min_cell_size", 10))
        except (TypeError, ValueError):
            return 10

    def refresh(self) -> None:
        """Score the collective's answers and draw the table (the chart once shown)."""
        items = self.item_set
        responses = self.net.pulse_frame(self.collective)
        answers = _answers_frame(responses, items)
        others = _other_sets(responses, items)
        disclaimer = (
            f"{CSS}<div class='muted ilc'>A reflective pulse, not a validated scale: use it to "
            "start a conversation, not to rate people or compare collectives.</div>"
        )
        if answers.empty:
            self.table = None
            self.value = []
            self.chart.value = ""
            self._chart_pending = None
            self.note.value = disclaimer
            self.table_html.value = (
                "<div class='ilc'><p>No one has answered this pulse yet. Answer it above; "
                f"the results appear here.</p>{self._others(others)}</div>"
            )
            return
        try:
            table = pulse_change(answers, items)
        except PulseDataError as exc:
            self.table = None
            self.value = []
            self.chart.value = ""
            self.note.value = disclaimer
            self.table_html.value = ""
            self.notice.show(f"The stored answers cannot be scored: {exc}", "error")
            return
        self.table = table
        self.value = [
            {
                "dimension": str(r["dimension"]),
                "mean_start": _opt(r["mean_start"]),
                "n_start": int(r["n_start"]),
                "mean_review": _opt(r["mean_review"]),
                "n_review": int(r["n_review"]),
                "change": _opt(r["change"]),
                "n_both": int(r["n_both"]),
                "paired_change": _opt(r["paired_change"]),
            }
            for r in table.to_dict("records")
        ]
        self.note.value = disclaimer + self._small_n_note(table)
        self.table_html.value = self._table(table) + self._others(others)
        spec = {
            "categories": [str(x) for x in table["dimension_label"]],
            "before": [_opt(x) for x in table["mean_start"]],
            "after": [_opt(x) for x in table["mean_review"]],
            "n_before": [int(x) for x in table["n_start"]],
            "n_after": [int(x) for x in table["n_review"]],
            "scale": (float(items.scale_min), float(items.scale_max)),
        }
        key = chart_key("pulse", spec)
        found = cached_svg(key)
        if found is not None:
            self.chart.value = f"<div class='ilc'>{found}</div>"
            self._chart_pending = None
        else:
            self._chart_pending = (key, spec)
            if self.viewed:
                self._draw_chart()
            else:
                self.chart.value = "<div class='ilc-rv-pending'>Drawing the chart…</div>"

    def after_view(self) -> None:
        """Draw the chart once the page shows."""
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self._chart_pending is None:
            return
        key, spec = self._chart_pending
        self._chart_pending = None
        from ..charts import before_after_svg

        try:
            svg = before_after_svg(
                spec["categories"],
                spec["before"],
                spec["after"],
                n_before=spec["n_before"],
                n_after=spec["n_after"],
                labels=(WAVES["start"], WAVES["review"]),
                scale=spec["scale"],
                ylabel="Mean agreement",
            )
        except Exception as exc:  # the table still shows when a chart cannot be drawn
            self.chart.value = no_chart(exc)
            return
        remember_svg(key, svg)
        self.chart.value = f"<div class='ilc'>{svg}</div>"

    def _small_n_note(self, table: pd.DataFrame) -> str:
        largest = int(max(table["n_start"].max(), table["n_review"].max()))
        if largest >= self.min_n:
            return ""
        return (
            "<div class='ilc ilc-rv-smalln'><b>Small numbers.</b> These figures come from "
            f"{largest} {'person' if largest == 1 else 'people'} or fewer. With fewer than "
            f"{self.min_n} people, one person's answers move a mean a lot: read the numbers as "
            "a starting point for the group's conversation, not as a measurement. n is shown "
            "next to every figure.</div>"
        )

    def _table(self, table: pd.DataFrame) -> str:
        head = (
            "<tr><th>Dimension</th><th class='num'>Start of inquiry</th>"
            "<th class='num'>Review</th><th class='num'>Change</th>"
            "<th class='num'>Change among people who answered both</th></tr>"
        )
        rows = []
        for r in table.to_dict("records"):
            rows.append(
                f"<tr><td>{esc(str(r['dimension_label']))}</td>"
                f"<td class='num'>{_mean_n(r['mean_start'], r['n_start'])}</td>"
                f"<td class='num'>{_mean_n(r['mean_review'], r['n_review'])}</td>"
                f"<td class='num'>{_change(r['change'])}</td>"
                f"<td class='num'>{_change(r['paired_change'])} (n {int(r['n_both'])})</td></tr>"
            )
        only_start = int(table["n_review"].max()) == 0
        only_review = int(table["n_start"].max()) == 0
        waiting = ""
        if only_start:
            waiting = (
                "<p class='muted'>No review answers yet: the change appears once the group "
                "answers the pulse again at review.</p>"
            )
        elif only_review:
            waiting = "<p class='muted'>No start-of-inquiry answers were recorded.</p>"
        return (
            "<div class='ilc'><table class='ilc-table ilc-rv-table'>"
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{waiting}"
            f"<div class='ilc-rv-help'>Means on the scale of {esc(self._scale_words())}. The "
            "last column follows the same people from start to review, so it is not affected "
            "by who joined or missed a wave.</div></div>"
        )

    def _scale_words(self) -> str:
        items = self.item_set
        low, high = items.scale_min, items.scale_max
        low_label = items.scale_labels.get(low, "")
        high_label = items.scale_labels.get(high, "")
        if low_label and high_label:
            return f"{low} ({low_label.lower()}) to {high} ({high_label.lower()})"
        return f"{low} to {high}"

    @staticmethod
    def _others(text: str) -> str:
        return f"<p class='muted'>{esc(text)}</p>" if text else ""


def _opt(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _mean_n(mean: Any, n: Any) -> str:
    value = _opt(mean)
    count = int(n or 0)
    if value is None or count == 0:
        return "no answers (n 0)"
    return f"{value:.2f} (n {count})"


def _change(value: Any) -> str:
    number = _opt(value)
    if number is None:
        return "–"
    return f"{number:+.2f}"
