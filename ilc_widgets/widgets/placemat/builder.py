"""Workbook 03's section: the placemat of the session's collective (participants), or of a
collective a facilitator or researcher picks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...errors import IlcError
from .._kit.notice import Notice
from .._kit.page import page_of
from .._kit.styles import stylesheet
from .editor import PlacematEditor
from .parts import _lay

if TYPE_CHECKING:
    from ...session import SessionContext

__all__ = ["PlacematBuilder"]


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
        children: list[W.Widget] = [stylesheet("base"), stylesheet("placemat")]
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
                self.network,
                code,
                actor=self.ctx.actor,
                participant=participant,
                page=page_of(self.ctx),
            )
        except IlcError as exc:
            self.notice.show(str(exc), "error")
            return
        self.notice.clear()
        self.value = self.editor.value
        self._link = T.link((self.editor, "value"), (self, "value"))
        self.holder.children = (self.editor,)
