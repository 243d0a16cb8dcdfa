"""Workbook 06's pure rules: the privacy settings shown, the card filters, the counts and
the file names offered, and the warnings about the report's settings.

Plain functions and frozen dataclasses over the report model's cards, tested without a
kernel (tests/test_share_state.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ...vocab import slug

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Mapping, Sequence

    from ...network import Collective
    from ...reports import ShareOutCard

SUMMARY_PROBLEM_CHARS: Final = 280
"""A card's face shows the problem of practice up to this many characters."""
NO_REGION: Final = "-"
"""The region filter's value for collectives without a region (virtual ones)."""
NO_MATCH: Final = "No collective matches these filters."
"""What the gallery says when its filters hide every card."""


def privacy_settings(settings: Mapping[str, Any]) -> tuple[int, bool]:
    """The network's minimum cell size and whether participant names may be shown, from its
    settings (a network's ``settings``)."""
    return int(settings.get("min_cell_size", 10) or 10), bool(
        settings.get("show_participant_names", False)
    )


def plural(count: int, word: str) -> str:
    """``1 collective``, ``3 collectives``."""
    return f"{count} {word}{'s' if count != 1 else ''}"


def percent(done: int, total: int) -> int:
    """How far ``done`` of ``total`` is, in whole percent (0 of 0 is 0)."""
    return int(100 * done / max(total, 1))


def shorten(text: str, limit: int = SUMMARY_PROBLEM_CHARS) -> str:
    """``text`` up to ``limit`` characters, cut with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- gallery filters


@dataclass(frozen=True)
class FilterChoices:
    """What the gallery's filters offer: (label, value) pairs after the "All …" entry."""

    themes: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    modalities: list[str]

    @classmethod
    def of(cls, collectives: Sequence[Collective]) -> FilterChoices:
        """The themes, regions (and "no region" when a collective has none) and modalities
        of ``collectives``, each once."""
        themes = sorted({c.theme for c in collectives if c.theme})
        regions = [(r, r) for r in sorted({c.region for c in collectives if c.region})]
        if any(not c.region for c in collectives):
            regions.append(("No region (virtual)", NO_REGION))
        modalities = list(dict.fromkeys(c.modality for c in collectives))
        return cls([(t, t) for t in themes], regions, modalities)


def options(label: str, values: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """A dropdown's options: ``(label, "")`` for "every one" first, then ``values``."""
    return [(label, ""), *values]


@dataclass(frozen=True)
class CardFilter:
    """The gallery's filters: a theme, a region (:data:`NO_REGION`: none) and a modality;
    '' lets every card through."""

    theme: str = ""
    region: str = ""
    modality: str = ""

    def matches(self, card: ShareOutCard) -> bool:
        """True when the card passes the theme, region and modality filters."""
        if self.theme and card.theme != self.theme:
            return False
        if self.region == NO_REGION and card.region:
            return False
        if self.region not in ("", NO_REGION) and card.region != self.region:
            return False
        return not (self.modality and card.modality != self.modality)


def count_text(shown: int, total: int) -> str:
    """``2 of 8 collectives``."""
    return f"{shown} of {plural(total, 'collective')}"


# --------------------------------------------------------------------------- the report


def report_filename(network_name: str, generated: dt.date, extension: str) -> str:
    """``lakes-prairie-leadership-network-report-2026-11-23.pdf``."""
    return f"{_file_base(network_name)}-report-{generated.isoformat()}.{extension}"


def bundle_filename(network_name: str, day: dt.date) -> str:
    """``lakes-prairie-leadership-network-data-2026-11-23.zip``."""
    return f"{_file_base(network_name)}-data-{day.isoformat()}.zip"


def _file_base(network_name: str) -> str:
    return slug(network_name).replace("_", "-") or "network"


def settings_warnings(min_cell_size: int, network_min: int, show_names: bool) -> str:
    """What to warn a facilitator about before building a report with these settings
    ('' when nothing): figures about fewer people than the network allows, names."""
    notes = []
    if min_cell_size < network_min:
        notes.append(
            f"The smallest group shown ({min_cell_size}) is below the network's "
            f"privacy minimum of {network_min}: the report will show figures about "
            "fewer people. Share it only with people allowed to see them."
        )
    if show_names:
        notes.append(
            "Participant names will be printed in the report. Share it only with people "
            "allowed to see who took part."
        )
    return " ".join(notes)


__all__ = [
    "NO_MATCH",
    "NO_REGION",
    "SUMMARY_PROBLEM_CHARS",
    "CardFilter",
    "FilterChoices",
    "bundle_filename",
    "count_text",
    "options",
    "percent",
    "plural",
    "privacy_settings",
    "report_filename",
    "settings_warnings",
    "shorten",
]
