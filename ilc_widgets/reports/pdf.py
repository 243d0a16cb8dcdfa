"""The report as a paginated letter-size PDF (reportlab, imported only when drawn)."""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, Final

from ..format import date_text, status_legend
from ..stats import HINGE_POINT
from ._text import _short
from .figures import chart_figures
from .html_parts import _suppression_caption, card_meta

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from .model import CountTable, NetworkReport

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

    from .._pdf import para, png_image, register_fonts, styles

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
    story += [para(report.title, st["title"]), para(report.subtitle, small), Spacer(1, 4)]
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

    from .._pdf import register_fonts

    regular, bold = register_fonts()
    if pngs is None:
        from ..charts import to_png

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
