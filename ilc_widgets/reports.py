"""The network report: what every collective shares, compared across the network, private.

:func:`build_network_report` reads a :class:`~ilc_widgets.network.Network` and returns a
:class:`NetworkReport`: plain data (dataclasses of text and numbers) with every privacy
rule already applied, so whatever shows it (the HTML and PDF renderers here, the gallery
widgets of workbook 06) cannot leak what the model does not hold:

* a count of people from 1 to ``min_cell_size - 1`` is shown as ``<10``
  (:func:`~ilc_widgets.privacy.count_marker`), with complementary suppression wherever a
  table publishes a total (:func:`~ilc_widgets.privacy.suppress_counts`);
* a mean, percentage, indicator value or effect size built on fewer than
  ``min_cell_size`` people (or on an unknown number) is shown as ``n<10``;
* participant (and facilitator) names appear only with ``show_names=True``; otherwise they
  are replaced by ``[name]`` in everything people typed; emails and student references are
  never printed (``[email]``, ``[student]``); raw evidence rows, reflections' authors and
  pulse respondents are never part of the model.

Counts of collectives, indicators and evidence entries describe the network's own work,
not people, and are shown as they are (an entry's own n, the people it covers, is what
decides whether its value may be shown). :func:`render_html` gives one self-contained page
(inline SVG charts, print styles, readable in black and white); :func:`render_pdf` a paginated PDF
(reportlab, charts as PNG, a header and page numbers on every page);
:func:`write_network_report` writes either or both without ever leaving a half-written
file. matplotlib and reportlab are imported only when a chart or a PDF is drawn.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from .efficacy import DEFAULT_ITEM_SET, DIMENSIONS, PULSE_DISCLAIMER, pulse_change
from .errors import IlcError
from .format import (
    STATUS_COLORS,
    STATUS_HATCHES,
    STATUS_MARKS,
    date_text,
    status_count,
    status_legend,
    status_text,
    with_unit,
)
from .placemat import Placemat, completeness
from .privacy import (
    DEFAULT_MIN_N,
    NAME_PLACEHOLDER,
    count_marker,
    is_publishable,
    redact_names,
    statistic_marker,
    suppress_counts,
)
from .stats import (
    EFFECT_SIZE_METHOD,
    HINGE_POINT,
    INTERSECTIONS,
    STATUS_LABELS,
    STATUS_RULE_TEXT,
    STATUSES,
    answerable_intersections,
    latest_n,
    summarize_indicators,
)
from .vocab import EVIDENCE_TYPES, INDICATOR_KINDS, MODALITIES, ROLES, TOA_LEVELS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .network import Collective, Network

Progress = Callable[[int, int], None]

__all__ = [
    "STATUS_MARKS",
    "CountTable",
    "EffectSizeSummary",
    "EvidenceTypeUse",
    "IndicatorSummary",
    "IntersectionUse",
    "Lesson",
    "NetworkReport",
    "PulseRow",
    "Redactor",
    "RelatedTheme",
    "ShareOutCard",
    "ThemeGroup",
    "TheoryLink",
    "build_network_report",
    "chart_figures",
    "modality_label",
    "pdf_story_text",
    "render_html",
    "render_pdf",
    "write_network_report",
]

REPORT_TITLE: Final = "Network report"

EMAIL_PLACEHOLDER: Final = "[email]"
STUDENT_PLACEHOLDER: Final = "[student]"
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TOKEN = re.compile(r"[\w-]+")


def modality_label(value: str) -> str:
    """How a collective's modality reads ("In person", "Virtual", "Hybrid")."""
    if value == "hybrid":
        return "Hybrid"
    return MODALITIES.get(value, value.replace("_", " ").capitalize())


# ============================================================================ the model


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


# ============================================================================ redaction


class Redactor:
    """Takes names, emails and student references out of text people typed.

    Full names (and student references of several words) are matched by
    :func:`~ilc_widgets.privacy.redact_names` (any case, any spacing); each part of a name
    of three or more letters is also replaced where it is written with its capital
    ("Hodan", not "hodan"), so a first name alone is caught without turning ordinary words
    ("will", "grace") into ``[name]``. Only names whose words occur in a text are tried,
    which keeps hundreds of names fast.
    """

    def __init__(
        self,
        names: Iterable[str | None] = (),
        student_refs: Iterable[str | None] = (),
    ) -> None:
        tidy = {" ".join(str(n).split()) for n in names if n and str(n).strip()}
        self._names = sorted(tidy, key=len, reverse=True)
        self._first = {n: n.split(" ")[0].casefold() for n in self._names}
        self._parts = {
            p
            for n in self._names
            for p in n.split(" ")
            if len(p.strip(".'-’")) >= 3 and p[:1].isupper()
        }
        refs = {" ".join(str(r).split()) for r in student_refs if r and len(str(r).strip()) >= 3}
        self._refs = {r for r in refs if _TOKEN.fullmatch(r)}
        # a reference of several words (a student's name typed as the reference) is matched
        # as a whole, in any case and spacing, like a participant's name
        self._ref_names = sorted(refs - self._refs, key=len, reverse=True)

    def __call__(self, text: str | None) -> str:
        """``text`` with names, emails and student references replaced."""
        if not text:
            return ""
        out = _EMAIL.sub(EMAIL_PLACEHOLDER, str(text))
        if self._names:
            low = out.casefold()
            candidates = [n for n in self._names if self._first[n] in low]
            if candidates:
                out = redact_names(out, candidates)
            if self._parts:
                out = _WORD.sub(self._part, out)
        if self._refs:
            out = _TOKEN.sub(
                lambda m: STUDENT_PLACEHOLDER if m.group() in self._refs else m.group(), out
            )
        if self._ref_names:
            low = out.casefold()
            found = [r for r in self._ref_names if r.split(" ")[0].casefold() in low]
            if found:
                out = redact_names(out, found, placeholder=STUDENT_PLACEHOLDER)
        return out

    def _part(self, match: re.Match[str]) -> str:
        word = match.group()
        bare = re.sub(r"['’]s$", "", word)
        if word in self._parts or bare in self._parts:
            return NAME_PLACEHOLDER + word[len(bare) :] if bare != word else NAME_PLACEHOLDER
        return word


# ============================================================================ building

_STOPWORD_TEXT: Final = """
a about after all also an and are as at be because been before being between both but by
can could did do does each every few for from had has have how if in into is it its more
most much no not of on once only or other our out over own same so some such than that
the their them then there these they this those through to too under until up very was
we were what when where which while who whom why will with would you your us i student
students school schools teacher teachers staff grade grades percent rate share data year
years day days each all many one two three k-12 k use used using per less within across
week weeks month months time district districts leader leaders first second third fourth
last late early daily weekly monthly hour hours minute minutes rather instead often
still already build building buildings assign assigns assigned fewer know known make
makes made need needs take takes
"""
_STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())


def _words(text: str) -> list[str]:
    return [
        w
        for w in re.findall(r"[a-z][a-z'-]+", text.casefold())
        if w not in _STOPWORDS and len(w) > 3
    ]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def related_themes(
    texts: Mapping[str, str], *, threshold: float = 0.06, limit: int = 3
) -> dict[str, tuple[RelatedTheme, ...]]:
    """For each theme, the themes whose texts share the most distinctive words.

    ``texts`` maps a theme to what its collectives wrote (theme name, problems of practice,
    indicators, theory of action). Words are weighted by TF-IDF across themes; two themes
    are related when the cosine of their weights is at least ``threshold``. Each relation
    names up to three shared words, so the reader can judge it.
    """
    themes = list(texts)
    if len(themes) < 2:
        return dict.fromkeys(themes, ())
    bags = [Counter(_stem(w) for w in _words(texts[t])) for t in themes]
    shown: dict[str, Counter[str]] = {}
    for t in themes:
        shown[t] = Counter()
        for w in _words(texts[t]):
            shown[t][w] += 1
    vocab = sorted({w for bag in bags for w in bag})
    if not vocab:
        return dict.fromkeys(themes, ())
    index = {w: i for i, w in enumerate(vocab)}
    tf = np.zeros((len(themes), len(vocab)))
    for row, bag in enumerate(bags):
        for w, c in bag.items():
            tf[row, index[w]] = 1 + math.log(c)
    df = (tf > 0).sum(axis=0)
    weights = tf * np.log((1 + len(themes)) / (1 + df))[None, :]
    norms = np.linalg.norm(weights, axis=1)
    norms[norms == 0] = 1
    unit = weights / norms[:, None]
    sims = unit @ unit.T
    out: dict[str, tuple[RelatedTheme, ...]] = {}
    for i, t in enumerate(themes):
        order = [j for j in np.argsort(-sims[i]) if j != i and sims[i, j] >= threshold]
        related = []
        for j in order[:limit]:
            both = unit[i] * unit[j]
            top = [vocab[k] for k in np.argsort(-both)[:3] if both[k] > 0]
            readable = [_surface(stem, shown[t], shown[themes[j]]) for stem in top]
            related.append(RelatedTheme(themes[j], tuple(readable)))
        out[t] = tuple(related)
    return out


def _surface(stem: str, *counts: Counter[str]) -> str:
    """The most common written form of a stemmed word."""
    best, seen = stem, -1
    for counter in counts:
        for word, n in counter.items():
            if _stem(word) == stem and n > seen:
                best, seen = word, n
    return best


def _count_text(n: int | None, min_n: int) -> str:
    if n is None:
        return ""
    if 0 < n < min_n:
        return count_marker(min_n)
    return f"{n:,}"


def _counts_table(
    frame: pd.DataFrame, row_header: str, min_n: int, *, suppress: bool = True
) -> CountTable:
    """Publish a table of counts (with margins labelled Total) through ``suppress_counts``."""
    if frame.empty:
        return CountTable(row_header, tuple(map(str, frame.columns)), (), (), ())
    if suppress:
        result = suppress_counts(frame, min_n=min_n)
        shown, mask = result.table, result.mask
        primary, complementary = result.n_primary, result.n_complementary
    else:
        shown = frame.astype(object)
        mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        primary = complementary = 0
    cells: list[tuple[str, ...]] = []
    values: list[tuple[int | None, ...]] = []
    for label in frame.index:
        row_cells: list[str] = []
        row_values: list[int | None] = []
        for column in frame.columns:
            hidden = bool(mask.at[label, column]) if column in mask.columns else False
            raw = frame.at[label, column]
            if hidden:
                row_cells.append(str(shown.at[label, column]))
                row_values.append(None)
            else:
                number = int(np.asarray(raw, dtype=np.int64))
                row_cells.append(f"{number:,}")
                row_values.append(number)
        cells.append(tuple(row_cells))
        values.append(tuple(row_values))
    return CountTable(
        row_header,
        tuple(str(c) for c in frame.columns),
        tuple(str(i) for i in frame.index),
        tuple(cells),
        tuple(values),
        primary,
        complementary,
    )


def _check_min(min_n: Any) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise IlcError(f"the minimum cell size must be a whole number of at least 1, not {min_n!r}")
    return int(min_n)


def build_network_report(
    network: Network,
    *,
    min_cell_size: int | None = None,
    show_names: bool = False,
    collectives: Sequence[str] | None = None,
    today: dt.date | None = None,
) -> NetworkReport:
    """Read the network and build its report model, with every privacy rule applied.

    ``min_cell_size`` defaults to the network setting ``min_cell_size`` (10);
    ``show_names`` puts participants' and facilitators' names in (default off: they are
    replaced by ``[name]`` wherever people typed them); ``collectives`` limits the report to
    some collectives (ids). Raises :class:`~ilc_widgets.errors.IlcError` for an unknown
    collective or a minimum below 1.
    """
    settings = network.settings
    min_n = _check_min(
        min_cell_size if min_cell_size is not None else settings.get("min_cell_size", DEFAULT_MIN_N)
    )
    info = network.info
    every = network.collective_list()
    if collectives is not None:
        wanted = list(dict.fromkeys(str(c) for c in collectives))
        known = {c.code for c in every}
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise IlcError(
                f"there is no collective {', '.join(map(repr, unknown))} in this network"
            )
        chosen = [c for c in every if c.code in set(wanted)]
    else:
        chosen = every
    codes = [c.code for c in chosen]
    code_set = set(codes)

    participants = network.participants_frame()
    members = participants[participants["collective"].isin(code_set)]
    scores = network.scores_frame()
    refs = scores["student_ref"].dropna().astype(str).tolist() if len(scores) else []
    names: list[str] = []
    if not show_names:
        names = [str(n) for n in participants["name"].dropna()]
        names += [c.facilitator_name for c in every if c.facilitator_name]
    redact = Redactor(names, refs)

    placemat_frame = network.placemats_frame()
    mats: dict[str, tuple[Placemat, int]] = {
        str(code): (Placemat.from_dict(doc), int(version))
        for code, doc, version in zip(
            placemat_frame["collective"],
            placemat_frame["document"],
            placemat_frame["version"],
            strict=True,
        )
    }
    evidence = network.evidence_frame()
    evidence = evidence[evidence["collective"].isin(code_set)]
    by_collective = {str(k): g for k, g in evidence.groupby("collective", sort=False)}
    mapping = {c: mats[c][0].indicators for c in codes if c in mats}
    status = summarize_indicators(
        evidence, mapping, today=today, start=info.get("cycle_start") or None
    )
    status_rows: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["collective"]), str(r["indicator_id"])): {str(k): v for k, v in r.items()}
        for r in status.to_dict("records")
    }
    effect_frame = network.effect_sizes(min_n)
    effect_frame = effect_frame[effect_frame["collective"].isin(code_set)]
    reflections = network.reflections_frame()
    reflections = reflections[reflections["collective"].isin(code_set)]
    names_by_code = {c.code: c.name for c in chosen}

    effects: dict[str, list[EffectSizeSummary]] = {}
    for r in effect_frame.to_dict("records"):
        summary = _effect_summary({str(k): v for k, v in r.items()}, names_by_code, redact, min_n)
        effects.setdefault(summary.collective, []).append(summary)

    cards = [
        _card(
            c,
            mats.get(c.code, (Placemat(), 0)),
            by_collective.get(c.code, evidence.iloc[0:0]),
            status_rows,
            effects.get(c.code, []),
            reflections[reflections["collective"] == c.code],
            members[members["collective"] == c.code],
            redact=redact,
            min_n=min_n,
            show_names=show_names,
        )
        for c in chosen
    ]
    order = Counter(card.theme or "(no theme)" for card in cards)
    cards.sort(key=lambda k: (-order[k.theme or "(no theme)"], k.theme or "~", k.name.casefold()))

    themes = _theme_groups(cards)
    status_by_theme = _status_table(themes)
    all_effects = tuple(e for card in cards for e in card.effect_sizes)
    pulse_rows, pulse_note = _pulse(network, code_set, min_n)
    type_use, evidence_total = _evidence_use(evidence, cards, min_n)
    evidence_by_theme = _evidence_by_theme(evidence, cards, min_n)
    intersections = _intersections(evidence)
    prompts = tuple(u.prompt for u in type_use if u.prompt)
    roles = _roles_table(members, min_n)
    districts = {str(d) for d in members["district"] if str(d).strip()}
    glance = (
        ("Collectives", f"{len(cards):,}"),
        ("Themes", f"{len(themes):,}"),
        ("Participants in collectives", _count_text(len(members), min_n)),
        ("Districts represented", f"{len(districts):,}"),
        (
            "Complete placemats",
            f"{sum(c.completeness >= 1 for c in cards)} of {len(cards)}",
        ),
        ("Indicators", f"{sum(len(c.indicators) for c in cards):,}"),
        ("Evidence entries", evidence_total),
        ("Review meetings with reflections", f"{len(reflections):,}"),
    )
    headline = _headline(cards, all_effects, pulse_rows, type_use, min_n)
    privacy_note = (
        f"Privacy: any count of fewer than {min_n} people is shown as "
        f"{count_marker(min_n)}, and any mean, value or effect size built on fewer than "
        f"{min_n} people (or on an unknown number) as {statistic_marker(min_n)}; where a "
        "table shows a total, further cells are hidden so the total cannot give a hidden one "
        "back. "
        + (
            "Participant names are shown (the report was built with names on)."
            if show_names
            else "No participant names are shown."
        )
        + " Student names and references are never printed."
    )
    return NetworkReport(
        network_name=str(info["name"]),
        description=redact(str(info.get("description") or "")),
        school_year=str(info.get("school_year") or ""),
        generated=today or dt.date.today(),
        min_cell_size=min_n,
        show_names=show_names,
        headline=headline,
        at_a_glance=glance,
        cards=tuple(cards),
        themes=themes,
        status_by_theme=status_by_theme,
        effect_sizes=all_effects,
        pulse=pulse_rows,
        pulse_note=pulse_note,
        evidence_types=type_use,
        evidence_total=evidence_total,
        evidence_by_theme=evidence_by_theme,
        intersections=intersections,
        evidence_prompts=prompts,
        participants_by_role=roles,
        privacy_note=privacy_note,
        method_notes=_method_notes(min_n),
        regions=tuple(sorted({c.region for c in cards if c.region})),
        modalities=tuple(dict.fromkeys(c.modality_label for c in cards)),
    )


def _effect_summary(
    row: Mapping[str, Any], names: Mapping[str, str], redact: Redactor, min_n: int
) -> EffectSizeSummary:
    n_pre, n_post = int(row["n_pre"]), int(row["n_post"])
    code = str(row["collective"])
    common = {
        "collective": code,
        "collective_name": names.get(code, code),
        "assessment": redact(str(row["assessment"])),
        "n_pre": _count_text(n_pre, min_n),
        "n_post": _count_text(n_post, min_n),
    }
    if not is_publishable([n_pre, n_post], min_n):
        return EffectSizeSummary(
            **common,
            d=None,
            ci_low=None,
            ci_high=None,
            suppressed=True,
            text=(f"Built on fewer than {min_n} scores in a group, so it is not shown."),
            d_text=statistic_marker(min_n),
        )
    if str(row.get("problem") or ""):
        return EffectSizeSummary(
            **common,
            d=None,
            ci_low=None,
            ci_high=None,
            suppressed=False,
            text=f"No effect size: {row['problem']}",
            d_text="—",
        )
    return EffectSizeSummary(
        **common,
        d=float(row["d"]),
        ci_low=float(row["ci_low"]),
        ci_high=float(row["ci_high"]),
        suppressed=False,
        text=str(row["interpretation"]),
        d_text=f"{float(row['d']):.2f}",
    )


def _card(
    c: Collective,
    placemat: tuple[Placemat, int],
    evidence: pd.DataFrame,
    status_rows: Mapping[tuple[str, str], Mapping[str, Any]],
    effects: Sequence[EffectSizeSummary],
    reflections: pd.DataFrame,
    members: pd.DataFrame,
    *,
    redact: Redactor,
    min_n: int,
    show_names: bool,
) -> ShareOutCard:
    mat, version = placemat
    latest = latest_n(evidence, mat.indicators)
    indicators = []
    for ind in mat.indicators:
        row = status_rows.get((c.code, ind.id), {})
        value = row.get("latest_value")
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        n, day = latest.get(ind.id, (None, None))
        n_int = None if n is None else round(n)
        if value is None:
            shown, suppressed = "", False
        elif is_publishable(n_int, min_n):
            shown, suppressed = with_unit(float(value), ind.unit), False
        else:
            shown, suppressed = statistic_marker(min_n), True
        indicators.append(
            IndicatorSummary(
                name=redact(ind.name) or "(unnamed)",
                kind=ind.kind,
                kind_label=INDICATOR_KINDS.get(ind.kind, ind.kind),
                evidence_type=ind.evidence_type,
                evidence_type_label=EVIDENCE_TYPES.get(ind.evidence_type, ind.evidence_type),
                baseline=with_unit(ind.baseline, ind.unit),
                target=with_unit(ind.target, ind.unit),
                target_date=date_text(ind.target_date) if ind.target_date else "",
                latest=shown,
                latest_n=_count_text(n_int, min_n) if value is not None else "",
                latest_date=date_text(day) if value is not None else "",
                suppressed=suppressed,
                status=str(row.get("status", "not_enough_data")),
                status_label=str(row.get("status_label", STATUS_LABELS["not_enough_data"])),
            )
        )
    types = evidence["evidence_type"].astype(str).value_counts() if len(evidence) else pd.Series()
    used = tuple(label for key, label in EVIDENCE_TYPES.items() if types.get(key, 0) > 0)
    missing = tuple(label for key, label in EVIDENCE_TYPES.items() if types.get(key, 0) == 0)
    lessons = []
    for r in reflections.sort_values("meeting_date").to_dict("records"):
        learned, adjust = redact(r.get("learned") or ""), redact(r.get("adjust") or "")
        if learned.strip() or adjust.strip():
            lessons.append(Lesson(date_text(r["meeting_date"]), learned.strip(), adjust.strip()))
    return ShareOutCard(
        code=c.code,
        name=c.name,
        theme=c.theme,
        region=c.region,
        modality=c.modality,
        modality_label=modality_label(c.modality),
        facilitator=c.facilitator_name if show_names else "",
        members=tuple(sorted(str(n) for n in members["name"])) if show_names else (),
        problem_of_practice=redact(mat.problem_of_practice).strip(),
        surfacing_data=redact(mat.surfacing_data).strip(),
        priorities=tuple(redact(p).strip() for p in mat.priorities if p.strip()),
        theory_of_action=tuple(
            TheoryLink(
                TOA_LEVELS.get(s.level, s.level),
                redact(s.if_text).strip(),
                redact(s.then_text).strip(),
            )
            for s in mat.theory_of_action
        ),
        indicators=tuple(indicators),
        effect_sizes=tuple(effects),
        evidence_entries=f"{len(evidence):,}",
        evidence_types_used=used,
        evidence_types_missing=missing,
        lessons=tuple(lessons),
        completeness=round(completeness(mat), 2),
        placemat_saved=version > 0,
    )


def _theme_groups(cards: Sequence[ShareOutCard]) -> tuple[ThemeGroup, ...]:
    grouped: dict[str, list[ShareOutCard]] = {}
    for card in cards:
        grouped.setdefault(card.theme or "(no theme)", []).append(card)
    texts = {
        theme: " ".join(
            [theme, theme]
            + [
                " ".join(
                    [
                        k.problem_of_practice,
                        *(i.name for i in k.indicators),
                        *(f"{s.if_text} {s.then_text}" for s in k.theory_of_action),
                    ]
                )
                for k in members
            ]
        )
        for theme, members in grouped.items()
    }
    related = related_themes(texts)
    groups = []
    for theme, members in grouped.items():
        counts = Counter(i.status for k in members for i in k.indicators)
        groups.append(
            ThemeGroup(
                theme,
                tuple(k.code for k in members),
                related.get(theme, ()),
                {s: counts.get(s, 0) for s in STATUSES},
            )
        )
    return tuple(groups)


def _status_table(themes: Sequence[ThemeGroup]) -> CountTable:
    columns = [STATUS_LABELS[s] for s in STATUSES]
    rows = {g.theme: [g.status_counts[s] for s in STATUSES] for g in themes}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    if frame.empty:
        return CountTable("Theme", (*columns, "Total"), (), (), ())
    frame["Total"] = frame.sum(axis=1)
    frame.loc["Total"] = frame.sum(axis=0)
    return _counts_table(frame.astype(int), "Theme", 1, suppress=False)


def _pulse(network: Network, codes: set[str], min_n: int) -> tuple[tuple[PulseRow, ...], str]:
    responses = network.pulse_frame()
    responses = responses[responses["collective"].isin(codes)]
    own = responses[responses["item_set"] == DEFAULT_ITEM_SET.name]
    other_sets = sorted(set(responses["item_set"]) - {DEFAULT_ITEM_SET.name})
    note = PULSE_DISCLAIMER
    if other_sets:
        note += (
            " Answers to researchers' own item sets ("
            + ", ".join(map(str, other_sets))
            + ") are not included here."
        )
    if own.empty:
        return (), note + " No pulse answers yet."
    change = pulse_change(own[["respondent", "wave", "item_id", "score"]])
    rows = []
    for r in change.to_dict("records"):
        n_start, n_review, n_both = int(r["n_start"]), int(r["n_review"]), int(r["n_both"])

        def keep(value: Any, n: int | list[int]) -> float | None:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return None
            return float(value) if is_publishable(n, min_n) else None

        rows.append(
            PulseRow(
                dimension=str(r["dimension"]),
                label=str(r["dimension_label"] or DIMENSIONS.get(str(r["dimension"]), "")),
                mean_start=keep(r["mean_start"], n_start),
                n_start=_count_text(n_start, min_n),
                mean_review=keep(r["mean_review"], n_review),
                n_review=_count_text(n_review, min_n),
                change=keep(r["change"], [n_start, n_review]),
                n_both=_count_text(n_both, min_n),
                paired_change=keep(r["paired_change"], n_both),
            )
        )
    return tuple(rows), note


_NEGLECT_PROMPTS: Final[dict[str, str]] = {
    "demographic": (
        "Demographic evidence is scarce: which students and adults are involved, and are "
        "results the same for every group? Enrollment, attendance and subgroup counts are "
        "often already in the student information system."
    ),
    "perceptions": (
        "Perceptions are scarce: how do students, staff and families experience the change? "
        "A five-question survey or a short focus group before and after would answer it."
    ),
    "student_learning": (
        "Student learning evidence is scarce: is the work changing what students know and "
        "can do? A common formative assessment given twice is enough for an effect size."
    ),
    "school_processes": (
        "School processes evidence is scarce: are adults doing what the theory of action "
        "says? Walkthrough look-fors or an implementation log show it."
    ),
}


def _evidence_use(
    evidence: pd.DataFrame, cards: Sequence[ShareOutCard], min_n: int
) -> tuple[tuple[EvidenceTypeUse, ...], str]:
    counts = (
        evidence["evidence_type"].astype(str).value_counts()
        if len(evidence)
        else pd.Series(dtype=int)
    )
    frame = pd.DataFrame(
        {"Entries": [int(counts.get(k, 0)) for k in EVIDENCE_TYPES]},
        index=list(EVIDENCE_TYPES.values()),
    )
    frame.loc["Total"] = int(frame["Entries"].sum())
    table = _counts_table(frame, "Evidence type", min_n, suppress=False)
    total_value = table.values[-1][0]
    total_text = table.cells[-1][0]
    n_cards = len(cards)
    uses = []
    for i, (key, label) in enumerate(EVIDENCE_TYPES.items()):
        value = table.values[i][0]
        using = sum(label in c.evidence_types_used for c in cards)
        share = (
            f"{value / total_value:.0%}"
            if value is not None and total_value
            else ("" if value is not None else statistic_marker(min_n))
        )
        uses.append((key, label, table.cells[i][0], value, share, using))
    published = [u for u in uses if u[3] is not None]
    most = max(published, key=lambda u: (u[5], u[3] or 0)) if published else None
    result = []
    for key, label, text, value, share, using in uses:
        scarce = n_cards > 0 and (
            using < max(1, math.ceil(n_cards / 2))
            or (value is not None and total_value and value / total_value < 0.1)
            or value is None
        )
        if most is not None and key == most[0] and not scarce:
            verdict = "relied on most"
        elif scarce:
            verdict = "neglected"
        else:
            verdict = ""
        prompt = _NEGLECT_PROMPTS[key] if scarce else ""
        result.append(EvidenceTypeUse(key, label, text, value, share, using, verdict, prompt))
    return tuple(result), total_text


def _evidence_by_theme(
    evidence: pd.DataFrame, cards: Sequence[ShareOutCard], min_n: int
) -> CountTable:
    theme_of = {c.code: c.theme or "(no theme)" for c in cards}
    columns = list(EVIDENCE_TYPES.values())
    themes = list(dict.fromkeys(theme_of.values()))
    frame = pd.DataFrame(0, index=themes, columns=columns, dtype=int)
    if len(evidence):
        grouped = (
            evidence.assign(theme=evidence["collective"].map(theme_of))
            .groupby(["theme", "evidence_type"])
            .size()
        )
        for key, n in grouped.items():
            theme, kind = key if isinstance(key, tuple) else (key, "")
            label = EVIDENCE_TYPES.get(str(kind))
            if label is not None and theme in frame.index:
                frame.at[theme, label] = int(n)
    if frame.empty:
        return CountTable("Theme", (*columns, "Total"), (), (), ())
    frame["Total"] = frame.sum(axis=1)
    frame.loc["Total"] = frame.sum(axis=0)
    return _counts_table(frame.astype(int), "Theme", min_n, suppress=False)


def _intersections(evidence: pd.DataFrame) -> tuple[IntersectionUse, ...]:
    if len(evidence):
        table = answerable_intersections(evidence, by="collective")
        answered = table[table["answerable"]].groupby("intersection")["collective"].nunique()
    else:
        answered = pd.Series(dtype=int)
    return tuple(
        IntersectionUse(ix.label, ix.question, int(answered.get(ix.id, 0))) for ix in INTERSECTIONS
    )


def _roles_table(members: pd.DataFrame, min_n: int) -> CountTable:
    counts = members["role"].astype(str).value_counts()
    rows = {ROLES.get(r, r): int(counts[r]) for r in [*ROLES, *counts.index] if r in counts}
    frame = pd.DataFrame({"Participants": list(rows.values())}, index=list(rows))
    if frame.empty:
        return CountTable("Role", ("Participants",), (), (), ())
    frame.loc["Total"] = int(frame["Participants"].sum())
    return _counts_table(frame, "Role", min_n)


def _headline(
    cards: Sequence[ShareOutCard],
    effects: Sequence[EffectSizeSummary],
    pulse: Sequence[PulseRow],
    types: Sequence[EvidenceTypeUse],
    min_n: int,
) -> tuple[str, ...]:
    lines = []
    n = len(cards)
    if not n:
        return ("No collectives have been formed yet.",)
    complete = sum(c.completeness >= 1 for c in cards)
    started = sum(c.placemat_saved for c in cards)
    lines.append(
        f"{complete} of {n} collectives have a complete placemat; "
        f"{started - complete if started >= complete else 0} more have started theirs"
        + (f" and {n - started} have not saved one yet." if n - started else ".")
    )
    statuses = Counter(i.status for c in cards for i in c.indicators)
    judged = sum(statuses[s] for s in ("on_track", "at_risk", "off_track"))
    if judged:
        lines.append(
            f"Of {judged} indicators with enough data to judge, {statuses['on_track']} are on "
            f"track, {statuses['at_risk']} at risk and {statuses['off_track']} off track; "
            f"{statuses['not_enough_data']} more do not have enough data yet."
        )
    elif statuses:
        lines.append(
            f"None of the {sum(statuses.values())} indicators has enough data to judge yet."
        )
    shown = [e for e in effects if e.d is not None]
    hidden = [e for e in effects if e.suppressed]
    if shown:
        parts = ", ".join(f"{e.collective_name}: d = {e.d:.2f}" for e in shown[:6])
        above = sum(e.d is not None and e.d >= HINGE_POINT for e in shown)
        lines.append(
            f"{len(shown)} pre/post effect size{'s' if len(shown) != 1 else ''} can be "
            f"reported ({parts}); {above} reach{'es' if above == 1 else ''} the "
            f"{HINGE_POINT:.2f} hinge point."
        )
    if hidden:
        lines.append(
            f"{len(hidden)} effect size{'s are' if len(hidden) != 1 else ' is'} built on "
            f"fewer than {min_n} scores in a group and not shown."
        )
    changes = [p for p in pulse if p.change is not None]
    if changes:
        best = max(changes, key=lambda p: p.change or 0)
        assert best.mean_start is not None and best.mean_review is not None
        lines.append(
            f"In the efficacy pulse, {best.label.lower()} changed most across the network: "
            f"{best.mean_start:.1f} at the start, {best.mean_review:.1f} at review "
            f"(n = {best.n_start} and {best.n_review}; a reflective pulse, not a validated "
            "scale)."
        )
    elif pulse:
        lines.append(
            f"Too few pulse answers to report network-wide change (fewer than {min_n} "
            "respondents in a wave)."
        )
    relied = [t for t in types if t.verdict == "relied on most"]
    neglected = [t for t in types if t.verdict == "neglected"]
    if relied:
        r = relied[0]
        lines.append(
            f"The network relies most on {r.label.lower()} evidence ({r.share} of entries, "
            f"used by {r.collectives_using} of {n} collectives)"
            + (
                "; it neglects "
                + " and ".join(
                    f"{t.label.lower()} ({t.collectives_using} of {n} collectives)"
                    for t in neglected
                )
                + "."
                if neglected
                else "."
            )
        )
    return tuple(lines)


def _method_notes(min_n: int) -> tuple[tuple[str, str], ...]:
    return (
        (
            "Small numbers",
            f"Counts of fewer than {min_n} people are shown as "
            f"{count_marker(min_n)}, and a mean, indicator value or effect size built on fewer "
            f"than {min_n} people as {statistic_marker(min_n)} (a value whose n was not "
            "recorded counts as too few). Where a table has a Total, the next smallest cell "
            "of a row or column with one hidden cell is hidden too, so the total cannot give "
            "it back. Counts of collectives, indicators and evidence entries are shown as "
            "they are: they describe the network's work, not people (whether an entry's value "
            "may be shown depends on its own n, the people it covers).",
        ),
        ("Indicator status", STATUS_RULE_TEXT),
        ("Effect size", EFFECT_SIZE_METHOD),
        ("Efficacy pulse", PULSE_DISCLAIMER),
        (
            "Lessons learned",
            "The 'what we learned' and 'what we will adjust' answers of each review meeting, "
            "as the collective wrote them for sharing; names of participants are replaced "
            "by [name] unless the report was built with names on.",
        ),
    )


# ============================================================================ charts


def _mpl(text: str) -> str:
    """Text safe for matplotlib (no mathtext from a ``$`` someone typed)."""
    return text.replace("$", r"\$")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_figures(report: NetworkReport) -> dict[str, Callable[[], Figure]]:
    """The report's charts, each as a function that draws a matplotlib Figure.

    Keys: ``status`` (indicator statuses by theme), ``effect_sizes`` (publishable effect
    sizes with their intervals), ``pulse`` (network-wide pulse, start and review) and
    ``evidence`` (entries by evidence type). Charts with nothing to show are left out.
    Suppressed figures are never drawn: their place says ``n<10`` or ``<10``.
    """
    from . import charts

    out: dict[str, Callable[[], Figure]] = {}
    table = report.status_by_theme
    if table.row_labels[:-1] and any(v for row in table.values[:-1] for v in row[:-1] if v):
        themes = [_mpl(_short(t, 34)) for t in table.row_labels[:-1]]
        series = {
            status_text(s): [float(row[i] or 0) for row in table.values[:-1]]
            for i, s in enumerate(STATUSES)
        }
        out["status"] = lambda: charts.colored_stacked_bar_figure(
            themes,
            series,
            [STATUS_COLORS[s] for s in STATUSES],
            [STATUS_HATCHES[s] for s in STATUSES],
            title="Indicator status by theme",
            xlabel="Indicators",
        )
    shown = [e for e in report.effect_sizes if e.d is not None]
    if shown:
        out["effect_sizes"] = lambda: charts.effect_size_figure(
            [_mpl(_short(f"{e.collective_name}: {e.assessment}", 48)) for e in shown],
            [float(e.d or 0) for e in shown],
            [float(e.ci_low if e.ci_low is not None else math.nan) for e in shown],
            [float(e.ci_high if e.ci_high is not None else math.nan) for e in shown],
            hinge=HINGE_POINT,
            title="Effect sizes with 95% confidence intervals",
        )
    if report.pulse:
        marker = report.statistic_marker
        labels = [f"{_mpl(p.label)}\n(n = {p.n_start} / {p.n_review})" for p in report.pulse]
        out["pulse"] = lambda: charts.masked_grouped_bar_figure(
            labels,
            {
                "Start of inquiry": [p.mean_start for p in report.pulse],
                "Review": [p.mean_review for p in report.pulse],
            },
            missing=marker,
            ylim=(1, 5),
            ylabel="Mean agreement (1 to 5)",
            title="Collective leader efficacy pulse, whole network",
        )
    if report.evidence_types:
        out["evidence"] = lambda: charts.count_bar_figure(
            [t.label for t in report.evidence_types],
            [t.entries_value for t in report.evidence_types],
            missing=report.count_marker,
            title="Evidence entries by type, whole network",
            xlabel="Entries",
        )
    return out


def _svg_charts(report: NetworkReport) -> dict[str, str]:
    from .charts import to_svg

    return {name: to_svg(draw()) for name, draw in chart_figures(report).items()}


# ============================================================================ HTML

_esc = html.escape

REPORT_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #000; }
.ilc-report { font-family: "DejaVu Sans", "Segoe UI", Arial, Helvetica, sans-serif;
  font-size: 10.5pt; line-height: 1.4; max-width: 1080px; margin: 0 auto; padding: 18px 22px; }
.ilc-report h1 { font-size: 20pt; margin: 0 0 2px; }
.ilc-report h2 { font-size: 14pt; margin: 26px 0 8px; border-bottom: 2px solid #000;
  padding-bottom: 2px; }
.ilc-report h3 { font-size: 11.5pt; margin: 14px 0 4px; }
.ilc-report h4 { font-size: 10.5pt; margin: 8px 0 2px; }
.ilc-report p { margin: 0 0 6px; }
.ilc-report .sub { color: #333; margin-bottom: 8px; }
.ilc-report .privacy { border: 1.5px solid #000; padding: 6px 10px; margin: 10px 0;
  font-size: 9.5pt; }
.ilc-report nav ol { columns: 2; margin: 6px 0; padding-left: 1.4em; }
.ilc-report ul.headline { padding-left: 1.2em; }
.ilc-report ul.headline li { margin-bottom: 4px; }
.ilc-report dl.glance { display: grid; grid-template-columns: repeat(4, 1fr); gap: 6px;
  margin: 8px 0; }
.ilc-report dl.glance div { border: 1px solid #000; padding: 4px 8px; }
.ilc-report dl.glance dt { font-size: 8.5pt; }
.ilc-report dl.glance dd { margin: 0; font-size: 15pt; font-weight: bold; }
.ilc-report table { border-collapse: collapse; margin: 6px 0 10px; font-size: 9.5pt; }
.ilc-report th, .ilc-report td { border: 1px solid #000; padding: 3px 7px; text-align: left;
  vertical-align: top; }
.ilc-report th { background: #eee; }
.ilc-report td.num, .ilc-report th.num { text-align: right; font-variant-numeric: tabular-nums; }
.ilc-report tr.total td, .ilc-report tr.total th { font-weight: bold; border-top: 2px solid #000; }
.ilc-report .supp { font-style: italic; }
.ilc-report .chart svg { max-width: 100%; height: auto; }
.ilc-report .chart { margin: 6px 0; }
.ilc-report .note { font-size: 9pt; color: #222; }
.ilc-report .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(250px, 1fr));
  gap: 8px; }
.ilc-report .mini { border: 1px solid #000; padding: 6px 8px; break-inside: avoid; }
.ilc-report .mini h4 { margin-top: 0; }
.ilc-report .card { border: 1.5px solid #000; padding: 8px 12px; margin: 10px 0;
  break-inside: avoid-page; }
.ilc-report .card h3 { margin-top: 0; }
.ilc-report .meta { font-size: 9pt; }
.ilc-report .pop { border-left: 4px double #000; padding-left: 8px; }
.ilc-report ol.toa { padding-left: 1.3em; margin: 2px 0 6px; }
.ilc-report ol.toa li { margin-bottom: 3px; }
.ilc-report .lvl { font-weight: bold; font-size: 8.5pt; text-transform: uppercase; }
.ilc-report .mark { font-weight: bold; display: inline-block; min-width: 1em; }
.ilc-report blockquote { margin: 3px 0 6px 0; padding-left: 8px; border-left: 2px solid #000; }
.ilc-report .related { font-size: 9.5pt; }
.ilc-report footer { margin-top: 24px; font-size: 8.5pt; border-top: 1px solid #000;
  padding-top: 4px; }
@page { size: letter; margin: 14mm 12mm; }
@media print {
  .ilc-report { max-width: none; padding: 0; font-size: 9.5pt; }
  .ilc-report h2 { break-after: avoid; }
  .ilc-report h2.page { break-before: page; }
  .ilc-report h3, .ilc-report h4 { break-after: avoid; }
  .ilc-report nav { display: none; }
  .ilc-report .grid { grid-template-columns: 1fr 1fr; }
  .ilc-report tr { break-inside: avoid; }
  .ilc-report a { color: #000; text-decoration: none; }
}
"""


def _cell(text: str, marker_texts: Sequence[str], *, num: bool = True) -> str:
    classes = ["num"] if num else []
    if text in marker_texts:
        classes.append("supp")
    cls = f" class='{' '.join(classes)}'" if classes else ""
    return f"<td{cls}>{_esc(text)}</td>"


def _count_table_html(table: CountTable, markers: Sequence[str], *, caption: str = "") -> str:
    if not table.row_labels:
        return "<p class='note'>Nothing to count yet.</p>"
    head = f"<th>{_esc(table.row_header)}</th>" + "".join(
        f"<th class='num'>{_esc(c)}</th>" for c in table.columns
    )
    body = []
    for label, cells in zip(table.row_labels, table.cells, strict=True):
        total = " class='total'" if label == "Total" else ""
        body.append(
            f"<tr{total}><th>{_esc(label)}</th>"
            + "".join(_cell(c, markers) for c in cells)
            + "</tr>"
        )
    cap = f"<caption class='note'>{_esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _suppression_caption(table: CountTable, report: NetworkReport) -> str:
    if not table.n_suppressed:
        return ""
    text = (
        f"{table.n_primary} cell{'s' if table.n_primary != 1 else ''} below {report.min_cell_size}"
    )
    if table.n_complementary:
        text += (
            f" and {table.n_complementary} more cell"
            f"{'s' if table.n_complementary != 1 else ''} that the totals would give back"
        )
    return f"{text} shown as {report.count_marker}."


def indicator_rows_html(card: ShareOutCard) -> str:
    """The indicators of a card as an HTML table (escaped)."""
    if not card.indicators:
        return "<p class='note'>No indicators yet.</p>"
    rows = []
    for i in card.indicators:
        latest = i.latest or "no value yet"
        if i.latest and i.latest_n:
            latest += f" (n = {i.latest_n}, {i.latest_date})"
        elif i.latest:
            latest += f" ({i.latest_date})"
        plan = f"{i.baseline or '?'} → {i.target or '?'}"
        if i.target_date:
            plan += f" by {i.target_date}"
        rows.append(
            "<tr>"
            f"<td><b>{_esc(i.name)}</b><div class='meta'>{_esc(i.kind_label)} · "
            f"{_esc(i.evidence_type_label)}</div></td>"
            f"<td>{_esc(plan)}</td>"
            f"<td class='{'supp' if i.suppressed else ''}'>{_esc(latest)}</td>"
            f"<td><span class='mark'>{_esc(i.mark)}</span> {_esc(i.status_label)}</td>"
            "</tr>"
        )
    return (
        "<table><thead><tr><th>Indicator</th><th>Baseline → target</th><th>Latest value</th>"
        f"<th>Status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def effect_rows_html(effects: Sequence[EffectSizeSummary], *, with_collective: bool) -> str:
    """Effect sizes as an HTML table (escaped)."""
    if not effects:
        return "<p class='note'>No pre/post scores yet.</p>"
    head = (
        ("<th>Collective</th>" if with_collective else "")
        + "<th>Assessment</th><th class='num'>d</th><th>95% interval</th>"
        "<th class='num'>n pre</th><th class='num'>n post</th><th>What it means</th>"
    )
    rows = []
    for e in effects:
        first = f"<td>{_esc(e.collective_name)}</td>" if with_collective else ""
        d = e.d_text
        rows.append(
            f"<tr>{first}<td>{_esc(e.assessment)}</td>"
            f"<td class='num{' supp' if e.suppressed else ''}'>{_esc(d)}</td>"
            f"<td>{_esc(e.ci_text)}</td>"
            f"<td class='num'>{_esc(e.n_pre)}</td><td class='num'>{_esc(e.n_post)}</td>"
            f"<td>{_esc(e.text)}</td></tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def theory_html(card: ShareOutCard) -> str:
    """The theory of action as an ordered if/then chain (escaped)."""
    if not card.theory_of_action:
        return "<p class='note'>No theory of action yet.</p>"
    items = "".join(
        f"<li><span class='lvl'>{_esc(s.level)}</span><br><b>If</b> {_esc(s.if_text)}, "
        f"<b>then</b> {_esc(s.then_text)}</li>"
        for s in card.theory_of_action
    )
    return f"<ol class='toa'>{items}</ol>"


def lessons_html(card: ShareOutCard) -> str:
    """Lessons learned, dated (escaped)."""
    if not card.lessons:
        return "<p class='note'>No review reflections yet.</p>"
    out = []
    for lesson in card.lessons:
        parts = []
        if lesson.learned:
            parts.append(f"<b>We learned:</b> {_esc(lesson.learned)}")
        if lesson.adjust:
            parts.append(f"<b>We will adjust:</b> {_esc(lesson.adjust)}")
        out.append(
            f"<h4>{_esc(lesson.meeting_date)}</h4><blockquote>{'<br>'.join(parts)}</blockquote>"
        )
    return "".join(out)


def card_meta(card: ShareOutCard) -> str:
    """Theme, region, modality (and facilitator when names are on), as plain text."""
    bits = [card.theme or "(no theme)", card.modality_label]
    if card.region:
        bits.append(card.region)
    if card.facilitator:
        bits.append(f"Facilitator: {card.facilitator}")
    return " · ".join(bits)


def card_html(card: ShareOutCard, *, heading: str = "h3") -> str:
    """The whole share-out of one collective as an HTML block (escaped)."""
    members = (
        f"<p class='meta'><b>Members:</b> {_esc(', '.join(card.members))}</p>"
        if card.members
        else ""
    )
    pop = (
        f"<p>{_esc(card.problem_of_practice)}</p>"
        if card.problem_of_practice
        else "<p class='note'>Not written yet.</p>"
    )
    surfaced = (
        f"<p class='meta'><b>What data surfaced it:</b> {_esc(card.surfacing_data)}</p>"
        if card.surfacing_data
        else ""
    )
    priorities = (
        "<h4>Priorities</h4><ol>"
        + "".join(f"<li>{_esc(p)}</li>" for p in card.priorities)
        + "</ol>"
        if card.priorities
        else ""
    )
    used = ", ".join(card.evidence_types_used) or "none yet"
    missing = (
        f"; not yet: {', '.join(card.evidence_types_missing)}"
        if card.evidence_types_missing
        else ""
    )
    effects = (
        "<h4>Effect sizes</h4>" + effect_rows_html(card.effect_sizes, with_collective=False)
        if card.effect_sizes
        else ""
    )
    return (
        f"<article class='card' id='card-{_esc(card.code)}'>"
        f"<{heading}>{_esc(card.name)}</{heading}>"
        f"<p class='meta'>{_esc(card_meta(card))}</p>{members}"
        f"<h4>Problem of practice</h4><div class='pop'>{pop}{surfaced}</div>{priorities}"
        f"<h4>Theory of action</h4>{theory_html(card)}"
        f"<h4>Indicators: {_esc(card.status_summary)}</h4>{indicator_rows_html(card)}"
        f"{effects}"
        f"<h4>Evidence</h4><p>{_esc(card.evidence_entries)} entries; types used: {_esc(used)}"
        f"{_esc(missing)}.</p>"
        f"<h4>Lessons learned</h4>{lessons_html(card)}"
        "</article>"
    )


def mini_card_html(card: ShareOutCard) -> str:
    """A short version of a card for side-by-side comparison (escaped)."""
    outcome = card.theory_of_action[-1].then_text if card.theory_of_action else ""
    effects = "; ".join(
        f"d = {e.d_text}" + (f" (n = {e.n_pre}/{e.n_post})" if e.n_pre else "")
        for e in card.effect_sizes
    )
    lesson = card.lessons[-1].learned if card.lessons else ""
    return (
        "<div class='mini'>"
        f"<h4>{_esc(card.name)}</h4><div class='meta'>{_esc(card.modality_label)}"
        f"{' · ' + _esc(card.region) if card.region else ''}</div>"
        f"<p><b>Problem:</b> {_esc(_short(card.problem_of_practice, 260) or 'not written yet')}</p>"
        + (f"<p><b>Aims for:</b> {_esc(_short(outcome, 180))}</p>" if outcome else "")
        + f"<p><b>Indicators:</b> {_esc(card.status_summary)}</p>"
        + (f"<p><b>Effect size:</b> {_esc(effects)}</p>" if effects else "")
        + (f"<p><b>Learned:</b> {_esc(_short(lesson, 220))}</p>" if lesson else "")
        + "</div>"
    )


def themes_html(report: NetworkReport, cards: Sequence[ShareOutCard] | None = None) -> str:
    """Collectives grouped by theme, side by side, with related themes (escaped)."""
    shown = {c.code: c for c in (cards if cards is not None else report.cards)}
    out = []
    for group in report.themes:
        members = [shown[c] for c in group.codes if c in shown]
        if not members:
            continue
        related = ""
        if group.related:
            related = (
                "<p class='related'><b>Related themes:</b> "
                + "; ".join(
                    f"{_esc(r.theme)} (shared: {_esc(', '.join(r.shared_words))})"
                    for r in group.related
                )
                + "</p>"
            )
        counts = " · ".join(status_count(s, n) for s, n in group.status_counts.items() if n)
        out.append(
            f"<h3>{_esc(group.theme)} ({len(members)} collective"
            f"{'s' if len(members) != 1 else ''})</h3>"
            + (f"<p class='meta'>Indicators: {_esc(counts)}</p>" if counts else "")
            + related
            + "<div class='grid'>"
            + "".join(mini_card_html(c) for c in members)
            + "</div>"
        )
    return "".join(out) or "<p class='note'>No collectives yet.</p>"


def pulse_table_html(report: NetworkReport) -> str:
    """The network-wide pulse as an HTML table (escaped)."""
    if not report.pulse:
        return "<p class='note'>No pulse answers yet.</p>"
    marker = report.statistic_marker

    def stat(value: float | None, digits: int = 2, sign: bool = False) -> str:
        if value is None:
            return marker
        return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"

    rows = "".join(
        f"<tr><th>{_esc(p.label)}</th>"
        + _cell(stat(p.mean_start), [marker])
        + _cell(p.n_start, [report.count_marker])
        + _cell(stat(p.mean_review), [marker])
        + _cell(p.n_review, [report.count_marker])
        + _cell(stat(p.change, sign=True), [marker])
        + _cell(p.n_both, [report.count_marker])
        + _cell(stat(p.paired_change, sign=True), [marker])
        + "</tr>"
        for p in report.pulse
    )
    return (
        "<table><thead><tr><th>Dimension</th><th class='num'>Start mean</th>"
        "<th class='num'>n</th><th class='num'>Review mean</th><th class='num'>n</th>"
        "<th class='num'>Change</th><th class='num'>n in both</th>"
        "<th class='num'>Change of those in both</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def evidence_types_html(report: NetworkReport) -> str:
    """Evidence use by type as an HTML table (escaped)."""
    n = len(report.cards)
    rows = "".join(
        f"<tr><th>{_esc(t.label)}</th>"
        + _cell(t.entries, [report.count_marker])
        + _cell(t.share, [report.statistic_marker])
        + f"<td class='num'>{t.collectives_using} of {n}</td>"
        + f"<td>{_esc(t.verdict)}</td></tr>"
        for t in report.evidence_types
    )
    total = (
        f"<tr class='total'><th>Total</th>{_cell(report.evidence_total, [report.count_marker])}"
        "<td></td><td></td><td></td></tr>"
    )
    return (
        "<table><thead><tr><th>Evidence type</th><th class='num'>Entries</th>"
        "<th class='num'>Share</th><th class='num'>Collectives using it</th><th></th></tr>"
        f"</thead><tbody>{rows}{total}</tbody></table>"
    )


def intersections_html(report: NetworkReport) -> str:
    """Bernhardt's intersections and how many collectives can answer each (escaped)."""
    n = len(report.cards)
    rows = "".join(
        f"<tr><td>{_esc(i.label)}</td><td>{_esc(i.question)}</td>"
        f"<td class='num'>{i.collectives} of {n}</td></tr>"
        for i in report.intersections
    )
    return (
        "<table><thead><tr><th>Evidence types crossed</th><th>Question it answers</th>"
        f"<th class='num'>Collectives that can answer it</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
    )


def render_html(report: NetworkReport, *, charts: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML page (inline SVG charts, print styles).

    ``charts`` (name -> SVG text, as :func:`chart_figures` names them) skips drawing them
    again. Everything from the network is escaped.
    """
    svg = dict(charts) if charts is not None else _svg_charts(report)
    markers = [report.count_marker, report.statistic_marker]

    def chart(name: str, alt: str) -> str:
        if name not in svg:
            return ""
        return f"<figure class='chart' role='img' aria-label='{_esc(alt)}'>{svg[name]}</figure>"

    sub = " · ".join(
        x
        for x in (
            f"School year {report.school_year}" if report.school_year else "",
            f"{len(report.cards)} collectives",
            f"generated {date_text(report.generated)}",
        )
        if x
    )
    glance = "".join(
        f"<div><dt>{_esc(k)}</dt><dd class='{'supp' if v in markers else ''}'>{_esc(v)}</dd></div>"
        for k, v in report.at_a_glance
    )
    headline = "".join(f"<li>{_esc(line)}</li>" for line in report.headline)
    toc = [
        ("summary", "Summary"),
        ("themes", "What collectives on the same or related themes found"),
        ("indicators", "Progress on indicators"),
        ("effect-sizes", "Effect sizes"),
        ("pulse", "Collective leader efficacy pulse"),
        ("evidence", "Evidence the network relies on, and neglects"),
        ("participation", "Who took part"),
        ("cards", "Share-outs of each collective"),
        ("about", "About this report"),
    ]
    nav = (
        "<nav><ol>"
        + "".join(f"<li><a href='#{a}'>{_esc(t)}</a></li>" for a, t in toc)
        + "</ol></nav>"
    )
    prompts = "".join(f"<li>{_esc(p)}</li>" for p in report.evidence_prompts)
    notes = "".join(
        f"<h4>{_esc(k)}</h4><p class='note'>{_esc(v)}</p>" for k, v in report.method_notes
    )
    roles = report.participants_by_role
    by_theme = report.evidence_by_theme
    body = (
        "<main class='ilc-report'>"
        f"<header><h1>{_esc(report.title)}</h1><p class='sub'>{_esc(sub)}</p>"
        + (f"<p>{_esc(report.description)}</p>" if report.description else "")
        + f"<p class='privacy'>{_esc(report.privacy_note)}</p></header>"
        + nav
        + f"<section id='summary'><h2>Summary</h2><dl class='glance'>{glance}</dl>"
        f"<ul class='headline'>{headline}</ul></section>"
        "<section id='themes'><h2 class='page'>What collectives on the same or related themes "
        "found</h2><p class='note'>Collectives are grouped by theme and shown side by side; "
        "related themes share distinctive words in what their collectives wrote.</p>"
        f"{themes_html(report)}</section>"
        "<section id='indicators'><h2>Progress on indicators</h2>"
        f"{chart('status', 'Indicator status by theme')}"
        + _count_table_html(report.status_by_theme, markers)
        + f"<p class='note'>{_esc(status_legend())}. "
        "Counts of indicators, not of people.</p></section>"
        "<section id='effect-sizes'><h2>Effect sizes</h2>"
        f"<p class='note'>Pre/post effect sizes with their 95% confidence intervals; the "
        f"dashed line marks the {HINGE_POINT:.2f} hinge point.</p>"
        f"{chart('effect_sizes', 'Effect sizes with confidence intervals')}"
        + effect_rows_html(report.effect_sizes, with_collective=True)
        + "</section>"
        "<section id='pulse'><h2>Collective leader efficacy pulse</h2>"
        f"<p class='note'><b>{_esc(report.pulse_note)}</b></p>"
        f"{chart('pulse', 'Pulse means at start and review, by dimension')}"
        f"{pulse_table_html(report)}</section>"
        "<section id='evidence'><h2>Evidence the network relies on, and neglects</h2>"
        f"{chart('evidence', 'Evidence entries by type')}{evidence_types_html(report)}"
        + (f"<h3>Questions to take back</h3><ul>{prompts}</ul>" if prompts else "")
        + "<h3>Evidence by theme</h3>"
        + _count_table_html(by_theme, markers, caption=_suppression_caption(by_theme, report))
        + "<h3>Which of Bernhardt's questions the evidence can answer</h3>"
        + intersections_html(report)
        + "</section>"
        "<section id='participation'><h2>Who took part</h2>"
        + _count_table_html(roles, markers, caption=_suppression_caption(roles, report))
        + "</section>"
        "<section id='cards'><h2 class='page'>Share-outs of each collective</h2>"
        + "".join(card_html(c) for c in report.cards)
        + "</section>"
        f"<section id='about'><h2>About this report</h2>{notes}</section>"
        f"<footer>{_esc(report.title)} · {_esc(report.privacy_note)}</footer>"
        "</main>"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_esc(report.title)}</title><style>{REPORT_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


# ============================================================================ PDF


MAX_CHART_HEIGHT: Final = 600.0
"""The tallest a chart may be drawn in the PDF, in points (a letter page's frame is ~700)."""


def _pdf_story(report: NetworkReport, pngs: Mapping[str, bytes], width: float) -> list[Any]:
    """The flowables of the PDF (reportlab is imported here)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import (
        CondPageBreak,
        HRFlowable,
        KeepTogether,
        PageBreak,
        Spacer,
        Table,
        TableStyle,
    )

    from ._pdf import para, png_image, register_fonts, styles

    _, bold = register_fonts()
    st = styles()
    body, small, cell, h2, h3 = st["body"], st["small"], st["cell"], st["h2"], st["h3"]
    cell_bold = ParagraphStyle("rep-cell-bold", parent=cell, fontName=bold)
    cell_num = ParagraphStyle("rep-cell-num", parent=cell, alignment=2)
    h4 = ParagraphStyle("rep-h4", parent=h3, fontSize=9, leading=11, spaceBefore=5, keepWithNext=1)
    h3 = ParagraphStyle("rep-h3", parent=h3, keepWithNext=1)
    h2 = ParagraphStyle("rep-h2", parent=h2, keepWithNext=1)
    arrow = ParagraphStyle("rep-arrow", parent=body, alignment=1, leading=10)
    date_style = ParagraphStyle("rep-date", parent=small, fontName=bold, spaceBefore=2)
    bullet = ParagraphStyle("rep-bullet", parent=body, leftIndent=10, bulletIndent=0)
    box = ParagraphStyle(
        "rep-box",
        parent=body,
        borderWidth=1,
        borderColor="#000000",
        borderPadding=5,
        spaceBefore=10,
        spaceAfter=10,
    )
    big = ParagraphStyle("rep-big", parent=body, fontName=bold, fontSize=13, leading=16)
    story: list[Any] = []

    def grid(
        rows: list[list[Any]], widths: Sequence[float], *, header: bool = True, total: bool = False
    ) -> Any:
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), "#e6e6e6"))
        if total:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 1.5, "#000000"))
        return Table(
            rows, colWidths=list(widths), style=TableStyle(style), repeatRows=1 if header else 0
        )

    def count_table(table: CountTable, caption: str = "") -> list[Any]:
        if not table.row_labels:
            return [para("Nothing to count yet.", small)]
        first = width * (0.3 if len(table.columns) > 2 else 0.4)
        rest = (width - first) / max(len(table.columns), 1)
        rows: list[list[Any]] = [
            [para(table.row_header, cell_bold)] + [para(c, cell_bold) for c in table.columns]
        ]
        for label, cells in zip(table.row_labels, table.cells, strict=True):
            style = cell_bold if label == "Total" else cell
            rows.append([para(label, style)] + [para(c, cell_num) for c in cells])
        out: list[Any] = [
            grid(rows, [first] + [rest] * len(table.columns), total="Total" in table.row_labels)
        ]
        if caption:
            out.append(para(caption, small))
        return out

    def chart(name: str) -> list[Any]:
        if name not in pngs:
            return []
        image = png_image(pngs[name], min(width, 440.0))
        if image.drawHeight > MAX_CHART_HEIGHT:  # a tall chart (many effect sizes) fits a page
            scale = MAX_CHART_HEIGHT / image.drawHeight
            image = png_image(pngs[name], image.drawWidth * scale)
        return [Spacer(1, 4), image, Spacer(1, 4)]

    # title page content
    sub = " · ".join(
        x
        for x in (
            f"School year {report.school_year}" if report.school_year else "",
            f"{len(report.cards)} collectives",
            f"generated {date_text(report.generated)}",
        )
        if x
    )
    story += [para(report.title, st["title"]), para(sub, small), Spacer(1, 4)]
    if report.description:
        story.append(para(report.description, body))
    story.append(para(report.privacy_note, box))
    story.append(para("Summary", h2))
    glance_rows = []
    pairs = list(report.at_a_glance)
    for i in range(0, len(pairs), 4):
        chunk = pairs[i : i + 4]
        glance_rows.append(
            [[para(k, small), para(v, big)] for k, v in chunk] + [[""]] * (4 - len(chunk))
        )
    story.append(grid(glance_rows, [width / 4] * 4, header=False))
    story.append(Spacer(1, 4))
    for line in report.headline:
        story.append(para(line, bullet))
        story[-1].bulletText = "•"

    # themes
    story += [CondPageBreak(260), para("What collectives on the same or related themes found", h2)]
    by_code = {c.code: c for c in report.cards}
    for group in report.themes:
        members = [by_code[c] for c in group.codes if c in by_code]
        head: list[Any] = [
            para(f"{group.theme} ({len(members)} collective{'s' if len(members) != 1 else ''})", h3)
        ]
        if group.related:
            head.append(
                para(
                    "Related themes: "
                    + "; ".join(
                        f"{r.theme} (shared: {', '.join(r.shared_words)})" for r in group.related
                    ),
                    small,
                )
            )
        rows = [
            [
                para(h, cell_bold)
                for h in (
                    "Collective",
                    "Problem of practice",
                    "Indicators",
                    "Effect size",
                    "Learned",
                )
            ]
        ]
        for c in members:
            effects = (
                "; ".join(f"d = {e.d_text} (n = {e.n_pre}/{e.n_post})" for e in c.effect_sizes)
                or "—"
            )
            rows.append(
                [
                    para(
                        f"{c.name}\n{c.modality_label}{' · ' + c.region if c.region else ''}", cell
                    ),
                    para(_short(c.problem_of_practice, 300) or "Not written yet.", cell),
                    para(c.status_summary.replace(" · ", "\n"), cell),
                    para(effects, cell),
                    para(_short(c.lessons[-1].learned, 220) if c.lessons else "—", cell),
                ]
            )
        story.append(
            KeepTogether([*head, grid(rows, [width * f for f in (0.17, 0.33, 0.14, 0.13, 0.23)])])
        )

    # indicators
    story += [CondPageBreak(200), para("Progress on indicators", h2), *chart("status")]
    story += count_table(report.status_by_theme)
    story.append(
        para(
            f"{status_legend()}. Counts of indicators, not of people.",
            small,
        )
    )

    # effect sizes
    story += [CondPageBreak(200), para("Effect sizes", h2)]
    story.append(
        para(
            "Pre/post effect sizes with their 95% confidence intervals; the dashed line "
            f"marks the {HINGE_POINT:.2f} hinge point.",
            small,
        )
    )
    story += chart("effect_sizes")
    if report.effect_sizes:
        rows = [
            [
                para(h, cell_bold)
                for h in (
                    "Collective",
                    "Assessment",
                    "d",
                    "95% interval",
                    "n pre",
                    "n post",
                    "What it means",
                )
            ]
        ]
        for e in report.effect_sizes:
            rows.append(
                [
                    para(e.collective_name, cell),
                    para(e.assessment, cell),
                    para(e.d_text, cell_num),
                    para(e.ci_text, cell),
                    para(e.n_pre, cell_num),
                    para(e.n_post, cell_num),
                    para(e.text, ParagraphStyle("fine", parent=cell, fontSize=7, leading=8.5)),
                ]
            )
        story.append(grid(rows, [width * f for f in (0.15, 0.17, 0.06, 0.11, 0.06, 0.06, 0.39)]))
    else:
        story.append(para("No pre/post scores yet.", small))

    # pulse
    story += [
        CondPageBreak(220),
        para("Collective leader efficacy pulse", h2),
        para(report.pulse_note, box),
    ]
    story += chart("pulse")
    if report.pulse:
        sm = report.statistic_marker

        def stat(value: float | None, sign: bool = False) -> str:
            if value is None:
                return sm
            return f"{value:+.2f}" if sign else f"{value:.2f}"

        rows = [
            [
                para(h, cell_bold)
                for h in (
                    "Dimension",
                    "Start mean",
                    "n",
                    "Review mean",
                    "n",
                    "Change",
                    "n in both",
                    "Change, same people",
                )
            ]
        ]
        for p in report.pulse:
            rows.append(
                [para(p.label, cell)]
                + [
                    para(v, cell_num)
                    for v in (
                        stat(p.mean_start),
                        p.n_start,
                        stat(p.mean_review),
                        p.n_review,
                        stat(p.change, True),
                        p.n_both,
                        stat(p.paired_change, True),
                    )
                ]
            )
        story.append(grid(rows, [width * 0.23] + [width * 0.11] * 7))

    # evidence
    story += [
        CondPageBreak(220),
        para("Evidence the network relies on, and neglects", h2),
        *chart("evidence"),
    ]
    n = len(report.cards)
    rows = [
        [
            para(h, cell_bold)
            for h in ("Evidence type", "Entries", "Share", "Collectives using it", "")
        ]
    ]
    for t in report.evidence_types:
        rows.append(
            [
                para(t.label, cell),
                para(t.entries, cell_num),
                para(t.share, cell_num),
                para(f"{t.collectives_using} of {n}", cell_num),
                para(t.verdict, cell),
            ]
        )
    rows.append([para("Total", cell_bold), para(report.evidence_total, cell_num), "", "", ""])
    story.append(grid(rows, [width * f for f in (0.3, 0.15, 0.12, 0.2, 0.23)], total=True))
    if report.evidence_prompts:
        story.append(para("Questions to take back", h3))
        for prompt in report.evidence_prompts:
            story.append(para(prompt, bullet))
            story[-1].bulletText = "•"
    story.append(para("Evidence by theme", h3))
    story += count_table(
        report.evidence_by_theme, _suppression_caption(report.evidence_by_theme, report)
    )
    story.append(para("Which of Bernhardt's questions the evidence can answer", h3))
    rows = [
        [
            para(h, cell_bold)
            for h in ("Evidence types crossed", "Question it answers", "Collectives")
        ]
    ]
    for ix in report.intersections:
        rows.append(
            [
                para(ix.label, cell),
                para(ix.question, cell),
                para(f"{ix.collectives} of {n}", cell_num),
            ]
        )
    story.append(grid(rows, [width * f for f in (0.3, 0.55, 0.15)]))

    # participation
    story += [CondPageBreak(160), para("Who took part", h2)]
    story += count_table(
        report.participants_by_role, _suppression_caption(report.participants_by_role, report)
    )

    # cards
    story += [PageBreak(), para("Share-outs of each collective", h2)]
    for c in report.cards:
        block: list[Any] = [
            CondPageBreak(140),
            HRFlowable(width="100%", thickness=1.2, color="#000000", spaceBefore=6, spaceAfter=3),
            para(c.name, h3),
            para(card_meta(c), small),
        ]
        if c.members:
            block.append(para("Members: " + ", ".join(c.members), small))
        block.append(para("Problem of practice", h4))
        block.append(para(c.problem_of_practice or "Not written yet.", body))
        if c.surfacing_data:
            block.append(para(f"What data surfaced it: {c.surfacing_data}", small))
        if c.priorities:
            block.append(para("Priorities", h4))
            block += [para(f"{i}. {p}", body) for i, p in enumerate(c.priorities, 1)]
        block.append(para("Theory of action", h4))
        if c.theory_of_action:
            for i, s in enumerate(c.theory_of_action, 1):
                if i > 1:
                    block.append(para("↓", arrow))
                block.append(para(f"{i}. {s.level}: If {s.if_text}, then {s.then_text}", body))
        else:
            block.append(para("No theory of action yet.", small))
        block.append(para(f"Indicators: {c.status_summary}", h4))
        if c.indicators:
            rows = [
                [
                    para(h, cell_bold)
                    for h in ("Indicator", "Baseline → target", "Latest value", "Status")
                ]
            ]
            for ind in c.indicators:
                latest = ind.latest or "no value yet"
                if ind.latest and ind.latest_n:
                    latest += f" (n = {ind.latest_n}, {ind.latest_date})"
                plan = f"{ind.baseline or '?'} → {ind.target or '?'}" + (
                    f" by {ind.target_date}" if ind.target_date else ""
                )
                rows.append(
                    [
                        para(f"{ind.name}\n{ind.kind_label} · {ind.evidence_type_label}", cell),
                        para(plan, cell),
                        para(latest, cell),
                        para(f"{ind.mark} {ind.status_label}", cell),
                    ]
                )
            block.append(grid(rows, [width * f for f in (0.38, 0.24, 0.23, 0.15)]))
        if c.effect_sizes:
            block.append(para("Effect sizes", h4))
            for e in c.effect_sizes:
                line = f"{e.assessment}: d = {e.d_text}"
                if e.ci_text:
                    line += f" (95% interval {e.ci_text})"
                line += f", n = {e.n_pre} pre and {e.n_post} post. {e.text}"
                block.append(para(line, body))
        used = ", ".join(c.evidence_types_used) or "none yet"
        missing = (
            f"; not yet: {', '.join(c.evidence_types_missing)}" if c.evidence_types_missing else ""
        )
        block.append(para("Evidence", h4))
        block.append(para(f"{c.evidence_entries} entries; types used: {used}{missing}.", body))
        block.append(para("Lessons learned", h4))
        if c.lessons:
            for lesson in c.lessons:
                block.append(para(f"Review meeting, {lesson.meeting_date}", date_style))
                if lesson.learned:
                    block.append(para(f"We learned: {lesson.learned}", body))
                if lesson.adjust:
                    block.append(para(f"We will adjust: {lesson.adjust}", body))
        else:
            block.append(para("No review reflections yet.", small))
        story += block

    # notes
    story += [CondPageBreak(200), para("About this report", h2)]
    for k, v in report.method_notes:
        story += [para(k, h4), para(v, small)]
    return story


def pdf_story_text(report: NetworkReport) -> str:
    """All text the PDF prints (its paragraphs and table cells, and the page header).

    For checks such as "no student reference anywhere in the PDF" without a PDF parser.
    """
    from reportlab.platypus import Paragraph, Table

    texts: list[str] = [report.title, report.network_name]

    def walk(item: Any) -> None:
        if isinstance(item, Paragraph):
            texts.append(item.getPlainText())
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for value in row:
                    for sub in value if isinstance(value, list) else [value]:
                        walk(sub)
        elif isinstance(item, (list, tuple)):
            for sub in item:
                walk(sub)
        elif hasattr(item, "_content"):
            walk(item._content)

    walk(_pdf_story(report, {}, 540.0))
    return "\n".join(texts)


def render_pdf(
    report: NetworkReport,
    path_or_buffer: str | os.PathLike[str] | IO[bytes],
    *,
    pngs: Mapping[str, bytes] | None = None,
) -> None:
    """Write the report as a letter-size PDF: charts as PNG, a header and "page x of y".

    ``pngs`` (name -> PNG bytes) skips drawing the charts again.
    """
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import SimpleDocTemplate

    from ._pdf import register_fonts

    regular, bold = register_fonts()
    if pngs is None:
        from .charts import to_png

        pngs = {name: to_png(draw()) for name, draw in chart_figures(report).items()}
    page_w, page_h = letter
    margin = 40.0
    title = report.title
    stamp = (
        f"generated {date_text(report.generated)} · "
        f"small numbers suppressed (<{report.min_cell_size})"
    )

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Draws the header and "page x of y" once the number of pages is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            self.saveState()
            self.setFillColorRGB(0, 0, 0)
            self.setStrokeColorRGB(0, 0, 0)
            self.setFont(bold, 8)
            self.drawString(margin, page_h - 26, _short(title, 90))
            self.setFont(regular, 7)
            self.drawRightString(page_w - margin, page_h - 26, stamp)
            self.setLineWidth(0.6)
            self.line(margin, page_h - 30, page_w - margin, page_h - 30)
            self.line(margin, 30, page_w - margin, 30)
            self.setFont(regular, 8)
            self.drawRightString(page_w - margin, 20, f"Page {self._pageNumber} of {total}")
            self.drawString(margin, 20, "ILC Workbook Kit")
            self.restoreState()

    target = (
        os.fspath(path_or_buffer) if isinstance(path_or_buffer, os.PathLike) else path_or_buffer
    )
    doc = SimpleDocTemplate(
        target,
        pagesize=letter,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=44,
        bottomMargin=42,
        title=title,
        author="ILC Workbook Kit",
        subject="Network report (privacy-protected)",
    )
    doc.build(_pdf_story(report, pngs, page_w - 2 * margin), canvasmaker=NumberedCanvas)


def render_pdf_bytes(report: NetworkReport, *, pngs: Mapping[str, bytes] | None = None) -> bytes:
    """The PDF as bytes (for download links)."""
    import io

    buffer = io.BytesIO()
    render_pdf(report, buffer, pngs=pngs)
    return buffer.getvalue()


def render_both(
    report: NetworkReport,
    *,
    progress: Progress | None = None,
    html_too: bool = True,
    pdf_too: bool = True,
) -> tuple[str | None, bytes | None]:
    """HTML text and PDF bytes of a report, drawing each chart once per format."""
    from .charts import to_png, to_svg

    figures = chart_figures(report)
    steps = len(figures) * (int(html_too) + int(pdf_too)) + int(html_too) + int(pdf_too)
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, steps)

    page: str | None = None
    pdf: bytes | None = None
    svgs: dict[str, str] = {}
    pngs: dict[str, bytes] = {}
    for name, draw in figures.items():
        if html_too and pdf_too:  # draw once, save twice
            svgs[name], pngs[name] = _svg_and_png(draw())
            tick()
        elif html_too:
            svgs[name] = to_svg(draw())
        else:
            pngs[name] = to_png(draw())
        tick()
    if html_too:
        page = render_html(report, charts=svgs)
        tick()
    if pdf_too:
        pdf = render_pdf_bytes(report, pngs=pngs)
        tick()
    return page, pdf


def _svg_and_png(fig: Figure) -> tuple[str, bytes]:
    """One figure as inline SVG text and as PNG bytes (the figure is closed)."""
    import io

    fig.tight_layout()
    text = io.StringIO()
    fig.savefig(text, format="svg", bbox_inches="tight")
    image = io.BytesIO()
    fig.savefig(image, format="png", dpi=160, bbox_inches="tight")
    svg = text.getvalue()
    return svg[svg.index("<svg") :], image.getvalue()


# ============================================================================ files


def _staged(path: Path) -> Path:
    if path.exists() and path.is_dir():
        raise IlcError(f"{path} is a folder; give a file name")
    if not path.parent.exists():
        raise IlcError(f"the folder {path.parent} does not exist")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(name)


def _file_mode(path: Path) -> int:
    """The permissions a report file gets: those of the file it replaces, else the umask's."""
    if path.exists():
        return path.stat().st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_network_report(
    network: Network,
    html_path: str | os.PathLike[str] | None = None,
    pdf_path: str | os.PathLike[str] | None = None,
    *,
    min_cell_size: int | None = None,
    show_names: bool = False,
    collectives: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Build the report and write it as HTML and/or PDF; returns the files written.

    Both files are written next to their targets under temporary names and moved into
    place only when both are complete, so a failure leaves any earlier report untouched.
    ``progress(done, total)`` is called as the work advances.
    """
    if html_path is None and pdf_path is None:
        raise IlcError("give a file for the HTML report, the PDF report, or both")
    targets = {
        kind: Path(p) for kind, p in (("html", html_path), ("pdf", pdf_path)) if p is not None
    }
    suffixes = {"html": (".html", ".htm"), "pdf": (".pdf",)}
    for kind, path in targets.items():
        if path.suffix.lower() not in suffixes[kind]:
            raise IlcError(f"{path}: the {kind.upper()} report's file name should end in .{kind}")
    staged: dict[str, Path] = {}
    try:
        for kind, path in targets.items():
            staged[kind] = _staged(path)
        report = build_network_report(
            network, min_cell_size=min_cell_size, show_names=show_names, collectives=collectives
        )
        total_steps = 100

        def inner(done: int, total: int) -> None:
            if progress:
                progress(10 + int(85 * done / max(total, 1)), total_steps)

        if progress:
            progress(10, total_steps)
        page, pdf = render_both(
            report, progress=inner, html_too="html" in targets, pdf_too="pdf" in targets
        )
        if page is not None:
            staged["html"].write_text(page, encoding="utf-8")
        if pdf is not None:
            staged["pdf"].write_bytes(pdf)
        written = []
        for kind, path in targets.items():
            staged[kind].chmod(_file_mode(path))
            staged[kind].replace(path)
            written.append(path)
        if progress:
            progress(total_steps, total_steps)
        return written
    except OSError as exc:
        raise IlcError(f"could not write the report: {exc.strerror or exc}") from exc
    finally:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
