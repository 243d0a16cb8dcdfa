"""The network report section: facilitators and researchers build the report (HTML and PDF)
and the researchers' data bundle; both are built as background jobs, off the kernel's
thread, while a bar or a line shows how far they are."""

from __future__ import annotations

import datetime as dt
from html import escape as esc
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import traitlets as T

from ...reports import build_network_report
from .._kit.jobs import Job
from .._kit.notice import Notice, guarded, user_message
from .._kit.styles import shared
from ..collectives.exports import download_link
from .base import ShareSection
from .state import (
    bundle_filename,
    percent,
    plural,
    privacy_settings,
    report_filename,
    settings_warnings,
)
from .styles import button, html, row, section_html

if TYPE_CHECKING:
    from ...reports import NetworkReport as ReportModel
    from ...session import SessionContext
    from .._kit.jobs import Progress

__all__ = ["NetworkReport"]

BUILDING = "Building the report…"
EXPORTING = "Exporting the tables…"


def _intro(min_n: int) -> str:
    return (
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


BUNDLE_INTRO = section_html(
    "Data for researchers",
    "<p class='muted'>Every table as tidy CSV, the same tables in one XLSX workbook, and a "
    "data dictionary describing each column (the network object's DataFrames have the "
    "same columns). <b>Not privacy-protected</b>: it holds names, emails and every "
    "evidence entry, so keep it with people allowed to see them.</p>",
)


class NetworkReport(ShareSection):
    """Facilitators and researchers build the network report (HTML and PDF) and the
    researchers' data bundle here; participants are told the section is not theirs.

    The controls are built once the page shows the section (at once outside a kernel), so
    the facilitator's page opens as fast as a participant's.
    """

    value = T.Dict(help="What was last built: min_cell_size, show_names and the file names offered")

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.network_min, _names = privacy_settings(ctx.require_network().settings)
        super().__init__(ctx, "ilc-network-report", [html(_intro(self.network_min))], **kwargs)
        self.stage()

    def build_rest(self) -> None:
        """The settings, the build and bundle buttons and where their files appear."""
        self.job: Job[tuple[ReportModel, str, bytes]] | None = None
        self.bundle_job: Job[bytes] | None = None
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
        self.build_button = button("Build report", style="primary")
        self.build_button.add_class("ilc-report-build")
        self.build_button.on_click(lambda _: self.build())
        self.progress = W.IntProgress(
            value=0, min=0, max=100, layout=W.Layout(width="16em", visibility="hidden")
        )
        self.progress.add_class("ilc-report-progress")
        self.status = html("", "ilc-report-status")
        self.warning = Notice()
        self.downloads = html("", "ilc-report-downloads")
        self.bundle_button = button("Prepare the data bundle (zip)")
        self.bundle_button.add_class("ilc-report-bundle")
        self.bundle_button.on_click(lambda _: self.prepare_bundle())
        self.bundle_status = html("", "ilc-report-bundle-status")
        self.bundle_link = html("", "ilc-report-bundle-link")
        for widget in (self.min_input, self.names_input):
            widget.observe(lambda _: self._warn(), "value")
        self.children = (
            *self.children,
            row(self.min_input, self.names_input),
            self.warning,
            row(self.build_button, self.progress, self.status),
            self.downloads,
            html(BUNDLE_INTRO),
            row(self.bundle_button, self.bundle_status),
            self.bundle_link,
        )

    def show_failure(self, exc: Exception) -> None:
        """Say the report controls could not be shown."""
        notice = Notice()
        notice.show(user_message("Showing the report controls", exc), "error")
        self.children = (*self.children, notice)

    def _warn(self) -> None:
        text = settings_warnings(
            int(self.min_input.value), self.network_min, bool(self.names_input.value)
        )
        if text:
            self.warning.show(text, "warning")
        else:
            self.warning.clear()

    def _progress(self, label: str, status: W.HTML, bar: W.IntProgress | None = None) -> Progress:
        """A job's progress shown on ``status`` (and ``bar``): ``label`` and the percent."""

        def update(done: int, total: int) -> None:
            value = percent(done, total)
            if bar is not None:
                bar.value = value
            status.value = f"<span class='muted'>{esc(label)} {value}%</span>"

        return update

    # -- the report
    @guarded("Building the report", notice="warning")
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
        update = self._progress(BUILDING, self.status, self.progress)
        update(0, 100)

        def work(progress: Progress) -> tuple[ReportModel, str, bytes]:
            from ...reports import render_both

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
        html_name = report_filename(report.network_name, report.generated, "html")
        pdf_name = report_filename(report.network_name, report.generated, "pdf")
        self.progress.value = 100
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
        links = download_link(
            page.encode("utf-8"),
            html_name,
            "text/html",
            "Download the report (HTML)",
            "ilc-report-html",
        ) + download_link(
            pdf, pdf_name, "application/pdf", "Download the report (PDF)", "ilc-report-pdf"
        )
        self.downloads.value = (
            f"<div class='ilc'>{links}<p class='muted'>{plural(hidden, 'table cell')} hidden "
            f"for privacy. What the report says first:</p><ul>{headline}</ul></div>"
        )
        self.value = {
            "min_cell_size": min_n,
            "show_names": names,
            "files": [html_name, pdf_name],
        }

    # -- the data bundle
    @guarded("Making the data bundle", notice="warning")
    def prepare_bundle(self) -> None:
        """Export every table (CSV, XLSX, data dictionary) and offer it as one zip; the
        export runs in the background like the report."""
        self.finish_building()
        if self.bundle_job is not None and self.bundle_job.running:
            return
        from ...export import bundle_zip

        net = self.net
        self.bundle_button.disabled = True
        self.bundle_link.value = ""
        self.bundle_status.value = f"<span class='muted'>{EXPORTING}</span>"
        self.bundle_job = Job(
            lambda progress: bundle_zip(net, progress=progress),
            on_progress=self._progress(EXPORTING, self.bundle_status),
            on_done=self._offer_bundle,
            on_error=self._bundle_failed,
        ).start()

    def _bundle_failed(self, exc: Exception) -> None:
        self.bundle_button.disabled = False
        self.bundle_status.value = ""
        self.warning.show(user_message("Making the data bundle", exc), "error")

    def _offer_bundle(self, data: bytes) -> None:
        self.bundle_button.disabled = False
        name = bundle_filename(self.net.name, dt.date.today())
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
