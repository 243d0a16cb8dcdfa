"""Workbook 06's pure rules (ilc_widgets.widgets.share.state), in plain pytest."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from ilc_widgets.widgets.share import state


def card(theme: str = "Literacy", region: str = "North", modality: str = "in_person"):
    return SimpleNamespace(theme=theme, region=region, modality=modality)


def test_privacy_settings_default_to_ten_and_no_names() -> None:
    assert state.privacy_settings({}) == (10, False)
    assert state.privacy_settings({"min_cell_size": 0}) == (10, False)
    assert state.privacy_settings({"min_cell_size": "5", "show_participant_names": 1}) == (5, True)


def test_plural_percent_and_shorten() -> None:
    assert state.plural(1, "collective") == "1 collective"
    assert state.plural(0, "table cell") == "0 table cells"
    assert state.percent(1, 3) == 33 and state.percent(0, 0) == 0 and state.percent(5, 5) == 100
    assert state.shorten("short", 10) == "short"
    cut = state.shorten("a long problem of practice ", 10)
    assert cut == "a long pr…" and len(cut) == 10
    assert state.count_text(2, 8) == "2 of 8 collectives"
    assert state.count_text(1, 1) == "1 of 1 collective"


def test_filter_choices_list_each_theme_region_and_modality_once() -> None:
    collectives = [
        card("Literacy", "North", "in_person"),
        card("Absenteeism", "", "virtual"),
        card("Literacy", "South", "in_person"),
        card("", "North", "either"),
    ]
    choices = state.FilterChoices.of(collectives)
    assert choices.themes == [("Absenteeism", "Absenteeism"), ("Literacy", "Literacy")]
    assert choices.regions == [
        ("North", "North"),
        ("South", "South"),
        ("No region (virtual)", state.NO_REGION),
    ]
    assert choices.modalities == ["in_person", "virtual", "either"]
    assert state.options("All themes", choices.themes)[0] == ("All themes", "")
    # without a collective lacking a region there is no "no region" choice
    assert state.FilterChoices.of([card()]).regions == [("North", "North")]


def test_card_filter_by_theme_region_and_modality() -> None:
    north = card("Literacy", "North", "in_person")
    virtual = card("Literacy", "", "virtual")
    assert state.CardFilter().matches(north) and state.CardFilter().matches(virtual)
    assert state.CardFilter(theme="Literacy").matches(north)
    assert not state.CardFilter(theme="Absenteeism").matches(north)
    assert state.CardFilter(region="North").matches(north)
    assert not state.CardFilter(region="North").matches(virtual)
    assert state.CardFilter(region=state.NO_REGION).matches(virtual)
    assert not state.CardFilter(region=state.NO_REGION).matches(north)
    assert not state.CardFilter(region="North", modality="virtual").matches(north)
    assert state.CardFilter(modality="virtual").matches(virtual)


def test_file_names_follow_the_network_name_and_day() -> None:
    day = dt.date(2026, 11, 23)
    name = "Lakes & Prairie Leadership Network"
    assert (
        state.report_filename(name, day, "pdf")
        == "lakes-prairie-leadership-network-report-2026-11-23.pdf"
    )
    assert (
        state.bundle_filename(name, day) == "lakes-prairie-leadership-network-data-2026-11-23.zip"
    )
    assert state.report_filename("!!!", day, "html") == "network-report-2026-11-23.html"


def test_settings_warnings_name_what_the_report_will_show() -> None:
    assert state.settings_warnings(10, 10, False) == ""
    assert state.settings_warnings(12, 10, False) == ""
    low = state.settings_warnings(5, 10, False)
    assert "(5) is below the network's privacy minimum of 10" in low
    assert "names" not in low
    both = state.settings_warnings(5, 10, True)
    assert both.startswith(low) and "Participant names will be printed" in both
    assert state.settings_warnings(10, 10, True).startswith("Participant names")
