"""The Collaborative Inquiry Placemat builder of workbook 03.

A form laid out like the placemat (problem of practice first and framed, then priorities,
the theory of action, leading and lagging indicators, the evidence plan), a live
completeness and quality check beside it, saving as people type, live updates from the
other people editing, a conflict panel when two edits meet, the version history and the
printable export.

Saving: every change marks the form dirty and starts a :class:`Debouncer`; when typing
pauses the placemat is saved from the version it was loaded at. Someone else's save is
picked up by a :class:`Poller`. Edits that do not touch the same field are merged
automatically (three-way, against the version both started from; the rules are in
:mod:`ilc_widgets.merge`); edits that do are never written over each other: the conflict
panel lets the person keep theirs, take the other, or merge field by field.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..errors import ConflictError, IlcError
from ..format import DONE_MARK, TODO_MARK, as_date, input_number
from ..merge import (
    MergeResult,
    Path,
    apply_choices,
    clone,
    merge_placemats,
    resolve,
)
from ..merge import merge_order as merge_order  # re-exported: the old import path
from ..merge import merge_priorities as merge_priorities
from ..placemat import (
    Check,
    Indicator,
    Placemat,
    TheoryStep,
    check_placemat,
)
from ..vocab import CADENCES, EVIDENCE_TYPES, TOA_LEVELS
from ._base import (
    Debouncer,
    Notice,
    Poller,
    button,
    esc,
    install_shutdown_grace,
    shared,
    style,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from ..network import Network, PlacematState
    from ..session import SessionContext

SAVE_DELAY = 0.8
POLL_INTERVAL = 2.0
EXIT_NOTE = "saved as the page closed: both texts kept where two edits met"

# --------------------------------------------------------------------------- helpers

CHECK_TITLES = {
    "problem_written": "Problem of practice written out",
    "problem_in_influence": "Problem within the group's influence",
    "problem_observable": "Problem is observable",
    "priorities": "At least one priority ranked",
    "theory_chain": "Theory of action: two or more if/then steps",
    "theory_ends_with_students": "Theory of action ends with students",
    "has_leading": "At least one leading indicator",
    "has_lagging": "At least one lagging indicator",
    "indicators_baseline_target": "Every indicator has a baseline and a target",
    "evidence_plan_types": "Evidence planned across three or more types",
    "indicators_named": "Every indicator named",
}

CSS = """
<style>
.ilc-pm { max-width: 1240px; }
.ilc-pm .ilc-pm-card { border: 1px solid #8c959f; border-radius: 8px; padding: 6px 12px 10px;
  margin: 6px 0; background: #fff; box-sizing: border-box; }
.ilc-pm .ilc-pm-centre { border: 4px double #1b1f24; background: #fcfcf8; }
.ilc-pm .ilc-pm-h { font-weight: 700; font-size: 1.12em; margin: 2px 0 0; color: #1b1f24; }
.ilc-pm .ilc-pm-hint { color: #57606a; font-size: .9em; margin: 0 0 4px; line-height: 1.35; }
.ilc-pm .ilc-pm-lbl { font-size: .85em; font-weight: 600; color: #32383f; line-height: 1.2;
  margin-top: 2px; }
.ilc-pm .ilc-pm-rank { font-weight: 700; text-align: right; padding-right: 6px; }
.ilc-pm .ilc-pm-step { border-left: 4px solid #57606a; padding-left: 8px; margin: 2px 0; }
.ilc-pm .ilc-pm-arrow { text-align: center; font-size: 1.2em; line-height: 1; color: #57606a; }
.ilc-pm .ilc-pm-ind { border: 1px solid #d0d7de; border-radius: 6px; padding: 4px 8px 8px;
  margin: 4px 0; background: #fafbfc; }
.ilc-pm .ilc-pm-warn { color: #9a6700; font-size: .85em; }
.ilc-pm textarea { font-family: inherit; font-size: .97em; line-height: 1.35; }
.ilc-pm .ilc-pm-problem textarea { font-size: 1.05em; }
.ilc-pm .ilc-pm-side { position: sticky; top: 8px; align-self: flex-start;
  max-height: calc(100vh - 16px); overflow-y: auto; }
.jp-OutputArea:has(.ilc-pm-side), .jp-OutputArea-child:has(.ilc-pm-side),
.jp-OutputArea-output:has(.ilc-pm-side), .widget-box:has(> * .ilc-pm-side),
.widget-box:has(> .ilc-pm-side), .jp-OutputArea:has(.ilc-pm-alert-bar),
.jp-OutputArea-child:has(.ilc-pm-alert-bar), .jp-OutputArea-output:has(.ilc-pm-alert-bar),
.widget-box:has(> .ilc-pm-alert-bar) { overflow: visible; }
.ilc-pm .ilc-pm-check ul { list-style: none; padding-left: 0; margin: .3em 0; }
.ilc-pm .ilc-pm-check li { margin: 0 0 .45em; line-height: 1.3; font-size: .93em; }
.ilc-pm .ilc-pm-check .mark { display: inline-block; width: 1.3em; font-weight: 700; }
.ilc-pm .ilc-pm-bar { border: 1px solid #1b1f24; height: 14px; border-radius: 7px;
  overflow: hidden; background: #fff; margin: .2em 0; }
.ilc-pm .ilc-pm-bar > div { height: 100%; background: #1f5f8b; }
.ilc-pm .ilc-pm-status { font-size: .92em; color: #32383f; }
.ilc-pm .ilc-pm-conflict-box { border: 2px solid #9a6700; background: #fff8c5;
  border-radius: 8px; padding: 8px 12px; margin: 6px 0; }
.ilc-pm .ilc-pm-both { display: flex; gap: 8px; }
.ilc-pm .ilc-pm-alert-bar { position: sticky; top: 0; z-index: 20; }
.ilc-pm .ilc-pm-alert { border: 2px solid #9a6700; background: #fff8c5; border-radius: 6px;
  padding: 6px 10px; box-shadow: 0 2px 6px rgba(0,0,0,.25); }
.ilc-pm .ilc-pm-alert a { font-weight: 700; }
#ilc-pm-conflict { scroll-margin-top: 60px; }
.ilc-pm .ilc-pm-both > div { flex: 1; border: 1px solid #8c959f; border-radius: 5px;
  padding: 4px 6px; background: #fff; white-space: pre-wrap; font-size: .92em; }
.ilc-pm .ilc-pm-gridhead { font-weight: 700; font-size: .88em; }
.ilc-pm .widget-button { min-width: 2.2em; }
.ilc-pm .widget-html-content { line-height: 1.35; }
.ilc-pm .ilc-pm-step-level .widget-label { font-weight: 700; text-align: left; }
.ilc-pm .ilc-pm-priority .widget-label { font-weight: 700; }
.ilc-pm .ilc-pm-ind .widget-label { color: #32383f; }
.ilc-pm button.ilc-pm-add { background: #fff; border: 1px dashed #57606a; }
.ilc-pm .ilc-pm-map { display: grid; grid-template-columns: 1fr 1.3fr 1fr; gap: 3px;
  margin: .3em 0 .6em; font-size: .78em; line-height: 1.2; }
.ilc-pm .ilc-pm-map div { border: 1px solid #57606a; padding: 3px 4px; min-height: 2.4em; }
.ilc-pm .ilc-pm-map div.pop { border: 3px double #1b1f24; font-weight: 700; }
.ilc-pm .ilc-pm-map div.todo { border-style: dashed; color: #57606a; }
.ilc-pm .widget-accordion .lm-AccordionPanel, .ilc-pm .jupyter-widget-Collapse-contents {
  padding: 6px 8px; }
</style>
"""


def _lay(**traits: Any) -> W.Layout:
    return shared(W.Layout, **traits)


def _text_style(width: str) -> TextStyle:
    return shared(TextStyle, description_width=width)


def _desc_style(width: str) -> DescriptionStyle:
    return shared(DescriptionStyle, description_width=width)


def _html(text: str, cls: str = "") -> W.HTML:
    widget = W.HTML(text, layout=_lay(margin="0"), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def _label(text: str) -> W.HTML:
    return _html(f"<div class='ilc-pm-lbl'>{esc(text)}</div>")


def _field(text: str, widget: W.Widget) -> W.VBox:
    return W.VBox([_label(text), widget], layout=_lay(width="100%"))


def _textarea(
    value: str,
    placeholder: str,
    rows: int,
    cls: str,
    *,
    label: str = "",
    width: str = "100%",
    label_width: str = "6.5em",
) -> W.Textarea:
    widget = W.Textarea(
        value=value,
        placeholder=placeholder,
        rows=rows,
        continuous_update=True,
        description=label,
        layout=_lay(width=width),
        style=_text_style(label_width if label else ""),
    )
    widget.add_class(cls)
    return widget


def _text(
    value: str, placeholder: str, cls: str, *, label: str = "", width: str = "100%"
) -> W.Text:
    widget = W.Text(
        value=value,
        placeholder=placeholder,
        continuous_update=True,
        description=label,
        layout=_lay(width=width),
        style=_text_style("initial" if label else ""),
    )
    widget.add_class(cls)
    return widget


def _button(label: str, cls: str, *, kind: str = "", icon: str = "") -> W.Button:
    widget = W.Button(
        description=label,
        tooltip=label,
        button_style=kind,
        icon=icon,
        layout=_lay(width="auto"),
        style=shared(W.ButtonStyle),
    )
    widget.add_class(cls)
    return widget


def _small_button(label: str, tooltip: str, cls: str) -> W.Button:
    widget = W.Button(
        description=label, tooltip=tooltip, layout=_lay(width="2.6em"), style=shared(W.ButtonStyle)
    )
    widget.add_class(cls)
    return widget


def _dropdown(
    options: Any,
    value: str,
    cls: str,
    *,
    label: str = "",
    width: str = "100%",
    label_width: str = "6.5em",
) -> W.Dropdown:
    widget = W.Dropdown(
        options=options,
        value=value,
        description=label,
        layout=_lay(width=width),
        style=_desc_style(label_width if label else ""),
    )
    widget.add_class(cls)
    return widget


def _card(title: str, hint: str, children: Sequence[W.Widget], cls: str) -> W.VBox:
    head = _html(
        f"<div class='ilc-pm-h'>{esc(title)}</div><div class='ilc-pm-hint'>{esc(hint)}</div>"
    )
    box = W.VBox([head, *children], layout=_lay(width="100%"))
    box.add_class("ilc-pm-card")
    box.add_class(cls)
    return box


def parse_number(text: str) -> float | None:
    """A baseline or target typed by a person: ``38``, ``38.5``, ``38%``, ``1,200``.

    Empty text is None; anything else that is not a number raises ValueError.
    """
    cleaned = text.strip().replace(",", "").replace("%", "").replace(" ", "")
    if not cleaned:
        return None
    return float(cleaned)


def _clock(when: dt.datetime | None) -> str:
    """HH:MM in the server's local time (stored times are UTC)."""
    if when is None:
        return dt.datetime.now().strftime("%H:%M")
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone().strftime("%H:%M")


def _when(saved: Any) -> str:
    """A stored timestamp as "23 Nov 14:32" in the server's local time."""
    if saved is None or saved != saved:  # None or NaT
        return ""
    stamp: dt.datetime = saved.to_pydatetime() if hasattr(saved, "to_pydatetime") else saved
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone().strftime("%d %b %H:%M")


def _walk(widget: W.Widget) -> Iterator[W.Widget]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)


def _set_value(widget: W.Widget, value: Any) -> None:
    if widget.value != value:
        widget.value = value


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
    return f"<div class='ilc-pm-map' aria-label='Placemat sections'>{''.join(cells)}</div>"


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
        f"<div class='ilc-pm-bar' role='progressbar' aria-valuenow='{pct}' aria-valuemin='0' "
        f"aria-valuemax='100'><div style='width:{pct}%'></div></div>"
        f"<div class='ilc-pm-complete'><b>{pct}% complete</b> · {done} of {total} checks</div>"
        f"{placemat_map(checks)}{next_steps}{done_list}</div>"
    )


# --------------------------------------------------------------------------- rows


class _PriorityRow(W.HBox):  # type: ignore[misc]
    """One ranked priority: rank, text, up, down, remove."""

    def __init__(self, index: int, text: str, total: int) -> None:
        self.index = index
        self.text = W.Text(
            value=text,
            placeholder="A priority the group will work on",
            description=f"{index + 1}.",
            continuous_update=True,
            layout=_lay(flex="1 1 auto"),
            style=_text_style("2em"),
        )
        self.text.add_class("ilc-pm-priority")
        self.up = _small_button("↑", "Move up", "ilc-pm-up")
        self.down = _small_button("↓", "Move down", "ilc-pm-down")
        self.remove = _small_button("✕", "Remove this priority", "ilc-pm-remove")
        self.up.disabled = index == 0
        self.down.disabled = index == total - 1
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
        self.up = _small_button("↑", "Move this step up", "ilc-pm-up")
        self.down = _small_button("↓", "Move this step down", "ilc-pm-down")
        self.remove = _small_button("✕", "Remove this step", "ilc-pm-remove")
        self.up.disabled = index == 0
        self.down.disabled = index == total - 1
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
        head = W.HBox(
            [self.level, W.HBox([self.up, self.down, self.remove], layout=_lay())],
            layout=_lay(width="100%", align_items="center", justify_content="space-between"),
        )
        body = W.HBox([self.if_text, self.then_text], layout=_lay(width="100%"))
        super().__init__([head, body], layout=_lay(width="100%"))
        self.add_class("ilc-pm-step")


class _IndicatorCard(W.VBox):  # type: ignore[misc]
    """One leading or lagging indicator."""

    def __init__(self, ind: Indicator) -> None:
        self.ind_id = ind.id
        self.name = W.Text(
            value=ind.name,
            placeholder="e.g. Walkthroughs with all look-fors",
            description="Name",
            continuous_update=True,
            layout=_lay(flex="1 1 auto"),
            style=_text_style("6.5em"),
        )
        self.name.add_class("ilc-pm-ind-name")
        self.remove = _small_button("✕", "Remove this indicator", "ilc-pm-remove")
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
        self.baseline = W.Text(
            value=input_number(ind.baseline),
            placeholder="now",
            description="Baseline",
            continuous_update=True,
            layout=_lay(width="11em"),
            style=_text_style("6.5em"),
        )
        self.baseline.add_class("ilc-pm-ind-baseline")
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


# --------------------------------------------------------------------------- conflict panel


class ConflictPanel(W.VBox):  # type: ignore[misc]
    """Shown when a save meets a newer version: keep mine, take theirs, or merge."""

    def __init__(
        self,
        theirs: PlacematState,
        result: MergeResult,
        *,
        on_resolve: Callable[[Placemat, str], None],
    ) -> None:
        self.theirs = theirs
        self.result = result
        who = theirs.updated_by or "someone"
        head = _html(
            "<div id='ilc-pm-conflict' class='ilc-pm-h'>Someone else saved the placemat while "
            "you were editing</div>"
            f"<div class='ilc-pm-hint'>Version {theirs.version} was saved by {esc(who)} at "
            f"{esc(_clock(theirs.updated_at))}. Your changes are not saved yet and nothing "
            "has been overwritten. You both changed what is shown below: keep yours, take "
            "theirs, or merge the two.</div>"
        )
        self.keep_button = button("Keep mine", style="warning", tooltip="Keep my text above")
        self.take_button = button("Take theirs", tooltip="Take their text above")
        self.merge_button = button("Merge…", style="info", tooltip="Combine both, field by field")
        for b, cls in (
            (self.keep_button, "ilc-pm-keep"),
            (self.take_button, "ilc-pm-take"),
            (self.merge_button, "ilc-pm-merge"),
        ):
            b.add_class(cls)
        self.keep_button.on_click(lambda _: on_resolve(resolve(result, "mine"), "mine"))
        self.take_button.on_click(lambda _: on_resolve(resolve(result, "theirs"), "theirs"))
        self.merge_button.on_click(lambda _: self.show_merge())
        self.editors: dict[Path, W.Widget] = {}
        rows: list[W.Widget] = []
        for c in result.conflicts:
            both = _html(
                f"<div class='ilc-pm-lbl'>{esc(c.label)}</div><div class='ilc-pm-both'>"
                f"<div><b>Theirs:</b>\n{esc(c.theirs)}</div>"
                f"<div><b>Yours:</b>\n{esc(c.mine)}</div></div>"
            )
            if c.kind == "text":
                editor: W.Widget = W.Textarea(
                    value=str(c.default),
                    rows=max(2, min(8, str(c.default).count("\n") + 2)),
                    layout=_lay(width="100%"),
                )
            else:
                editor = W.RadioButtons(
                    options=list(c.choices), value=c.default, layout=_lay(width="100%")
                )
            editor.add_class("ilc-pm-merge-editor")
            self.editors[c.path] = editor
            rows.append(W.VBox([both]))
        self.merge_rows = [
            W.VBox([_label("Merged (edit before saving)"), ed], layout=W.Layout(display="none"))
            for ed in self.editors.values()
        ]
        for row, merge_row in zip(rows, self.merge_rows, strict=True):
            row.children = (*row.children, merge_row)
        self.save_merge_button = button("Save merged version", style="success")
        self.save_merge_button.add_class("ilc-pm-save-merge")
        self.save_merge_button.layout.display = "none"
        self.save_merge_button.on_click(lambda _: on_resolve(self.merged(), "merged"))
        auto = (
            "<div class='ilc-pm-hint'>Whatever you choose, everything else either of you "
            "changed is kept: only the places above differ.</div>"
        )
        box = W.VBox(
            [
                head,
                *rows,
                _html(auto),
                W.HBox([self.keep_button, self.take_button, self.merge_button]),
                self.save_merge_button,
            ]
        )
        box.add_class("ilc-pm-conflict-box")
        super().__init__([box], layout=W.Layout(width="100%"))
        self.add_class("ilc-pm-conflict")

    def show_merge(self) -> None:
        """Reveal the merged result of each clash, editable, and the save button."""
        for row in self.merge_rows:
            row.layout.display = "flex"
        self.save_merge_button.layout.display = ""

    def merged(self) -> Placemat:
        """The merged placemat with what the person chose or wrote in each editor."""
        chosen = {path: ed.value for path, ed in self.editors.items()}
        return apply_choices(self.result, chosen)


# --------------------------------------------------------------------------- editor


class PlacematEditor(W.VBox):  # type: ignore[misc]
    """The placemat form of one collective, saving as people type."""

    value = T.Dict(help="The placemat document being edited (as stored)")

    def __init__(
        self,
        network: Network,
        code: str,
        *,
        actor: str,
        participant: bool = False,
        save_delay: float = SAVE_DELAY,
        **kwargs: Any,
    ) -> None:
        self.network = network
        self.code = code
        self.base_actor = actor
        self.collective = network.collective(code)
        state = network.placemat(code)
        self._doc = clone(state.placemat)
        self._base = clone(state.placemat)
        self._version = state.version
        self._saved_at = state.updated_at
        self._saved_by = state.updated_by
        self._dirty = False
        self._loading = False
        self._syncing = False
        self._locked = False
        self.conflict: ConflictPanel | None = None
        self._exiting = False
        self.debouncer = Debouncer(self.save_now, save_delay)
        _open_editors.add(self)
        install_shutdown_grace()

        self.notice = Notice()
        self.status = _html("", "ilc-pm-status")
        members = network.members(code)["name"].tolist() if participant else []
        self.members = [str(m) for m in members]
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
            [self.problem, _field("What data surfaced it", self.surfacing)],
            "ilc-pm-centre",
        )

        # priorities
        self.priority_rows: list[_PriorityRow] = []
        self.priority_box = W.VBox(layout=_lay(width="100%"))
        self.add_priority = _button("+ Add a priority", "ilc-pm-add-priority")
        self.add_priority.add_class("ilc-pm-add")
        self.add_priority.on_click(lambda _: self._add_priority())
        priorities_card = _card(
            "Priorities",
            "Ranked: what the group works on first. Use the arrows to reorder.",
            [self.priority_box, W.HBox([self.add_priority], layout=_lay())],
            "ilc-pm-priorities",
        )

        # theory of action
        self.step_rows: list[_StepRow] = []
        self.step_box = W.VBox(layout=_lay(width="100%"))
        self.add_step = _button("+ Add an if/then step", "ilc-pm-add-step")
        self.add_step.add_class("ilc-pm-add")
        self.add_step.on_click(lambda _: self._add_step())
        toa_card = _card(
            "Theory of action",
            "A chain of if/then steps from leader actions to adult practice to student "
            "outcomes. The last step should say what changes for students.",
            [self.step_box, W.HBox([self.add_step], layout=_lay())],
            "ilc-pm-toa",
        )

        # indicators
        self.indicator_cards: dict[str, list[_IndicatorCard]] = {"leading": [], "lagging": []}
        self.indicator_boxes = {
            k: W.VBox(layout=_lay(width="100%")) for k in ("leading", "lagging")
        }
        self.add_indicator: dict[str, W.Button] = {}
        cards = []
        for kind, title, hint in (
            (
                "leading",
                "Leading indicators",
                "Timely and actionable: walkthroughs, formative results, this month's attendance.",
            ),
            (
                "lagging",
                "Lagging indicators",
                "Summative: state tests, graduation rate, end-of-year chronic absenteeism.",
            ),
        ):
            add = _button(f"+ Add a {kind} indicator", f"ilc-pm-add-{kind}")
            add.add_class("ilc-pm-add")
            add.on_click(lambda _, k=kind: self._add_indicator(k))
            self.add_indicator[kind] = add
            cards.append(
                _card(
                    title,
                    hint,
                    [self.indicator_boxes[kind], W.HBox([add], layout=_lay())],
                    f"ilc-pm-{kind}",
                )
            )
        indicators_row = W.HBox(
            [
                W.Box([cards[0]], layout=W.Layout(width="50%", padding="0 4px 0 0")),
                W.Box([cards[1]], layout=W.Layout(width="50%", padding="0 0 0 4px")),
            ],
            layout=_lay(width="100%"),
        )

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
            self.plan_widgets[key] = {"what": what, "who": who, "when": when}
            grid += [_html(f"<b>{esc(type_label)}</b>"), what, who, when]
        plan_grid = W.GridBox(
            grid,
            layout=W.Layout(
                width="100%",
                grid_template_columns="9.5em minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr)",
                grid_gap="4px 8px",
                align_items="flex-start",
            ),
        )
        plan_card = _card(
            "Evidence plan",
            "Bernhardt's four types of evidence: plan at least three. What will be "
            "collected, by whom, when.",
            [plan_grid],
            "ilc-pm-plan",
        )

        # export and history
        self.html_button = _button("Download HTML", "ilc-pm-download-html", icon="download")
        self.pdf_button = _button("Download PDF", "ilc-pm-download-pdf", icon="download")
        self.download = _html("", "ilc-pm-download")
        self.html_button.on_click(lambda _: self.prepare_download("html"))
        self.pdf_button.on_click(lambda _: self.prepare_download("pdf"))
        export_card = _card(
            "Print the placemat",
            "One landscape page with the problem of practice in the centre, readable in "
            "black and white.",
            [W.HBox([self.html_button, self.pdf_button], layout=_lay()), self.download],
            "ilc-pm-export",
        )
        self.history_list = W.Select(options=[], rows=8, layout=W.Layout(width="100%"))
        self.history_list.add_class("ilc-pm-history-list")
        self.view_button = _button("View this version", "ilc-pm-view")
        self.restore_button = _button("Restore this version", "ilc-pm-restore", kind="warning")
        self.history_view = _html("", "ilc-pm-history-view")
        self.view_button.on_click(lambda _: self.view_version())
        self.restore_button.on_click(lambda _: self.restore_selected())
        self.history = W.Accordion(
            children=[
                W.VBox(
                    [
                        _html(
                            "<div class='ilc-pm-hint'>Every save is kept. Restoring makes an "
                            "earlier version the newest one; nothing is deleted.</div>"
                        ),
                        self.history_list,
                        W.HBox([self.view_button, self.restore_button], layout=_lay()),
                        self.history_view,
                    ]
                )
            ],
            selected_index=None,
            layout=_lay(width="100%"),
        )
        self.history.set_title(0, "Version history")
        self.history.add_class("ilc-pm-history")
        self.history.observe(self._on_history_open, "selected_index")

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
        self.check = _html("", "ilc-pm-check-html")
        self.alert_bar = _html("", "ilc-pm-alert-bar")
        side = W.VBox([self.check], layout=W.Layout(width="300px", min_width="260px"))
        side.add_class("ilc-pm-side")
        side.add_class("ilc-pm-card")
        body = W.HBox([self.form, side], layout=W.Layout(width="100%", grid_gap="12px"))

        super().__init__(
            [header, self.alert_bar, self.notice, self.conflict_box, body],
            layout=_lay(width="100%"),
            **kwargs,
        )
        self.add_class("ilc-pm-editor")
        self.observe(self._on_value_set, "value")
        self._show_doc()
        self._saved_status()
        self.poller = Poller(lambda: network.revision(code), self._on_remote_change, POLL_INTERVAL)
        self.poller.start()

    # ------------------------------------------------------------------ identity

    @property
    def actor(self) -> str:
        """Who saves: the chosen member's name with the link's actor, or the link's actor."""
        name = self.who.value
        return f"{name} ({self.base_actor})" if name else self.base_actor

    @property
    def version(self) -> int:
        """The stored version this form is based on."""
        return self._version

    @property
    def dirty(self) -> bool:
        """True while there are changes not saved yet."""
        return self._dirty

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

    def _step(self, step_id: str) -> TheoryStep | None:
        return next((s for s in self._doc.theory_of_action if s.id == step_id), None)

    def _indicator(self, ind_id: str) -> Indicator | None:
        return next((i for i in self._doc.indicators if i.id == ind_id), None)

    def _changed(self) -> None:
        """A person changed something: refresh the check, then save when typing pauses."""
        self._dirty = True
        self._refresh_check()
        self._sync_value()
        if not self._locked:
            self.status.value = "<span class='ilc-pm-status-text'>Saving…</span>"
            self.debouncer()

    def _sync_value(self) -> None:
        self._syncing = True
        try:
            self.value = self._doc.to_dict()
        finally:
            self._syncing = False

    def _on_value_set(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] == self._doc.to_dict():
            return
        self._doc = Placemat.from_dict(change["new"])
        self._show_doc()
        self._changed()

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
        card.warning.value = ""

    def _replace(self, box: W.Box, rows: Sequence[W.Widget]) -> None:
        old = list(box.children)
        box.children = tuple(rows)
        for widget in old:
            for w in _walk(widget):
                with contextlib.suppress(Exception):
                    w.close()

    def _render_priorities(self) -> None:
        loading, self._loading = self._loading, True
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
        if self._locked:
            self._apply_lock()
        self._loading = loading

    def _priority_setter(self, index: int) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            if index < len(self._doc.priorities):
                self._doc.priorities[index] = str(value)

        return setter

    def _render_steps(self) -> None:
        loading, self._loading = self._loading, True
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
        if self._locked:
            self._apply_lock()
        self._loading = loading

    def _step_setter(self, step_id: str, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            step = self._step(step_id)
            if step is not None:
                setattr(step, name, value)

        return setter

    def _render_indicators(self, kind: str) -> None:
        loading, self._loading = self._loading, True
        cards = []
        for ind in [i for i in self._doc.indicators if i.kind == kind]:
            card = _IndicatorCard(ind)
            iid = ind.id
            for name in ("name", "measure", "evidence_type", "cadence", "unit"):
                self._bind(getattr(card, name), self._indicator_setter(iid, name))
            self._bind(
                card.target_date,
                self._indicator_setter(iid, "target_date", lambda d: d.isoformat() if d else None),
            )
            for name in ("baseline", "target"):
                self._bind(getattr(card, name), self._number_setter(card, iid, name))
            card.remove.on_click(lambda _, iid=iid: self.remove_indicator(iid))
            cards.append(card)
        self.indicator_cards[kind] = cards
        self._replace(self.indicator_boxes[kind], cards)
        if self._locked:
            self._apply_lock()
        self._loading = loading

    def _indicator_setter(
        self, ind_id: str, name: str, convert: Callable[[Any], Any] | None = None
    ) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            ind = self._indicator(ind_id)
            if ind is not None:
                setattr(ind, name, convert(value) if convert else value)

        return setter

    def _number_setter(self, card: _IndicatorCard, ind_id: str, name: str) -> Callable[[Any], None]:
        def setter(value: Any) -> None:
            ind = self._indicator(ind_id)
            if ind is None:
                return
            try:
                setattr(ind, name, parse_number(str(value)))
                card.warning.value = ""
            except ValueError:
                card.warning.value = (
                    f"<span class='ilc-pm-warn'>{name.capitalize()}: write a number, such as "
                    "38 or 38.5 (put % or days in Unit). The last number is kept.</span>"
                )

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

    def move_priority(self, index: int, delta: int) -> None:
        """Move a priority up (-1) or down (+1) in the ranking."""
        items = self._doc.priorities
        j = index + delta
        if 0 <= index < len(items) and 0 <= j < len(items):
            items[index], items[j] = items[j], items[index]
            self._structural()

    def remove_priority(self, index: int) -> None:
        """Remove one priority."""
        if 0 <= index < len(self._doc.priorities):
            del self._doc.priorities[index]
            self._structural()

    def _add_step(self) -> None:
        steps = self._doc.theory_of_action
        levels = list(TOA_LEVELS)
        level = levels[0]
        if steps:
            last = levels.index(steps[-1].level) if steps[-1].level in levels else 0
            level = levels[min(last + 1, len(levels) - 1)]
        steps.append(TheoryStep(level=level))
        self._structural()

    def move_step(self, step_id: str, delta: int) -> None:
        """Move a theory-of-action step up (-1) or down (+1); its id stays the same."""
        steps = self._doc.theory_of_action
        i = next((n for n, s in enumerate(steps) if s.id == step_id), None)
        if i is None or not 0 <= i + delta < len(steps):
            return
        steps[i], steps[i + delta] = steps[i + delta], steps[i]
        self._structural()

    def remove_step(self, step_id: str) -> None:
        """Remove a theory-of-action step."""
        self._doc.theory_of_action = [s for s in self._doc.theory_of_action if s.id != step_id]
        self._structural()

    def _add_indicator(self, kind: str) -> None:
        self._doc.indicators.append(Indicator(kind=kind))
        self._structural()

    def remove_indicator(self, ind_id: str) -> None:
        """Remove an indicator."""
        self._doc.indicators = [i for i in self._doc.indicators if i.id != ind_id]
        self._structural()

    # ------------------------------------------------------------------ saving

    def _saved_status(self, extra: str = "") -> None:
        if self._version == 0:
            text = "Nothing saved yet · version 0"
        else:
            by = f" by {self._saved_by}" if self._saved_by else ""
            text = f"Saved at {_clock(self._saved_at)} · version {self._version}{by}"
        if extra:
            text += f" · {extra}"
        self.status.value = f"<span class='ilc-pm-status-text'>{esc(text)}</span>"

    @property
    def status_text(self) -> str:
        """The save status line without markup."""
        import html as _html_mod
        import re

        return _html_mod.unescape(re.sub(r"<[^>]+>", "", self.status.value))

    def save_now(self) -> None:
        """Save what the form holds (called by the debouncer when typing pauses)."""
        if self._locked or not self._dirty:
            return
        if self._doc == self._base:
            self._dirty = False
            self._saved_status()
            return
        try:
            version = self.network.save_placemat(
                self.code, self._doc, self._version, actor=self.actor
            )
        except ConflictError:
            self._handle_newer()
            return
        except IlcError as exc:
            self._save_failed(str(exc))
            return
        except Exception as exc:  # the database did not answer: keep what was typed
            self._save_failed(f"the database did not answer ({type(exc).__name__})")
            return
        self._after_save(version)

    def _after_save(self, version: int, extra: str = "") -> None:
        self._version = version
        self._base = clone(self._doc)
        self._saved_at = dt.datetime.now(dt.timezone.utc)
        self._saved_by = self.actor
        self._dirty = False
        self._saved_status(extra)
        if self.history.selected_index == 0:
            self.refresh_history()

    def _save_failed(self, reason: str) -> None:
        self.status.value = "<span class='ilc-pm-status-text'>Not saved</span>"
        self.notice.show(
            f"Not saved: {reason}. What you typed is still here; it will be saved with your "
            "next change.",
            "error",
        )

    def _handle_newer(self) -> None:
        """A newer version exists while I have unsaved changes: merge or ask."""
        for _ in range(3):
            theirs = self.network.placemat(self.code)
            result = merge_placemats(self._base, self._doc, theirs.placemat)
            if result.conflicts:
                self._open_conflict(theirs, result)
                return
            try:
                version = self.network.save_placemat(
                    self.code,
                    result.placemat,
                    theirs.version,
                    actor=self.actor,
                    note=f"merged with version {theirs.version}",
                )
            except ConflictError:
                continue
            except Exception as exc:
                self._save_failed(str(exc) if isinstance(exc, IlcError) else type(exc).__name__)
                return
            self._doc = clone(result.placemat)
            self._show_doc()
            self._after_save(version, f"merged with changes by {theirs.updated_by or 'someone'}")
            return
        self._open_conflict(*self._fresh_conflict())

    def _fresh_conflict(self) -> tuple[PlacematState, MergeResult]:
        theirs = self.network.placemat(self.code)
        return theirs, merge_placemats(self._base, self._doc, theirs.placemat)

    def _on_remote_change(self) -> None:
        """The collective's revision moved: reload, or merge when I have unsaved changes."""
        if self.conflict is not None:
            return
        state = self.network.placemat(self.code)
        if state.version == self._version:
            return
        if self._dirty:
            if self.debouncer.pending:
                self.debouncer.flush()
            else:
                self.save_now()
            return
        self._load(state, f"updated with changes by {state.updated_by or 'someone'}")

    def _load(self, state: PlacematState, extra: str = "") -> None:
        self._doc = clone(state.placemat)
        self._base = clone(state.placemat)
        self._version = state.version
        self._saved_at = state.updated_at
        self._saved_by = state.updated_by
        self._dirty = False
        self._show_doc()
        self._saved_status(extra)
        if self.history.selected_index == 0:
            self.refresh_history()

    def reload(self) -> None:
        """Check for someone else's saved changes now (the poller does it every 2 s)."""
        self.poller.poll_once()
        self._on_remote_change()

    # ------------------------------------------------------------------ conflicts

    def _apply_lock(self) -> None:
        for widget in _walk(self.form):
            if hasattr(widget, "disabled"):
                widget.disabled = self._locked
        if not self._locked:
            groups: list[Sequence[_PriorityRow | _StepRow]] = [self.priority_rows, self.step_rows]
            for group in groups:
                for i, row in enumerate(group):
                    row.up.disabled = i == 0
                    row.down.disabled = i == len(group) - 1

    def _open_conflict(self, theirs: PlacematState, result: MergeResult) -> None:
        if self._exiting:
            self._save_merged_on_exit(theirs, result)
            return
        self._locked = True
        self.debouncer.flush()  # a waiting save now returns at once: the form is locked
        self._apply_lock()
        self.conflict = ConflictPanel(theirs, result, on_resolve=self.resolve)
        self.conflict_box.children = (self.conflict,)
        self.alert_bar.value = (
            "<div class='ilc-pm-alert'><b>⚠ Someone else saved while you were editing.</b> "
            "Nothing is lost, and the form waits until you choose. "
            "<a href='#ilc-pm-conflict'>Choose what to keep ↑</a></div>"
        )
        self.status.value = (
            "<span class='ilc-pm-status-text'>Not saved yet: someone else saved a newer "
            "version</span>"
        )
        self.notice.clear()

    def _close_conflict(self) -> None:
        old = self.conflict
        self.conflict = None
        self.conflict_box.children = ()
        self.alert_bar.value = ""
        self._locked = False
        self._apply_lock()
        if old is not None:
            for w in _walk(old):
                with contextlib.suppress(Exception):
                    w.close()

    def _conflict_save(self, placemat: Placemat, note: str) -> int | None:
        """Save on top of the version shown in the panel; None (panel renewed) if newer."""
        assert self.conflict is not None
        theirs = self.conflict.theirs
        try:
            return self.network.save_placemat(
                self.code, placemat, theirs.version, actor=self.actor, note=note
            )
        except ConflictError:
            self._close_conflict()
            self._locked = True
            self._apply_lock()
            self._open_conflict(*self._fresh_conflict())
            self.notice.show(
                "Someone saved again in the meantime: here is the newest version.", "warning"
            )
            return None
        except Exception as exc:
            self._save_failed(str(exc) if isinstance(exc, IlcError) else type(exc).__name__)
            return None

    def resolve(self, placemat: Placemat, how: str) -> None:
        """Settle the conflict with ``placemat`` (mine, theirs or merged) and save it."""
        if self.conflict is None:
            return
        theirs = self.conflict.theirs
        if placemat == theirs.placemat:
            self._close_conflict()
            self._load(theirs)
            self.notice.show(f"Their version {theirs.version} is loaded.", "info")
            return
        notes = {"mine": "kept mine over", "theirs": "took", "merged": "merged with"}
        version = self._conflict_save(placemat, f"{notes.get(how, how)} version {theirs.version}")
        if version is None:
            return
        self._close_conflict()
        self._doc = clone(placemat)
        self._show_doc()
        self._after_save(version)
        self.notice.show(
            f"Saved as version {version}. Version {theirs.version} stays in the version history.",
            "success",
        )

    def keep_mine(self) -> None:
        """Keep my side of every clash (the panel's "Keep mine")."""
        if self.conflict is not None:
            self.conflict.keep_button.click()

    def take_theirs(self) -> None:
        """Take their side of every clash (the panel's "Take theirs")."""
        if self.conflict is not None:
            self.conflict.take_button.click()

    # ------------------------------------------------------------------ closing

    def save_before_exit(self) -> None:
        """The page is closing (kernel exit, or another collective chosen): save what is
        unsaved. Where two edits met, the default merge is saved (both texts joined), so
        no one's words are lost and the history keeps both versions."""
        if self._exiting:
            return
        self._exiting = True
        if self.conflict is not None:
            self._save_merged_on_exit(self.conflict.theirs, self.conflict.result)
        elif self.debouncer.pending:
            self.debouncer.flush()
        elif self._dirty:
            self.save_now()

    def _save_merged_on_exit(self, theirs: PlacematState, result: MergeResult) -> None:
        for _ in range(3):
            try:
                version = self.network.save_placemat(
                    self.code, result.placemat, theirs.version, actor=self.actor, note=EXIT_NOTE
                )
            except ConflictError:
                theirs, result = self._fresh_conflict()
                continue
            self._doc = clone(result.placemat)
            self._after_save(version)
            return

    # ------------------------------------------------------------------ history

    def _saved_cleanly(self) -> bool:
        return not self._dirty and self.conflict is None

    def _on_history_open(self, change: dict[str, Any]) -> None:
        if change["new"] == 0:
            self.refresh_history()

    def refresh_history(self) -> None:
        """Fill the list of saved versions, newest first."""
        frame = self.network.placemat_history(self.code)
        options = []
        for row in frame.drop(columns=["document"]).to_dict("records"):
            when = _when(row["saved_at"])
            note = f" · {row['note']}" if row["note"] else ""
            by = f" · {row['saved_by']}" if row["saved_by"] else ""
            options.append((f"Version {row['version']} · {when}{by}{note}", int(row["version"])))
        self.history_list.options = options
        if options:
            self.history_list.value = options[0][1]

    def view_version(self) -> None:
        """Show the selected version as the printable placemat."""
        from ..placemat_export import placemat_fragment

        version = self.history_list.value
        if version is None:
            return
        frame = self.network.placemat_history(self.code)
        match = frame[frame["version"] == version]
        if match.empty:
            self.history_view.value = ""
            return
        doc = Placemat.from_dict(match.iloc[0]["document"])
        self.history_view.value = placemat_fragment(
            doc, collective_name=self.collective.name, theme=self.collective.theme, version=version
        )

    def restore_selected(self) -> None:
        """Make the selected version the newest one again."""
        version = self.history_list.value
        if version is None:
            return
        if self._dirty:
            self.save_now()
            if not self._saved_cleanly():
                self.notice.show("Resolve your unsaved changes first, then restore.", "warning")
                return
        try:
            new = self.network.restore_placemat(
                self.code, int(version), self._version, actor=self.actor
            )
        except ConflictError:
            self._load(self.network.placemat(self.code))
            self.notice.show(
                "Someone saved meanwhile; the form shows the newest version now. "
                "Choose the version to restore again.",
                "warning",
            )
            return
        except IlcError as exc:
            self.notice.show(str(exc), "error")
            return
        self._load(self.network.placemat(self.code))
        self.notice.show(
            f"Version {version} restored as version {new}. Every version stays in the history.",
            "success",
        )
        self.refresh_history()

    # ------------------------------------------------------------------ export

    def prepare_download(self, kind: str) -> None:
        """Build the printable placemat and show a link that saves it."""
        from ..placemat_export import placemat_html, placemat_pdf_bytes

        options: dict[str, Any] = {
            "collective_name": self.collective.name,
            "theme": self.collective.theme,
            "members": [str(m) for m in self.network.members(self.code)["name"]],
            "version": self._version,
        }
        stem = f"placemat-{self.code}"
        try:
            if kind == "pdf":
                data = placemat_pdf_bytes(self._doc, **options)
                mime, name = "application/pdf", f"{stem}.pdf"
            else:
                data = placemat_html(self._doc, **options).encode("utf-8")
                mime, name = "text/html", f"{stem}.html"
        except Exception as exc:
            self.download.value = ""
            self.notice.show(f"The {kind.upper()} could not be made: {exc}", "error")
            return
        encoded = base64.b64encode(data).decode("ascii")
        self.download.value = (
            f"<a class='ilc-pm-download-link' download='{esc(name)}' "
            f"href='data:{mime};base64,{encoded}'>Save {esc(name)}</a> "
            f"<span class='muted'>({len(data) // 1024 + 1} KB, version {self._version})</span>"
        )

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Stop polling, save what is pending, and close the widgets."""
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.stop()
        if getattr(self, "debouncer", None) is not None:
            with contextlib.suppress(Exception):
                self.save_before_exit()
        super().close()


_open_editors: weakref.WeakSet[PlacematEditor] = weakref.WeakSet()


@atexit.register
def _save_open_editors() -> None:  # pragma: no cover - runs at kernel exit
    # Registered after the Debouncer's own exit hook, so it runs first (atexit is LIFO):
    # a clash found while saving at exit is saved merged instead of waiting for a person.
    for editor in list(_open_editors):
        with contextlib.suppress(Exception):
            editor.save_before_exit()


# --------------------------------------------------------------------------- builder


class PlacematBuilder(W.VBox):  # type: ignore[misc]
    """Workbook 03's section: the placemat of the session's collective.

    Participants edit their own collective's placemat; facilitators and researchers pick a
    collective first.
    """

    value = T.Dict(help="The placemat document (as stored) of the chosen collective")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.network = ctx.require_network()
        self.editor: PlacematEditor | None = None
        self.picker: W.Dropdown | None = None
        self.holder = W.VBox(layout=_lay(width="100%"))
        self.notice = Notice()
        self._link: Any = None
        children: list[W.Widget] = [style(), W.HTML(CSS)]
        if ctx.collective is not None:
            self._open(ctx.collective.code, participant=ctx.role == "participant")
        elif ctx.is_facilitator:
            options = [("Choose a collective…", "")] + [
                (f"{c.name} ({c.code})", c.code) for c in self.network.collective_list()
            ]
            self.picker = W.Dropdown(
                options=options,
                value="",
                description="Collective",
                layout=W.Layout(width="32em"),
                style={"description_width": "6em"},
            )
            self.picker.add_class("ilc-pm-picker")
            self.picker.observe(self._on_pick, "value")
            children.append(self.picker)
        else:
            self.notice.show(
                "The placemat belongs to a collective: open this workbook from your "
                "collective's link.",
                "info",
            )
        children += [self.notice, self.holder]
        super().__init__(children, layout=_lay(width="100%"), **kwargs)
        self.add_class("ilc-app")
        self.add_class("ilc-pm")

    def _on_pick(self, change: dict[str, Any]) -> None:
        code = change["new"]
        if code:
            self._open(code, participant=False)
        else:
            self._close_editor()
            self.value = {}

    def _close_editor(self) -> None:
        if self._link is not None:
            self._link.unlink()
            self._link = None
        if self.editor is not None:
            self.editor.close()
            self.editor = None
        self.holder.children = ()

    def _open(self, code: str, *, participant: bool) -> None:
        self._close_editor()
        try:
            self.editor = PlacematEditor(
                self.network, code, actor=self.ctx.actor, participant=participant
            )
        except IlcError as exc:
            self.notice.show(str(exc), "error")
            return
        self.notice.clear()
        self.value = self.editor.value
        self._link = T.link((self.editor, "value"), (self, "value"))
        self.holder.children = (self.editor,)
