"""The network report's model: plain dataclasses of text and numbers, privacy already applied."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from ..format import STATUS_MARKS, date_text, status_count
from ..privacy import count_marker, statistic_marker
from ..stats import STATUSES
from ..vocab import MODALITIES

if TYPE_CHECKING:
    import datetime as dt

REPORT_TITLE: Final = "Network report"


def modality_label(value: str) -> str:
    """How a collective's modality reads ("In person", "Virtual", "Hybrid")."""
    if value == "hybrid":
        return "Hybrid"
    return MODALITIES.get(value, value.replace("_", " ").capitalize())


@dataclass(frozen=True)
class TheoryLink:
    """One if/then step of a theory of action."""

    level: str
    if_text: str
    then_text: str


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator as shared: plan, latest value (or the suppression marker) and status."""

    name: str
    kind: str
    kind_label: str
    evidence_type: str
    evidence_type_label: str
    baseline: str
    target: str
    target_date: str
    latest: str
    latest_n: str
    latest_date: str
    suppressed: bool
    status: str
    status_label: str

    @property
    def mark(self) -> str:
        """The status mark (●, ▲, ■, ○: :data:`~ilc_widgets.format.STATUS_MARKS`)."""
        return STATUS_MARKS.get(self.status, "")


@dataclass(frozen=True)
class EffectSizeSummary:
    """A pre/post effect size as shared: ``d`` and its interval only when publishable."""

    collective: str
    collective_name: str
    assessment: str
    d: float | None
    ci_low: float | None
    ci_high: float | None
    n_pre: str
    n_post: str
    suppressed: bool
    text: str
    d_text: str

    @property
    def ci_text(self) -> str:
        """``0.05 to 0.85`` (blank when there is no publishable interval)."""
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{self.ci_low:.2f} to {self.ci_high:.2f}"


@dataclass(frozen=True)
class Lesson:
    """What a collective learned at one review meeting (and what it will adjust)."""

    meeting_date: str
    learned: str
    adjust: str


@dataclass(frozen=True)
class ShareOutCard:
    """One collective's share-out: everything the gallery and the report show about it."""

    code: str
    name: str
    theme: str
    region: str
    modality: str
    modality_label: str
    facilitator: str
    members: tuple[str, ...]
    problem_of_practice: str
    surfacing_data: str
    priorities: tuple[str, ...]
    theory_of_action: tuple[TheoryLink, ...]
    indicators: tuple[IndicatorSummary, ...]
    effect_sizes: tuple[EffectSizeSummary, ...]
    evidence_entries: str
    evidence_types_used: tuple[str, ...]
    evidence_types_missing: tuple[str, ...]
    lessons: tuple[Lesson, ...]
    completeness: float
    placemat_saved: bool

    @property
    def status_counts(self) -> dict[str, int]:
        """How many of its indicators have each status (every status present, maybe 0)."""
        counts = Counter(i.status for i in self.indicators)
        return {s: counts.get(s, 0) for s in STATUSES}

    @property
    def status_summary(self) -> str:
        """``● 2 on track · ▲ 1 at risk`` (statuses with at least one indicator)."""
        parts = [status_count(s, n) for s, n in self.status_counts.items() if n]
        return " · ".join(parts) if parts else "No indicators yet"


@dataclass(frozen=True)
class RelatedTheme:
    """Another theme whose collectives work on similar things, and the words they share."""

    theme: str
    shared_words: tuple[str, ...]


@dataclass(frozen=True)
class ThemeGroup:
    """The collectives of one theme, side by side, and the themes related to it."""

    theme: str
    codes: tuple[str, ...]
    related: tuple[RelatedTheme, ...]
    status_counts: dict[str, int]


@dataclass(frozen=True)
class CountTable:
    """A published table of counts: suppressed cells already replaced by the marker.

    ``cells[i][j]`` is the text of row ``i``, column ``j``; ``values`` holds the same
    counts as numbers, ``None`` where a cell is suppressed (for charts).
    """

    row_header: str
    columns: tuple[str, ...]
    row_labels: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    values: tuple[tuple[int | None, ...], ...]
    n_primary: int = 0
    n_complementary: int = 0

    @property
    def n_suppressed(self) -> int:
        """Cells hidden in all."""
        return self.n_primary + self.n_complementary


@dataclass(frozen=True)
class PulseRow:
    """One efficacy dimension, network-wide: start and review means with their n."""

    dimension: str
    label: str
    mean_start: float | None
    n_start: str
    mean_review: float | None
    n_review: str
    change: float | None
    n_both: str
    paired_change: float | None


@dataclass(frozen=True)
class EvidenceTypeUse:
    """How much the network uses one evidence type."""

    evidence_type: str
    label: str
    entries: str
    entries_value: int | None
    share: str
    collectives_using: int
    verdict: str
    prompt: str


@dataclass(frozen=True)
class IntersectionUse:
    """One of Bernhardt's intersections: how many collectives can answer its question."""

    label: str
    question: str
    collectives: int


@dataclass(frozen=True)
class NetworkReport:
    """Everything the network report shows, with privacy rules applied (plain data)."""

    network_name: str
    description: str
    school_year: str
    generated: dt.date
    min_cell_size: int
    show_names: bool
    headline: tuple[str, ...]
    at_a_glance: tuple[tuple[str, str], ...]
    cards: tuple[ShareOutCard, ...]
    themes: tuple[ThemeGroup, ...]
    status_by_theme: CountTable
    effect_sizes: tuple[EffectSizeSummary, ...]
    pulse: tuple[PulseRow, ...]
    pulse_note: str
    evidence_types: tuple[EvidenceTypeUse, ...]
    evidence_total: str
    evidence_by_theme: CountTable
    intersections: tuple[IntersectionUse, ...]
    evidence_prompts: tuple[str, ...]
    participants_by_role: CountTable
    privacy_note: str
    method_notes: tuple[tuple[str, str], ...]
    regions: tuple[str, ...] = field(default=())
    modalities: tuple[str, ...] = field(default=())

    @property
    def count_marker(self) -> str:
        """What a suppressed count reads as (``<10``)."""
        return count_marker(self.min_cell_size)

    @property
    def statistic_marker(self) -> str:
        """What a suppressed statistic reads as (``n<10``)."""
        return statistic_marker(self.min_cell_size)

    @property
    def theme_names(self) -> tuple[str, ...]:
        """The themes, in the order the report shows them."""
        return tuple(g.theme for g in self.themes)

    def card(self, code: str) -> ShareOutCard:
        """The share-out card of one collective (``KeyError`` if it is not in the report)."""
        for card in self.cards:
            if card.code == code:
                return card
        raise KeyError(code)

    @property
    def title(self) -> str:
        """``<network>: network report``."""
        return f"{self.network_name}: {REPORT_TITLE.lower()}"

    @property
    def subtitle(self) -> str:
        """``School year 2026-27 · 12 collectives · generated 20 Nov 2026`` (no year if unset)."""
        return " · ".join(
            x
            for x in (
                f"School year {self.school_year}" if self.school_year else "",
                f"{len(self.cards)} collectives",
                f"generated {date_text(self.generated)}",
            )
            if x
        )
