"""The placemat editor: the form of one collective, saving as people type.

Saving is the kit's :class:`~ilc_widgets.widgets._kit.autosave.AutoSave`: every change
starts its debouncer; when typing pauses the placemat is saved from the version it was read
at. Someone else's save is picked up by the page's revision poller. Edits that do not touch
the same field are merged (three-way, the rules in :mod:`ilc_widgets.merge`) and saved on top
of theirs; edits that do are never written over each other: the form locks and the
:class:`~.conflict.ConflictPanel` lets the person keep theirs, take the other, or merge
field by field. When the kernel exits (the tab closed) or another collective is chosen,
what is unsaved is saved, a clash settled by the merge (both texts kept, noted
:data:`~.state.EXIT_NOTE`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ...errors import ConflictError, IlcError
from ...merge import MergeResult, clone, merge_placemats
from .._base import esc
from .._kit.autosave import AutoSave, SaveFailed
from .._kit.notice import report
from .._kit.page import Page
from .conflict import ConflictPanel
from .form import PlacematForm
from .parts import close_all
from .state import EXIT_NOTE, MERGE_NOTES, POLL_INTERVAL, SAVE_DELAY, saved_status

if TYPE_CHECKING:
    from ...network import Network, PlacematState
    from ...placemat import Placemat

__all__ = ["PlacematEditor"]


def _status_html(text: str) -> str:
    return f"<span class='ilc-pm-status-text'>{esc(text)}</span>"


class PlacematEditor(PlacematForm):
    """The placemat form of one collective, saving as people type."""

    def __init__(
        self,
        network: Network,
        code: str,
        *,
        actor: str,
        participant: bool = False,
        save_delay: float = SAVE_DELAY,
        page: Page | None = None,
        **kwargs: Any,
    ) -> None:
        self.base_actor = actor
        revision = network.revision(code)  # before the read: a save landing after it is news
        state = network.placemat(code)
        self._saved_at = state.updated_at
        self._saved_by = state.updated_by
        self.conflict: ConflictPanel | None = None
        # what the last look at the stored placemat found, for the conflict panel
        self._theirs = state
        self._last_merge: MergeResult | None = None
        self._note = ""  # the history note of the next save (a merge)
        self._extra = ""  # what the status line adds after the next save
        self.saver: AutoSave[Placemat] = AutoSave(
            read=lambda: clone(self._doc),
            save=self._save,
            load=self._load_theirs,
            merge=self._merge,
            on_merged=self._on_merged,
            base=clone(state.placemat),
            version=state.version,
            delay=save_delay,
            ready=self._may_save,
            on_saved=self._on_saved,
            on_conflict=self._on_conflict,
            on_failed=self._on_failed,
        )
        super().__init__(network, code, state.placemat, participant=participant, **kwargs)
        self.add_class("ilc-pm-editor")
        self._show_doc()
        self._saved_status()
        shared = (page or Page()).poller(
            ("revision", code), lambda: network.revision(code), interval=POLL_INTERVAL
        )
        self.poller = shared.subscribe(self._on_remote_change, seen=revision)

    # ------------------------------------------------------------------ identity

    @property
    def version(self) -> int:
        """The stored version this form is based on."""
        return self.saver.version

    @property
    def actor(self) -> str:
        """Who saves: the chosen member's name with the link's actor, or the link's actor."""
        name = self.who.value
        return f"{name} ({self.base_actor})" if name else self.base_actor

    @property
    def dirty(self) -> bool:
        """True while there are changes not saved yet."""
        return self.saver.dirty

    # ------------------------------------------------------------------ status

    def _saved_status(self, extra: str = "") -> None:
        text = saved_status(self.saver.version, self._saved_at, self._saved_by, extra)
        self.status.value = _status_html(text)

    @property
    def status_text(self) -> str:
        """The save status line without markup."""
        import html as _html_mod
        import re

        return _html_mod.unescape(re.sub(r"<[^>]+>", "", self.status.value))

    # ------------------------------------------------------------------ saving (AutoSave's)

    def _on_edit(self) -> None:
        if self._locked:  # a clash waits for a person: keep the change, save nothing yet
            self.saver.dirty = True
            return
        self.status.value = _status_html("Saving…")
        self.saver.changed()

    def save_now(self) -> None:
        """Save what the form holds now (the debouncer does this when typing pauses)."""
        self.saver.save_now()

    def _may_save(self, doc: Placemat) -> bool:
        """False while a clash waits for a person (unless the page is closing). A document
        equal to the saved one is not saved again: the status line says it is saved."""
        if self._locked and not self.saver.exiting:
            return False
        if doc == self.saver.base:
            self._saved_status()
        return True

    def _save(self, doc: Placemat, version: int) -> int:
        return self.network.save_placemat(
            self.code, doc, version, actor=self.actor, note=self._note
        )

    def _load_theirs(self) -> tuple[Placemat, int]:
        self._theirs = self.network.placemat(self.code)
        return clone(self._theirs.placemat), self._theirs.version

    def _merge(self, base: Placemat, mine: Placemat, theirs: Placemat) -> tuple[Placemat, bool]:
        self._last_merge = merge_placemats(base, mine, theirs)
        return self._last_merge.placemat, bool(self._last_merge.conflicts)

    def _on_merged(self, merged: Placemat, clash: bool) -> None:
        """Someone else's save was merged in (a clash only when the page is closing)."""
        theirs = self._theirs
        self._note = EXIT_NOTE if clash else f"merged with version {theirs.version}"
        self._extra = f"merged with changes by {theirs.updated_by or 'someone'}"
        self._doc = clone(merged)
        self._show_doc()

    def _on_saved(self, wrote: bool) -> None:
        if wrote:
            self._saved_at = dt.datetime.now(dt.timezone.utc)
            self._saved_by = self.actor
        else:  # theirs already held everything
            self._saved_at, self._saved_by = self._theirs.updated_at, self._theirs.updated_by
        self._saved_status(self._extra)
        self._note = self._extra = ""
        if self.history.is_open:
            self.history.refresh()

    def _on_failed(self, exc: Exception) -> None:
        self._note = self._extra = ""
        if isinstance(exc, (IlcError, SaveFailed)):
            reason = str(exc)
        else:  # the database did not answer: keep what was typed
            reason = f"the database did not answer ({type(exc).__name__})"
        self.status.value = _status_html("Not saved")
        self.notice.show(
            f"Not saved: {reason}. What you typed is still here; it will be saved with your "
            "next change.",
            "error",
        )

    def _on_conflict(self, _theirs: Placemat, _version: int, _merged: Placemat) -> None:
        """Both changed the same thing: lock the form and show the panel."""
        assert self._last_merge is not None
        self._note = self._extra = ""
        self._open_conflict(self._theirs, self._last_merge)

    def _fresh_conflict(self) -> tuple[PlacematState, MergeResult]:
        theirs = self.network.placemat(self.code)
        return theirs, merge_placemats(self.saver.base, self._doc, theirs.placemat)

    # ------------------------------------------------------------------ someone else's save

    def _on_remote_change(self) -> None:
        """The collective's revision moved: reload, or merge when I have unsaved changes."""
        if self.conflict is not None:
            return
        state = self.network.placemat(self.code)
        if state.version == self.saver.version:
            return
        if self.saver.dirty:
            self.saver.flush()
            return
        self._load(state, f"updated with changes by {state.updated_by or 'someone'}")

    def _load(self, state: PlacematState, extra: str = "") -> None:
        self._doc = clone(state.placemat)
        self.saver.reset(clone(state.placemat), state.version)
        self._saved_at = state.updated_at
        self._saved_by = state.updated_by
        self._show_doc()
        self._saved_status(extra)
        if self.history.is_open:
            self.history.refresh()

    def reload(self) -> None:
        """Check for someone else's saved changes now (the page's poller does it every 2 s)."""
        self.poller.poll_once()
        self._on_remote_change()

    # ------------------------------------------------------------------ conflicts

    def _open_conflict(self, theirs: PlacematState, result: MergeResult) -> None:
        self._locked = True
        self._apply_lock()
        self.conflict = ConflictPanel(theirs, result, on_resolve=self.resolve)
        self.conflict_box.children = (self.conflict,)
        self.alert_bar.value = (
            "<div class='ilc-pm-alert'><b>⚠ Someone else saved while you were editing.</b> "
            "Nothing is lost, and the form waits until you choose. "
            "<a href='#ilc-pm-conflict'>Choose what to keep ↑</a></div>"
        )
        self.status.value = _status_html("Not saved yet: someone else saved a newer version")
        self.notice.clear()

    def _close_conflict(self) -> None:
        old = self.conflict
        self.conflict = None
        self.conflict_box.children = ()
        self.alert_bar.value = ""
        self._locked = False
        self._apply_lock()
        if old is not None:
            close_all(old)

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
            self._on_failed(exc)
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
        note = f"{MERGE_NOTES.get(how, how)} version {theirs.version}"
        version = self._conflict_save(placemat, note)
        if version is None:
            return
        self._close_conflict()
        self._doc = clone(placemat)
        self._show_doc()
        self.saver.reset(clone(placemat), version)
        self._on_saved(True)
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
        self.saver.save_on_exit()

    # ------------------------------------------------------------------ history

    def _saved_cleanly(self) -> bool:
        return not self.saver.dirty and self.conflict is None

    def refresh_history(self) -> None:
        """Fill the list of saved versions, newest first."""
        self.history.refresh()

    def view_version(self) -> None:
        """Show the selected version as the printable placemat."""
        self.history.view_version()

    def restore_selected(self) -> None:
        """Make the selected version the newest one again."""
        version = self.history_list.value
        if version is None:
            return
        if self.saver.dirty:
            self.saver.save_now()
            if not self._saved_cleanly():
                self.notice.show("Resolve your unsaved changes first, then restore.", "warning")
                return
        try:
            new = self.network.restore_placemat(
                self.code, int(version), self.saver.version, actor=self.actor
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
        self.history.refresh()

    # ------------------------------------------------------------------ export

    def _export_source(self) -> tuple[Placemat, dict[str, Any], str]:
        options: dict[str, Any] = {
            "collective_name": self.collective.name,
            "theme": self.collective.theme,
            "members": [str(m["name"]) for m in self.network.member_records(self.code)],
            "version": self.saver.version,
        }
        return self._doc, options, f"placemat-{self.code}"

    def prepare_download(self, kind: str) -> None:
        """Build the printable placemat and show a link that saves it."""
        self.exporter.prepare(kind)

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Stop following the page's poller, save what is pending, and close the widgets."""
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.stop()
        saver = getattr(self, "saver", None)
        if saver is not None:
            try:
                self.save_before_exit()
            except Exception as exc:  # closing must not fail; the log says what
                report("Saving the placemat as it closed", exc)
        super().close()
