"""Tests for ilc_widgets.tables: tidy frames, the data dictionary and exports read back."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from ilc_widgets.efficacy import WAVES
from ilc_widgets.export import DATA_DICTIONARY, export_tables, research_tables
from ilc_widgets.stats import STATUSES
from ilc_widgets.tables import PORTABLE_TYPES, SCHEMA, read_export, tidy
from ilc_widgets.vocab import CADENCES, EVIDENCE_TYPES, INDICATOR_KINDS, MODALITIES, ROLES


def _rows(path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _dictionary(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "data_dictionary.csv", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------------- export round trip


def test_export_reads_back_with_the_frames_dtypes_and_values(demo_network, tmp_path):
    net = demo_network
    export_tables(net, tmp_path / "out")
    back = read_export(tmp_path / "out")
    tables = net.tables()
    assert set(tables) <= set(back)
    for name, frame in tables.items():
        assert back[name].dtypes.to_dict() == frame.dtypes.to_dict(), name
        pd.testing.assert_frame_equal(back[name], frame, obj=name, check_exact=True)
    for name, frame in research_tables(net).items():  # the derived tables too
        pd.testing.assert_frame_equal(back[name], frame, obj=name, check_exact=True)


def test_text_that_looks_like_a_formula_or_a_missing_value_reads_back(network, tmp_path):
    network.create_collective("att-1", "Attendance")
    network.add_participant(
        name="=HYPERLINK(1)",
        email="x@north.example",
        role="principal",
        district="NA",
        focus='two\nlines, "quoted", é',
    )
    network.add_evidence(
        "att-1",
        date="2026-10-01",
        evidence_type="perceptions",
        value=2 / 3,
        unit="%",
        description="null",
        source="-5",
    )
    export_tables(network, tmp_path / "out", xlsx=True)
    back = read_export(tmp_path / "out")
    for name, frame in network.tables().items():
        pd.testing.assert_frame_equal(back[name], frame, obj=name, check_exact=True)
    person = back["participants"].iloc[0]
    assert person["name"] == "=HYPERLINK(1)" and person["district"] == "NA"
    assert person["focus"] == 'two\nlines, "quoted", é'
    entry = back["evidence"].iloc[0]
    assert entry["value"] == network.evidence["value"].iloc[0] and entry["source"] == "-5"
    assert pd.isna(entry["n"]) and entry["description"] == "null"


def test_empty_network_has_the_schemas_dtypes_and_reads_back(network, tmp_path):
    tables = research_tables(network)
    for name, frame in tables.items():
        assert frame.empty, name
        for column in frame.columns:
            spec = SCHEMA[name][column]
            assert frame[column].dtype == spec.dtype, (name, column)
    export_tables(network, tmp_path / "out")
    back = read_export(tmp_path / "out")
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(back[name], frame, obj=name, check_exact=True)


# ---------------------------------------------------------------------- tidy frames


def test_calendar_dates_are_datetimes_that_dt_and_resample_accept(demo_sqlite):
    net = demo_sqlite
    evidence = net.evidence
    assert evidence["date"].dtype == "datetime64[ns]"
    assert evidence["date"].dt.year.min() >= 2025
    monthly = evidence.set_index("date").resample("MS")["value"].count()
    assert monthly.sum() == len(evidence) - evidence["value"].isna().sum()
    assert len(monthly) >= 3
    assert net.reflections["meeting_date"].dtype == "datetime64[ns]"
    assert net.reflections["meeting_date"].dt.month.notna().all()
    assert net.indicators["target_date"].dtype == "datetime64[ns]"
    for name in ("created_at",):
        assert str(evidence[name].dtype) == "datetime64[ns, UTC]"
    assert str(net.audit_log["at"].dtype) == "datetime64[ns, UTC]"


def test_missing_text_is_na_never_an_empty_string(demo_sqlite):
    net = demo_sqlite
    people = net.participants
    assert people["collective"].isna().sum() == 7  # the demo's unplaced participants
    assert people["second_theme"].isna().any()
    context = net.evidence["indicator"].isna()
    assert context.any() and not context.all()
    for name, frame in net.tables().items():
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.StringDtype):
                assert not frame[column].eq("").any(), (name, column)


def test_categoricals_follow_the_vocabularies_order(demo_sqlite):
    net = demo_sqlite
    people = net.participants
    assert list(people["role"].cat.categories) == list(ROLES)
    assert list(people["modality"].cat.categories) == list(MODALITIES)
    assert list(net.evidence["evidence_type"].cat.categories) == list(EVIDENCE_TYPES)
    assert list(net.indicators["kind"].cat.categories) == list(INDICATOR_KINDS)
    assert list(net.indicators["cadence"].cat.categories) == list(CADENCES)
    assert list(net.survey_responses["wave"].cat.categories) == list(WAVES)
    status = research_tables(net)["indicator_status"]["status"]
    assert list(status.cat.categories) == list(STATUSES)
    # counts come out in the vocabulary's order, with the empty levels too
    counts = net.evidence["evidence_type"].value_counts(sort=False)
    assert list(counts.index) == list(EVIDENCE_TYPES)


def test_values_outside_a_vocabulary_are_kept_after_its_levels():
    frame = pd.DataFrame({"cadence": ["weekly", "fortnightly", "", None, "annually"]})
    tidied = tidy("indicators", frame)
    assert list(tidied["cadence"].cat.categories) == [*CADENCES, "fortnightly"]
    assert tidied["cadence"].tolist()[:2] == ["weekly", "fortnightly"]
    assert tidied["cadence"].isna().tolist() == [False, False, True, True, False]
    pd.testing.assert_frame_equal(tidy("indicators", tidied), tidied)


def test_tidy_accepts_time_zone_aware_and_naive_times_alike():
    naive = pd.DataFrame({"at": [dt.datetime(2026, 9, 1, 12, 30)], "detail": [{"a": 1}]})
    aware = pd.DataFrame(
        {
            "at": [dt.datetime(2026, 9, 1, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))],
            "detail": [{"a": 1}],
        }
    )
    pd.testing.assert_frame_equal(tidy("audit_log", naive), tidy("audit_log", aware))
    assert tidy("audit_log", naive)["at"].iloc[0] == pd.Timestamp("2026-09-01 12:30", tz="UTC")
    with pytest.raises(KeyError, match="no table"):
        tidy("no_such_table", naive)


def test_internal_frames_keep_what_the_widgets_expect(demo_sqlite):
    net = demo_sqlite
    frame = net.evidence_frame()
    assert isinstance(frame["date"].iloc[0], dt.date)
    assert frame["indicator"].eq("").any()
    assert net.participants_frame()["collective"].eq("").sum() == 7


# ---------------------------------------------------------------------- deleted evidence


def test_deleted_evidence_agrees_between_frames_and_export(demo_sqlite, tmp_path):
    net = demo_sqlite
    before = len(net.evidence)
    entry = int(net.evidence["id"].iloc[0])
    net.delete_evidence(entry, actor="tester")

    current = net.evidence
    assert len(current) == before - 1 and entry not in set(current["id"])
    assert not {"deleted", "deleted_at"} & set(current.columns)

    every = net.tables()["evidence"]
    assert len(every) == before
    assert every.loc[every["deleted"], "id"].tolist() == [entry]
    assert every.loc[every["deleted"], "deleted_at"].notna().all()
    assert every.loc[~every["deleted"], "deleted_at"].isna().all()

    export_tables(net, tmp_path / "all")
    rows = _rows(tmp_path / "all" / "evidence.csv")
    assert len(rows) == before
    assert [r["id"] for r in rows if r["deleted"] == "TRUE"] == [str(entry)]
    pd.testing.assert_frame_equal(read_export(tmp_path / "all")["evidence"], every)
    notes = _dictionary(tmp_path / "all").query("table == '(notes)'")
    assert "deleted ones included" in notes["description"].item()

    export_tables(net, tmp_path / "current", include_deleted=False)
    assert len(_rows(tmp_path / "current" / "evidence.csv")) == before - 1
    pd.testing.assert_frame_equal(read_export(tmp_path / "current")["evidence"], current)
    notes = _dictionary(tmp_path / "current").query("table == '(notes)'")
    assert "current entries only" in notes["description"].item()
    pd.testing.assert_frame_equal(net.tables(include_deleted=False)["evidence"], current)


# ---------------------------------------------------------------------- data dictionary


def test_dictionary_gives_portable_types_and_dtypes(demo_sqlite, tmp_path):
    export_tables(demo_sqlite, tmp_path / "out")
    dictionary = _dictionary(tmp_path / "out")
    assert list(dictionary.columns) == ["table", "column", "type", "dtype", "description"]
    columns = dictionary[~dictionary["table"].str.startswith("(")]
    portable = set(PORTABLE_TYPES.values())
    for row in columns.itertuples(index=False):
        assert row.type in portable or row.type.startswith("category, levels in order: ["), row
        assert row.description, row
    by_column = columns.set_index(["table", "column"])
    assert by_column.loc[("evidence", "date"), "type"] == "date (YYYY-MM-DD)"
    assert by_column.loc[("evidence", "date"), "dtype"] == "datetime64[ns]"
    assert by_column.loc[("evidence", "created_at"), "type"] == "datetime (UTC, ISO 8601)"
    assert by_column.loc[("evidence", "n"), "dtype"] == "Int64"
    assert by_column.loc[("collectives", "locked"), "type"] == "boolean (TRUE/FALSE)"
    for json_column in (("reflections", "adjust_areas"), ("audit_log", "detail")):
        assert by_column.loc[json_column, "type"] == "json (JSON text)"
    role = by_column.loc[("participants", "role"), "type"]
    assert role == 'category, levels in order: ["' + '", "'.join(ROLES) + '"]'


def test_csv_cells_are_readable_by_any_tool(demo_sqlite, tmp_path):
    export_tables(demo_sqlite, tmp_path / "out")
    out = tmp_path / "out"
    assert {r["locked"] for r in _rows(out / "collectives.csv")} <= {"TRUE", "FALSE"}
    assert {r["deleted"] for r in _rows(out / "evidence.csv")} == {"FALSE"}
    evidence = _rows(out / "evidence.csv")
    assert all(len(r["date"]) == 10 and r["date"][4] == "-" for r in evidence)
    assert all(r["created_at"].endswith("Z") and "T" in r["created_at"] for r in evidence)
    assert dt.datetime.fromisoformat(evidence[0]["created_at"].replace("Z", "+00:00")).tzinfo
    reflections = _rows(out / "reflections.csv")
    assert all(r["adjust_areas"].startswith("[") for r in reflections)
    assert all(r["detail"].startswith("{") for r in _rows(out / "audit_log.csv"))


def test_the_export_keeps_the_dictionary_descriptions():
    for table, columns in SCHEMA.items():
        assert DATA_DICTIONARY[table] == {c: spec.description for c, spec in columns.items()}
    assert DATA_DICTIONARY["evidence"]["deleted"].startswith("True for deleted entries")
