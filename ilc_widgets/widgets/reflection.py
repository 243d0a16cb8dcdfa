"""Workbook 05: the reflection protocol of a review meeting, and the timeline of past ones.

Four guided prompts (what went well, what didn't, what we learned, what we will adjust,
with where: the theory of action, the indicators, the evidence plan), one reflection per
review meeting. Everything is saved as people type: the first words create the meeting's
reflection, later ones update it from the version it was read at. When someone else saved
the same reflection in between, both texts are kept (nothing is overwritten) and the page
says so. Past meetings show as a timeline, newest first; everything typed is escaped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import weakref
from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W
import pandas as pd
import traitlets as T
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle

from ..errors import ConflictError
from ._base import Debouncer, esc, shared
from .dashboard import ReviewSection, as_date, day, html, lay, text_input

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..session import SessionContext

__all__ = ["AREAS", "PROMPTS", "ReflectionProtocol", "merge_reflection"]

SAVE_DELAY: Final = 0.8
"""Seconds of quiet typing after which the reflection is saved."""

PROMPTS: Final[tuple[tuple[str, str, str], ...]] = (
    (
        "went_well",
        "What went well?",
        "Which actions happened as planned? Which indicators moved, and what did the "
        "evidence show?",
    ),
    (
        "didnt_go_well",
        "What didn't go well?",
        "What did not happen, or did not work as we expected? Which indicators are off track?",
    ),
    (
        "learned",
        "What did we learn?",
        "About our theory of action, our students, our own practice as leaders.",
    ),
    (
        "adjust",
        "What will we adjust?",
        "What we will do differently before the next meeting, and who will do it.",
    ),
)
"""The four prompts: field, question, hint."""

AREAS: Final[dict[str, str]] = {
    "theory_of_action": "Theory of action",
    "indicators": "Indicators",
    "evidence_plan": "Evidence plan",
}
"""Where an adjustment lands (the placemat sections of workbook 3)."""

TEXT_FIELDS: Final = tuple(field for field, _, _ in PROMPTS)

CSS: Final = """
<style>
.ilc-rv-prompt { font-weight: 700; margin: .5em 0 0; }
.ilc-rv-prompt .hint { font-weight: 400; color: #57606a; font-size: .9em; margin-left: .4em; }
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

Fields = dict[str, Any]


def _blank() -> Fields:
    return {**dict.fromkeys(TEXT_FIELDS, ""), "adjust_areas": []}


def _join(mine: str, theirs: str) -> str:
    m, t = mine.strip(), theirs.strip()
    if not m or m in t:
        return theirs
    if not t or t in m:
        return mine
    return f"{theirs.rstrip()}\n{mine.strip()}"


def merge_reflection(base: Fields, mine: Fields, theirs: Fields) -> tuple[Fields, bool]:
    """Three-way merge of a reflection: what was read (``base``), what this page has
    (``mine``) and what is saved now (``theirs``). A field only one side changed takes that
    side; a text both changed keeps both (theirs first); areas are merged as sets. True
    when both sides changed the same text."""
    merged: Fields = {}
    clash = False
    for name in TEXT_FIELDS:
        b, m, t = str(base.get(name, "")), str(mine.get(name, "")), str(theirs.get(name, ""))
        if m in (t, b):
            merged[name] = t
        elif t == b:
            merged[name] = m
        else:
            merged[name] = _join(m, t)
            clash = True
    b_set, m_set = set(base.get("adjust_areas") or []), set(mine.get("adjust_areas") or [])
    t_set = set(theirs.get("adjust_areas") or [])
    areas = (t_set | (m_set - b_set)) - (b_set - m_set)
    merged["adjust_areas"] = [a for a in AREAS if a in areas]
    return merged, clash


def _when(stamp: Any) -> str:
    if stamp is None or stamp is pd.NaT or (isinstance(stamp, float) and stamp != stamp):
        return ""
    value: Any = stamp.to_pydatetime() if hasattr(stamp, "to_pydatetime") else stamp
    if not isinstance(value, dt.datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return str(value.astimezone().strftime("%d %b %H:%M"))


class ReflectionProtocol(ReviewSection):
    """The reflection of one review meeting, saved as people type, and the timeline of all
    the collective's meetings, newest first."""

    value = T.Dict(
        help="The reflection being written: meeting date, the four answers and the areas"
    )
    title_text = "Reflect on this meeting"
    intro_text = (
        "Answer the four questions together. Everything is saved as you type, and what "
        "others write appears here too. Each review meeting has its own reflection."
    )
    css_class = "ilc-rv-reflection"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.reflection_id: int | None = None
        self.version = 0
        self.meeting: dt.date | None = None
        self.open_code = ""
        self.base: Fields = _blank()
        self.dirty = False
        self._filling = False
        self._saved_at: str = ""
        self.texts: dict[str, Any] = {}
        self.areas: dict[str, Any] = {}
        self.debouncer = Debouncer(self.save_now, SAVE_DELAY)
        _open_protocols.add(self)
        super().__init__(ctx, **kwargs)

    # -- widgets
    def build(self) -> W.Widget:
        """Meeting date, the four prompts with their boxes, areas, save status, timeline."""
        self.date = W.DatePicker(
            value=dt.date.today(),
            description="Meeting date",
            layout=lay(width="auto"),
            style=shared(DescriptionStyle, description_width="7em"),
        )
        self.date.add_class("ilc-rv-date")
        self.date.observe(self._on_date, "value")
        self.status = html(cls="ilc-rv-status-line")
        rows: list[W.Widget] = [
            html(CSS),
            W.HBox([self.date, self.status], layout=lay(align_items="center", grid_gap="1em")),
        ]
        for name, question, hint in PROMPTS:
            rows.append(
                html(
                    f"<div class='ilc-rv-prompt'>{esc(question)}"
                    f"<span class='hint'>{esc(hint)}</span></div>"
                )
            )
            box = text_input("", f"ilc-rv-{name.replace('_', '-')}", rows=3)
            box.observe(self._on_edit, "value")
            self.texts[name] = box
            rows.append(box)
        for area, label in AREAS.items():
            check = W.Checkbox(
                value=False,
                description=label,
                indent=False,
                layout=lay(width="auto"),
                style=shared(CheckboxStyle),
            )
            check.add_class(f"ilc-rv-area-{area.replace('_', '-')}")
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

    @staticmethod
    def _fields_of(row: Mapping[Any, Any]) -> Fields:
        fields: Fields = {f: str(row.get(f) or "") for f in TEXT_FIELDS}
        fields["adjust_areas"] = [a for a in AREAS if a in (row.get("adjust_areas") or [])]
        return fields

    def _stored_for(self, frame: pd.DataFrame, meeting: dt.date) -> Mapping[Any, Any] | None:
        """The reflection of a meeting date (the latest when there are several)."""
        if frame.empty:
            return None
        dates = [as_date(d) for d in frame["meeting_date"]]
        rows = [r for r, d in zip(frame.to_dict("records"), dates, strict=True) if d == meeting]
        return max(rows, key=lambda r: int(r["id"])) if rows else None

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
        row = self._stored_for(frame, meeting)
        self.meeting = meeting
        self.open_code = self.collective
        self.dirty = False
        if row is None:
            self.reflection_id, self.version, self.base = None, 0, _blank()
            self._saved_at = ""
        else:
            self.reflection_id, self.version = int(row["id"]), int(row["version"])
            self.base = self._fields_of(row)
            self._saved_at = _when(row.get("updated_at"))
        self._fill(self.base)
        self._render_status()

    def refresh(self) -> None:
        """Follow saves made elsewhere (the form keeps what is being typed) and redraw the
        timeline."""
        frame = self._frame()
        if self.meeting is None or self.open_code != self.collective:
            chosen = self.date.value or dt.date.today()
            self._open(chosen, frame)
        elif not self.dirty and not self.debouncer.pending:
            row = (
                self._stored_by_id(frame)
                if self.reflection_id is not None
                else self._stored_for(frame, self.meeting)
            )
            if row is not None and (
                self.reflection_id != int(row["id"]) or self.version != int(row["version"])
            ):
                self.reflection_id, self.version = int(row["id"]), int(row["version"])
                self.base = self._fields_of(row)
                self._saved_at = _when(row.get("updated_at"))
                self._fill(self.base)
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
        self.dirty = True
        self._sync_value()
        self.status.value = "<div class='ilc-rv-saved'>Saving…</div>"
        self.debouncer()

    def flush(self) -> None:
        """Save now what is waiting to be saved."""
        if self.debouncer.pending:
            self.debouncer.flush()
        elif self.dirty:
            self.save_now()

    def save_now(self) -> None:
        """Save the form: create the meeting's reflection on the first words, then update it
        from the version read; when someone else saved it meanwhile, keep both."""
        if not self.dirty or self.meeting is None or not self.open_code:
            return
        mine = self.form()
        code = self.open_code
        if self.reflection_id is None:
            if not any(str(mine[f]).strip() for f in TEXT_FIELDS):
                self.status.value = (
                    "<div class='ilc-rv-saved'>Type an answer to start this meeting's "
                    "reflection.</div>"
                )
                return
            existing = self._stored_for(self.net.reflections_frame(code), self.meeting)
            if existing is None:
                ok = self.guard("Saving the reflection", lambda: self._create(code, mine))
                if ok:
                    self._after_save()
                return
            # someone started this meeting's reflection meanwhile: add to theirs
            self.reflection_id, self.version = int(existing["id"]), int(existing["version"])
            self._merge_with(existing, mine)
            return
        self._update(code, mine)

    def _create(self, code: str, fields: Fields) -> None:
        assert self.meeting is not None
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
        self.version = 1
        self.base = fields

    def _update(self, code: str, mine: Fields, attempts: int = 3) -> None:
        assert self.reflection_id is not None
        try:
            self.version = self.net.update_reflection(
                self.reflection_id,
                self.version,
                collective=code,
                actor=self.ctx.actor,
                **mine,
            )
        except ConflictError:
            frame = self.net.reflections_frame(code)
            theirs = self._stored_by_id(frame)
            if theirs is None or attempts <= 1:
                self.notice.show(
                    "This reflection was changed elsewhere and could not be saved. Your "
                    "words are still in the boxes: copy them before leaving the page.",
                    "error",
                )
                return
            self.version = int(theirs["version"])
            self._merge_with(theirs, mine, attempts - 1)
            return
        except Exception as exc:
            self.notice.show(f"Saving the reflection did not work: {exc}", "error")
            return
        self.base = mine
        self._after_save()

    def _merge_with(self, theirs_row: Mapping[Any, Any], mine: Fields, attempts: int = 3) -> None:
        """Someone else saved this reflection: keep their words and this page's."""
        theirs = self._fields_of(theirs_row)
        merged, clash = merge_reflection(self.base, mine, theirs)
        self.base = theirs
        self._fill(merged)
        self.notice.show(
            "Someone else saved this reflection at the same time. Nothing was lost: their "
            "words were loaded"
            + (" and yours were added after them" if clash else " and yours were kept")
            + ". Check the answers below.",
            "warning",
        )
        if merged == theirs:
            self.dirty = False
            self.base = merged
            self._saved_at = _when(theirs_row.get("updated_at"))
            self._render_status()
            return
        self._update(self.open_code, merged, attempts)

    def _after_save(self) -> None:
        current = self.form()
        self.dirty = current != self.base
        self._saved_at = dt.datetime.now().strftime("%d %b %H:%M")
        self._render_status()
        self._sync_value()
        self.room.changed()
        if self.dirty:
            self.debouncer()

    # -- drawing
    def _render_status(self) -> None:
        when = f" {esc(day(self.meeting))}" if self.meeting else ""
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
            saved = _when(row.get("updated_at"))
            cards.append(
                f"<div class='ilc-rv-meeting{' open' if is_open else ''}'>"
                f"<h4>Meeting of {esc(day(row['meeting_date']))}{mark}</h4>"
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


_open_protocols: weakref.WeakSet[ReflectionProtocol] = weakref.WeakSet()
