"""Workbook 06: the gallery of share-outs, the view across collectives, the network report.

Everything shown here comes from one :class:`~ilc_widgets.reports.NetworkReport` model per
page, built by :func:`~ilc_widgets.reports.build_network_report` with the network's privacy
settings (``min_cell_size``, ``show_participant_names``) already applied: the widgets only
lay it out, so a participant can never see more than the shared report holds (no raw
evidence, no emails, no reflection authors, no names unless the network allows them).

The model, the cards and the charts are built once the page is showing (or at once outside
a running kernel loop), so the workbook opens about as fast as a trivial notebook; a
card's full share-out is drawn the first time someone opens it.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T
from ipywidgets.widgets.widget_string import HTMLStyle

from ..reports import NetworkReport as ReportModel
from ..reports import (
    ShareOutCard,
    build_network_report,
    card_meta,
    effect_rows_html,
    evidence_types_html,
    indicator_rows_html,
    intersections_html,
    lessons_html,
    modality_label,
    pulse_table_html,
    themes_html,
    theory_html,
)
from ..vocab import slug
from ._base import Notice, Poller, button, esc, shared
from ._kit.jobs import Job
from ._kit.notice import user_message
from ._kit.page import page_of
from ._kit.section import StagedSection
from ._kit.styles import register_stylesheet, stylesheet
from .home import FACILITATORS_ONLY

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from ..network import Collective, Network
    from ..session import SessionContext
    from ._kit.jobs import Progress

STAGE_FALLBACK_SECONDS = 3.0
"""Build the data-heavy parts this long after the page opened, if the page never reports."""
STAGE_DELAY_SECONDS = 0.2
"""Build them this long after the page first draws the section."""
POLL_SECONDS = 10.0
"""How often the gallery checks whether any collective saved something new."""
SUMMARY_PROBLEM_CHARS = 280
"""A card's face shows the problem of practice up to this many characters."""

CSS = """
<style>
.ilc-gal .ilc-gal-filters { gap: 10px; flex-wrap: wrap; align-items: center; }
.ilc-gal .ilc-gal-count { color: #57606a; }
.ilc-gal .ilc-gal-grid { display: grid; gap: 10px; width: 100%;
  grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); }
.ilc-gal .ilc-gal-card { border: 1px solid #8c959f; border-radius: 8px; padding: 8px 12px 10px;
  background: #fff; box-sizing: border-box; min-width: 0; }
.ilc-gal .ilc-gal-card.ilc-gal-own { border: 2px solid #1b1f24; }
.ilc-gal .ilc-gal-card.ilc-gal-open { grid-column: 1 / -1; }
.ilc-gal .ilc-gal-theme { font-size: .78em; text-transform: uppercase; letter-spacing: .04em;
  color: #32383f; font-weight: 700; }
.ilc-gal .ilc-gal-name { font-size: 1.12em; margin: 1px 0 2px; }
.ilc-gal .ilc-gal-you { display: inline-block; border: 1px solid #1b1f24; border-radius: 9px;
  padding: 0 .45em; font-size: .75em; margin-left: .4em; vertical-align: middle; }
.ilc-gal p { margin: .25em 0; line-height: 1.38; }
.ilc-gal .ilc-gal-status { font-weight: 600; }
.ilc-gal .widget-html-content { line-height: 1.35; }
.ilc-gal table { border-collapse: collapse; margin: .3em 0 .5em; font-size: .92em; width: 100%; }
.ilc-gal th, .ilc-gal td { border: 1px solid #d0d7de; padding: 3px 7px; text-align: left;
  vertical-align: top; }
.ilc-gal th { background: #f3f5f7; }
.ilc-gal td.num, .ilc-gal th.num { text-align: right; }
.ilc-gal .supp { font-style: italic; color: #57606a; }
.ilc-gal .meta, .ilc-gal .note { color: #57606a; font-size: .9em; }
.ilc-gal ol.toa { padding-left: 1.4em; margin: .2em 0 .5em; }
.ilc-gal ol.toa li { margin-bottom: .3em; }
.ilc-gal .lvl { font-weight: 700; font-size: .78em; text-transform: uppercase; color: #32383f; }
.ilc-gal .mark { font-weight: 700; display: inline-block; min-width: 1em; }
.ilc-gal blockquote { margin: .2em 0 .6em; padding-left: .7em; border-left: 3px solid #8c959f; }
.ilc-gal h4 { margin: .7em 0 .2em; font-size: 1em; }
.ilc-gal .pop { border-left: 4px double #1b1f24; padding-left: .6em; }
.ilc-gal .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr));
  gap: 8px; margin-bottom: .6em; }
.ilc-gal .mini { border: 1px solid #8c959f; border-radius: 6px; padding: 6px 9px;
  background: #fff; }
.ilc-gal .mini h4 { margin-top: 0; }
.ilc-gal .related { font-size: .92em; }
.ilc-gal .ilc-gal-chart svg { max-width: 100%; height: auto; }
.ilc-gal .ilc-gal-disclaimer { border: 1px solid #d4a72c; background: #fff8c5; border-radius: 5px;
  padding: .4em .7em; margin: .3em 0 .5em; }
.ilc-gal .ilc-gal-privacy { border: 1px solid #8c959f; border-radius: 5px; padding: .35em .7em;
  margin: .2em 0 .5em; font-size: .92em; box-sizing: border-box; width: calc(100% - 6px); }
.ilc-gal .ilc-gal-disclaimer { box-sizing: border-box; width: calc(100% - 6px); }
.ilc-gal .ilc-gal-toggle { align-self: flex-start; }
.ilc-gal a.ilc-download { display: inline-block; border: 1px solid #0969da; border-radius: 5px;
  padding: .3em .8em; margin: .2em .5em .2em 0; text-decoration: none; color: #0969da;
  font-weight: 600; }
.ilc-gal a.ilc-download:hover { background: #ddf4ff; }
.ilc-gal .ilc-gal-section { margin-top: .8em; }
.ilc-gal .ilc-gal-row { gap: 12px; flex-wrap: wrap; }
</style>
"""
register_stylesheet("gallery", CSS)


def _html(value: str = "", cls: str = "") -> W.HTML:
    widget = W.HTML(value, layout=shared(W.Layout, width="100%"), style=shared(HTMLStyle))
    if cls:
        widget.add_class(cls)
    return widget


def _button(description: str, *, icon: str = "", style: str = "") -> W.Button:
    """A button sharing its layout and style models with the others (the page opens sooner)."""
    return W.Button(
        description=description,
        icon=icon,
        button_style=style,
        tooltip=description,
        layout=shared(W.Layout, width="auto"),
        style=shared(W.ButtonStyle),
    )


def _row(*children: W.Widget) -> W.HBox:
    """Widgets side by side, vertically centred, with a gap between them."""
    box = W.HBox(list(children), layout=shared(W.Layout, align_items="center"))
    box.add_class("ilc-gal-row")
    return box


def download_link(data: bytes, filename: str, mime: str, text: str, css: str) -> str:
    """An ``<a download>`` link that carries ``data`` itself (a ``data:`` URI)."""
    payload = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='ilc-download {esc(css)}' download='{esc(filename)}' "
        f"href='data:{esc(mime)};base64,{payload}'>{esc(text)}</a>"
    )


# --------------------------------------------------------------------------- the shared model


def privacy_settings(net: Network) -> tuple[int, bool]:
    """The network's minimum cell size and whether participant names may be shown."""
    settings = net.settings
    return int(settings.get("min_cell_size", 10) or 10), bool(
        settings.get("show_participant_names", False)
    )


def shared_report(ctx: SessionContext, *, fresh: bool = False) -> ReportModel:
    """The report model of this page, built with the network's privacy settings.

    The sections of one page share it; it is built again when the network changed since
    (or when ``fresh``).
    """
    net = ctx.require_network()
    revision = net.revision()
    min_n, names = privacy_settings(net)
    kept = page_of(ctx).values
    cached: tuple[int, int, bool, ReportModel] | None = kept.get("gallery.report")
    if cached is not None and not fresh and cached[:3] == (revision, min_n, names):
        return cached[3]
    report = build_network_report(net, min_cell_size=min_n, show_names=names)
    kept["gallery.report"] = (revision, min_n, names, report)
    return report


class _Staged(StagedSection):
    """A section of workbook 06: its data-heavy part is built once the page shows it."""

    fallback_seconds = STAGE_FALLBACK_SECONDS
    delay_seconds = STAGE_DELAY_SECONDS


# --------------------------------------------------------------------------- gallery


def card_summary_html(card: ShareOutCard, *, own: bool = False) -> str:
    """The compact face of a share-out card (escaped)."""
    problem = card.problem_of_practice
    limit = SUMMARY_PROBLEM_CHARS
    short = problem if len(problem) <= limit else problem[: limit - 1].rstrip() + "…"
    effects = "; ".join(
        f"{e.assessment}: d = {e.d_text}"
        + (f" (95% interval {e.ci_text})" if e.ci_text else "")
        + f", n = {e.n_pre} pre / {e.n_post} post"
        for e in card.effect_sizes
    )
    you = "<span class='ilc-gal-you'>Your collective</span>" if own else ""
    lessons = len(card.lessons)
    facts = [
        f"{card.evidence_entries} evidence entries",
        f"{len(card.evidence_types_used)} of 4 evidence types",
        f"{lessons} review reflection{'s' if lessons != 1 else ''}",
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
        self.summary = _html(card_summary_html(card, own=own), "ilc-gal-summary")
        self.toggle = _button("Show the full share-out", icon="chevron-down")
        self.toggle.add_class("ilc-gal-toggle")
        self.detail = _html("", "ilc-gal-detail-html")
        self.detail.layout = W.Layout(width="100%", display="none")
        self.toggle.on_click(lambda _: setattr(self, "expanded", not self.expanded))
        super().__init__([self.summary, self.toggle, self.detail], layout=W.Layout(), **kwargs)
        self.add_class("ilc-gal-card")
        self.add_class(f"ilc-gal-card-{slug(card.code)}")
        if own:
            self.add_class("ilc-gal-own")
        self.observe(self._on_expanded, "expanded")

    def _on_expanded(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            if not self.detail.value:
                self.detail.value = card_detail_html(self.card)
            self.detail.layout.display = ""
            self.toggle.description = "Show less"
            self.toggle.icon = "chevron-up"
            self.add_class("ilc-gal-open")
        else:
            self.detail.layout.display = "none"
            self.toggle.description = "Show the full share-out"
            self.toggle.icon = "chevron-down"
            self.remove_class("ilc-gal-open")


def _options(label: str, values: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(label, ""), *values]


class Gallery(_Staged):
    """A share-out card per collective, filtered by theme, region and modality.

    Everyone with a valid link sees every collective's share-out (that is the point of
    sharing knowledge across groups) and nothing else: the cards hold only what the
    privacy-protected network report holds.
    """

    value = T.List(
        T.Unicode(), help="Ids of the collectives whose cards are shown (after the filters)"
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net = ctx.require_network()
        self.own = ctx.collective_code or ""
        collectives = self.net.collective_list()
        self._meta: dict[str, Collective] = {c.code: c for c in collectives}
        min_n, names = privacy_settings(self.net)
        themes = sorted({c.theme for c in collectives if c.theme})
        regions = sorted({c.region for c in collectives if c.region})
        modalities = list(dict.fromkeys(c.modality for c in collectives))
        self.theme_filter = W.Dropdown(
            options=_options("All themes", [(t, t) for t in themes]),
            value="",
            description="Theme",
            layout=shared(W.Layout, width="20em"),
            style=shared(W.widgets.widget_description.DescriptionStyle, description_width="4em"),
        )
        region_values = [(r, r) for r in regions]
        if any(not c.region for c in collectives):
            region_values.append(("No region (virtual)", "-"))
        self.region_filter = W.Dropdown(
            options=_options("All regions", region_values),
            value="",
            description="Region",
            layout=shared(W.Layout, width="18em"),
            style=shared(W.widgets.widget_description.DescriptionStyle, description_width="4em"),
        )
        self.modality_filter = W.Dropdown(
            options=_options("All modalities", [(modality_label(m), m) for m in modalities]),
            value="",
            description="Modality",
            layout=shared(W.Layout, width="16em"),
            style=shared(W.widgets.widget_description.DescriptionStyle, description_width="4.5em"),
        )
        for dropdown, cls in (
            (self.theme_filter, "ilc-gal-theme-filter"),
            (self.region_filter, "ilc-gal-region-filter"),
            (self.modality_filter, "ilc-gal-modality-filter"),
        ):
            dropdown.add_class(cls)
            dropdown.observe(lambda _: self.apply_filters(), "value")
        self.count = _html("", "ilc-gal-count")
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
        intro = _html(
            "<div class='ilc'><h2>Gallery of share-outs</h2>"
            "<p class='muted'>Every collective's problem of practice, theory of action, key "
            "evidence and lessons learned. Open a card for the whole share-out.</p>"
            f"<div class='ilc-gal-privacy'>Privacy: counts of fewer than {min_n} people are "
            f"shown as &lt;{min_n}, and values or effect sizes built on fewer than {min_n} "
            f"people as n&lt;{min_n}. {esc(names_text)} Evidence rows, emails and who wrote "
            "what are never shown here.</div></div>"
        )
        self.notice = Notice()
        self.refresh_button = button("Show the latest share-outs", icon="refresh")
        self.refresh_button.add_class("ilc-gal-refresh")
        self.refresh_button.layout = W.Layout(width="auto", display="none")
        self.refresh_button.on_click(lambda _: self.refresh())
        self.grid = W.Box(layout=shared(W.Layout, width="100%"))
        self.grid.add_class("ilc-gal-grid")
        self.loading = _html("<p class='muted'>Loading the share-outs…</p>", "ilc-gal-loading")
        self.cards: list[ShareOutCardView] = []
        self.report: ReportModel | None = None
        super().__init__(
            [
                stylesheet("base"),
                stylesheet("gallery"),
                intro,
                filters,
                self.notice,
                self.refresh_button,
                self.loading,
                self.grid,
            ],
            layout=shared(W.Layout, width="100%"),
            **kwargs,
        )
        self.add_class("ilc-app")
        self.add_class("ilc-gal")
        self.add_class("ilc-gallery")
        self.poller = Poller(self.net.revision, self._changed, interval=POLL_SECONDS)
        self.stage()
        self.poller.start()

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
        try:
            self.report = shared_report(self.ctx, fresh=True)
            self.built = True
            self._draw()
        except Exception as exc:
            self.show_failure(exc)
        self.poller.mark_seen()

    # -- filtering
    def matches(self, card: ShareOutCard) -> bool:
        """True when the card passes the theme, region and modality filters."""
        theme, region, modality = (
            self.theme_filter.value,
            self.region_filter.value,
            self.modality_filter.value,
        )
        if theme and card.theme != theme:
            return False
        if region == "-" and card.region:
            return False
        if region not in ("", "-") and card.region != region:
            return False
        return not (modality and card.modality != modality)

    def apply_filters(self) -> None:
        """Show the cards that pass the filters and hide the others."""
        shown = []
        for view in self.cards:
            keep = self.matches(view.card)
            view.layout.display = "" if keep else "none"
            if keep:
                shown.append(view.card.code)
        self.value = shown
        if self.report is not None:
            total = len(self.cards)
            self.count.value = (
                f"<span class='muted'>{len(shown)} of {total} collective"
                f"{'s' if total != 1 else ''}</span>"
            )
            if self.cards and not shown:
                self.notice.show("No collective matches these filters.", "info")
            elif self.notice.text == "No collective matches these filters.":
                self.notice.clear()

    @property
    def shown_cards(self) -> list[ShareOutCardView]:
        """The card views shown now (for tests and the page)."""
        return [v for v in self.cards if v.layout.display != "none"]


# --------------------------------------------------------------------------- across collectives


class AcrossCollectives(_Staged):
    """What collectives on the same or related themes found, network-wide change in the
    efficacy pulse, and the evidence types the network relies on and neglects."""

    value = T.Unicode(
        "", help="The theme whose collectives are compared side by side ('' = every theme)"
    )

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net = ctx.require_network()
        themes = sorted({c.theme for c in self.net.collective_list() if c.theme})
        self.theme_picker = W.Dropdown(
            options=_options("Every theme", [(t, t) for t in themes]),
            value="",
            description="Theme",
            layout=shared(W.Layout, width="22em"),
            style=shared(W.widgets.widget_description.DescriptionStyle, description_width="4em"),
        )
        self.theme_picker.add_class("ilc-across-theme")
        self.theme_picker.observe(self._on_theme, "value")
        self.themes_html = _html("<p class='muted'>Loading…</p>", "ilc-across-themes")
        self.pulse_html = _html("", "ilc-across-pulse")
        self.evidence_html = _html("", "ilc-across-evidence")
        self.notice = Notice()
        self.report: ReportModel | None = None
        super().__init__(
            [
                stylesheet("base"),
                stylesheet("gallery"),
                _html(
                    "<div class='ilc'><h2>Across collectives</h2><p class='muted'>What "
                    "collectives working on the same or related themes found, how the "
                    "network's sense of collective efficacy changed, and which kinds of "
                    "evidence the network leans on.</p><h3>Same and related themes</h3></div>"
                ),
                self.theme_picker,
                self.themes_html,
                self.pulse_html,
                self.evidence_html,
                self.notice,
            ],
            layout=shared(W.Layout, width="100%"),
            **kwargs,
        )
        self.add_class("ilc-app")
        self.add_class("ilc-gal")
        self.add_class("ilc-across")
        self.stage()

    def show_failure(self, exc: Exception) -> None:
        """Say the comparison could not be drawn."""
        self.themes_html.value = ""
        self.notice.show(user_message("Comparing the collectives", exc), "error")

    def _on_theme(self, change: Mapping[str, Any]) -> None:
        self.value = change["new"]
        self._draw_themes()

    def _draw_themes(self) -> None:
        if self.report is None:
            return
        wanted = self.value
        cards = [c for c in self.report.cards if not wanted or c.theme == wanted]
        self.themes_html.value = f"<div class='ilc'>{themes_html(self.report, cards)}</div>"

    def build_rest(self) -> None:
        """Compare the themes, the pulse and the evidence types across the network."""
        from ..efficacy import PULSE_DISCLAIMER
        from ..reports import chart_figures

        self.report = report = shared_report(self.ctx)
        self._draw_themes()
        charts = chart_figures(report)
        from ..charts import to_svg

        def svg(name: str) -> str:
            draw = charts.get(name)
            return f"<div class='ilc-gal-chart'>{to_svg(draw())}</div>" if draw else ""

        marker = report.statistic_marker
        self.pulse_html.value = (
            "<div class='ilc ilc-gal-section'><h3>Network-wide change in the efficacy pulse"
            "</h3>"
            f"<div class='ilc-gal-disclaimer'>{esc(PULSE_DISCLAIMER)}</div>"
            "<p class='muted'>Start of inquiry and review, every collective together (never "
            f"one collective against another); a mean built on fewer than "
            f"{report.min_cell_size} people reads {esc(marker)}.</p>"
            f"{svg('pulse')}{pulse_table_html(report)}</div>"
        )
        prompts = "".join(f"<li>{esc(p)}</li>" for p in report.evidence_prompts)
        self.evidence_html.value = (
            "<div class='ilc ilc-gal-section'><h3>Evidence the network relies on, and neglects"
            "</h3>"
            f"{svg('evidence')}{evidence_types_html(report)}"
            + (
                f"<h4>Questions to take back to your collective</h4><ul>{prompts}</ul>"
                if prompts
                else ""
            )
            + "<h4>Which of Bernhardt's questions the network's evidence can answer</h4>"
            + intersections_html(report)
            + "</div>"
        )


# --------------------------------------------------------------------------- the report


def report_filename(report: ReportModel, extension: str) -> str:
    """``lakes-prairie-leadership-network-report-2026-11-23.pdf``."""
    base = slug(report.network_name).replace("_", "-") or "network"
    return f"{base}-report-{report.generated.isoformat()}.{extension}"


class NetworkReport(_Staged):
    """Facilitators and researchers build the network report (HTML and PDF) and the
    researchers' data bundle here; participants are told the section is not theirs.

    The controls are built once the page shows the section (at once outside a kernel), so
    the facilitator's page opens as fast as a participant's.
    """

    value = T.Dict(help="What was last built: min_cell_size, show_names and the file names offered")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.ctx = ctx
        self.net = ctx.require_network()
        min_n, _names = privacy_settings(self.net)
        self.network_min = min_n
        intro = _html(
            "<div class='ilc'><h2>Network report</h2><p class='muted'>For district and "
            "regional leaders: every collective's share-out, the comparison across themes, "
            "network-wide efficacy change and evidence use, as one HTML page and a PDF with "
            "charts.</p>"
            f"<div class='ilc-gal-privacy'>Counts of fewer people than the smallest group "
            f"shown are printed as &lt;N (with further cells hidden where a total would give "
            f"them away), and values or effect sizes built on fewer people as n&lt;N. The "
            f"network's setting is {min_n}. Student names and references are never printed; "
            "participant names only when you tick the box.</div></div>"
        )
        super().__init__(
            [stylesheet("base"), stylesheet("gallery"), intro],
            layout=shared(W.Layout, width="100%"),
            **kwargs,
        )
        self.add_class("ilc-app")
        self.add_class("ilc-gal")
        self.add_class("ilc-network-report")
        self.stage()

    def build_rest(self) -> None:
        """The settings, the build and bundle buttons and where their files appear."""
        self.job: Job[tuple[ReportModel, str, bytes]] | None = None
        self.min_input = W.BoundedIntText(
            value=self.network_min,
            min=1,
            max=1000,
            description="Smallest group shown",
            layout=shared(W.Layout, width="19em"),
            style=shared(W.widgets.widget_description.DescriptionStyle, description_width="13em"),
        )
        self.min_input.add_class("ilc-report-min")
        self.names_input = W.Checkbox(
            value=False,
            description="Show participant names",
            indent=False,
            layout=shared(W.Layout, width="auto"),
        )
        self.names_input.add_class("ilc-report-names")
        self.build_button = _button("Build report", style="primary", icon="file-text")
        self.build_button.add_class("ilc-report-build")
        self.build_button.on_click(lambda _: self.build())
        self.progress = W.IntProgress(
            value=0, min=0, max=100, layout=W.Layout(width="16em", visibility="hidden")
        )
        self.progress.add_class("ilc-report-progress")
        self.status = _html("", "ilc-report-status")
        self.warning = Notice()
        self.downloads = _html("", "ilc-report-downloads")
        self.bundle_button = _button("Prepare the data bundle (zip)", icon="archive")
        self.bundle_button.add_class("ilc-report-bundle")
        self.bundle_button.on_click(lambda _: self.prepare_bundle())
        self.bundle_status = _html("", "ilc-report-bundle-status")
        self.bundle_link = _html("", "ilc-report-bundle-link")
        for widget in (self.min_input, self.names_input):
            widget.observe(lambda _: self._warn(), "value")
        bundle_intro = _html(
            "<div class='ilc ilc-gal-section'><h3>Data for researchers</h3><p class='muted'>"
            "Every table as tidy CSV, the same tables in one XLSX workbook, and a data "
            "dictionary describing each column (the network object's DataFrames have the "
            "same columns). <b>Not privacy-protected</b>: it holds names, emails and every "
            "evidence entry, so keep it with people allowed to see them.</p></div>"
        )
        shown: tuple[W.Widget, ...] = tuple(self.children)
        self.children = (
            *shown,
            _row(self.min_input, self.names_input),
            self.warning,
            _row(self.build_button, self.progress, self.status),
            self.downloads,
            bundle_intro,
            _row(self.bundle_button, self.bundle_status),
            self.bundle_link,
        )

    def show_failure(self, exc: Exception) -> None:
        """Say the report controls could not be shown."""
        notice = Notice()
        notice.show(user_message("Showing the report controls", exc), "error")
        shown: tuple[W.Widget, ...] = tuple(self.children)
        self.children = (*shown, notice)

    def _warn(self) -> None:
        notes = []
        if self.min_input.value < self.network_min:
            notes.append(
                f"The smallest group shown ({self.min_input.value}) is below the network's "
                f"privacy minimum of {self.network_min}: the report will show figures about "
                "fewer people. Share it only with people allowed to see them."
            )
        if self.names_input.value:
            notes.append(
                "Participant names will be printed in the report. Share it only with people "
                "allowed to see who took part."
            )
        if notes:
            self.warning.show(" ".join(notes), "warning")
        else:
            self.warning.clear()

    def _progress(self, label: str) -> Callable[[int, int], None]:
        def update(done: int, total: int) -> None:
            self.progress.value = int(100 * done / max(total, 1))
            self.status.value = f"<span class='muted'>{esc(label)} {self.progress.value}%</span>"

        return update

    def build(self) -> None:
        """Build the report with the chosen settings and offer the HTML and PDF.

        The build runs in the background (the page stays usable, the bar shows how far it
        is); without a browser it runs at once.
        """
        self.finish_building()
        if self.job is not None and self.job.running:
            return
        min_n = int(self.min_input.value)
        names = bool(self.names_input.value)
        net = self.net
        self.build_button.disabled = True
        self.downloads.value = ""
        self.warning.clear()
        self.progress.layout.visibility = "visible"
        update = self._progress("Building the report…")
        update(0, 100)

        def work(progress: Progress) -> tuple[ReportModel, str, bytes]:
            from ..reports import render_both

            report = build_network_report(net, min_cell_size=min_n, show_names=names)
            progress(10, 100)
            page, pdf = render_both(
                report, progress=lambda d, t: progress(10 + int(88 * d / max(t, 1)), 100)
            )
            assert page is not None and pdf is not None
            return report, page, pdf

        self.job = Job(
            work,
            on_progress=update,
            on_done=lambda built: self._offer(*built, min_n=min_n, names=names),
            on_error=self._build_failed,
        ).start()

    def _build_failed(self, exc: Exception) -> None:
        self.build_button.disabled = False
        self.status.value = ""
        self.progress.layout.visibility = "hidden"
        self.warning.show(user_message("Building the report", exc), "error")

    def _offer(
        self, report: ReportModel, page: str, pdf: bytes, *, min_n: int, names: bool
    ) -> None:
        """Offer the built report's HTML and PDF, and say what it holds."""
        self.build_button.disabled = False
        html_name = report_filename(report, "html")
        pdf_name = report_filename(report, "pdf")
        self._progress("Building the report…")(100, 100)
        self.progress.layout.visibility = "hidden"
        hidden = sum(
            t.n_suppressed for t in (report.evidence_by_theme, report.participants_by_role)
        )
        when = dt.datetime.now().strftime("%H:%M")
        self.status.value = (
            f"<span class='ilc-report-done'>Built at {esc(when)}: {len(report.cards)} "
            f"collectives, smallest group shown {min_n}, "
            f"{'with' if names else 'without'} participant names.</span>"
        )
        headline = "".join(f"<li>{esc(line)}</li>" for line in report.headline)
        self.downloads.value = (
            "<div class='ilc'>"
            + download_link(
                page.encode("utf-8"),
                html_name,
                "text/html",
                "Download the report (HTML)",
                "ilc-report-html",
            )
            + download_link(
                pdf, pdf_name, "application/pdf", "Download the report (PDF)", "ilc-report-pdf"
            )
            + f"<p class='muted'>{hidden} table cell{'s' if hidden != 1 else ''} hidden for "
            "privacy. What the report says first:</p>"
            f"<ul>{headline}</ul></div>"
        )
        self.value = {
            "min_cell_size": min_n,
            "show_names": names,
            "files": [html_name, pdf_name],
        }

    def prepare_bundle(self) -> None:
        """Export every table (CSV, XLSX, data dictionary) and offer it as one zip."""
        self.finish_building()
        from ..export import bundle_zip

        self.bundle_button.disabled = True
        self.bundle_link.value = ""
        self.bundle_status.value = "<span class='muted'>Exporting the tables…</span>"
        try:
            data = bundle_zip(
                self.net,
                progress=lambda d, t: setattr(
                    self.bundle_status,
                    "value",
                    f"<span class='muted'>Exporting the tables… {int(100 * d / max(t, 1))}%</span>",
                ),
            )
        except Exception as exc:
            self.bundle_status.value = ""
            self.warning.show(user_message("Making the data bundle", exc), "error")
            return
        finally:
            self.bundle_button.disabled = False
        base = slug(self.net.name).replace("_", "-") or "network"
        name = f"{base}-data-{dt.date.today().isoformat()}.zip"
        self.bundle_status.value = (
            f"<span class='ilc-report-bundle-done'>Ready ({len(data) / 1024:,.0f} KB).</span>"
        )
        self.bundle_link.value = (
            "<div class='ilc'>"
            + download_link(
                data, name, "application/zip", "Download the data bundle (zip)", "ilc-report-zip"
            )
            + "</div>"
        )
        self.value = {**self.value, "bundle": name}


__all__ = [
    "FACILITATORS_ONLY",
    "AcrossCollectives",
    "Gallery",
    "NetworkReport",
    "ShareOutCardView",
    "card_detail_html",
    "card_summary_html",
    "download_link",
    "shared_report",
]
