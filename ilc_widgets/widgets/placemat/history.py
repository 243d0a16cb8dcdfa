"""The version history: every save listed newest first, one shown as the printable placemat.

Restoring is the editor's (it needs the form's unsaved changes settled first); this panel
lists and shows versions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as W

from ...placemat import Placemat
from .parts import _button, _html, _lay, _stacked
from .state import history_label

if TYPE_CHECKING:
    from collections.abc import Callable

    from ...network import Collective, Network

__all__ = ["HistoryPanel"]


class HistoryPanel(W.Accordion):  # type: ignore[misc]
    """A closed accordion "Version history": a list of versions, view and restore buttons.

    Opening it fills the list; ``on_restore`` is called by the restore button.
    """

    def __init__(
        self, network: Network, collective: Collective, *, on_restore: Callable[[], None]
    ) -> None:
        self.network = network
        self.collective = collective
        self.code = collective.code
        self.history_list = W.Select(options=[], rows=8, layout=W.Layout(width="100%"))
        self.history_list.add_class("ilc-pm-history-list")
        _stacked("Saved versions, newest first", self.history_list)
        self.view_button = _button("View this version", "ilc-pm-view")
        self.restore_button = _button("Restore this version", "ilc-pm-restore", kind="warning")
        self.history_view = _html("", "ilc-pm-history-view")
        self.view_button.on_click(lambda _: self.view_version())
        self.restore_button.on_click(lambda _: on_restore())
        super().__init__(
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
        self.set_title(0, "Version history")
        self.add_class("ilc-pm-history")
        self.observe(self._on_open, "selected_index")

    @property
    def is_open(self) -> bool:
        """True while the history is shown."""
        return bool(self.selected_index == 0)

    def _on_open(self, change: dict[str, object]) -> None:
        if change["new"] == 0:
            self.refresh()

    def refresh(self) -> None:
        """Fill the list of saved versions, newest first."""
        frame = self.network.placemat_history(self.code)
        options = [
            (history_label(row), int(row["version"]))
            for row in frame.drop(columns=["document"]).to_dict("records")
        ]
        self.history_list.options = options
        if options:
            self.history_list.value = options[0][1]

    def view_version(self) -> None:
        """Show the selected version as the printable placemat."""
        from ...placemat_export import placemat_fragment

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
            doc,
            collective_name=self.collective.name,
            theme=self.collective.theme,
            version=version,
        )
