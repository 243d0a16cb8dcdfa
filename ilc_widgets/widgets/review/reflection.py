"""Workbook 05's reflection protocol of a review meeting, and the timeline of past ones.

Four guided prompts (what went well, what didn't, what we learned, what we will adjust,
with where: the theory of action, the indicators, the evidence plan), one reflection per
review meeting. Everything is saved as people type: the first words create the meeting's
reflection, later ones update it from the version it was read at. When someone else saved
the same reflection in between, both texts are kept (nothing is overwritten) and the page
says so (the saving is :class:`~ilc_widgets.widgets._kit.autosave.AutoSave`, the merge
:func:`~.state.merge_reflection`). Past meetings show as a timeline, newest first;
everything typed is escaped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from html import escape as esc
from typing import TYPE_CHECKING, Any, ClassVar, Final

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle

from ...errors import ConflictError
from ...format import as_date, date_text
from .._kit.autosave import AutoSave, SaveFailed
from .._kit.controls import field
from .._kit.notice import user_message
from .._kit.styles import register_stylesheet, shared
from .section import ReviewSection, control, html, lay, text_input
from .state import (
    AREAS,
    PROMPTS,
    TEXT_FIELDS,
    Fields,
    blank,
    fields_of,
    merge_reflection,
    saved_when,
    stored_for,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ...session import SessionContext

__all__ = ["CSS", "SAVE_DELAY", "ReflectionProtocol"]

SAVE_DELAY: Final = 0.8
"""Seconds of quiet typing after which the reflection is saved."""

CSS: Final = """
<style>
.ilc-rv-prompt-box.widget-textarea { flex-wrap: wrap; margin-top: .6em; }
.ilc-rv-prompt-box > label.widget-label { flex: 1 1 100%; width: 100%; max-width: none;
  white-space: normal; overflow: visible; height: auto; line-height: 1.35; text-align: left;
  font-weight: 700; color: #1b1f24; margin-bottom: .2em; }
.ilc-rv-prompt-box > textarea { flex: 1 1 100%; }
.ilc-rv-prompt-hint { color: #57606a; font-size: .9em; margin: 0 0 .2em; }
.ilc-rv-saved { font-size: .92em; color: #32383f; margin: .2em 0; }
.ilc-rv-timeline { margin-top: .4em; }
.ilc-rv-meeting { border: 1px solid #d0d7de; border-left: 6px solid #1f5f8b; border-radius: 6px;
  padding: .4em .8em; margin: .4em 0; background: #fff; max-width: 62em; line-height: 1.4; }
.ilc-rv-meeting.open { border-left-style: double; background: #f6f8fa; }
.ilc-rv-meeting h4 { margin: .1em 0 .3em; font-size: 1.02em; }
.ilc-rv-meeting dt { font-weight: 700; font-size: .92em; margin-top: .3em; }
.ilc-rv-meeting dd { margin: 0 0 0 1em; white-space: pre-wrap; }
.ilc-rv-meeting .pill { display: inline-block; border: 1px solid #57606a; border-radius: 10px;
  padding: 0 .5em; font-size: .85em; margin-right: .3em; }
.ilc-rv-reflection .widget-checkbox { width: auto; margin-right: 1.2em; }
</style>
"""
register_stylesheet("reflection", CSS)


class ReflectionProtocol(ReviewSection):
    """The reflection of one review meeting, saved as people type, and the timeline of all
    the collective's meetings, newest first."""

    value = T.Dict(
        help="The reflection being written: meeting date, the four answers and the areas"
    )
    css_class = "ilc-rv-reflection"
    stylesheets: ClassVar[tuple[str, ...]] = (*ReviewSection.stylesheets, "reflection")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.reflection_id: int | None = None
        self.meeting: dt.date | None = None
        self.open_code = ""
        self._filling = False
        self._saved_at: str = ""
        self._their_saved_at: str = ""
        self.texts: dict[str, Any] = {}
        self.areas: dict[str, Any] = {}
        self.saver: AutoSave[Fields] = AutoSave(
            read=self.form,
            save=self._store,
            load=self._load_saved,
            merge=merge_reflection,
            on_merged=self._merged,
            base=blank(),
            delay=SAVE_DELAY,
            ready=self._ready,
            on_saved=self._after_save,
            on_failed=self._save_failed,
        )
        super().__init__(ctx, **kwargs)

    # -- widgets
    def build(self) -> W.Widget:
        """Meeting date, the four prompts with their boxes, areas, save status, timeline."""
        look = shared(DescriptionStyle, description_width="7em")
        self.date = control(W.DatePicker, "ilc-rv-date", width="auto", style=look)
        self.date.value, self.date.description = dt.date.today(), "Meeting date"
        self.date.observe(self._on_date, "value")
        self.status = html(cls="ilc-rv-status-line")
        rows: list[W.Widget] = [
            W.HBox([self.date, self.status], layout=lay(align_items="center", grid_gap="1em")),
        ]
        for name, question, hint in PROMPTS:
            # the question is the box's own label (its accessible name), drawn above it
            box = text_input("", f"ilc-rv-{name.replace('_', '-')}", rows=3)
            box.tooltip = hint
            field(question, box, label_width="100%")
            box.add_class("ilc-rv-prompt-box")
            box.observe(self._on_edit, "value")
            self.texts[name] = box
            rows.append(box)
            rows.append(html(f"<div class='ilc-rv-prompt-hint'>{esc(hint)}</div>"))
        for area, label in AREAS.items():
            look = shared(CheckboxStyle)
            css = f"ilc-rv-area-{area.replace('_', '-')}"
            check = control(W.Checkbox, css, width="auto", style=look, value=False, indent=False)
            check.description = label
            check.observe(self._on_edit, "value")
            self.areas[area] = check
        rows.append(
            W.HBox(
                [
                    html("<div class='ilc-rv-help'>We will adjust our:&nbsp;</div>"),
                    *self.areas.values(),
                ],
                layout=lay(align_items="center", flex_flow="row wrap"),
            )
        )
        self.timeline = html(cls="ilc-rv-timeline")
        rows.append(self.timeline)
        return W.VBox(rows, layout=lay(width="100%"))

    # -- reading
    def _frame(self) -> pd.DataFrame:
        return self.net.reflections_frame(self.collective)

    def _stored_by_id(self, frame: pd.DataFrame) -> Mapping[Any, Any] | None:
        if self.reflection_id is None or frame.empty:
            return None
        rows = frame[frame["id"] == self.reflection_id].to_dict("records")
        return rows[0] if rows else None

    def form(self) -> Fields:
        """What the form holds now."""
        fields: Fields = {name: box.value for name, box in self.texts.items()}
        fields["adjust_areas"] = [a for a, check in self.areas.items() if check.value]
        return fields

    def _fill(self, fields: Fields) -> None:
        self._filling = True
        try:
            for name, box in self.texts.items():
                if box.value != fields.get(name, ""):
                    box.value = fields.get(name, "")
            chosen = set(fields.get("adjust_areas") or [])
            for area, check in self.areas.items():
                if check.value != (area in chosen):
                    check.value = area in chosen
        finally:
            self._filling = False
        self._sync_value()

    def _sync_value(self) -> None:
        self.value = {
            "meeting_date": self.meeting.isoformat() if self.meeting else "",
            "id": self.reflection_id,
            **self.form(),
        }

    def _open(self, meeting: dt.date, frame: pd.DataFrame | None = None) -> None:
        """Show the reflection of ``meeting`` (a blank one when the date has none yet)."""
        frame = self._frame() if frame is None else frame
        row = stored_for(frame, meeting)
        self.meeting = meeting
        self.open_code = self.collective
        if row is None:
            self.reflection_id = None
            self.saver.reset(blank(), 0)
            self._saved_at = ""
        else:
            self.reflection_id = int(row["id"])
            self.saver.reset(fields_of(row), int(row["version"]))
            self._saved_at = saved_when(row.get("updated_at"))
        self._fill(self.saver.base)
        self._render_status()

    def refresh(self) -> None:
        """Follow saves made elsewhere (the form keeps what is being typed) and redraw the
        timeline."""
        frame = self._frame()
        if self.meeting is None or self.open_code != self.collective:
            chosen = self.date.value or dt.date.today()
            self._open(chosen, frame)
        elif not self.saver.dirty and not self.saver.pending:
            row = (
                self._stored_by_id(frame)
                if self.reflection_id is not None
                else stored_for(frame, self.meeting)
            )
            if row is not None and (
                self.reflection_id != int(row["id"]) or self.saver.version != int(row["version"])
            ):
                self.reflection_id = int(row["id"])
                self.saver.reset(fields_of(row), int(row["version"]))
                self._saved_at = saved_when(row.get("updated_at"))
                self._fill(self.saver.base)
                self._render_status()
        self._render_timeline(frame)

    def switched(self) -> None:
        """Another collective: save what is pending for the one that was open."""
        self.flush()
        self.meeting = None

    # -- editing and saving
    def _on_date(self, change: Mapping[str, Any]) -> None:
        self.notice.clear()
        new = change["new"]
        if new is None:
            self.notice.show("Pick the date of the review meeting.", "info")
            return
        self.flush()
        self.guard("Opening that meeting", lambda: self._open(new))
        self.guard("Loading the timeline", lambda: self._render_timeline(self._frame()))

    def _on_edit(self, _change: Mapping[str, Any]) -> None:
        if self._filling:
            return
        self._sync_value()
        self.status.value = "<div class='ilc-rv-saved'>Saving…</div>"
        self.saver.changed()

    def flush(self) -> None:
        """Save now what is waiting to be saved."""
        self.saver.flush()

    def save_now(self) -> None:
        """Save the form now: the first words create the meeting's reflection, later ones
        update it from the version read; when someone else saved it meanwhile, both are
        kept."""
        self.saver.save_now()

    # the storage and the messages of the AutoSave
    def _ready(self, fields: Fields) -> bool:
        if self.meeting is None or not self.open_code:
            return False
        if self.reflection_id is None and not any(str(fields[f]).strip() for f in TEXT_FIELDS):
            self.status.value = (
                "<div class='ilc-rv-saved'>Type an answer to start this meeting's reflection.</div>"
            )
            return False
        return True

    def _store(self, fields: Fields, version: int) -> int:
        """Save ``fields`` on top of ``version``; ConflictError when someone was first."""
        assert self.meeting is not None
        code = self.open_code
        if self.reflection_id is None:
            existing = stored_for(self.net.reflections_frame(code), self.meeting)
            if existing is not None:  # someone started this meeting's reflection meanwhile
                raise ConflictError("This meeting's reflection", 0, int(existing["version"]))
            self.reflection_id = self.net.add_reflection(
                code,
                self.meeting,
                went_well=fields["went_well"],
                didnt_go_well=fields["didnt_go_well"],
                learned=fields["learned"],
                adjust=fields["adjust"],
                adjust_areas=fields["adjust_areas"],
                actor=self.ctx.actor,
            )
            return 1
        return self.net.update_reflection(
            self.reflection_id, version, collective=code, actor=self.ctx.actor, **fields
        )

    def _load_saved(self) -> tuple[Fields, int] | None:
        """The reflection as saved now (someone else's words included) and its version."""
        frame = self.net.reflections_frame(self.open_code)
        if self.reflection_id is not None:
            row = self._stored_by_id(frame)
        else:
            row = stored_for(frame, self.meeting) if self.meeting is not None else None
        if row is None:
            return None
        self.reflection_id = int(row["id"])
        self._their_saved_at = saved_when(row.get("updated_at"))
        return fields_of(row), int(row["version"])

    def _merged(self, merged: Fields, clash: bool) -> None:
        """Someone else saved this reflection: their words and this page's are shown."""
        self._fill(merged)
        self.notice.show(
            "Someone else saved this reflection at the same time. Nothing was lost: their "
            "words were loaded"
            + (" and yours were added after them" if clash else " and yours were kept")
            + ". Check the answers below.",
            "warning",
        )

    def _after_save(self, wrote: bool) -> None:
        self._saved_at = (
            dt.datetime.now().strftime("%d %b %H:%M") if wrote else self._their_saved_at
        )
        self._render_status()
        self._sync_value()
        if wrote:
            self.room.changed()

    def _save_failed(self, exc: Exception) -> None:
        if isinstance(exc, (SaveFailed, ConflictError)):
            self.notice.show(
                "This reflection was changed elsewhere and could not be saved. Your "
                "words are still in the boxes: copy them before leaving the page.",
                "error",
            )
        else:
            self.notice.show(user_message("Saving the reflection", exc), "error")

    # -- drawing
    def _render_status(self) -> None:
        when = f" {esc(date_text(self.meeting))}" if self.meeting else ""
        if self.reflection_id is None:
            text = f"New reflection for the meeting of{when}: start typing, it saves itself."
        else:
            text = f"Reflection of the meeting of{when}: saved {esc(self._saved_at)}."
        self.status.value = f"<div class='ilc-rv-saved'>{text}</div>"

    def _render_timeline(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            self.timeline.value = (
                "<div class='ilc'><h3>Past meetings</h3><p class='muted'>No reflections yet: "
                "this meeting's will be the first.</p></div>"
            )
            return
        records = frame.to_dict("records")
        records.sort(key=lambda r: (as_date(r["meeting_date"]) or dt.date.min, int(r["id"])))
        cards = []
        for row in reversed(records):
            answers = "".join(
                f"<dt>{esc(question)}</dt><dd>{esc(str(row.get(name) or '')) or '–'}</dd>"
                for name, question, _ in PROMPTS
            )
            areas = [AREAS[a] for a in AREAS if a in (row.get("adjust_areas") or [])]
            pills = (
                "<div>We will adjust our: "
                + "".join(f"<span class='pill'>{esc(a)}</span>" for a in areas)
                + "</div>"
                if areas
                else ""
            )
            is_open = int(row["id"]) == self.reflection_id
            mark = " <span class='muted'>(open above)</span>" if is_open else ""
            saved = saved_when(row.get("updated_at"))
            cards.append(
                f"<div class='ilc-rv-meeting{' open' if is_open else ''}'>"
                f"<h4>Meeting of {esc(date_text(row['meeting_date']))}{mark}</h4>"
                f"<dl>{answers}</dl>{pills}"
                f"<div class='muted'>Last saved {esc(saved)}</div></div>"
            )
        count = len(records)
        self.timeline.value = (
            f"<div class='ilc'><h3>Past meetings ({count})</h3><p class='ilc-rv-help'>Newest "
            "first. To add to an earlier meeting's reflection, pick its date above.</p>"
            f"{''.join(cards)}</div>"
        )

    def close(self) -> None:
        """Save what is pending, then close."""
        with contextlib.suppress(Exception):
            self.flush()
        super().close()
