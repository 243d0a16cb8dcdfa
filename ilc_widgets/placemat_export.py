"""The printable Collaborative Inquiry Placemat: one landscape page, as HTML and as PDF.

Laid out like a placemat: the problem of practice in the centre, priorities and the theory
of action above it, the leading and lagging indicators beside it, and the evidence plan
below. Black-and-white readable: borders and bold headings carry the structure, never
colour. Everything people typed is escaped. reportlab is imported only when a PDF is made.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from typing import IO, TYPE_CHECKING, Any, TypedDict

from .format import date_text, number, with_unit
from .vocab import CADENCES, EVIDENCE_TYPES, TOA_LEVELS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Required, Unpack

    from .placemat import Indicator, Placemat

format_number = number
"""The old name of :func:`ilc_widgets.format.number` (a baseline or target: 38, 38.5, 1,200)."""

TITLE = "Collaborative Inquiry Placemat"
EMPTY = "Not written yet."
SECTIONS = (
    "Problem of practice",
    "What data surfaced it",
    "Priorities",
    "Theory of action",
    "Leading indicators",
    "Lagging indicators",
    "Evidence plan",
)


def _esc(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def indicator_line(ind: Indicator) -> str:
    """Baseline, target, date, type and cadence of an indicator in one plain-text line."""
    parts = []
    base, target = with_unit(ind.baseline, ind.unit), with_unit(ind.target, ind.unit)
    if base or target:
        parts.append(f"baseline {base or '?'} → target {target or '?'}")
    if ind.target_date:
        parts.append(f"by {date_text(ind.target_date)}")
    parts.append(EVIDENCE_TYPES.get(ind.evidence_type, ind.evidence_type))
    if ind.cadence:
        parts.append(CADENCES.get(ind.cadence, ind.cadence).lower())
    return " · ".join(parts)


class Heading(TypedDict, total=False):
    """What the printed placemat's title lines say, the same in the HTML and the PDF: the
    collective's name, and its theme, members and the version printed when given."""

    collective_name: Required[str]
    theme: str
    members: Sequence[str] | None
    version: int | None


def _titles(heading: Heading) -> tuple[str, str]:
    """The title and the subtitle of a printed placemat (plain text)."""
    title = f"{TITLE}: {heading['collective_name']}"
    return title, _subtitle(
        heading.get("theme", ""), heading.get("members"), heading.get("version")
    )


def _subtitle(theme: str, members: Sequence[str] | None, version: int | None) -> str:
    bits = []
    if theme:
        bits.append(f"Theme: {theme}")
    if members:
        bits.append("Members: " + ", ".join(members))
    if version is not None:
        bits.append(f"version {version}")
    bits.append(f"printed {date_text(dt.date.today())}")
    return " · ".join(bits)


# --------------------------------------------------------------------------- HTML

PRINT_CSS = """
.ilc-placemat-print { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000;
  background: #fff; font-size: 10pt; line-height: 1.3; }
.ilc-placemat-print h1 { font-size: 15pt; margin: 0; }
.ilc-placemat-print .sub { font-size: 8.5pt; margin: 2px 0 6px; }
.ilc-placemat-print .grid { display: grid; gap: 6px;
  grid-template-columns: 1fr 1.35fr 1fr;
  grid-template-areas: "prio toa toa" "lead pop lag" "plan plan plan"; }
.ilc-placemat-print section { border: 1px solid #000; padding: 5px 7px; overflow-wrap: anywhere; }
.ilc-placemat-print section.pop { border: 4px double #000; padding: 8px 10px; }
.ilc-placemat-print h2 { font-size: 10.5pt; margin: 0 0 3px; text-transform: uppercase;
  letter-spacing: .03em; border-bottom: 1px solid #000; }
.ilc-placemat-print h3 { font-size: 9.5pt; margin: 5px 0 1px; }
.ilc-placemat-print p { margin: 0 0 3px; white-space: pre-wrap; }
.ilc-placemat-print ol { margin: 0; padding-left: 1.4em; }
.ilc-placemat-print .empty { font-style: italic; }
.ilc-placemat-print .lvl { font-weight: bold; font-size: 8.5pt; }
.ilc-placemat-print .arrow { text-align: center; margin: 0; line-height: 1; }
.ilc-placemat-print .ind { margin-bottom: 4px; }
.ilc-placemat-print .ind .meta { font-size: 8.5pt; }
.ilc-placemat-print table { border-collapse: collapse; width: 100%; font-size: 9pt; }
.ilc-placemat-print th, .ilc-placemat-print td { border: 1px solid #000; padding: 2px 5px;
  text-align: left; vertical-align: top; white-space: pre-wrap; }
.ilc-placemat-print th { font-weight: bold; }
.ilc-placemat-print .pop p { font-size: 11pt; }
"""

PAGE_CSS = """
@page { size: letter landscape; margin: 9mm; }
html, body { margin: 0; padding: 0; background: #fff; }
body { padding: 8px; }
@media print { body { padding: 0; } .ilc-placemat-print { font-size: 8.5pt; } }
"""


def _text_block(text: str) -> str:
    if not text.strip():
        return f"<p class='empty'>{EMPTY}</p>"
    return f"<p>{_esc(text.strip())}</p>"


def _indicators_html(items: Sequence[Indicator]) -> str:
    if not items:
        return f"<p class='empty'>{EMPTY}</p>"
    out = []
    for ind in items:
        measure = f"<div>{_esc(ind.measure)}</div>" if ind.measure.strip() else ""
        out.append(
            f"<div class='ind'><b>{_esc(ind.name or '(unnamed)')}</b>{measure}"
            f"<div class='meta'>{_esc(indicator_line(ind))}</div></div>"
        )
    return "".join(out)


def placemat_fragment(placemat: Placemat, **heading: Unpack[Heading]) -> str:
    """The placemat as an HTML ``<div>`` with its own scoped styles (safe to embed), under
    the title lines of ``heading`` (``collective_name``, ``theme``, ``members``,
    ``version``)."""
    p = placemat
    title, subtitle = _titles(heading)
    priorities = [x for x in p.priorities if x.strip()]
    prio = (
        "<ol>" + "".join(f"<li>{_esc(x)}</li>" for x in priorities) + "</ol>"
        if priorities
        else f"<p class='empty'>{EMPTY}</p>"
    )
    steps = []
    for n, step in enumerate(p.theory_of_action, 1):
        level = TOA_LEVELS.get(step.level, step.level)
        if n > 1:
            steps.append("<p class='arrow'>↓</p>")
        steps.append(
            f"<p><span class='lvl'>{n}. {_esc(level)}:</span> <b>If</b> "
            f"{_esc(step.if_text.strip())}, <b>then</b> {_esc(step.then_text.strip())}</p>"
        )
    toa = "".join(steps) or f"<p class='empty'>{EMPTY}</p>"
    plan_rows = "".join(
        f"<tr><th>{_esc(label)}</th><td>{_esc(p.evidence_plan[key].what)}</td>"
        f"<td>{_esc(p.evidence_plan[key].who)}</td><td>{_esc(p.evidence_plan[key].when)}</td></tr>"
        for key, label in EVIDENCE_TYPES.items()
    )
    plan = (
        "<table><thead><tr><th>Evidence type</th><th>What will be collected</th>"
        f"<th>By whom</th><th>When</th></tr></thead><tbody>{plan_rows}</tbody></table>"
    )
    return (
        f"<div class='ilc-placemat-print'><style>{PRINT_CSS}</style>"
        f"<h1>{_esc(title)}</h1>"
        f"<div class='sub'>{_esc(subtitle)}</div>"
        "<div class='grid'>"
        f"<section style='grid-area:prio'><h2>Priorities</h2>{prio}</section>"
        f"<section style='grid-area:toa'><h2>Theory of action</h2>{toa}</section>"
        "<section style='grid-area:lead'><h2>Leading indicators</h2>"
        f"{_indicators_html(p.leading)}</section>"
        "<section class='pop' style='grid-area:pop'><h2>Problem of practice</h2>"
        f"{_text_block(p.problem_of_practice)}"
        f"<h3>What data surfaced it</h3>{_text_block(p.surfacing_data)}</section>"
        "<section style='grid-area:lag'><h2>Lagging indicators</h2>"
        f"{_indicators_html(p.lagging)}</section>"
        f"<section style='grid-area:plan'><h2>Evidence plan</h2>{plan}</section>"
        "</div></div>"
    )


def placemat_html(placemat: Placemat, **heading: Unpack[Heading]) -> str:
    """A standalone HTML page of the placemat, set up to print on one landscape page
    (``heading`` as for :func:`placemat_fragment`)."""
    body = placemat_fragment(placemat, **heading)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_esc(_titles(heading)[0])}</title>"
        f"<style>{PAGE_CSS}</style></head><body>{body}</body></html>"
    )


# --------------------------------------------------------------------------- PDF


def placemat_pdf(
    placemat: Placemat,
    path_or_buffer: str | os.PathLike[str] | IO[bytes],
    *,
    pagesize: tuple[float, float] | None = None,
    **heading: Unpack[Heading],
) -> None:
    """Write the placemat as a one-page landscape PDF (text shrinks to fit its box), under
    the title lines of ``heading`` (as for :func:`placemat_fragment`)."""
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, KeepInFrame, Spacer, Table, TableStyle

    from ._pdf import para, register_fonts, styles

    _, bold = register_fonts()
    st = styles()
    head = ParagraphStyle("pm-head", parent=st["h2"], fontSize=10.5, leading=13, spaceBefore=0)
    sub = ParagraphStyle("pm-sub", parent=st["h3"], fontSize=9, leading=11, spaceBefore=3)
    body = ParagraphStyle("pm-body", parent=st["body"], fontSize=9, leading=11.5, spaceAfter=2)
    centre = ParagraphStyle("pm-centre", parent=body, fontSize=11.5, leading=15, spaceAfter=4)
    meta = ParagraphStyle("pm-meta", parent=st["small"], fontSize=7.5, leading=9.5)
    empty = ParagraphStyle("pm-empty", parent=body, textColor="#000000")
    p = placemat

    def text_or_empty(text: str, style: Any) -> list[Any]:
        return [para(text.strip(), style)] if text.strip() else [para(EMPTY, empty)]

    def indicators(items: Sequence[Indicator]) -> list[Any]:
        if not items:
            return [para(EMPTY, empty)]
        out: list[Any] = []
        for ind in items:
            out.append(para(ind.name or "(unnamed)", sub))
            if ind.measure.strip():
                out.append(para(ind.measure, body))
            out.append(para(indicator_line(ind), meta))
        return out

    priorities = [x for x in p.priorities if x.strip()]
    prio: list[Any] = [para("Priorities", head)]
    prio += [para(f"{n}. {x}", body) for n, x in enumerate(priorities, 1)] or [para(EMPTY, empty)]

    toa: list[Any] = [para("Theory of action", head)]
    for n, step in enumerate(p.theory_of_action, 1):
        if n > 1:
            toa.append(para("↓", ParagraphStyle("arrow", parent=body, alignment=1)))
        level = TOA_LEVELS.get(step.level, step.level)
        toa.append(para(f"{n}. {level}", sub))
        toa.append(para(f"If {step.if_text.strip()}, then {step.then_text.strip()}", body))
    if not p.theory_of_action:
        toa.append(para(EMPTY, empty))

    pop: list[Any] = [para("Problem of practice", head)]
    pop += text_or_empty(p.problem_of_practice, centre)
    pop += [Spacer(1, 3), para("What data surfaced it", sub)]
    pop += text_or_empty(p.surfacing_data, body)

    lead = [para("Leading indicators", head), *indicators(p.leading)]
    lag = [para("Lagging indicators", head), *indicators(p.lagging)]

    page_w, page_h = pagesize or landscape(letter)
    margin = 24.0
    gap = 6.0
    pad = 6.0
    inner_w = page_w - 2 * margin
    title_h = 34.0
    grid_h = page_h - 2 * margin - title_h
    col_w = [inner_w * f for f in (0.29, 0.42, 0.29)]
    col_w = [w - gap * 2 / 3 for w in col_w]
    cell = ParagraphStyle("pm-cell", parent=body, fontSize=8.5, leading=10.5)
    cell_head = ParagraphStyle("pm-cell-head", parent=cell, fontName=bold)
    plan_rows: list[list[Any]] = [
        [para(h, cell_head) for h in ("Evidence type", "What will be collected", "By whom", "When")]
    ]
    for key, label in EVIDENCE_TYPES.items():
        item = p.evidence_plan[key]
        plan_rows.append(
            [
                para(label, cell_head),
                para(item.what, cell),
                para(item.who, cell),
                para(item.when, cell),
            ]
        )
    plan_w = inner_w - 2 * pad
    plan_table = Table(
        plan_rows,
        colWidths=[plan_w * f for f in (0.16, 0.46, 0.2, 0.18)],
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, "#000000"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    plan = [para("Evidence plan", head), plan_table]

    target = (
        os.fspath(path_or_buffer) if isinstance(path_or_buffer, os.PathLike) else path_or_buffer
    )
    canvas = Canvas(target, pagesize=(page_w, page_h))
    title_text, subtitle = _titles(heading)
    canvas.setTitle(title_text)
    canvas.setAuthor("ILC Workbook Kit")
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)

    def needed(content: list[Any], width: float, inset: float = 0.0) -> float:
        inner = width - 2 * inset - 2 * pad
        box = KeepInFrame(inner, 1e6, content)
        return float(box.wrapOn(canvas, inner, 1e6)[1]) + 2 * (pad + inset)

    demand = [
        max(needed(prio, col_w[0]), needed(toa, col_w[1] + gap + col_w[2])),
        max(needed(lead, col_w[0]), needed(pop, col_w[1], 4.0), needed(lag, col_w[2])),
        needed(plan, inner_w),
    ]
    row_h = share_height(demand, grid_h - 2 * gap, minimum=0.2)

    x0, y_top = margin, page_h - margin - title_h
    x1, x2 = x0 + col_w[0] + gap, x0 + col_w[0] + col_w[1] + 2 * gap
    y0 = y_top - row_h[0]
    y1 = y0 - gap - row_h[1]
    y2 = y1 - gap - row_h[2]
    boxes: list[tuple[float, float, float, float, list[Any], bool]] = [
        (x0, y0, col_w[0], row_h[0], prio, False),
        (x1, y0, col_w[1] + gap + col_w[2], row_h[0], toa, False),
        (x0, y1, col_w[0], row_h[1], lead, False),
        (x1, y1, col_w[1], row_h[1], pop, True),
        (x2, y1, col_w[2], row_h[1], lag, False),
        (x0, y2, inner_w, row_h[2], plan, False),
    ]

    title_style = ParagraphStyle("pm-title", parent=st["title"], fontSize=14, leading=17)
    title = Frame(x0, page_h - margin - title_h, inner_w, title_h, 0, 0, 0, 0, showBoundary=0)
    title.addFromList(
        [
            KeepInFrame(
                inner_w,
                title_h,
                [
                    para(title_text, title_style),
                    para(subtitle, meta),
                ],
                mode="shrink",
            )
        ],
        canvas,
    )
    for x, y, w, h, content, is_centre in boxes:
        if is_centre:
            canvas.setLineWidth(2.2)
            canvas.rect(x, y, w, h)
            canvas.setLineWidth(0.8)
            canvas.rect(x + 3, y + 3, w - 6, h - 6)
            inset = 4.0
        else:
            canvas.setLineWidth(0.9)
            canvas.rect(x, y, w, h)
            inset = 0.0
        frame = Frame(
            x + inset, y + inset, w - 2 * inset, h - 2 * inset, pad, pad, pad, pad, showBoundary=0
        )
        frame.addFromList(
            [KeepInFrame(w - 2 * inset - 2 * pad, h - 2 * inset - 2 * pad, content, mode="shrink")],
            canvas,
        )
    canvas.showPage()
    canvas.save()


def share_height(demand: Sequence[float], total: float, *, minimum: float) -> list[float]:
    """Split ``total`` between rows: each gets what it needs when all fits, else a share in
    proportion to its need, never less than ``minimum`` of the total (text then shrinks)."""
    need = sum(demand) or 1.0
    if need <= total:
        return [d + (total - need) * d / need for d in demand]
    floor = minimum * total
    heights = [max(floor, total * d / need) for d in demand]
    excess = sum(heights) - total
    flexible = sum(h - floor for h in heights)
    if excess > 0 and flexible > 0:
        heights = [h - excess * (h - floor) / flexible for h in heights]
    return heights


def placemat_pdf_bytes(placemat: Placemat, **kwargs: Any) -> bytes:
    """The one-page PDF as bytes (for download links)."""
    import io

    buf = io.BytesIO()
    placemat_pdf(placemat, buf, **kwargs)
    return buf.getvalue()
