"""What the pulse survey and its results share: the item set in use on the page (one
loaded here, else the one shared with every collective, else the kit's own), and the
pulse's stylesheet.

The pulse is a reflective tool, not a validated scale, and says so wherever it appears
(:data:`~ilc_widgets.efficacy.PULSE_DISCLAIMER`).
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any, ClassVar, Final

from ...efficacy import DEFAULT_ITEM_SET, ItemSet, item_set_from_dict
from .._kit.styles import register_stylesheet
from .section import ReviewSection, room_of

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...network import Network
    from ...session import SessionContext

__all__ = ["CSS", "ITEM_SET_SETTING", "PulseSection", "hub_user", "network_item_set"]

ITEM_SET_SETTING: Final = "pulse_item_set"
"""The network setting that holds the item set every collective's pulse asks (when set)."""

CSS: Final = """
<style>
.ilc-rv-disclaimer { border: 2px solid #57606a; border-left-width: 8px; border-radius: 6px;
  background: #f6f8fa; padding: .45em .8em; margin: .3em 0 .5em; line-height: 1.4;
  max-width: 60em; }
.ilc-rv-dim { font-weight: 700; font-size: 1.05em; margin: .7em 0 .1em;
  border-bottom: 2px solid #d0d7de; max-width: 60em; }
.ilc-rv-item { margin: .35em 0 .05em; line-height: 1.35; }
.ilc-rv-item .num { font-weight: 700; margin-right: .3em; }
.ilc-rv-pulse .widget-toggle-buttons .widget-toggle-button { font-size: .88em; }
.ilc-rv-pulse .widget-toggle-buttons .mod-active { font-weight: 700; outline: 2px solid #1b1f24; }
.ilc-rv-answered { margin: .3em 0; }
.ilc table.ilc-table.ilc-rv-table td.num, .ilc table.ilc-table.ilc-rv-table th.num {
  text-align: right; white-space: nowrap; }
.ilc-rv-smalln { border: 2px dashed #9a6700; background: #fff8c5; border-radius: 6px;
  padding: .35em .7em; margin: .4em 0; max-width: 60em; line-height: 1.4; }
.ilc-rv-results-chart svg { width: 100%; max-width: 620px; height: auto; }
</style>
"""
register_stylesheet("pulse", CSS)


def hub_user(ctx: SessionContext) -> str:
    """The JupyterHub login of this session ('' outside JupyterHub)."""
    user = os.environ.get("JUPYTERHUB_USER", "")
    return user if user and ctx.actor == user else ""


def network_item_set(net: Network) -> ItemSet | None:
    """The item set a researcher or facilitator shared with every collective (None when the
    kit's own items are used, or when the stored one cannot be read)."""
    data = net.settings.get(ITEM_SET_SETTING)
    if not data:
        return None
    try:
        return item_set_from_dict(data)
    except ValueError:
        return None


class PulseSection(ReviewSection):
    """What the survey and its results share: the item set in use on the page."""

    stylesheets: ClassVar[tuple[str, ...]] = (*ReviewSection.stylesheets, "pulse")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        room = room_of(ctx)
        if not room.shared_loaded:
            room.shared_loaded = True
            with contextlib.suppress(Exception):  # a settings hiccup leaves the kit's items
                room.shared_items = network_item_set(ctx.require_network())
        super().__init__(ctx, **kwargs)
        self.room.observe(self._on_item_set, ["item_set", "shared_items"])

    @property
    def item_set(self) -> ItemSet:
        """The item set in use: one loaded on this page, else the one shared with every
        collective, else the kit's own."""
        for found in (self.room.item_set, self.room.shared_items):
            if isinstance(found, ItemSet):
                return found
        return DEFAULT_ITEM_SET

    def _on_item_set(self, _change: Mapping[str, Any]) -> None:
        self.guard("Changing the item set", self.item_set_changed)

    def item_set_changed(self) -> None:
        """The page's item set changed."""

    def close(self) -> None:
        """Stop following the page's item set and close."""
        with contextlib.suppress(Exception):
            self.room.unobserve(self._on_item_set, ["item_set", "shared_items"])
        super().close()
