"""The gallery of share-outs: a card per collective, filtered by theme, region and modality.

The cards are drawn once the page shows the section; the page's one revision poller says
when a collective saved something new, and the cards are read again on request.
"""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...reports import modality_label
from .._kit.notice import Notice, guarded, user_message
from .._kit.page import page_of
from .._kit.styles import shared
from .base import ShareSection, shared_report
from .card import ShareOutCardView
from .state import NO_MATCH, CardFilter, FilterChoices, count_text, options, privacy_settings
from .styles import button, dropdown, html

if TYPE_CHECKING:
    from ...reports import NetworkReport as ReportModel
    from ...reports import ShareOutCard
    from ...session import SessionContext

__all__ = ["POLL_SECONDS", "Gallery"]

POLL_SECONDS = 10.0
"""How often the gallery checks whether any collective saved something new."""


class Gallery(ShareSection):
    """A share-out card per collective, filtered by theme, region and modality.

    Everyone with a valid link sees every collective's share-out (that is the point of
    sharing knowledge across groups) and nothing else: the cards hold only what the
    privacy-protected network report holds.
    """

    value = T.List(
        T.Unicode(), help="Ids of the collectives whose cards are shown (after the filters)"
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        net = ctx.require_network()
        self.own = ctx.collective_code or ""
        choices = FilterChoices.of(net.collective_list())
        min_n, names = privacy_settings(net.settings)
        modalities = [(modality_label(m), m) for m in choices.modalities]
        self.theme_filter, self.region_filter, self.modality_filter = (
            dropdown(
                label, options(every, values), f"ilc-gal-{cls}-filter", width=w, label_width=lw
            )
            for label, every, values, cls, w, lw in (
                ("Theme", "All themes", choices.themes, "theme", "20em", "4em"),
                ("Region", "All regions", choices.regions, "region", "18em", "4em"),
                ("Modality", "All modalities", modalities, "modality", "16em", "4.5em"),
            )
        )
        for widget in (self.theme_filter, self.region_filter, self.modality_filter):
            widget.observe(lambda _: self.apply_filters(), "value")
        self.count = html("", "ilc-gal-count")
        self.count.layout = shared(W.Layout, width="auto")
        filters = W.HBox(
            [self.theme_filter, self.region_filter, self.modality_filter, self.count],
            layout=shared(W.Layout, width="100%"),
        )
        filters.add_class("ilc-gal-filters")
        names_text = (
            "Participant names are shown (the network allows it)."
            if names
            else "No participant names are shown."
        )
        intro = html(
            "<div class='ilc'><h2>Gallery of share-outs</h2>"
            "<p class='muted'>Every collective's problem of practice, theory of action, key "
            "evidence and lessons learned. Open a card for the whole share-out.</p>"
            f"<div class='ilc-gal-privacy'>Privacy: counts of fewer than {min_n} people are "
            f"shown as &lt;{min_n}, and values or effect sizes built on fewer than {min_n} "
            f"people as n&lt;{min_n}. {esc(names_text)} Evidence rows, emails and who wrote "
            "what are never shown here.</div></div>"
        )
        self.notice = Notice()
        self.refresh_button = button("Show the latest share-outs")
        self.refresh_button.add_class("ilc-gal-refresh")
        self.refresh_button.layout = W.Layout(width="auto", display="none")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.grid = W.Box(layout=shared(W.Layout, width="100%"))
        self.grid.add_class("ilc-gal-grid")
        self.loading = html("<p class='muted'>Loading the share-outs…</p>", "ilc-gal-loading")
        self.cards: list[ShareOutCardView] = []
        self.report: ReportModel | None = None
        super().__init__(
            ctx,
            "ilc-gallery",
            [intro, filters, self.notice, self.refresh_button, self.loading, self.grid],
            **kwargs,
        )
        self.poller = (
            page_of(ctx)
            .poller(("network", "revision"), self.net.revision, interval=POLL_SECONDS)
            .subscribe(self._changed)
        )
        self.stage()

    # -- building
    def build_rest(self) -> None:
        """Read the shared report and draw the cards."""
        self.report = shared_report(self.ctx)
        self._draw()

    def show_failure(self, exc: Exception) -> None:
        """Say the share-outs could not be loaded."""
        self.loading.value = ""
        self.notice.show(user_message("Loading the share-outs", exc), "error")

    def _draw(self) -> None:
        assert self.report is not None
        cards = sorted(self.report.cards, key=lambda c: c.code != self.own)
        for view in self.cards:
            view.close()
        self.cards = [ShareOutCardView(c, own=c.code == self.own) for c in cards]
        self.grid.children = tuple(self.cards)
        self.loading.value = ""
        self.apply_filters()

    def _changed(self) -> None:
        self.refresh_button.layout.display = ""
        self.notice.show("A collective saved new work since this page opened.", "info")

    def refresh(self) -> None:
        """Read the network again and redraw the cards (the filters are kept)."""
        self.refresh_button.layout.display = "none"
        self.notice.clear()
        self.built = True
        self._redraw()
        self.poller.mark_seen()

    @guarded("Loading the share-outs")
    def _redraw(self) -> None:
        self.loading.value = ""
        self.report = shared_report(self.ctx, fresh=True)
        self._draw()

    # -- filtering
    @property
    def filter(self) -> CardFilter:
        """The filters as chosen now."""
        return CardFilter(
            self.theme_filter.value, self.region_filter.value, self.modality_filter.value
        )

    def matches(self, card: ShareOutCard) -> bool:
        """True when the card passes the theme, region and modality filters."""
        return self.filter.matches(card)

    def apply_filters(self) -> None:
        """Show the cards that pass the filters and hide the others."""
        chosen = self.filter
        shown = []
        for view in self.cards:
            keep = chosen.matches(view.card)
            view.layout.display = "" if keep else "none"
            if keep:
                shown.append(view.card.code)
        self.value = shown
        if self.report is not None:
            self.count.value = (
                f"<span class='muted'>{count_text(len(shown), len(self.cards))}</span>"
            )
            if self.cards and not shown:
                self.notice.show(NO_MATCH, "info")
            elif self.notice.text == NO_MATCH:
                self.notice.clear()

    @property
    def shown_cards(self) -> list[ShareOutCardView]:
        """The card views shown now (for tests and the page)."""
        return [v for v in self.cards if v.layout.display != "none"]
