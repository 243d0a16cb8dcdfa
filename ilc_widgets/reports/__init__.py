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

One module per concern:

* :mod:`.model`: the dataclasses; :mod:`.redact`: taking names out of typed text;
  :mod:`.related`: which themes are related;
* :mod:`.build`: the report built from a network, out of :mod:`.cards` (each collective's
  share-out card) and :mod:`.summary` (the network-wide tables, pulse and headline);
* :mod:`.figures`: the charts; :mod:`.html_parts` and :mod:`.html_page`: the HTML (the
  parts are shared with the gallery of workbook 06); :mod:`.pdf`: the PDF;
* :mod:`.write`: both formats rendered and written as files.
"""

from __future__ import annotations

from ..format import STATUS_MARKS
from ..progress import Progress
from .build import build_network_report
from .figures import chart_figures
from .html_page import REPORT_CSS, render_html
from .html_parts import (
    card_html,
    card_meta,
    effect_rows_html,
    evidence_types_html,
    indicator_rows_html,
    intersections_html,
    lessons_html,
    mini_card_html,
    pulse_table_html,
    themes_html,
    theory_html,
)
from .model import (
    REPORT_TITLE,
    CountTable,
    EffectSizeSummary,
    EvidenceTypeUse,
    IndicatorSummary,
    IntersectionUse,
    Lesson,
    NetworkReport,
    PulseRow,
    RelatedTheme,
    ShareOutCard,
    ThemeGroup,
    TheoryLink,
    modality_label,
)
from .pdf import MAX_CHART_HEIGHT, pdf_story_text, render_pdf, render_pdf_bytes
from .redact import EMAIL_PLACEHOLDER, STUDENT_PLACEHOLDER, Redactor
from .related import related_themes
from .write import render_both, write_network_report

__all__ = [
    "EMAIL_PLACEHOLDER",
    "MAX_CHART_HEIGHT",
    "REPORT_CSS",
    "REPORT_TITLE",
    "STATUS_MARKS",
    "STUDENT_PLACEHOLDER",
    "CountTable",
    "EffectSizeSummary",
    "EvidenceTypeUse",
    "IndicatorSummary",
    "IntersectionUse",
    "Lesson",
    "NetworkReport",
    "Progress",
    "PulseRow",
    "Redactor",
    "RelatedTheme",
    "ShareOutCard",
    "ThemeGroup",
    "TheoryLink",
    "build_network_report",
    "card_html",
    "card_meta",
    "chart_figures",
    "effect_rows_html",
    "evidence_types_html",
    "indicator_rows_html",
    "intersections_html",
    "lessons_html",
    "mini_card_html",
    "modality_label",
    "pdf_story_text",
    "pulse_table_html",
    "related_themes",
    "render_both",
    "render_html",
    "render_pdf",
    "render_pdf_bytes",
    "themes_html",
    "theory_html",
    "write_network_report",
]
