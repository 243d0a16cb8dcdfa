"""The printable placemat: HTML with every section, escaped; a one-page landscape PDF."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from ilc_widgets.placemat import EvidencePlanItem, Indicator, Placemat, TheoryStep
from ilc_widgets.placemat_export import (
    SECTIONS,
    format_number,
    placemat_html,
    placemat_pdf,
    placemat_pdf_bytes,
    with_unit,
)

DEMO = Path(__file__).resolve().parent.parent / "data_templates" / "demo" / "placemats"
EVIL = "<script>alert(1)</script>&<b>x</b>"


def demo(code: str = "literacy-1") -> Placemat:
    return Placemat.from_dict(json.loads((DEMO / f"{code}.json").read_text(encoding="utf-8")))


def pages(pdf: bytes) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page\b", pdf))
    return len(PdfReader(io.BytesIO(pdf)).pages)


def evil_placemat() -> Placemat:
    return Placemat(
        problem_of_practice=EVIL,
        surfacing_data=EVIL,
        priorities=[EVIL],
        theory_of_action=[TheoryStep(EVIL, EVIL, "student_outcomes")],
        indicators=[
            Indicator(name=EVIL, measure=EVIL, unit=EVIL, baseline=1, target=2),
            Indicator(name=EVIL, kind="lagging"),
        ],
        evidence_plan={
            k: EvidencePlanItem(EVIL, EVIL, EVIL)
            for k in ("demographic", "perceptions", "student_learning", "school_processes")
        },
    )


def test_html_has_every_section_and_the_content():
    p = demo()
    page = placemat_html(
        p,
        collective_name="Sound Foundations (River Valley)",
        theme="Structured literacy",
        members=["Ana Ruiz", "Ben Cole"],
        version=4,
    )
    assert page.startswith("<!DOCTYPE html>")
    for section in SECTIONS:
        assert section in page or section.upper() in page
    assert "size: letter landscape" in page
    assert "Sound Foundations (River Valley)" in page and "Ana Ruiz, Ben Cole" in page
    assert "version 4" in page
    for priority in p.priorities:
        assert priority in page
    for ind in p.indicators:
        assert ind.name in page
    assert "baseline 38% → target 85%" in page and "by 29 Jan 2027" in page
    for label in ("Demographic", "Perceptions", "Student learning", "School processes"):
        assert label in page
    # the problem of practice sits in the centre of the grid, framed
    assert 'grid-template-areas: "prio toa toa" "lead pop lag" "plan plan plan"' in page
    assert "class='pop' style='grid-area:pop'" in page


def test_html_escapes_everything_typed():
    page = placemat_html(
        evil_placemat(), collective_name=EVIL, theme=EVIL, members=[EVIL], version=1
    )
    assert "<script>" not in page and "<b>x</b>" not in page
    assert page.count("&lt;script&gt;") >= 15


def test_empty_placemat_says_what_is_missing():
    page = placemat_html(Placemat(), collective_name="New")
    assert page.count("Not written yet.") >= 5


def test_numbers_and_units():
    assert format_number(38.0) == "38" and format_number(1200.0) == "1,200"
    assert format_number(2.5) == "2.5" and format_number(None) == ""
    assert with_unit(38.0, "%") == "38%" and with_unit(4.5, "days") == "4.5 days"


@pytest.mark.parametrize("code", ["literacy-1", "absenteeism-1", "grading-1"])
def test_pdf_is_one_page_for_demo_placemats(code):
    data = placemat_pdf_bytes(
        demo(code), collective_name=code, theme="Theme", members=["A", "B"], version=2
    )
    assert data.startswith(b"%PDF") and len(data) > 5_000
    assert pages(data) == 1
    # landscape: wider than tall
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and float(box.group(1)) > float(box.group(2))


def test_pdf_shrinks_a_very_long_placemat_onto_one_page(tmp_path):
    long = " ".join(["A long sentence about what teachers and students do every day."] * 12)
    p = Placemat(
        problem_of_practice=long,
        surfacing_data=long,
        priorities=[long] * 8,
        theory_of_action=[TheoryStep(long, long, "adult_practice") for _ in range(8)],
        indicators=[
            Indicator(name=f"Indicator {n}", measure=long, kind="leading" if n % 2 else "lagging")
            for n in range(10)
        ],
        evidence_plan={
            k: EvidencePlanItem(long, long, long)
            for k in ("demographic", "perceptions", "student_learning", "school_processes")
        },
    )
    target = tmp_path / "long.pdf"
    placemat_pdf(p, target, collective_name="Long")
    assert pages(target.read_bytes()) == 1
    placemat_pdf(p, str(tmp_path / "long2.pdf"), collective_name="Long")
    assert pages((tmp_path / "long2.pdf").read_bytes()) == 1


def test_pdf_of_typed_markup_and_empty_placemat():
    for p in (evil_placemat(), Placemat()):
        buf = io.BytesIO()
        placemat_pdf(p, buf, collective_name=EVIL, theme=EVIL, members=[EVIL])
        assert pages(buf.getvalue()) == 1
