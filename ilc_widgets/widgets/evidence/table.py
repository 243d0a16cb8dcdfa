"""The evidence logger's table of entries: filters, one page of reused rows, the pager, and
the Edit / Delete / Restore buttons of each row.

What the filters let through and how the pages fall are rules of :mod:`.state`; this module
draws them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...format import as_date, with_unit
from ...vocab import EVIDENCE_TYPES
from .._base import Notice, esc
from . import state
from .section import (
    _Section,
    badge,
    box,
    button,
    desc_style,
    html,
    labelled,
    layout,
    notice,
    set_options,
)
from .state import ALL, PAGE_SIZE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...placemat import Indicator
    from ...session import SessionContext


def _text_width(ems: float) -> str:
    """A row button's width in the page's text size. The button's own font size is 0 (its
    word comes from the stylesheet), so ``em`` there is 0: at desktop width the buttons
    shrank to "E" and "D"."""
    return f"calc({ems} * var(--jp-widgets-font-size, 13px))"


HIDDEN = "ilc-ev-hidden"
"""The class of a table row that shows no entry (the stylesheet hides it)."""


class _EntryRow(W.HBox):  # type: ignore[misc]
    """One row of the evidence table (rows are reused from page to page)."""

    def __init__(self, owner: _EntryTable) -> None:
        self.owner = owner
        self.entry_id: int | None = None
        self.cells = html(flex="1 1 0%", min_width="0")
        # shown as "Edit" and "Delete" (the stylesheet), named with the entry they act on
        self.edit_button = button("Edit", shape=owner.edit_layout)
        self.edit_button.add_class("ilc-ev-edit")
        self.edit_button.add_class("ilc-ev-rowbtn")
        self.delete_button = button("Delete", shape=layout(width=_text_width(6.6)))
        self.delete_button.add_class("ilc-ev-delete")
        self.delete_button.add_class("ilc-ev-rowbtn")
        self.edit_button.on_click(
            lambda _b: owner._guard("Editing", self._edit, owner.table_notice)
        )
        self.delete_button.on_click(
            lambda _b: owner._guard("Deleting", self._toggle, owner.table_notice)
        )
        super().__init__(
            [self.cells, self.edit_button, self.delete_button],
            layout=layout(align_items="center"),  # shared: a row hides by its class
        )
        self.add_class("ilc-ev-row")

    @property
    def shown(self) -> bool:
        """True when the row shows an entry."""
        return self.entry_id is not None

    def _edit(self) -> None:
        if self.entry_id is not None:
            self.owner.edit(self.entry_id)

    def _toggle(self) -> None:
        if self.entry_id is None:
            return
        if self.owner.show_deleted.value:
            self.owner.restore(self.entry_id)
        else:
            self.owner.delete(self.entry_id)

    def show(self, entry: Mapping[str, Any], *, deleted: bool, fresh: bool) -> None:
        """Fill the row with one entry."""
        self.entry_id = int(entry["id"])
        self.cells.value = self.owner.cells_html(entry)
        self.remove_class(HIDDEN)
        which = state.entry_name(entry)
        self.edit_button.description = self.edit_button.tooltip = f"Edit {which}"
        self.delete_button.description = f"{'Restore' if deleted else 'Delete'} {which}"
        self.delete_button.tooltip = (
            f"Bring back {which}" if deleted else f"Delete {which} (it can be restored)"
        )
        for flag, css in ((deleted, "ilc-ev-deleted-row"), (fresh, "ilc-ev-fresh")):
            if flag:
                self.add_class(css)
            else:
                self.remove_class(css)
        if deleted:
            self.delete_button.add_class("ilc-ev-restore")
            self.delete_button.remove_class("ilc-ev-delete")
        else:
            self.delete_button.add_class("ilc-ev-delete")
            self.delete_button.remove_class("ilc-ev-restore")

    def hide(self) -> None:
        """Show nothing (fewer entries than rows on this page)."""
        self.entry_id = None
        self.add_class(HIDDEN)


class _EntryTable(_Section):
    """The part of the evidence logger that lists the entries: filters, pages and rows
    (built once the page shows the form)."""

    table_notice: Notice

    page = T.Int(0, help="The page of the table shown (0 holds the newest entries)")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self._entries: list[dict[str, Any]] = []  # newest first, deleted ones too
        self._indicators: dict[str, Indicator] = {}
        self._fresh_id: int | None = None
        self._quiet = False
        super().__init__(ctx, **kwargs)

    # -- for the logger
    def edit(self, entry_id: int) -> None:
        """Load an entry into the form."""
        raise NotImplementedError

    def delete(self, entry_id: int) -> None:
        """Delete an entry."""
        raise NotImplementedError

    def restore(self, entry_id: int) -> None:
        """Bring back a deleted entry."""
        raise NotImplementedError

    def undo_delete(self) -> None:
        """Restore the entry deleted last."""
        raise NotImplementedError

    # -- building
    def _build_table_frame(self) -> W.VBox:
        """The table's place with its title and a loading line (the rest comes later)."""
        self.rows: list[_EntryRow] = []
        self.table_ready = False
        self.table_notice = notice("ilc-ev-table-notice")
        self.undo_button = button("Undo delete", icon="undo", shape=W.Layout(width="auto"))
        self.undo_button.add_class("ilc-ev-undo")
        self.undo_button.layout.display = "none"
        self.undo_button.on_click(
            lambda _b: self._guard("Restoring", self.undo_delete, self.table_notice)
        )
        self.table_title = html()
        self.table = W.VBox([self.table_title, html("<p class='muted'>Loading the entries…</p>")])
        self.table.add_class("ilc-ev-table")
        return self.table

    def _build_filters(self) -> W.Box:
        self.filter_type = W.Dropdown(
            style=desc_style(),
            options=[("All types", ALL)] + [(n, k) for k, n in EVIDENCE_TYPES.items()],
            layout=layout(width="14.5em", max_width="100%"),
        )
        self.filter_type.add_class("ilc-ev-filter-type")
        self.filter_indicator = W.Dropdown(
            style=desc_style(),
            options=[("All indicators", ALL), ("(no indicator)", "")],
            layout=layout(width="22em", max_width="100%"),
        )
        self.filter_indicator.add_class("ilc-ev-filter-indicator")
        self.filter_from = W.DatePicker(
            style=desc_style(), layout=layout(width="13.5em", max_width="100%")
        )
        self.filter_from.add_class("ilc-ev-filter-from")
        self.filter_to = W.DatePicker(
            style=desc_style(), layout=layout(width="12.5em", max_width="100%")
        )
        self.filter_to.add_class("ilc-ev-filter-to")
        self.filter_who = W.Dropdown(
            style=desc_style(),
            options=[("Anyone", ALL)],
            layout=layout(width="19em", max_width="100%"),
        )
        self.filter_who.add_class("ilc-ev-filter-who")
        self.show_deleted = W.ToggleButton(
            description="Show deleted",
            icon="trash",
            tooltip="List the deleted entries, to restore them",
            layout=layout(width="auto"),
        )
        self.show_deleted.add_class("ilc-ev-show-deleted")
        clear = button("Clear filters", icon="eraser")
        clear.add_class("ilc-ev-clear-filters")
        clear.on_click(lambda _b: self._guard("Clearing filters", self.clear_filters))
        filters: list[tuple[str, str, W.Widget]] = [
            ("Type", "3.5em", self.filter_type),
            ("Indicator", "5em", self.filter_indicator),
            ("From", "3em", self.filter_from),
            ("to", "2em", self.filter_to),
            ("Entered by", "6em", self.filter_who),
        ]
        for _, _, widget in filters:
            widget.observe(self._on_filter, "value")
        self.show_deleted.observe(self._on_filter, "value")
        parts = [
            box([labelled(label, widget, width)], vertical=False, margin="0 .8em 0 0")
            for label, width, widget in filters
        ]
        line = box(
            [*parts, self.show_deleted, clear],
            vertical=False,
            flex_flow="row wrap",
            align_items="center",
        )
        line.add_class("ilc-ev-filters")
        return line

    def _build_table(self) -> W.Widget:
        filters = self._build_filters()
        header = html(
            "<div class='ilc-ev-grid ilc-ev-head'><div>Date</div><div>Type</div>"
            "<div>Indicator</div><div class='num'>Value</div><div class='num'>n</div>"
            "<div>Subgroup</div><div>Description and source</div><div>Entered by</div></div>",
            flex="1 1 0%",
            min_width="0",
        )
        head_row = W.HBox([header, html(width="12.4em", flex="0 0 auto")])
        head_row.add_class("ilc-ev-header")
        self.header_row = head_row
        self.edit_layout = W.Layout(width=_text_width(5.2))
        self.rows = []  # made as a page needs them (at most PAGE_SIZE)
        self.rows_box = box([])
        self.empty_html = html()
        self.empty_html.add_class("ilc-ev-empty")
        self.prev_button = button("Newer", icon="chevron-left", shape=W.Layout(width="auto"))
        self.prev_button.add_class("ilc-ev-prev")
        self.prev_button.on_click(
            lambda _b: self._guard("Paging", lambda: self.go_to(self.page - 1))
        )
        self.next_button = button("Older", icon="chevron-right", shape=W.Layout(width="auto"))
        self.next_button.add_class("ilc-ev-next")
        self.next_button.on_click(
            lambda _b: self._guard("Paging", lambda: self.go_to(self.page + 1))
        )
        self.page_label = html()
        self.page_label.add_class("ilc-ev-page")
        pager = box(
            [self.prev_button, self.page_label, self.next_button],
            vertical=False,
            align_items="center",
        )
        return box(
            [
                self.table_title,
                filters,
                box([self.table_notice, self.undo_button], vertical=False, align_items="center"),
                head_row,
                self.rows_box,
                self.empty_html,
                pager,
            ]
        )

    def _build_rest(self) -> None:
        """The entries table, once the page shows the form."""
        old = list(self.table.children)
        self.table.children = [self._build_table()]
        for widget in old:
            if widget is not self.table_title:
                widget.close()
        self.table_ready = True

    # -- reading
    def _read_entries(self) -> None:
        """Read the collective's entries (deleted ones too), newest first."""
        entries = self.net.evidence_records(self.collective, include_deleted=True)
        self._entries = sorted(entries, key=lambda e: (e["date"], e["id"]), reverse=True)

    def _refresh_filters(self) -> None:
        set_options(
            self.filter_indicator, state.indicator_filter_options(self._entries, self._indicators)
        )
        set_options(self.filter_who, state.who_filter_options(self._entries, self._names))

    def cells_html(self, entry: Mapping[str, Any]) -> str:
        """One entry as the cells of a table row (everything typed is escaped)."""
        text = state.text
        day = as_date(entry.get("date"))
        description = text(entry.get("description"))
        source = text(entry.get("source"))
        desc_html = esc(state.short(description, 160)) if description else ""
        if source:
            desc_html += f"<div class='muted'>Source: {esc(state.short(source, 80))}</div>"
        n: Any = entry.get("n")
        indicator = text(entry.get("indicator"))
        return (
            "<div class='ilc-ev-grid'>"
            f"<div>{esc(day.isoformat() if day else '')}</div>"
            f"<div>{badge(text(entry.get('evidence_type')))}</div>"
            f"<div>{esc(indicator) if indicator else '<span class=muted>(none)</span>'}</div>"
            f"<div class='num'>{esc(with_unit(entry.get('value'), entry.get('unit')))}</div>"
            f"<div class='num'>{esc('' if state.blank(n) else str(int(n)))}</div>"
            f"<div>{esc(text(entry.get('subgroup')))}</div>"
            f"<div title='{esc(description)}'>{desc_html}</div>"
            f"<div>{esc(self.who_label(entry.get('entered_by')))}</div>"
            "</div>"
        )

    # -- filters and pages
    def filters(self) -> state.Filters:
        """What the filter widgets are set to."""
        return state.Filters(
            evidence_type=self.filter_type.value,
            indicator=self.filter_indicator.value,
            start=self.filter_from.value,
            end=self.filter_to.value,
            entered_by=self.filter_who.value,
            deleted=bool(self.show_deleted.value),
        )

    def filtered(self) -> list[Mapping[str, Any]]:
        """The entries the filters let through, newest first (deleted ones when
        "Show deleted" is on, the others otherwise)."""
        return state.filter_entries(self._entries, self.filters())

    def _render_title(self, deleted: bool) -> None:
        live, removed = state.entry_counts(self._entries)
        what = "Deleted entries" if deleted else "Entries"
        extra = f" · {removed} deleted" if removed and not deleted else ""
        self.table_title.value = (
            f"<h3>{what} <span class='muted ilc-ev-count'>({live} logged{extra})</span></h3>"
        )

    def _render_table(self) -> None:
        if not self.table_ready:
            self.table_title.value = "<h3>Entries</h3>"
            return
        filters = self.filters()
        view = state.filter_entries(self._entries, filters)
        window = state.PageWindow.of(len(view), self.page)
        if self.page != window.page:
            self.page = window.page
        chunk = view[window.first : window.first + PAGE_SIZE]
        deleted = filters.deleted
        self.edit_layout.visibility = "hidden" if deleted else "visible"
        if len(self.rows) < len(chunk):
            self.rows += [_EntryRow(self) for _ in range(len(chunk) - len(self.rows))]
            self.rows_box.children = tuple(self.rows)
        for i, row in enumerate(self.rows):
            if i < len(chunk):
                entry = chunk[i]
                row.show(entry, deleted=deleted, fresh=int(entry["id"]) == self._fresh_id)
            else:
                row.hide()
        self._render_title(deleted)
        if window.total == 0:
            self.empty_html.value = f"<p class='muted'>{esc(state.empty_text(filters))}</p>"
            self.header_row.layout.display = "none"
        else:
            self.empty_html.value = ""
            self.header_row.layout.display = ""
        label = window.label(filtered=filters.active)
        self.page_label.value = (
            f"<span class='muted'>&nbsp;{esc(label)}&nbsp;</span>" if label else ""
        )
        self.prev_button.disabled = window.page == 0
        self.next_button.disabled = window.page >= window.pages - 1
        visible = "" if window.pages > 1 else "none"
        self.prev_button.layout.display = visible
        self.next_button.layout.display = visible

    def go_to(self, page: int) -> None:
        """Show another page of the table (0 = newest)."""
        self.page = max(0, page)
        self._render_table()

    def clear_filters(self) -> None:
        """Show every entry again."""
        self._quiet = True
        try:
            self.filter_type.value = ALL
            self.filter_indicator.value = ALL
            self.filter_from.value = None
            self.filter_to.value = None
            self.filter_who.value = ALL
        finally:
            self._quiet = False
        self.page = 0
        self._render_table()

    def _on_filter(self, _change: Mapping[str, Any]) -> None:
        if self._quiet:
            return
        self.page = 0
        self._render_table()
