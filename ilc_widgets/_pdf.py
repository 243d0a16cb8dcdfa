"""PDF building blocks (reportlab) shared by the printable placemat and the network report.

Fonts are DejaVu Sans, shipped with matplotlib, so any name or accent prints correctly;
styles are black on white for black-and-white printers.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans (regular and bold) with reportlab once; returns their names."""
    import matplotlib
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)
    return FONT, FONT_BOLD


def styles() -> dict[str, Any]:
    """Paragraph styles: title, h2, h3, body, small, cell."""
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=19, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "h3": ParagraphStyle(
            "h3", fontName=bold, fontSize=10, leading=12, spaceBefore=4, spaceAfter=2
        ),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=11.5),
        "small": ParagraphStyle("small", fontName=regular, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
    }


def para(text: Any, style: Any) -> Any:
    """A paragraph of plain text (escaped: reportlab paragraphs read a little markup)."""
    from reportlab.platypus import Paragraph

    escaped = html.escape("" if text is None else str(text)).replace("\n", "<br/>")
    return Paragraph(escaped, style)


def png_image(data: bytes, width: float) -> Any:
    """A PNG (e.g. from :func:`ilc_widgets.charts.to_png`) scaled to ``width`` points."""
    import io

    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    reader = ImageReader(io.BytesIO(data))
    w, h = reader.getSize()
    return Image(io.BytesIO(data), width=width, height=width * h / w)
