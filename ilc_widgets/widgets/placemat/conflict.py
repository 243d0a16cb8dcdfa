"""The conflict panel: shown when a save meets a newer version where both changed the same
thing. Keep mine, take theirs, or merge field by field (the rules are in
:mod:`ilc_widgets.merge`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from ...merge import MergeResult, Path, apply_choices, resolve
from .._base import button, esc
from .parts import _html, _lay, _stacked
from .state import clock

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...network import PlacematState
    from ...placemat import Placemat

__all__ = ["ConflictPanel"]


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
            f"{esc(clock(theirs.updated_at))}. Your changes are not saved yet and nothing "
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
            W.VBox([_stacked(f"Merged: {c.label} (edit before saving)", ed)])
            for c, ed in zip(result.conflicts, self.editors.values(), strict=True)
        ]
        for row in self.merge_rows:
            row.layout.display = "none"
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
