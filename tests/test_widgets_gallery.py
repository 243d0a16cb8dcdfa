"""Workbook 06 widgets: the gallery and its filters, across collectives, the network report.

Outside a running event loop the staged sections build at once, so each widget is ready
when its constructor returns.
"""

from __future__ import annotations

import base64
import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from ilc_widgets import workbook
from ilc_widgets.widgets.gallery import (
    FACILITATORS_ONLY,
    AcrossCollectives,
    Gallery,
    NetworkReport,
    card_summary_html,
)

EVIL = "<img src=x onerror=alert(1)>"


def links(html: str) -> dict[str, bytes]:
    """Download links of a widget's HTML: file name -> the bytes it carries."""
    found = re.findall(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'", html)
    return {name: base64.b64decode(data) for name, data in found}


@pytest.fixture
def net(demo_sqlite):
    return demo_sqlite


# --------------------------------------------------------------------------- gallery


def test_gallery_has_a_card_per_collective_with_every_part(ctx_for, net):
    g = Gallery(ctx_for("facilitator"))
    assert "ilc-app" in g._dom_classes
    assert not g.notice.text
    codes = {c.code for c in net.collective_list()}
    assert {v.card.code for v in g.cards} == codes == set(g.value)
    literacy = next(v for v in g.cards if v.card.code == "literacy-1")
    face = literacy.summary.value
    assert "Structured literacy" in face and "Problem of practice" in face
    assert "Indicators:" in face and "Effect size" in face and "d = 0.45" in face
    assert literacy.detail.value == ""
    literacy.toggle.click()
    assert literacy.expanded and literacy.detail.layout.display == ""
    detail = literacy.detail.value
    for part in ("Theory of action", "Key evidence", "Lessons learned", "If</b>", "then</b>"):
        assert part in detail
    literacy.toggle.click()
    assert not literacy.expanded and literacy.detail.layout.display == "none"
    assert g.count.value.count("8 of 8") == 1


def test_gallery_filters_by_theme_region_and_modality(ctx_for, net):
    g = Gallery(ctx_for("facilitator"))
    collectives = {c.code: c for c in net.collective_list()}
    g.theme_filter.value = "Persistent absenteeism"
    assert sorted(g.value) == ["absenteeism-1", "absenteeism-2"]
    assert {v.card.code for v in g.shown_cards} == set(g.value)
    assert "2 of 8" in g.count.value
    g.modality_filter.value = "virtual"
    assert g.value == [c for c in ("absenteeism-2",) if collectives[c].modality == "virtual"]
    g.theme_filter.value = ""
    assert set(g.value) == {c for c, k in collectives.items() if k.modality == "virtual"}
    g.modality_filter.value = ""
    region = collectives["literacy-1"].region
    g.region_filter.value = region
    assert set(g.value) == {c for c, k in collectives.items() if k.region == region}
    g.region_filter.value = "-"
    assert set(g.value) == {c for c, k in collectives.items() if not k.region}
    g.region_filter.value = region
    g.modality_filter.value = "virtual"
    assert g.value == [] and "No collective matches" in g.notice.text
    g.modality_filter.value = ""
    assert g.value and not g.notice.text


def test_participant_sees_every_shared_card_with_their_own_first(ctx_for, net):
    g = Gallery(ctx_for("participant", "grading-1"))
    assert len(g.cards) == len(net.collective_list())
    assert g.cards[0].card.code == "grading-1"
    assert "ilc-gal-own" in g.cards[0]._dom_classes
    assert "Your collective" in g.cards[0].summary.value


def test_gallery_shows_no_names_emails_or_small_numbers(ctx_for, net):
    # the latest value of an indicator covers only 4 people: it must read n<10
    net.add_evidence(
        "literacy-1",
        date="2026-11-18",
        evidence_type="school_processes",
        indicator="Foundational skills block taught as designed",
        value=93.75,
        unit="%",
        n=4,
    )
    g = Gallery(ctx_for("participant", "literacy-1"))
    for view in g.cards:
        view.expanded = True
    text = " ".join(v.summary.value + v.detail.value for v in g.cards)
    for name in net.participants["name"]:
        assert name not in text
    assert "@" not in text
    for ref in set(net.scores["student_ref"].astype(str)):
        assert not re.search(rf"\b{re.escape(ref)}\b", text)
    assert "93.75" not in text and "93.8" not in text
    assert "n&lt;10 (n = &lt;10, 18 Nov 2026)" in text


def test_gallery_names_follow_the_network_setting(ctx_for, net):
    net.update_settings(show_participant_names=True)
    g = Gallery(ctx_for("facilitator"))
    view = next(v for v in g.cards if v.card.code == "literacy-1")
    view.expanded = True
    members = net.members("literacy-1")["name"].tolist()
    assert members and all(m in view.detail.value for m in members)
    assert "Participant names are shown" in g.children[2].value


def test_typed_markup_is_escaped_on_cards(ctx_for, net):
    state = net.placemat("grading-1")
    mat = state.placemat
    mat.problem_of_practice = EVIL
    net.save_placemat("grading-1", mat, state.version)
    g = Gallery(ctx_for("facilitator"))
    view = next(v for v in g.cards if v.card.code == "grading-1")
    view.expanded = True
    assert EVIL not in view.summary.value + view.detail.value
    assert "&lt;img src=x" in view.summary.value
    assert EVIL not in card_summary_html(view.card)


def test_gallery_refresh_shows_new_work(ctx_for, net):
    g = Gallery(ctx_for("facilitator"))
    state = net.placemat("multilingual-1")
    mat = state.placemat
    mat.problem_of_practice = "A brand new problem of practice, saved after the page opened"
    net.save_placemat("multilingual-1", mat, state.version)
    assert g.poller.poll_once()
    assert g.refresh_button.layout.display == ""
    g.theme_filter.value = "Multilingual learners"
    g.refresh_button.click()
    assert g.refresh_button.layout.display == "none"
    assert g.value == ["multilingual-1"]
    assert "brand new problem" in g.shown_cards[0].summary.value


# --------------------------------------------------------------------------- across


def test_across_collectives_compares_themes_pulse_and_evidence(ctx_for):
    a = AcrossCollectives(ctx_for("participant", "literacy-1"))
    assert "ilc-app" in a._dom_classes and not a.notice.text
    assert "Persistent absenteeism" in a.themes_html.value
    assert "Every Day Counts" in a.themes_html.value
    a.theme_picker.value = "Structured literacy"
    assert a.value == "Structured literacy"
    assert "Sound Foundations" in a.themes_html.value
    assert "Every Day Counts" not in a.themes_html.value
    assert "Related themes" in a.themes_html.value
    pulse = a.pulse_html.value
    assert "not a validated scale" in pulse and "<svg" in pulse
    for dim in ("Shared understanding", "Joint work", "Evidence of impact"):
        assert dim in pulse
    evidence = a.evidence_html.value
    assert "relied on most" in evidence and "neglected" in evidence
    assert "Questions to take back" in evidence and "<svg" in evidence
    # both charts are images with names that say their numbers, and a table alternative
    assert "role='img' aria-label='Collective leader efficacy pulse, whole network" in pulse
    assert "role='img' aria-label='Evidence entries by type, whole network." in evidence
    for part in (pulse, evidence):
        assert part.count("role='img'") == 1 and "<summary>Show as table</summary>" in part


# --------------------------------------------------------------------------- report


def test_facilitator_builds_the_report_and_gets_html_and_pdf(ctx_for, net):
    r = NetworkReport(ctx_for("facilitator"))
    assert "ilc-app" in r._dom_classes
    r.build_button.click()
    assert r.value["min_cell_size"] == 10 and r.value["show_names"] is False
    files = links(r.downloads.value)
    assert set(files) == set(r.value["files"])
    html_name = next(n for n in files if n.endswith(".html"))
    pdf_name = next(n for n in files if n.endswith(".pdf"))
    page = files[html_name].decode("utf-8")
    assert "Share-outs of each collective" in page and "<svg" in page
    pdf = files[pdf_name]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "network report" in text
    for name in net.participants["name"]:
        assert name not in page and name not in text
    assert "Built at" in r.status.value and r.progress.value == 100


def test_report_settings_warn_and_names_go_in_when_ticked(ctx_for, net):
    r = NetworkReport(ctx_for("facilitator"))
    r.min_input.value = 5
    assert "below the network's privacy minimum of 10" in r.warning.text
    r.min_input.value = 10
    assert not r.warning.text
    r.names_input.value = True
    assert "names will be printed" in r.warning.text
    r.build()
    assert r.value["show_names"] is True
    page = next(v for k, v in links(r.downloads.value).items() if k.endswith(".html"))
    members = net.members("literacy-1")["name"].tolist()
    assert all(m in page.decode() for m in members)


def test_data_bundle_download(ctx_for):
    r = NetworkReport(ctx_for("researcher", None))
    r.bundle_button.click()
    files = links(r.bundle_link.value)
    (name,) = files
    assert name.endswith(".zip") and r.value["bundle"] == name
    with zipfile.ZipFile(io.BytesIO(files[name])) as archive:
        assert "ilc-data/data_dictionary.csv" in archive.namelist()


def test_participants_get_no_report_controls(ctx_for):
    r = workbook.section(ctx_for("participant", "literacy-1"), "network_report")
    assert not isinstance(r, NetworkReport)
    assert FACILITATORS_ONLY in r.children[1].value
    assert not hasattr(r, "build_button")


def test_workbook_sections_and_denied_session(ctx_for):
    ctx = ctx_for("facilitator")
    assert isinstance(workbook.section(ctx, "gallery"), Gallery)
    assert isinstance(workbook.section(ctx, "across_collectives"), AcrossCollectives)
    assert isinstance(workbook.section(ctx, "network_report"), NetworkReport)
    denied = ctx_for("denied")
    view = workbook.section(denied, "gallery")
    assert not isinstance(view, Gallery)
    assert "ilc-denied-app" in view._dom_classes
