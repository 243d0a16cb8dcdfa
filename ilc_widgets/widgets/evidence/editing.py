"""Editing, deleting and restoring evidence entries: the version check and what a conflict says.

:class:`_EditableEntries` is the part of the evidence logger (:mod:`.logger`) that changes
entries already logged; the logger supplies the form it loads them into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import traitlets as T

from ...errors import NotFound
from .._base import Notice, esc
from . import state
from .table import _EntryTable

if TYPE_CHECKING:
    from collections.abc import Mapping

    import ipywidgets as W


class _EditableEntries(_EntryTable):
    """The entry table with edit (under a version check), delete, restore and undo."""

    editing = T.Int(None, allow_none=True, help="The id of the entry being edited, or None")

    form_notice: Notice
    form_title: W.HTML
    add_button: W.Button
    cancel_button: W.Button
    indicator_input: W.Dropdown
    _editing_version: int
    _last_deleted: int | None

    def fill_form(self, entry: Mapping[str, Any]) -> None:
        """Put ``entry`` into the form (the logger's)."""
        raise NotImplementedError

    def clear_form(self) -> None:
        """Empty the form (the logger's)."""
        raise NotImplementedError

    def _clear_errors(self) -> None:
        raise NotImplementedError

    def _entry(self, entry_id: int) -> dict[str, Any] | None:
        return next((dict(e) for e in self._entries if e["id"] == entry_id), None)

    def edit(self, entry_id: int) -> None:
        """Load an entry of this collective into the form to change it."""
        entry = self._entry(entry_id)
        if entry is None or bool(entry["deleted"]):
            raise NotFound(f"there is no evidence entry {entry_id} in this collective")
        self._clear_errors()
        self.editing = entry_id
        self._editing_version = int(entry["version"])
        self.fill_form(entry)
        self.add_button.description = "Save changes"
        self.add_button.icon = "check"
        self.cancel_button.layout.display = ""
        summary = esc(state.entry_summary(entry))
        self.form_title.value = f"<h3>Editing the entry of {summary}</h3>"
        self.form_notice.show(
            "Change what you need, then click Save changes (or Cancel edit).", "info"
        )
        self.indicator_input.focus()  # the form, not the table, is where to go on

    def cancel_edit(self) -> None:
        """Stop editing and empty the form."""
        self._leave_edit()
        self.clear_form()
        self._clear_errors()

    def _leave_edit(self) -> None:
        self.editing = None
        self._editing_version = 0
        self.add_button.description = "Add evidence"
        self.add_button.icon = "plus"
        self.cancel_button.layout.display = "none"
        self.form_title.value = "<h3>New entry</h3>"

    def _conflict(self, entry_id: int) -> None:
        self.refresh()
        current = self._entry(entry_id)
        self.poller.mark_seen()
        if current is None or bool(current["deleted"]):
            self._leave_edit()
            self.form_notice.show(
                "Someone else deleted this entry while you were editing it, so nothing was "
                "saved. What you typed is still in the form: click Add evidence to log it as "
                "a new entry, or turn on Show deleted to restore theirs.",
                "error",
            )
            return
        self._editing_version = int(current["version"])
        self._fresh_id = entry_id
        self._render_table()
        self.form_notice.show(
            "Someone else changed this entry while you were editing it, so nothing was saved "
            f"and nothing was overwritten. Their version (highlighted in the table): "
            f"{state.entry_summary(current)}. What you typed is still in the form: click Save "
            "changes to replace theirs with yours, or Cancel edit to keep theirs.",
            "error",
        )

    def delete(self, entry_id: int) -> None:
        """Delete an entry of this collective (it can be restored)."""
        self.net.delete_evidence(entry_id, collective=self.collective, actor=self.ctx.actor)
        if self.editing == entry_id:
            self.cancel_edit()
        self._last_deleted = entry_id
        self.table_notice.show("Entry deleted. Turn on Show deleted to restore it later.", "info")
        self.undo_button.layout.display = ""
        self._saved()

    def restore(self, entry_id: int) -> None:
        """Bring back a deleted entry of this collective."""
        self.net.restore_evidence(entry_id, collective=self.collective, actor=self.ctx.actor)
        self._fresh_id = entry_id
        self.undo_button.layout.display = "none"
        self.table_notice.show("Entry restored.", "success")
        self._saved()

    def undo_delete(self) -> None:
        """Restore the entry deleted last."""
        if self._last_deleted is not None:
            self.restore(self._last_deleted)
            self._last_deleted = None
