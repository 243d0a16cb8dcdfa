"""The network report (model, HTML, PDF) and its privacy rules; the researchers' data bundle.

Privacy is checked on what is written: the HTML page's text and the PDF's extracted text
(pypdf), not only on the report model.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from html.parser import HTMLParser

import pandas as pd
import pytest
from pypdf import PdfReader

from ilc_widgets.errors import IlcError
from ilc_widgets.export import (
    DATA_DICTIONARY,
    bundle_zip,
    data_dictionary,
    export_tables,
    research_tables,
)
from ilc_widgets.network import create_network
from ilc_widgets.placemat import Indicator, Placemat, TheoryStep
from ilc_widgets.reports import (
    Redactor,
    build_network_report,
    chart_figures,
    pdf_story_text,
    related_themes,
    render_html,
    render_pdf_bytes,
    write_network_report,
)
from ilc_widgets.stats import effect_size

TODAY = dt.date(2026, 11, 20)
SECRET_NAME = "Zelda Quarrington"
STUDENT = "Amara Osei"
EVIL = "<script>alert('x')</script>"


class _Text(HTMLParser):
    """The visible text of an HTML page (no tags, no style or script content)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "svg") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def has_word(text: str, word: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(word)}(?![\w])", text) is not None


# --------------------------------------------------------------------------- a small network


def _people(prefix: str, n: int, role: str, district: str = "North") -> list[dict[str, str]]:
    return [
        {
            "participant_id": f"{prefix}{i:02d}",
            "name": f"Person {prefix.upper()}{i:02d} Example",
            "email": f"{prefix}{i:02d}@district.example",
            "role": role,
            "organization": "School",
            "district": district,
            "region": "North",
            "modality": "virtual",
            "focus": "attendance",
            "theme": "Attendance",
        }
        for i in range(1, n + 1)
    ]


@pytest.fixture
def small(tmp_path):
    """Two collectives with small and large groups, names in free text, student refs."""
    net = create_network(tmp_path / "small.sqlite", "Small Network", school_year="2026-27")
    people = [
        *_people("t", 12, "teacher_leader"),
        *_people("p", 11, "principal", "South"),
        *_people("s", 3, "superintendent"),
    ]
    people[0]["name"] = SECRET_NAME
    people[0]["email"] = "zelda.q@district.example"
    net.add_participants(pd.DataFrame(people))
    net.create_collective(
        "alpha",
        "Alpha Attendance",
        theme="Attendance",
        region="North",
        modality="in_person",
        facilitator_name="Fiona Facilitator",
    )
    net.create_collective("beta", "Beta Belonging", theme="Belonging", modality="virtual")
    for i, person in enumerate(people):
        net.move_member(person["participant_id"], "alpha" if i % 2 == 0 else "beta")
    attendance = Indicator(
        name="Daily attendance",
        kind="leading",
        evidence_type="school_processes",
        baseline=80,
        target=95,
        unit="%",
        target_date="2027-05-01",
    )
    belonging = Indicator(
        name="Belonging survey",
        kind="lagging",
        evidence_type="perceptions",
        baseline=50,
        target=70,
        unit="%",
        target_date="2027-05-01",
    )
    mat = Placemat(
        problem_of_practice=f"Students miss Mondays; {SECRET_NAME} noticed it and {EVIL}.",
        priorities=["Call families early", "Greet every student"],
        theory_of_action=[
            TheoryStep("leaders protect time", "teachers call home", "leader_actions"),
            TheoryStep("teachers call home", "students come on Mondays", "student_outcomes"),
        ],
        indicators=[attendance],
    )
    net.save_placemat("alpha", mat, 0)
    net.save_placemat(
        "beta",
        Placemat(problem_of_practice="Students do not feel they belong.", indicators=[belonging]),
        0,
    )
    # attendance: a latest value on only 6 students; belonging: 40 students
    net.add_evidence(
        "alpha",
        date="2026-09-15",
        evidence_type="school_processes",
        indicator="Daily attendance",
        value=81.0,
        unit="%",
        n=60,
    )
    net.add_evidence(
        "alpha",
        date="2026-10-15",
        evidence_type="school_processes",
        indicator="Daily attendance",
        value=87.25,
        unit="%",
        n=6,
    )
    net.add_evidence(
        "beta",
        date="2026-09-10",
        evidence_type="perceptions",
        indicator="Belonging survey",
        value=52.0,
        unit="%",
        n=40,
    )
    net.add_evidence(
        "beta",
        date="2026-10-20",
        evidence_type="perceptions",
        indicator="Belonging survey",
        value=63.5,
        unit="%",
        n=40,
    )
    # effect sizes: alpha on 6 students (suppressed), beta on 12 (shown)
    pre_a, post_a = [10, 12, 14, 11, 13, 15], [16, 18, 15, 19, 17, 20]
    net.add_scores("alpha", "Quiz", "pre", [(f"S{i:03d}", v) for i, v in enumerate(pre_a)])
    net.add_scores("alpha", "Quiz", "post", [(f"S{i:03d}", v) for i, v in enumerate(post_a)])
    pre_b = [40, 42, 45, 47, 50, 52, 55, 41, 44, 46, 48, 53]
    post_b = [45, 47, 49, 52, 55, 57, 60, 44, 50, 51, 54, 58]
    refs_b = [STUDENT] + [f"B{i:03d}" for i in range(1, 12)]
    net.add_scores("beta", "Unit test", "pre", list(zip(refs_b, pre_b, strict=True)))
    net.add_scores("beta", "Unit test", "post", list(zip(refs_b, post_b, strict=True)))
    net.add_reflection(
        "alpha",
        "2026-10-20",
        learned=f"{SECRET_NAME} said Zelda's calls worked; ask zelda.q@district.example. "
        "Student S003 improved.",
        adjust=f"Tell {STUDENT} and B004 about the club.",
    )
    net.add_reflection("beta", "2026-10-21", learned="Belonging grows with greeting.")
    yield net
    net.close()


@pytest.fixture
def small_report(small):
    return build_network_report(small, today=TODAY)


def test_cards_hold_every_part_of_a_share_out(small_report):
    r = small_report
    assert {c.code for c in r.cards} == {"alpha", "beta"}
    alpha = r.card("alpha")
    assert alpha.theme == "Attendance" and alpha.region == "North"
    assert alpha.modality_label == "In person"
    assert alpha.problem_of_practice.startswith("Students miss Mondays")
    assert [s.if_text for s in alpha.theory_of_action] == [
        "leaders protect time",
        "teachers call home",
    ]
    assert alpha.priorities == ("Call families early", "Greet every student")
    assert [i.name for i in alpha.indicators] == ["Daily attendance"]
    assert alpha.lessons and alpha.lessons[0].meeting_date == "20 Oct 2026"
    assert alpha.evidence_types_used == ("School processes",)
    assert "Perceptions" in alpha.evidence_types_missing
    beta = r.card("beta")
    assert beta.indicators[0].latest == "63.5%"
    assert beta.indicators[0].latest_n == "40"
    with pytest.raises(KeyError):
        r.card("nope")


def test_small_n_indicator_value_and_effect_size_are_suppressed(small, small_report):
    alpha = small_report.card("alpha")
    ind = alpha.indicators[0]
    assert ind.suppressed and ind.latest == "n<10" and ind.latest_n == "<10"
    (es_a,) = alpha.effect_sizes
    assert es_a.suppressed and es_a.d is None and es_a.ci_low is None and es_a.d_text == "n<10"
    assert es_a.n_pre == "<10"
    (es_b,) = small_report.card("beta").effect_sizes
    expected = effect_size(
        [40, 42, 45, 47, 50, 52, 55, 41, 44, 46, 48, 53],
        [45, 47, 49, 52, 55, 57, 60, 44, 50, 51, 54, 58],
    )
    assert not es_b.suppressed and es_b.d == pytest.approx(expected.d)
    assert es_b.n_pre == "12"


def test_roles_table_has_primary_and_complementary_suppression(small_report):
    roles = small_report.participants_by_role
    cells = dict(zip(roles.row_labels, (c[0] for c in roles.cells), strict=True))
    # 3 superintendents are hidden; the total (26) would give them back, so the next
    # smallest role (11 principals) is hidden too
    assert cells["Superintendent"] == "<10"
    assert cells["Principal"] == "<10"
    assert cells["Teacher leader"] == "12" and cells["Total"] == "26"
    assert (roles.n_primary, roles.n_complementary) == (1, 1)


def test_min_cell_size_is_a_setting(small):
    small.update_settings(min_cell_size=5)
    report = build_network_report(small, today=TODAY)
    assert report.min_cell_size == 5
    ind = report.card("alpha").indicators[0]
    assert not ind.suppressed and ind.latest == "87.25%"
    assert report.card("alpha").effect_sizes[0].d is not None
    assert build_network_report(small, min_cell_size=20).min_cell_size == 20
    with pytest.raises(IlcError, match="at least 1"):
        build_network_report(small, min_cell_size=0)


def test_written_html_and_pdf_hold_no_small_numbers_names_or_students(small, tmp_path):
    html_path, pdf_path = tmp_path / "report.html", tmp_path / "report.pdf"
    written = write_network_report(small, html_path, pdf_path)
    assert written == [html_path, pdf_path]
    page = html_path.read_text(encoding="utf-8")
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF")
    quiz_pre, quiz_post = [10, 12, 14, 11, 13, 15], [16, 18, 15, 19, 17, 20]
    hidden_d = f"{effect_size(quiz_pre, quiz_post).d:.2f}"
    people = small.participants
    for text in (html_text(page), pdf_text(data)):
        assert "Small Network" in text and "Alpha Attendance" in text
        # small numbers
        assert "87.25" not in text and "87.3" not in text
        assert not has_word(text, hidden_d)
        assert "n<10" in text and "<10" in text
        # names, emails, students
        for name in people["name"]:
            assert name not in text
        assert "Zelda" not in text and "Fiona" not in text
        assert "@" not in text
        assert STUDENT not in text and "Amara" not in text
        for ref in ("S003", "B004"):
            assert not has_word(text, ref)
        assert "[name]" in text and "[student]" in text
        # what should be there
        assert "Daily attendance" in text and "Call families early" in text
        assert "We learned" in text or "Learned" in text
    assert EVIL not in page and "&lt;script&gt;" in page
    assert "<svg" in page  # charts are inline


def test_names_appear_only_when_asked(small, tmp_path):
    report = build_network_report(small, show_names=True, today=TODAY)
    alpha = report.card("alpha")
    assert SECRET_NAME in alpha.members and alpha.facilitator == "Fiona Facilitator"
    page = html_text(render_html(report, charts={}))
    assert SECRET_NAME in page and "Fiona Facilitator" in page
    # never emails or students, even with names on
    assert "@" not in page and STUDENT not in page
    default = build_network_report(small, today=TODAY)
    assert default.card("alpha").members == () and not default.card("alpha").facilitator
    assert "No participant names are shown." in default.privacy_note


def test_a_collective_subset_and_an_unknown_collective(small):
    report = build_network_report(small, collectives=["beta"])
    assert [c.code for c in report.cards] == ["beta"]
    with pytest.raises(IlcError, match="no collective 'zzz'"):
        build_network_report(small, collectives=["zzz"])


def test_write_report_refuses_bad_names_and_keeps_an_earlier_report(small, tmp_path):
    html_path = tmp_path / "r.html"
    html_path.write_text("earlier report", encoding="utf-8")
    with pytest.raises(IlcError, match=r"should end in \.pdf"):
        write_network_report(small, html_path, tmp_path / "r.txt")
    with pytest.raises(IlcError, match="does not exist"):
        write_network_report(small, html_path, tmp_path / "missing" / "r.pdf")
    with pytest.raises(IlcError, match="HTML report, the PDF report, or both"):
        write_network_report(small)
    assert html_path.read_text(encoding="utf-8") == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_progress_is_reported_up_to_the_end(small, tmp_path):
    seen: list[tuple[int, int]] = []
    write_network_report(
        small, pdf_path=tmp_path / "r.pdf", progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_demo_report_compares_themes_pulse_and_evidence(demo_sqlite):
    report = build_network_report(demo_sqlite, today=TODAY)
    assert len(report.cards) == len(demo_sqlite.collective_list()) == 8
    assert {g.theme for g in report.themes} == {c.theme for c in report.cards}
    absenteeism = next(g for g in report.themes if g.theme == "Persistent absenteeism")
    assert len(absenteeism.codes) == 2
    assert sum(len(g.codes) for g in report.themes) == 8
    # network-wide pulse: three dimensions, start and review, built on enough people
    assert [p.dimension for p in report.pulse] == [
        "shared_understanding",
        "joint_work",
        "evidence_of_impact",
    ]
    for p in report.pulse:
        assert p.mean_start is not None and p.mean_review is not None
        assert p.change == pytest.approx(p.mean_review - p.mean_start)
    # evidence relied on and neglected
    verdicts = {t.evidence_type: t.verdict for t in report.evidence_types}
    assert "relied on most" in verdicts.values() and "neglected" in verdicts.values()
    neglected = [t for t in report.evidence_types if t.verdict == "neglected"]
    assert all(t.prompt for t in neglected)
    assert report.evidence_total == f"{len(demo_sqlite.evidence):,}"
    assert len(report.intersections) >= 6
    assert set(chart_figures(report)) == {"status", "effect_sizes", "pulse", "evidence"}


def test_demo_pdf_and_html_leak_no_participant_or_student(demo_sqlite):
    report = build_network_report(demo_sqlite, today=TODAY)
    page = html_text(render_html(report, charts={}))
    text = pdf_text(render_pdf_bytes(report, pngs={}))
    assert len(PdfReader(io.BytesIO(render_pdf_bytes(report, pngs={}))).pages) >= 3
    names = demo_sqlite.participants["name"].tolist()
    refs = set(demo_sqlite.scores["student_ref"].dropna().astype(str))
    for written in (page, text, pdf_story_text(report)):
        assert not [n for n in names if n in written]
        assert "@" not in written
        assert not [r for r in refs if has_word(written, r)]
    for card in report.cards:
        assert card.name in page and card.name in text


def test_related_themes_name_shared_words():
    related = related_themes(
        {
            "Reading": "phonics decoding phonics fluency small groups",
            "Writing": "phonics spelling decoding essays",
            "Attendance": "chronic absence mondays calls",
        }
    )
    assert related["Reading"][0].theme == "Writing"
    assert "phonics" in related["Reading"][0].shared_words
    assert all(r.theme != "Attendance" for r in related["Reading"])
    assert related_themes({"Only": "text"}) == {"Only": ()}


def test_redactor_names_emails_and_students():
    redact = Redactor(["Maria Lopez", "Will Grant"], ["S0042", "Kai Moana"])
    out = redact("maria  lopez and Maria met Will; we will ask m.l@x.org about S0042 and kai moana")
    assert out == (
        "[name] and [name] met [name]; we will ask [email] about [student] and [student]"
    )
    assert redact("") == "" and redact(None) == ""


# --------------------------------------------------------------------------- data bundle


def test_bundle_tables_match_the_network_dataframes(demo_sqlite, tmp_path):
    net = demo_sqlite
    tables = research_tables(net)
    for name in (
        "theory_of_action",
        "priorities",
        "evidence_plan",
        "indicator_status",
        "effect_sizes",
        "evidence",
        "participants",
        "placemats",
    ):
        assert name in tables
    written = export_tables(net, tmp_path / "out", xlsx=True)
    names = {p.name for p in written}
    assert names == {f"{t}.csv" for t in tables} | {"data_dictionary.csv", "network.xlsx"}
    frames = {
        "theory_of_action": net.theory_of_action,
        "priorities": net.priorities,
        "evidence_plan": net.evidence_plan,
        "indicator_status": net.indicator_status(),
        "effect_sizes": net.effect_sizes(),
        "participants": net.participants,
        "evidence": net.evidence_frame(include_deleted=True),
        "reflections": net.reflections,
        "pulse_responses": net.survey_responses,
        "scores": net.scores,
    }
    for name, frame in frames.items():
        csv = pd.read_csv(tmp_path / "out" / f"{name}.csv", keep_default_na=False)
        assert list(csv.columns) == list(frame.columns), name
        assert len(csv) == len(frame) > 0, name
    toa = pd.read_csv(tmp_path / "out" / "theory_of_action.csv", keep_default_na=False)
    assert toa["if_text"].tolist() == net.theory_of_action["if_text"].tolist()
    es = pd.read_csv(tmp_path / "out" / "effect_sizes.csv")
    assert es["d"].round(6).tolist() == net.effect_sizes()["d"].round(6).tolist()
    dictionary = pd.read_csv(tmp_path / "out" / "data_dictionary.csv", keep_default_na=False)
    for name, frame in tables.items():
        described = dictionary[dictionary["table"] == name]
        assert described["column"].tolist() == list(frame.columns), name
    assert dictionary["description"].str.len().gt(0).all()
    book = pd.read_excel(tmp_path / "out" / "network.xlsx", sheet_name=None)
    assert set(book) == set(tables) | {"data_dictionary"}
    assert len(book["priorities"]) == len(net.priorities)


def test_every_exported_column_is_in_the_dictionary(demo_sqlite):
    tables = research_tables(demo_sqlite)
    for name, frame in tables.items():
        missing = set(frame.columns) - set(DATA_DICTIONARY.get(name, {}))
        assert not missing, f"{name}: {sorted(missing)}"
    dictionary = data_dictionary(tables)
    assert not dictionary["description"].eq("").any()


def test_bundle_zip_has_readme_csvs_xlsx_and_dictionary(demo_sqlite):
    data = bundle_zip(demo_sqlite)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert "ilc-data/README.txt" in names
        assert "ilc-data/data_dictionary.csv" in names and "ilc-data/network.xlsx" in names
        assert "ilc-data/effect_sizes.csv" in names
        readme = archive.read("ilc-data/README.txt").decode()
    assert "NOT privacy-protected" in readme


def test_placemat_tables_of_an_empty_network(tmp_path):
    net = create_network(tmp_path / "empty.sqlite", "Empty")
    assert net.theory_of_action.empty and net.priorities.empty and net.evidence_plan.empty
    assert net.effect_sizes().empty and net.indicator_status().empty
    report = build_network_report(net)
    assert report.cards == () and report.headline == ("No collectives have been formed yet.",)
    page = render_html(report)
    assert "No collectives yet" in page
    assert render_pdf_bytes(report).startswith(b"%PDF")
    net.close()
