"""What the sections of workbook 06 share: the page's one report model, and their base.

Everything shown comes from one :class:`~ilc_widgets.reports.NetworkReport` model per page,
built by :func:`~ilc_widgets.reports.build_network_report` with the network's privacy
settings (``min_cell_size``, ``show_participant_names``) already applied: the sections only
lay it out, so a participant can never see more than the shared report holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as W

from ...reports import build_network_report
from .._kit.page import page_of
from .._kit.section import StagedSection
from .._kit.styles import shared, stylesheet
from .state import privacy_settings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...reports import NetworkReport as ReportModel
    from ...session import SessionContext

__all__ = ["STAGE_DELAY_SECONDS", "STAGE_FALLBACK_SECONDS", "ShareSection", "shared_report"]

STAGE_FALLBACK_SECONDS = 3.0
"""Build the data-heavy parts this long after the page opened, if the page never reports."""
STAGE_DELAY_SECONDS = 0.2
"""Build them this long after the page first draws the section."""


def shared_report(ctx: SessionContext, *, fresh: bool = False) -> ReportModel:
    """The report model of this page, built with the network's privacy settings.

    The sections of one page share it; it is built again when the network changed since
    (or when ``fresh``).
    """
    net = ctx.require_network()
    revision = net.revision()
    min_n, names = privacy_settings(net.settings)
    kept = page_of(ctx).values
    cached: tuple[int, int, bool, ReportModel] | None = kept.get("gallery.report")
    if cached is not None and not fresh and cached[:3] == (revision, min_n, names):
        return cached[3]
    report = build_network_report(net, min_cell_size=min_n, show_names=names)
    kept["gallery.report"] = (revision, min_n, names, report)
    return report


class ShareSection(StagedSection):
    """A section of workbook 06: the stylesheets and its cheap part now, the data-heavy
    part once the page shows it (at once outside a kernel)."""

    fallback_seconds = STAGE_FALLBACK_SECONDS
    delay_seconds = STAGE_DELAY_SECONDS

    def __init__(
        self, ctx: SessionContext, cls: str, children: Sequence[W.Widget], **kwargs: Any
    ) -> None:
        self.ctx = ctx
        self.net = ctx.require_network()
        super().__init__(
            [stylesheet("base"), stylesheet("gallery"), *children],
            layout=shared(W.Layout, width="100%"),
            **kwargs,
        )
        self.add_class("ilc-app")
        self.add_class("ilc-gal")
        self.add_class(cls)
