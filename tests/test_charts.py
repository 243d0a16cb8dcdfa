"""Charts in words: every chart's name (role=img, aria-label) and its "Show as table"
alternative carry the same numbers, written as ilc_widgets.format writes them elsewhere."""

from __future__ import annotations

import datetime as dt
import html
import re

import pandas as pd
import pytest

from ilc_widgets.charts import bar_words, described, series_words, table_html
from ilc_widgets.placemat import Indicator
from ilc_widgets.stats.effect import EffectSize
from ilc_widgets.widgets.review.cards import effect_chart_html, trend_chart_html, trend_label
from ilc_widgets.widgets.review.pulse_results import pulse_chart_html

SVG = "<svg xmlns='http://www.w3.org/2000/svg'><rect/></svg>"


def name_of(page: str) -> str:
    """The aria-label of the one role=img element in ``page`` (unescaped)."""
    found = re.findall(r"role='img' aria-label='([^']*)'", page)
    assert len(found) == 1, page
    return html.unescape(found[0])


def cells(page: str) -> list[list[str]]:
    """The rows of the table inside the "Show as table" disclosure (unescaped cell text)."""
    table = page[page.index("<summary>Show as table</summary>") :]
    return [
        [html.unescape(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table)
    ]


def test_described_wraps_the_svg_in_an_image_with_a_name_and_a_table():
    page = described(SVG, "Sizes <b>&</b> 'quotes'", table_html(("Theme", "n"), [("A", 3)]))
    assert name_of(page) == "Sizes <b>&</b> 'quotes'"
    assert "aria-label='Sizes &lt;b&gt;&amp;&lt;/b&gt; &#x27;quotes&#x27;'" in page
    img = page.index("role='img'")
    drawing = SVG.replace("<svg ", "<svg aria-hidden='true' focusable='false' ")
    assert img < page.index(drawing) < page.index("</div>", img) < page.index("<details")
    assert cells(page) == [["Theme", "n"], ["A", "3"]]
    with pytest.raises(ValueError, match="name"):
        described(SVG, "  ")


def test_table_cells_are_escaped_and_numbers_written_as_elsewhere():
    page = described(SVG, "x", table_html(("Who", "Value"), [("<i>Ann</i>", 1234.5), ("B", 2.0)]))
    assert cells(page) == [["Who", "Value"], ["<i>Ann</i>", "1,234.5"], ["B", "2"]]
    assert "<i>Ann" not in page


def test_bar_and_series_words_say_every_value_and_tabulate_them():
    label, table = bar_words(
        "Statements per theme", ["Math", "Reading"], [12.0, 3.0], unit="people"
    )
    assert label == "Statements per theme. Math: 12 people; Reading: 3 people."
    assert cells(described(SVG, label, table))[1:] == [["Math", "12"], ["Reading", "3"]]
    label, table = series_words(
        "Themes by role",
        ["Math", "Reading"],
        {"Principal": [2.0, 0.0], "Coach": [1.0, 4.0]},
        unit="participants",
        category="Theme",
    )
    assert label == ("Themes by role (participants). Math: Principal 2, Coach 1; Reading: Coach 4.")
    rows = cells(described(SVG, label, table))
    assert rows == [["Theme", "Principal", "Coach"], ["Math", "2", "1"], ["Reading", "0", "4"]]


def test_a_trend_chart_names_indicator_latest_value_target_and_status():
    ind = Indicator(
        name="Students reading at grade level",
        baseline=42.0,
        target=60.0,
        unit="%",
        target_date="2027-06-01",
    )
    trend = pd.DataFrame(
        {"date": [dt.date(2026, 10, 1), dt.date(2026, 11, 6)], "value": [45.0, 51.25]}
    )
    row = {"status": "at_risk", "latest_value": 51.25, "last_date": "2026-11-06"}
    page = trend_chart_html(SVG, row, ind, trend)
    name = name_of(page)
    assert name == trend_label(row, ind)
    assert name == (
        "Trend of Students reading at grade level, latest 51.25% on 6 Nov 2026; baseline 42%; "
        "target 60% by 1 Jun 2027; status at risk."
    )
    assert cells(page)[1:] == [
        ["1 Oct 2026", "45%"],
        ["6 Nov 2026", "51.25%"],
        ["Baseline", "42%"],
        ["Target (by 1 Jun 2027)", "60%"],
    ]


def test_an_effect_size_and_a_pulse_chart_say_their_numbers():
    es = EffectSize(
        d=0.512, ci_low=0.1, ci_high=0.93, n_pre=12, n_post=11, mean_pre=2.0, mean_post=3.0,
        sd_pre=1.0, sd_post=1.0,
    )  # fmt: skip
    page = effect_chart_html(SVG, es)
    assert name_of(page).startswith(
        "Effect size d = 0.51, 95% confidence interval 0.10 to 0.93; hinge point 0.40"
    )
    assert cells(page)[1] == ["0.51", "0.10", "0.93", "0.40"]
    spec = {
        "categories": ["Shared purpose", "Trust"],
        "before": [3.25, None],
        "after": [3.8, 4.0],
        "n_before": [8, 0],
        "n_after": [9, 7],
    }
    page = pulse_chart_html(SVG, spec)
    assert name_of(page) == (
        "Pulse means at start of inquiry and review, by dimension. Shared purpose: 3.25 (n 8) "
        "at start of inquiry, 3.80 (n 9) at review; Trust: no answers (n 0) at start of "
        "inquiry, 4.00 (n 7) at review."
    )
    assert cells(page) == [
        ["Dimension", "Start of inquiry", "Review"],
        ["Shared purpose", "3.25 (n 8)", "3.80 (n 9)"],
        ["Trust", "no answers (n 0)", "4.00 (n 7)"],
    ]
