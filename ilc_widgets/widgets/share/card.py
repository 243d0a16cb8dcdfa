"""One collective's share-out card: its compact face, and the full share-out on request."""

from __future__ import annotations

from html import escape as esc
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...reports import card_meta, effect_rows_html, indicator_rows_html, lessons_html, theory_html
from ...vocab import slug
from .state import SUMMARY_PROBLEM_CHARS, plural, shorten
from .styles import button, html

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...reports import ShareOutCard

__all__ = ["ShareOutCardView", "card_detail_html", "card_summary_html"]


def card_summary_html(card: ShareOutCard, *, own: bool = False) -> str:
    """The compact face of a share-out card (escaped)."""
    short = shorten(card.problem_of_practice)
    effects = "; ".join(
        f"{e.assessment}: d = {e.d_text}"
        + (f" (95% interval {e.ci_text})" if e.ci_text else "")
        + f", n = {e.n_pre} pre / {e.n_post} post"
        for e in card.effect_sizes
    )
    you = "<span class='ilc-gal-you'>Your collective</span>" if own else ""
    facts = [
        f"{card.evidence_entries} evidence entries",
        f"{len(card.evidence_types_used)} of 4 evidence types",
        plural(len(card.lessons), "review reflection"),
    ]
    return (
        "<div class='ilc'>"
        f"<div class='ilc-gal-theme'>{esc(card.theme or '(no theme)')}</div>"
        f"<div class='ilc-gal-name'><b>{esc(card.name)}</b>{you}</div>"
        f"<div class='meta'>{esc(card_meta(card).split(' · ', 1)[-1])}</div>"
        + (
            f"<p><b>Problem of practice.</b> {esc(short)}</p>"
            if short
            else "<p class='note'>No problem of practice written yet.</p>"
        )
        + f"<p class='ilc-gal-status'>Indicators: {esc(card.status_summary)}</p>"
        + (f"<p><b>Effect size:</b> {esc(effects)}</p>" if effects else "")
        + f"<p class='meta'>{esc(' · '.join(facts))}</p>"
        "</div>"
    )


def card_detail_html(card: ShareOutCard) -> str:
    """The full share-out of a card (escaped): the parts the compact face leaves out."""
    members = (
        f"<p class='meta'><b>Members:</b> {esc(', '.join(card.members))}</p>"
        if card.members
        else ""
    )
    surfaced = (
        f"<p class='meta'><b>What data surfaced it:</b> {esc(card.surfacing_data)}</p>"
        if card.surfacing_data
        else ""
    )
    priorities = (
        "<h4>Priorities</h4><ol>" + "".join(f"<li>{esc(p)}</li>" for p in card.priorities) + "</ol>"
        if card.priorities
        else ""
    )
    used = ", ".join(card.evidence_types_used) or "none yet"
    missing = ", ".join(card.evidence_types_missing)
    effects = (
        "<h4>Key evidence: effect sizes</h4>"
        + effect_rows_html(card.effect_sizes, with_collective=False)
        if card.effect_sizes
        else ""
    )
    return (
        "<div class='ilc ilc-gal-detail'>"
        f"{members}"
        + (
            # the face shows the problem of practice unless it had to be shortened
            f"<h4>Problem of practice</h4><div class='pop'><p>{esc(card.problem_of_practice)}</p>"
            f"{surfaced}</div>"
            if len(card.problem_of_practice) > SUMMARY_PROBLEM_CHARS
            else surfaced
        )
        + priorities
        + f"<h4>Theory of action</h4>{theory_html(card)}"
        + f"<h4>Key evidence: indicators ({esc(card.status_summary)})</h4>"
        + indicator_rows_html(card)
        + effects
        + f"<p class='meta'>Evidence types used: {esc(used)}"
        + (f"; not yet: {esc(missing)}" if missing else "")
        + "</p>"
        + f"<h4>Lessons learned</h4>{lessons_html(card)}"
        + "</div>"
    )


class ShareOutCardView(W.VBox):  # type: ignore[misc]
    """One collective's card: its compact face, and the full share-out on request."""

    expanded = T.Bool(False, help="True while the full share-out is shown")

    def __init__(self, card: ShareOutCard, *, own: bool = False, **kwargs: Any) -> None:
        self.card = card
        self.summary = html(card_summary_html(card, own=own), "ilc-gal-summary")
        self.toggle = button(self._toggle_text(False))
        self.toggle.add_class("ilc-gal-toggle")
        self.detail = html("", "ilc-gal-detail-html")
        self.detail.layout = W.Layout(width="100%", display="none")
        self.toggle.on_click(lambda _: setattr(self, "expanded", not self.expanded))
        super().__init__([self.summary, self.toggle, self.detail], layout=W.Layout(), **kwargs)
        self.add_class("ilc-gal-card")
        self.add_class(f"ilc-gal-card-{slug(card.code)}")
        if own:
            self.add_class("ilc-gal-own")
        self.observe(self._on_expanded, "expanded")

    def _toggle_text(self, expanded: bool) -> str:
        """The open/close button's words, naming the collective (every card has one)."""
        name = self.card.name or self.card.code
        return f"Show less of {name}" if expanded else f"Show the full share-out of {name}"

    def _on_expanded(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            if not self.detail.value:
                self.detail.value = card_detail_html(self.card)
            self.detail.layout.display = ""
            self.toggle.description = self._toggle_text(True)
            self.add_class("ilc-gal-open")
        else:
            self.detail.layout.display = "none"
            self.toggle.description = self._toggle_text(False)
            self.remove_class("ilc-gal-open")
