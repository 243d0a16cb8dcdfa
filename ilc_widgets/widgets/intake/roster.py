"""Workbook 01, gathering: the facilitator's import of a roster or a survey export.

:class:`RosterImport` takes a CSV or XLSX file: pick the file, map its columns to the data
contract (pre-filled with guesses), see a preview with every problem named by row and
column, then import all rows or none.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...errors import ImportValidationError, Problem
from ...vocab import label
from .._base import button, html_table
from .._kit.board import follow_network, sheets, write_failed
from .._kit.controls import field
from .._kit.notice import Notice, report
from .preview import clean_preview, preview_html, problem_table, problems_html, valid_html
from .state import (
    MAPPED_FIELDS,
    NOT_IN_FILE,
    SLOT_LABELS,
    column_map,
    duplicate_choices,
    guess_slots,
    raw_preview,
    short,
)
from .styles import LABEL_WIDTH, Models, shown

if TYPE_CHECKING:
    import pandas as pd

    from ...network import Network
    from ...session import SessionContext
    from .._kit.page import Subscription

__all__ = ["POLL_SECONDS", "PREVIEW_ROWS", "RosterImport"]

esc = html.escape

POLL_SECONDS = 4.0
"""Seconds between two looks at the network's revision (intake submissions, themes)."""
PREVIEW_ROWS = 8
"""Rows of a file the preview shows."""
ROSTER_ROWS = 400
"""Rows of the network's roster the Participants table shows."""

INTRO = (
    "<div class='ilc'><h2>Import a roster or survey export</h2>"
    "<p class='muted'>A CSV (UTF-8, comma or semicolon) or XLSX file with one row per "
    "person. The template's columns are matched by name; for a survey tool's export, "
    "choose below which of its columns holds each field. Nothing is imported until "
    "every row is valid; then all rows are added at once.</p></div>"
)


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
        self._models = m = Models()
        plain, html_style = m.plain, m.html_style
        self.upload = W.FileUpload(
            accept=".csv,.xlsx,.xlsm,.txt",
            multiple=False,
            description="Choose a file",
            icon="",
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
        self.import_button = button("Import participants", style="success")
        self.import_button.add_class("ilc-roster-import")
        self.import_button.disabled = True
        self.import_button.on_click(lambda _: self.run_import())
        self.cancel_button = button("Start over")
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
            *sheets("intake"),
            W.HTML(INTRO, layout=plain, style=html_style),
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
        self.poller: Subscription = follow_network(ctx, self.net, self.refresh, POLL_SECONDS)

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
            districts = frame["district"].nunique()
            parts = [
                f"<b>{n}</b> participant{'s' if n != 1 else ''} from "
                f"<b>{districts}</b> district{'s' if districts != 1 else ''}",
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
        rows = [
            (
                r.name,
                label("role", str(r.role)),
                r.district,
                short(str(r.focus or ""), 90),
                r.theme or "",
            )
            for r in frame.head(ROSTER_ROWS).itertuples()
        ]
        more = (
            f"<p class='muted'>… and {len(frame) - ROSTER_ROWS} more (open the network in "
            "JupyterLab to see every row).</p>"
            if len(frame) > ROSTER_ROWS
            else ""
        )
        table = html_table(
            rows, ["Name", "Role", "District", "Focus", "Theme"], empty="No participants yet."
        )
        self.roster.value = "<div class='ilc'>" + table + more + "</div>"

    # -- reading a file

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self.load_file(bytes(item["content"]), str(item.get("name") or "uploaded file"))

    def load_file(self, content: bytes, filename: str) -> bool:
        """Read an uploaded file and show its column mapping; False if it cannot be read."""
        from ...importers import read_table, suggest_column_map

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
        except Exception as error:
            report("Reading an uploaded file", error)
            self.notice.show(f"{filename} could not be read as CSV or XLSX.", "error")
            return False
        self.table, self.filename = table, filename
        headers = [str(c) for c in table.columns]
        guess = suggest_column_map(headers, "participants")
        self._build_mapping(headers, guess_slots(guess))
        fmt = str(table.attrs.get("format", "")).upper()
        self.notice.show(
            f"{filename}: {len(table)} row{'s' if len(table) != 1 else ''}, "
            f"{len(headers)} columns ({fmt}). Check the column choices below.",
            "info",
        )
        self.validate()
        return True

    def _build_mapping(self, headers: list[str], chosen: dict[str, str]) -> None:
        options = [("— not in this file —", NOT_IN_FILE), *((short(h, 60), h) for h in headers)]
        rows: list[W.Widget] = [
            W.HTML(
                "<div class='ilc'><h3>Which column holds what?</h3><p class='muted'>"
                "Guesses are filled in; change any that are wrong. * = required. "
                "Two name columns (first and last) are joined with a space.</p></div>"
            )
        ]
        self.dropdowns, self.samples = {}, {}
        for slot, _column in MAPPED_FIELDS:
            dropdown = field(
                SLOT_LABELS[slot],
                W.Dropdown(
                    options=options,
                    value=chosen.get(slot, NOT_IN_FILE),
                    layout=W.Layout(width="34em", max_width="100%"),
                ),
                label_width=LABEL_WIDTH,
            )
            dropdown.add_class(f"ilc-map-{slot}")
            dropdown.observe(lambda _c: self.validate(), "value")
            sample = W.HTML(layout=W.Layout(margin="0 0 0 1em"))
            self.dropdowns[slot], self.samples[slot] = dropdown, sample
            rows.append(W.HBox([dropdown, sample]))
        self.ignored = W.HTML()
        rows.append(self.ignored)
        self.mapping.children = rows
        shown(self.mapping, True)
        shown(self.actions, True)

    def _chosen(self) -> dict[str, str]:
        return {slot: str(d.value or "") for slot, d in self.dropdowns.items()}

    def column_map(self) -> dict[str, str]:
        """The map passed to the importer: every file header -> contract column or ''."""
        if self.table is None:
            return {}
        return column_map((str(h) for h in self.table.columns), self._chosen())

    def set_mapping(self, **slots: str) -> None:
        """Choose file columns by slot (``name=``, ``name_2=``, ``email=``, ...; '' = none)."""
        for slot, header in slots.items():
            if slot not in self.dropdowns:
                raise KeyError(f"unknown mapping slot {slot!r}; known: {sorted(self.dropdowns)}")
            self.dropdowns[slot].value = header

    def validate(self) -> bool:
        """Check the mapped file with the importer's rules; show the preview and problems."""
        from ...importers import load_participants

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
        duplicates = duplicate_choices(self._chosen())
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
            head = raw_preview(table, mapping, PREVIEW_ROWS)
            self._show_preview(head, {p.row for p in error.problems})
            self._show_problems(error)
            return False
        self._show_preview(clean_preview(frame, PREVIEW_ROWS), set())
        self.valid_rows = n = len(frame)
        warnings: list[Problem] = list(frame.attrs.get("warnings", []))
        generated = int(frame.attrs.get("generated_ids", 0))
        self.problems.value = valid_html(
            n, generated, problem_table(warnings, len(warnings), mapping) if warnings else ""
        )
        self.import_button.disabled = False
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
            example = short(values[0], 50) if values else "(blank in the first rows)"
            sample.value = f"<div class='ilc'><span class='muted'>e.g. {esc(example)}</span></div>"

    def _show_preview(self, head: pd.DataFrame, bad_rows: set[int | None]) -> None:
        total = len(self.table) if self.table is not None else len(head)
        self.preview.value = preview_html(head, bad_rows, self.value or {}, total)

    def _show_problems(self, error: ImportValidationError) -> None:
        chosen = self.table is not None
        self.problems.value = problems_html(error, self.value or {}, hint=chosen)

    # -- importing

    def run_import(self) -> int:
        """Import every row of the mapped file (or none); returns how many were added."""
        if self.table is None:
            self.notice.show("Choose a file first.", "error")
            return 0
        if not self.validate():
            self.notice.show("The file has problems (listed below); nothing was imported.", "error")
            return 0
        self.import_button.disabled = True
        self.progress.max = max(self.valid_rows, 1)
        self.progress.value = 0
        shown(self.progress, True)

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
        except Exception as error:
            prefix = "Nothing was imported"
            write_failed(self.notice, "Importing a roster", error, prefix, "Try again.")
            return 0
        finally:
            shown(self.progress, False)
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
        shown(self.mapping, False)
        shown(self.actions, False)
        self.preview.value = self.problems.value = ""
        self.notice.clear()
        self.value = {}
        self.import_button.disabled = True
        if clear_upload and self.upload.value:
            self.upload.value = ()
