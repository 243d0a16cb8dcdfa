"""The export guard: formula-like text reaches CSV and XLSX files as text, numbers as numbers."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from ilc_widgets.cli import main
from ilc_widgets.spreadsheet import (
    GUARD_NOTE,
    csv_bytes,
    guard,
    guard_frame,
    read_csv,
    unguard,
    write_csv,
    write_xlsx,
    xlsx_bytes,
)

FORMULAS = [
    '=HYPERLINK("http://x","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tx",
    "\rx",
]
PLAIN = ["plain text", "'quoted' words", "'", "a=b", "x-1", "", "#N/A"]
FORMULA_TAG = re.compile(r"<f[\s>/]")


def _frame() -> pd.DataFrame:
    n = len(FORMULAS) + len(PLAIN) + 2
    return pd.DataFrame(
        {
            "text": [*FORMULAS, *PLAIN, None, float("nan")],
            "count": [i - 5 for i in range(n)],  # negative ints included
            "score": [(i - 5) / 2 if i != 3 else float("nan") for i in range(n)],
        }
    )


def _sheet_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        }


# ---------------------------------------------------------------------- the rule


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_gets_one_apostrophe_and_comes_back(text):
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", ["plain text", "'quoted' words", "'", "a=b", "", "#N/A"])
def test_other_text_is_left_alone(text):
    assert guard(text) == text
    assert unguard(text) == text


@pytest.mark.parametrize("text", ["'=1+1", "''-3", "'@x"])
def test_text_that_already_looks_guarded_gets_another_apostrophe(text):
    # otherwise reading it back would remove an apostrophe the author typed
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, None, True])
def test_numbers_and_missing_values_are_not_guarded(value):
    assert guard(value) is value


def test_guard_frame_guards_text_and_column_names_and_leaves_the_input_alone():
    frame = pd.DataFrame({"=a": ["=1", "x"], "n": [-1, 2]})
    frame["cat"] = pd.Categorical(["-x", "y"])
    guarded = guard_frame(frame)
    assert list(guarded.columns) == ["'=a", "n", "cat"]
    assert guarded["'=a"].tolist() == ["'=1", "x"]
    assert guarded["cat"].tolist() == ["'-x", "y"]
    assert guarded["n"].tolist() == [-1, 2] and guarded["n"].dtype.kind == "i"
    assert frame["=a"].tolist() == ["=1", "x"]


# ---------------------------------------------------------------------- CSV


def test_csv_holds_the_apostrophe_and_read_csv_gives_the_original_back(tmp_path):
    frame = _frame()
    path = tmp_path / "t.csv"
    write_csv(frame, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["text", "count", "score"]
    cells = [row[0] for row in rows[1:]]
    assert cells[: len(FORMULAS)] == ["'" + t for t in FORMULAS]
    assert cells[len(FORMULAS) : len(FORMULAS) + len(PLAIN)] == PLAIN
    assert cells[-2:] == ["", ""]
    # numbers are written as numbers, negative ones without an apostrophe
    assert [row[1] for row in rows[1:4]] == ["-5", "-4", "-3"]
    assert rows[1][2] == "-2.5" and rows[4][2] == ""

    back = read_csv(path, keep_default_na=False)
    assert back["text"].tolist()[: len(FORMULAS) + len(PLAIN)] == FORMULAS + PLAIN
    assert back["count"].dtype.kind == "i" and back["count"].tolist() == frame["count"].tolist()
    again = read_csv(path)
    assert again["score"].dtype.kind == "f"
    assert math.isnan(again["score"][3]) and again["score"][0] == -2.5
    assert again["text"].isna().tolist()[-2:] == [True, True]


def test_plain_pandas_sees_the_apostrophe_the_dictionary_describes(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(_frame(), path)
    raw = pd.read_csv(path, keep_default_na=False)
    assert raw["text"][0] == "'" + FORMULAS[0]
    stripped = raw["text"].map(unguard)
    assert stripped.tolist()[: len(FORMULAS)] == FORMULAS
    assert "read_csv" in GUARD_NOTE and "apostrophe" in GUARD_NOTE


def test_csv_bytes_for_downloads_have_a_bom_and_read_back(tmp_path):
    data = csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbftext,count,score\r\n")
    assert b"'=HYPERLINK" in data and b"\n=" not in data and b"\n+" not in data
    back = read_csv(io.BytesIO(data), keep_default_na=False)
    assert back["text"].tolist()[: len(FORMULAS)] == FORMULAS
    assert list(back.columns) == ["text", "count", "score"]


def test_guarded_column_names_read_back():
    data = csv_bytes(pd.DataFrame({"=a": [1], "b": ["-b"]}))
    assert data.decode("utf-8-sig").splitlines()[0] == "'=a,b"
    back = read_csv(io.BytesIO(data))
    assert list(back.columns) == ["=a", "b"] and back["b"][0] == "-b"


# ---------------------------------------------------------------------- XLSX


def test_xlsx_text_is_a_string_cell_never_a_formula():
    frame = _frame()
    data = xlsx_bytes({"data": frame})
    for name, xml in _sheet_xml(data).items():
        assert not FORMULA_TAG.search(xml), name
    sheet = load_workbook(io.BytesIO(data))["data"]
    rows = list(sheet.iter_rows(min_row=2))
    for text, row in zip(FORMULAS + PLAIN, rows, strict=False):
        cell = row[0]
        if text == "":
            assert cell.value is None  # an empty text cell reads back as empty
            continue
        assert cell.data_type == "s", text
        # XML turns a carriage return into a line feed; the writer does it first, so a
        # cell holds exactly what was written
        assert cell.value == text.replace("\r", "\n"), text
    assert rows[-1][0].value is None and rows[-2][0].value is None
    for row, count, score in zip(rows, frame["count"], frame["score"], strict=True):
        assert row[1].data_type == "n" and row[1].value == count
        if math.isnan(score):
            assert row[2].value is None
        else:
            assert row[2].data_type == "n" and row[2].value == score
    assert sheet["A1"].value == "text" and sheet["A1"].font.b and sheet.freeze_panes == "A2"


def test_xlsx_strips_characters_a_worksheet_cannot_hold_and_keeps_dates(tmp_path):
    frame = pd.DataFrame(
        {
            "name": ["a\x01b=", "=c\x0b"],
            "when": pd.to_datetime(["2025-01-02 03:04", "2025-02-03 00:00"]).tz_localize("UTC"),
            "day": [pd.Timestamp("2025-01-02").date(), None],
            "tags": [["x", "y"], {"k": 1}],
        }
    )
    path = tmp_path / "t.xlsx"
    write_xlsx({"a/b:c" + "x" * 40: frame, "second": frame.head(0)}, path)
    book = load_workbook(path)
    first, second = book.worksheets
    assert len(first.title) == 31 and "/" not in first.title and ":" not in first.title
    assert second.title == "second" and second.max_row == 1
    assert [first.cell(r, 1).value for r in (2, 3)] == ["ab=", "=c"]
    assert first.cell(3, 1).data_type == "s"
    assert first.cell(2, 2).value == pd.Timestamp("2025-01-02 03:04").to_pydatetime()
    assert first.cell(2, 3).value.date() == pd.Timestamp("2025-01-02").date()
    assert first.cell(3, 3).value is None
    assert first.cell(2, 4).value == '["x", "y"]'


# ---------------------------------------------------------------------- ilc export


def test_ilc_export_writes_formula_like_names_and_evidence_as_text(
    demo_sqlite, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    net = demo_sqlite
    name = '=HYPERLINK("http://x","click")'
    pid = net.add_participant(
        name=name, email="formula@example.org", role="teacher_leader", district="=cmd|' /C calc'!A0"
    )
    net.add_evidence(
        "literacy-1",
        date="2025-01-15",
        evidence_type="perceptions",
        description="=1+1",
        source="@SUM(A1)",
        value=-3.5,
        unit="%",
    )
    out = tmp_path / "out"
    code = main(["--database", str(tmp_path / "demo.sqlite"), "export", str(out), "--xlsx"])
    assert code == 0, capsys.readouterr().err

    xml = _sheet_xml((out / "network.xlsx").read_bytes())
    assert len(xml) > 5
    for sheet_name, text in xml.items():
        assert not FORMULA_TAG.search(text), sheet_name

    with (out / "participants.csv").open(newline="", encoding="utf-8") as handle:
        people = list(csv.DictReader(handle))
    (row,) = [r for r in people if r["participant_id"] == pid]
    assert row["name"] == "'" + name
    assert row["district"] == "'=cmd|' /C calc'!A0"
    with (out / "evidence.csv").open(newline="", encoding="utf-8") as handle:
        entries = [r for r in csv.DictReader(handle) if r["description"] == "'=1+1"]
    assert len(entries) == 1
    assert entries[0]["source"] == "'@SUM(A1)" and float(entries[0]["value"]) == -3.5
    assert not entries[0]["value"].startswith("'")
    for path in out.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            for record in csv.reader(handle):
                assert not any(cell[:1] in "=+@" and cell for cell in record), path.name

    # a researcher gets the original text back, with numbers as numbers
    people_back = read_csv(out / "participants.csv", keep_default_na=False)
    assert people_back.loc[people_back["participant_id"] == pid, "name"].item() == name
    evidence_back = read_csv(out / "evidence.csv")
    hit = evidence_back[evidence_back["description"] == "=1+1"]
    assert hit["value"].tolist() == [-3.5] and evidence_back["value"].dtype.kind == "f"

    book = load_workbook(out / "network.xlsx")
    cells = [c for r in book["participants"].iter_rows() for c in r if c.value == name]
    assert len(cells) == 1 and cells[0].data_type == "s"
    cells = [c for r in book["evidence"].iter_rows() for c in r if c.value == "=1+1"]
    assert len(cells) == 1 and cells[0].data_type == "s"

    dictionary = pd.read_csv(out / "data_dictionary.csv", keep_default_na=False)
    assert GUARD_NOTE in dictionary["description"].tolist()
    assert (book["data_dictionary"].max_row) == len(dictionary) + 1


def test_existing_export_readers_still_work(tmp_path):
    """Plain pandas reads an export of ordinary text exactly as before the guard."""
    frame = pd.DataFrame({"a": ["x", "y z"], "b": [1.5, -2.0], "c": [True, False]})
    path = Path(tmp_path / "plain.csv")
    write_csv(frame, path)
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert back["b"].dtype.kind == "f" and back["c"].dtype == bool
