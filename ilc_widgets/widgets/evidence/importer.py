"""The evidence logger's import panel: upload a CSV or XLSX file, say which column is
which, preview the entries or the problems, then import all of them in one go (or none)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...errors import IlcError, ImportValidationError
from ...format import with_unit
from ...network import EVIDENCE_FIELDS
from ...vocab import EVIDENCE_TYPES
from .._base import Notice, esc, html_table
from . import state
from .section import box, button, desc_style, html, labelled, layout, notice
from .state import FIELD_LABELS

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from .logger import EvidenceLogger
else:
    from ..._lazy import pd


class _ImportPanel(W.VBox):  # type: ignore[misc]
    """Upload a CSV or XLSX file, map its columns, preview the entries and any problems,
    then import all of them in one go (or none)."""

    message: Notice

    def __init__(self, owner: EvidenceLogger) -> None:
        self.owner = owner
        self.table: pd.DataFrame | None = None
        self.filename = ""
        self.frame: pd.DataFrame | None = None
        self.map_inputs: dict[str, W.Dropdown] = {}
        self.upload = W.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file")
        self.upload.add_class("ilc-ev-upload")
        self.upload.observe(self._on_upload, "value")
        self.date_order = W.Dropdown(
            options=[
                ("Only unambiguous dates", "auto"),
                ("Day first (15/09/2026)", "dmy"),
                ("Month first (09/15/2026)", "mdy"),
            ],
            description="Dates like 03/04/2026",
            style={"description_width": "12.5em"},
            layout=W.Layout(width="30em"),
        )
        self.date_order.add_class("ilc-ev-date-order")
        self.date_order.observe(lambda _c: self.owner._guard("Preview", self.preview), "value")
        self.mapping = W.VBox()
        self.mapping.add_class("ilc-ev-map")
        self.preview_html = html()
        self.preview_html.add_class("ilc-ev-preview")
        self.import_button = button("Import", kind="success", icon="upload")
        self.import_button.add_class("ilc-ev-import")
        self.import_button.disabled = True
        self.import_button.on_click(
            lambda _b: self.owner._guard("Importing", self.run_import, self.message)
        )
        self.progress = W.IntProgress(
            value=0, min=0, max=1, description="Importing", layout=W.Layout(display="none")
        )
        self.progress.add_class("ilc-ev-progress")
        self.message = notice("ilc-ev-import-notice")
        help_html = html(
            "<div class='ilc-help'>Columns: <code>date, evidence_type, indicator, value, unit, n, "
            "subgroup, description, source, entered_by</code> (the <code>collective</code> "
            "column may be left out). Other exports work too: say below which column is which. "
            "Nothing is saved until you click Import, and a file with any problem imports "
            "nothing.</div>"
        )
        super().__init__(
            [
                help_html,
                box([self.upload, self.date_order], vertical=False, align_items="center"),
                self.mapping,
                self.preview_html,
                box([self.import_button, self.progress], vertical=False, align_items="center"),
                self.message,
            ]
        )
        self.add_class("ilc-ev-importer")

    def reset(self) -> None:
        """Forget the file."""
        self.table = None
        self.frame = None
        self.filename = ""
        old = list(self.mapping.children)
        self.map_inputs = {}
        self.mapping.children = []
        for widget in old:
            for child in getattr(widget, "children", ()):
                child.close()
            widget.close()
        self.preview_html.value = ""
        self.import_button.disabled = True
        self.import_button.description = "Import"
        self.progress.layout.display = "none"

    def _on_upload(self, change: Mapping[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        first = files[0]
        self.owner._guard(
            "Reading the file",
            lambda: self.load_file(first["content"], str(first["name"])),
            self.message,
        )

    def load_file(self, content: bytes | memoryview, filename: str) -> None:
        """Read an uploaded file and suggest which column is which."""
        from ...importers import read_table, suggest_column_map

        self.reset()
        self.message.clear()
        try:
            table = read_table(content, filename, kind="evidence")
        except ImportValidationError as exc:
            self._show_problems(exc)
            return
        self.table, self.filename = table, filename
        suggested = suggest_column_map(list(table.columns), "evidence")
        choices = [("(ignore)", "")] + [
            ("n (how many)" if c == "n" else f"{FIELD_LABELS.get(c, c)} ({c})", c)
            for c in EVIDENCE_FIELDS
        ]
        rows = []
        for header in table.columns:
            sample = next((v for v in table[header].head(20) if str(v).strip()), "")
            dropdown = W.Dropdown(
                style=desc_style(),
                options=choices,
                value=suggested.get(str(header), ""),
                layout=layout(width="28em", max_width="100%"),
            )
            dropdown.add_class("ilc-ev-map-select")
            dropdown.observe(lambda _c: self.owner._guard("Preview", self.preview), "value")
            self.map_inputs[str(header)] = dropdown
            # the file's column names the field; an example value follows it
            row = box(
                [
                    labelled(f"Column “{state.short(str(header), 30)}”", dropdown, "12em"),
                    html(
                        f"&nbsp;<span class='muted'>e.g. {esc(state.short(str(sample), 40))}</span>"
                    ),
                ],
                vertical=False,
                align_items="center",
            )
            row.add_class("ilc-ev-map-row")
            rows.append(row)
        self.mapping.children = [
            html(f"<b>{esc(filename)}</b>: {len(table)} rows. Which column is which?"),
            *rows,
        ]
        self.preview()

    def column_map(self) -> dict[str, str]:
        """The mapping chosen: file header -> data-contract column ("" = ignore)."""
        return {header: str(d.value or "") for header, d in self.map_inputs.items()}

    def _dayfirst(self) -> bool | None:
        return {"dmy": True, "mdy": False}.get(str(self.date_order.value))

    def preview(self) -> None:
        """Validate the file with the chosen mapping; show the entries or the problems."""
        from ...importers import load_evidence

        if self.table is None:
            return
        self.frame = None
        self.import_button.disabled = True
        self.import_button.description = "Import"
        try:
            frame = load_evidence(
                self.table,
                self.filename,
                collective=self.owner.collective,
                column_map=self.column_map(),
                dayfirst=self._dayfirst(),
                known_collectives=[self.owner.collective],
            )
        except ImportValidationError as exc:
            self._show_problems(exc)
            return
        self.frame = frame
        rows = [
            (
                row,
                r["date"].date().isoformat() if not pd.isna(r["date"]) else "",
                EVIDENCE_TYPES.get(str(r["evidence_type"]), r["evidence_type"]),
                r["indicator"],
                with_unit(r["value"], r["unit"]),
                "" if state.blank(r["n"]) else str(int(r["n"])),
                r["subgroup"],
                state.short(str(r["description"]), 80),
            )
            for row, r in frame.head(8).iterrows()
        ]
        ignored = list(frame.attrs.get("ignored_columns", []))
        ignored_text = (
            f"<div class='muted'>Ignored columns: {esc(', '.join(ignored))}</div>"
            if ignored
            else ""
        )
        more = f"<div class='muted'>… and {len(frame) - 8} more.</div>" if len(frame) > 8 else ""
        self.preview_html.value = (
            f"<div class='ilc-notice success'>{len(frame)} entries are ready to import into "
            f"{esc(self.owner._collective_names.get(self.owner.collective, ''))}.</div>"
            + html_table(
                rows,
                ["Row", "Date", "Type", "Indicator", "Value", "n", "Subgroup", "Description"],
            )
            + more
            + ignored_text
        )
        self.import_button.disabled = False
        self.import_button.description = f"Import {len(frame)} entries"

    def _show_problems(self, exc: ImportValidationError) -> None:
        shown = exc.problems[:25]
        items = "".join(f"<li>{esc(str(p))}</li>" for p in shown)
        more = exc.total - len(shown)
        extra = f"<li>… and {more} more</li>" if more > 0 else ""
        count = f"{exc.total} problem{'s' if exc.total != 1 else ''}"
        self.preview_html.value = (
            f"<div class='ilc-notice error'><b>{count} found; nothing can be imported until "
            f"they are fixed</b> (in the file, or in the column choices above).<ul>{items}{extra}"
            "</ul></div>"
        )
        self.import_button.disabled = True
        self.import_button.description = "Import"

    def run_import(self) -> None:
        """Import every previewed entry in one transaction (or none, on any problem)."""
        if self.table is None or self.frame is None:
            raise IlcError("Choose a file and check the preview first.")
        owner = self.owner
        table = self.table
        dayfirst = self._dayfirst()
        mapping = self.column_map()
        if dayfirst is not None:
            # write the dates as read with the chosen order, so the import reads them the same
            date_headers = [h for h, c in mapping.items() if c == "date"]
            if not date_headers and "date" in table.columns:
                date_headers = ["date"]
            table = table.copy()
            for header in date_headers:
                table[header] = self.frame["date"].dt.strftime("%Y-%m-%d").reindex(table.index)
        self.progress.max = max(len(self.frame), 1)
        self.progress.value = 0
        self.progress.layout.display = ""

        def step(done: int, total: int) -> None:
            self.progress.max = max(total, 1)
            self.progress.value = done

        try:
            result = owner.net.import_evidence(
                table,
                self.filename,
                collective=owner.collective,
                column_map=mapping,
                actor=owner.ctx.actor,
                progress=step,
            )
        except ImportValidationError as exc:
            self.progress.layout.display = "none"
            self._show_problems(exc)
            return
        name = self.filename
        self.reset()
        with contextlib.suppress(Exception):
            self.upload.value = ()
        done = f"Imported {result.added} entries from {name}."
        if result.skipped:
            done += (
                f" {result.skipped} already in the log {'were' if result.skipped != 1 else 'was'}"
                " skipped."
            )
        self.message.show(done, "success")
        owner.table_notice.show(done, "success")
        owner.page = 0
        owner._saved()
