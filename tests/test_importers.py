"""Importers: reading CSV/XLSX files, validating rows, mapping foreign headers."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ilc_widgets.errors import ImportValidationError
from ilc_widgets.importers import (
    EVIDENCE_COLUMNS,
    PARTICIPANT_COLUMNS,
    load_evidence,
    load_participants,
    read_table,
    suggest_column_map,
    to_records,
    validate_evidence_record,
    validate_participant_record,
)

TODAY = date(2026, 10, 1)
TEMPLATES = Path(__file__).resolve().parent.parent / "data_templates"

ROSTER = [
    ["participant_id", "name", "email", "role", "organization", "district", "region", "modality",
     "focus", "theme", "second_theme"],
    ["p1", "Maria Lopez", "maria@oak.example", "Assistant Principal", "Oak MS", "Oak USD", "North",
     "In person", "Ninth-grade D/F rates", "", ""],
    ["p2", "Jo Kim", "jo@elm.example", "instructional coach", "Elm ES", "Elm SD", "South",
     "virtual", "Structured literacy in K-2", "", ""],
    ["p3", "Ana Ruiz", "ana@oak.example", "Principal", "Oak HS", "Oak USD", "North", "",
     "Chronic absenteeism", "", ""],
]  # fmt: skip


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def problems_of(excinfo: pytest.ExceptionInfo[ImportValidationError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def one_problem(excinfo: pytest.ExceptionInfo[ImportValidationError]) -> str:
    texts = problems_of(excinfo)
    assert len(texts) == 1, texts
    return texts[0]


# --------------------------------------------------------------------------- read_table


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"], ids=["comma", "semicolon", "tab"])
def test_csv_encodings_and_delimiters(tmp_path: Path, bom: bool, delimiter: str) -> None:
    path = write_csv(tmp_path / "roster.csv", ROSTER, delimiter=delimiter, bom=bom)
    table = read_table(path)
    assert list(table.columns) == ROSTER[0]
    assert table.loc[2, "name"] == "Maria Lopez"
    assert table.attrs["delimiter"] == delimiter
    assert table.attrs["decimal"] == ("," if delimiter == ";" else ".")
    df = load_participants(path)
    assert list(df["participant_id"]) == ["p1", "p2", "p3"]
    assert list(df.columns) == list(PARTICIPANT_COLUMNS)


def test_quoted_cells_keep_delimiters_and_line_breaks(tmp_path: Path) -> None:
    rows = [["name", "focus"], ["A", "one, two; three"], ["B", "line 1\nline 2"], ["C", "x"]]
    table = read_table(write_csv(tmp_path / "q.csv", rows))
    assert table.loc[2, "focus"] == "one, two; three"
    assert table.loc[3, "focus"] == "line 1\nline 2"
    assert table.loc[4, "name"] == "C"  # a multi-line cell is still one spreadsheet row


def test_row_numbers_match_the_spreadsheet_and_blank_rows_are_dropped() -> None:
    data = b"name,email\n\nA,a@x.org\n,\n ; \nB,b@x.org\n\n"
    table = read_table(data, "gaps.csv")
    assert list(table.index) == [3, 5, 6]  # row 5 holds " ; ": not blank
    table = read_table(b"name,email\n\nA,a@x.org\n,\nB,b@x.org\n", "gaps.csv")
    assert list(table.index) == [3, 5]
    assert table.index.name == "row"


def test_sources_bytes_stream_and_path(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", ROSTER)
    data = path.read_bytes()
    assert read_table(data).attrs["file"] == "uploaded file"
    assert read_table(data, "upload.csv").attrs["file"] == "upload.csv"
    with path.open("rb") as fh:
        assert read_table(fh).attrs["file"] == "r.csv"
    assert read_table(io.BytesIO(data), "x.csv").shape == (3, 11)
    assert read_table(memoryview(data), "upload.csv").shape == (3, 11)  # ipywidgets FileUpload


def test_blank_columns_are_dropped_and_unnamed_data_columns_kept(tmp_path: Path) -> None:
    data = b"name,,email,,\nA,,a@x.org,,\nB,,b@x.org,note,\n"
    table = read_table(data, "t.csv")
    assert list(table.columns) == ["name", "email", "(column D, no header)"]
    df = load_participants(b"name,email,role,district,\nA,a@x.org,principal,D1,stray\n", "t.csv")
    assert df.attrs["ignored_columns"] == ["(column E, no header)"]


def test_xlsx_first_sheet_dates_numbers_and_percent(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Log"
    sheet.append(["Collective", "Date", "Evidence type", "Value", "Unit", "n", "Description"])
    sheet.append(["c1", datetime(2026, 3, 4), "Perceptions", 0.125, None, 30, "survey"])
    sheet["D2"].number_format = "0.0%"
    sheet.append([])
    sheet.append(["c1", date(2026, 3, 5), "demographic", 12, "students", 30.0, None])
    sheet.append(["c1", datetime(2026, 3, 6, 10, 30), "school processes", 3.25, "pts", 4, ""])
    other = book.create_sheet("Other")
    other.append(["a"])
    other.append(["b"])
    path = tmp_path / "log.xlsx"
    book.save(path)

    table = read_table(path)
    assert table.attrs["format"] == "xlsx"
    assert list(table.index) == [2, 4, 5]
    assert table.loc[2, "Date"] == "2026-03-04"
    assert table.loc[4, "Date"] == "2026-03-05"
    assert table.loc[2, "Value"] == "12.5%"
    assert table.loc[4, "n"] == "30"
    assert table.loc[5, "Value"] == "3.25"
    assert read_table(path, sheet="Other").loc[2, "a"] == "b"
    assert read_table(path, sheet=1).loc[2, "a"] == "b"

    df = load_evidence(path, today=TODAY)
    assert list(df["date"].dt.date) == [date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6)]
    assert list(df["value"]) == [12.5, 12.0, 3.25]
    assert list(df["unit"]) == ["%", "students", "pts"]
    assert list(df["evidence_type"]) == ["perceptions", "demographic", "school_processes"]

    with pytest.raises(ImportValidationError) as excinfo:
        read_table(path, sheet="Nope")
    assert "no sheet 'Nope' (sheets: Log, Other)" in one_problem(excinfo)


def test_xlsx_participants_end_to_end(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "roster.xlsx", [list(r) for r in ROSTER])
    df = load_participants(path)
    assert list(df["role"]) == ["assistant_principal", "instructional_coach", "principal"]
    bad = [list(r) for r in ROSTER]
    bad[2][3] = "Janitor"
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(write_xlsx(tmp_path / "bad.xlsx", bad))
    text = one_problem(excinfo)
    assert "bad.xlsx, row 3, column 'role'" in text
    assert "'Janitor' is not a role" in text


def test_empty_file(tmp_path: Path) -> None:
    for data in (b"", b"\r\n  \n", b"\xef\xbb\xbf"):
        with pytest.raises(ImportValidationError) as excinfo:
            read_table(data, "empty.csv")
        assert one_problem(excinfo) == "empty.csv: the file is empty"
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ImportValidationError, match=r"empty\.csv: the file is empty"):
        load_participants(tmp_path / "empty.csv")


def test_header_only_is_refused_with_no_rows(tmp_path: Path) -> None:
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(b"name,email,role,district\n\n,,,\n", "header.csv")
    assert one_problem(excinfo) == "header.csv: the file has a header row but no data rows"
    path = write_xlsx(tmp_path / "header.xlsx", [["name", "email"]])
    with pytest.raises(ImportValidationError, match=r"header\.xlsx: .*no data rows"):
        read_table(path)


def test_wrong_encoding_latin1_names_row_column_and_fix(tmp_path: Path) -> None:
    text = "name,email,role,district\nAna,a@x.org,principal,D1\nJosé,j@x.org,principal,Peñasco\n"
    path = tmp_path / "ansi.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(path)
    texts = problems_of(excinfo)
    assert len(texts) == 2
    assert texts[0].startswith("ansi.csv, row 3, column 'name': text is not UTF-8 (byte 0xE9")
    assert "'José'" in texts[0]
    assert "save the file as 'CSV UTF-8'" in texts[0]
    assert texts[1].startswith("ansi.csv, row 3, column 'district'")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_wrong_encoding_utf16(encoding: str) -> None:
    data = "name,email\nAna,a@x.org\n".encode(encoding)
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(data, "unicode.csv")
    text = one_problem(excinfo)
    assert text.startswith("unicode.csv: ")
    assert "UTF-16" in text
    assert "CSV UTF-8" in text


def test_file_larger_than_the_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", ROSTER)
    size = path.stat().st_size
    for source in (path, path.read_bytes(), io.BytesIO(path.read_bytes())):
        with pytest.raises(ImportValidationError) as excinfo:
            read_table(source, "big.csv", max_bytes=size - 1)
        assert one_problem(excinfo).startswith("big.csv: the file ")
        assert "accepted" in one_problem(excinfo)
    assert len(read_table(path, max_bytes=size)) == 3


def test_unreadable_xlsx(tmp_path: Path) -> None:
    cases = {
        "damaged.xlsx": b"PK\x03\x04 this is not really a zip archive",
        "text.xlsx": b"name,email\nA,a@x.org\n",
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    }
    expected = {
        "damaged.xlsx": "damaged and cannot be read",
        "text.xlsx": "not a valid XLSX workbook",
        "old.xls": "old-style .xls workbook",
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ImportValidationError) as excinfo:
            read_table(tmp_path / name)
        text = one_problem(excinfo)
        assert text.startswith(f"{name}: ")
        assert expected[name] in text


def test_duplicate_headers() -> None:
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(b"name,Email,role,email\nA,a@x.org,principal,b@x.org\n", "dup.csv")
    text = one_problem(excinfo)
    assert text.startswith("dup.csv, row 1, column 'email': ")
    assert "columns B and D" in text


def test_ragged_rows_are_named_and_blank_extra_cells_tolerated() -> None:
    data = b"name,email,role\nA,a@x.org,principal\nB,b@x.org,principal,oops\nC,c@x.org,coach,,\n"
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(data, "ragged.csv")
    text = one_problem(excinfo)
    assert text.startswith("ragged.csv, row 3: this row has 4 cells but the header has 3")
    table = read_table(b"name,email\nA,a@x.org,,\nB,b@x.org\n", "ok.csv")
    assert list(table["email"]) == ["a@x.org", "b@x.org"]


def test_unclosed_quote() -> None:
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(b'name,focus\nA,fine\nB,"never closed\nC,x\n', "quote.csv")
    assert one_problem(excinfo).startswith("quote.csv, row 3: cannot read this row")


# --------------------------------------------------------------------------- participants


def test_labels_are_normalized_and_text_cleaned() -> None:
    data = (
        b"Participant ID,Name,E-mail ,Role,District,Modality,Region,Organization\n"
        b",  Maria   Lopez ,  Maria@Oak.Example ,Assistant Principal,Oak USD,In person,North,\n"
        b",Jo Kim,jo@elm.example,AP,oak  usd,Hybrid,,\n"
        b"x-9,Ana Ruiz,ana@oak.example,instructional-coach,Oak USD,online,,Oak HS\n"
        b",Li Wu,li@oak.example,Superintendent,OAK USD,,,\n"
    )
    df = load_participants(data, "labels.csv", column_map={"E-mail ": "email"})
    assert list(df["role"]) == [
        "assistant_principal",
        "assistant_principal",
        "instructional_coach",
        "superintendent",
    ]
    assert list(df["modality"]) == ["in_person", "either", "virtual", "either"]
    assert df.loc[2, "name"] == "Maria Lopez"
    assert df.loc[2, "email"] == "maria@oak.example"
    assert set(df["district"]) == {"Oak USD"}  # most common spelling wins
    assert df.loc[4, "participant_id"] == "x-9"
    assert df.attrs["ignored_columns"] == []
    assert df.dtypes.map(str).eq("str").all()


def test_generated_ids_are_stable_and_unique() -> None:
    data = b"name,email,role,district\nA,a@x.org,principal,D\nB,b@x.org,principal,D\n"
    first = load_participants(data, "a.csv")
    again = load_participants(data.replace(b"a@x.org", b"A@X.ORG"), "b.csv")
    assert list(first["participant_id"]) == list(again["participant_id"])
    assert all(pid.startswith("p_") and len(pid) == 10 for pid in first["participant_id"])
    assert first["participant_id"].is_unique
    assert first.attrs["generated_ids"] == 2
    # an id already used elsewhere in the network is not generated again
    taken = str(first.loc[2, "participant_id"])
    other = load_participants(data, "c.csv", existing_ids=[taken])
    assert other.loc[2, "participant_id"] != taken
    assert str(other.loc[2, "participant_id"]).startswith(taken)


def test_missing_required_columns_one_problem_each() -> None:
    data = b"Full name,Mail,Notes\nA,a@x.org,x\n"
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "cols.csv")
    texts = problems_of(excinfo)
    assert texts == [
        "cols.csv, column 'name': the required column 'name' is missing; the column "
        "'Full name' may be it: map it to 'name'",
        "cols.csv, column 'email': the required column 'email' is missing",
        "cols.csv, column 'role': the required column 'role' is missing",
        "cols.csv, column 'district': the required column 'district' is missing",
    ]


def test_unknown_role_and_modality() -> None:
    data = b"name,email,role,district,modality\nA,a@x.org,Teacher Leeder,D,virtual\nB,b@x.org,coach,D,teleport\n"
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "roles.csv")
    texts = problems_of(excinfo)
    assert len(texts) == 2
    assert texts[0].startswith("roles.csv, row 2, column 'role': 'Teacher Leeder' is not a role;")
    assert "did you mean 'Teacher leader'?" in texts[0]
    assert "Assistant principal" in texts[0]
    assert texts[1].startswith("roles.csv, row 3, column 'modality': 'teleport' is not a modality")


def test_invalid_and_duplicate_emails() -> None:
    data = (
        b"name,email,role,district\n"
        b"A,a@x.org,principal,D\n"
        b"B,not-an-email,principal,D\n"
        b"C,A@X.org,principal,D\n"
        b"D,d@x.org,principal,D\n"
        b"E,a@x.org,principal,D\n"
        b"F,old@x.org,principal,D\n"
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "emails.csv", existing_emails=["OLD@x.org"])
    assert problems_of(excinfo) == [
        "emails.csv, row 3, column 'email': 'not-an-email' is not a valid email address",
        "emails.csv, row 4, column 'email': the email a@x.org is already in row 2",
        "emails.csv, row 6, column 'email': the email a@x.org is already in row 2",
        "emails.csv, row 7, column 'email': old@x.org is already in the network",
    ]


def test_duplicate_and_invalid_participant_ids() -> None:
    data = (
        b"participant_id,name,email,role,district\n"
        b"p1,A,a@x.org,principal,D\n"
        b"p1,B,b@x.org,principal,D\n"
        b"p 3,C,c@x.org,principal,D\n"
        b"p9,D,d@x.org,principal,D\n"
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "ids.csv", existing_ids={"p9"})
    texts = problems_of(excinfo)
    assert (
        texts[0] == "ids.csv, row 3, column 'participant_id': participant_id p1 is already in row 2"
    )
    assert texts[1].startswith("ids.csv, row 4, column 'participant_id': 'p 3' may contain only")
    assert (
        texts[2]
        == "ids.csv, row 5, column 'participant_id': participant_id p9 is already in the network"
    )


def test_all_problems_collected_in_one_error_and_nothing_returned() -> None:
    data = (
        b"name,email,role,district,unused\n,a@x.org,principal,D,\nB,,chief,,\nC,c@x,principal,D,\n"
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "many.csv")
    assert problems_of(excinfo) == [
        "many.csv, row 2, column 'name': name is blank",
        "many.csv, row 3, column 'email': email is blank",
        "many.csv, row 3, column 'role': 'chief' is not a role; use one of: Teacher leader, "
        "Instructional coach, Principal, Assistant principal, Central office, Superintendent, "
        "School psychologist, Other",
        "many.csv, row 3, column 'district': district is blank",
        "many.csv, row 4, column 'email': 'c@x' is not a valid email address",
    ]
    message = str(excinfo.value)
    assert message.startswith("5 problems found; nothing was imported")


def test_problem_list_is_capped_but_counted() -> None:
    rows = "".join(f"P{i},p{i}@x.org,janitor,D\n" for i in range(2000))
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(("name,email,role,district\n" + rows).encode(), "cap.csv")
    assert excinfo.value.total == 2000
    assert len(excinfo.value.problems) == 500
    assert str(excinfo.value).startswith("2000 problems found")
    assert "... and 1950 more" in str(excinfo.value)


def test_text_too_long_for_the_database() -> None:
    data = f"name,email,role,district\n{'N' * 201},a@x.org,principal,D\n".encode()
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(data, "long.csv")
    assert one_problem(excinfo) == (
        "long.csv, row 2, column 'name': is 201 characters long; at most 200 fit"
    )


def test_ignored_columns_and_warnings() -> None:
    data = b"name,email,role,district,modality,Shoe size\nA,a@x.org,principal,D,in person,42\n"
    df = load_participants(data, "w.csv")
    assert df.attrs["ignored_columns"] == ["Shoe size"]
    (warning,) = df.attrs["warnings"]
    assert warning.row == 2
    assert warning.column == "region"


SURVEY_EXPORT = [
    ["Timestamp", "Email Address", "First name", "Last name", "Your role", "School district",
     "School", "County", "Preferred format", "What is your focus for inquiry?"],
    ["9/15/2026 10:32:11", "maria@oak.example", "Maria", "Lopez", "Assistant Principal",
     "Oak USD", "Oak MS", "Lake", "In person", "Ninth-grade D/F rates come from missing work."],
    ["9/15/2026 11:02:45", "jo@elm.example", "Jo", "Kim", "Coach", "Elm SD", "Elm ES", "Hill",
     "Online", "Shifting K-2 from three-cueing to structured literacy."],
]  # fmt: skip


def test_survey_export_with_suggested_column_map(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "Form responses 1.csv", SURVEY_EXPORT)
    headers = list(read_table(path).columns)
    mapping = suggest_column_map(headers, "participants")
    assert mapping == {
        "First name": "name",
        "Last name": "name",
        "Email Address": "email",
        "Your role": "role",
        "School district": "district",
        "School": "organization",
        "County": "region",
        "Preferred format": "modality",
        "What is your focus for inquiry?": "focus",
    }
    df = load_participants(path, column_map=mapping)
    assert list(df["name"]) == ["Maria Lopez", "Jo Kim"]
    assert list(df["role"]) == ["assistant_principal", "instructional_coach"]
    assert list(df["modality"]) == ["in_person", "virtual"]
    assert df.loc[3, "focus"].startswith("Shifting K-2")
    assert df.attrs["ignored_columns"] == ["Timestamp"]


def test_first_and_last_name_join_in_map_order() -> None:
    data = b"Surname,Given name,Email,Role,District\nLopez,Maria,m@x.org,principal,D\nKim,,k@x.org,principal,D\n"
    df = load_participants(data, "n.csv", column_map={"Given name": "name", "Surname": "name"})
    assert list(df["name"]) == ["Maria Lopez", "Kim"]
    assert suggest_column_map(["Surname", "Given name"], "participants") == {
        "Given name": "name",
        "Surname": "name",
    }


def test_column_map_explicit_wins_ignores_and_reports_mistakes() -> None:
    data = b"Work email,Email,Name,Role,District,Notes\nw@x.org,home@y.org,A,principal,D,n\n"
    df = load_participants(data, "m.csv", column_map={"Work email": "email", "Notes": ""})
    assert df.loc[2, "email"] == "w@x.org"
    assert df.attrs["ignored_columns"] == ["Email", "Notes"]
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(
            data, "m.csv", column_map={"Work email": "email", "Email": "email", "Gone": "focus"}
        )
    texts = problems_of(excinfo)
    assert (
        "m.csv, column 'Gone': the column mapping names this column, but the file has none" in texts
    )
    assert (
        "m.csv, column 'email': 'Work email' and 'Email' are both mapped to 'email'; map only one"
        in texts
    )
    with pytest.raises(
        ImportValidationError, match="cannot map to 'shoe': it is not a participants"
    ):
        load_participants(data, "m.csv", column_map={"Notes": "shoe"})


def test_loaders_accept_a_table_from_read_table() -> None:
    table = read_table(
        b"NAME,EMAIL,ROLE,DISTRICT\nA,a@x.org,principal,D\n\nB,b,principal,D\n", "t.csv"
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(table)
    assert one_problem(excinfo).startswith("t.csv, row 4, column 'email'")
    plain = pd.DataFrame({"name": ["A"], "email": ["a@x.org"], "role": ["AP"], "district": ["D"]})
    assert load_participants(plain).loc[2, "role"] == "assistant_principal"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Email Address", "email"),
        ("E-mail", "email"),
        ("Full name", "name"),
        ("Your name", "name"),
        ("Position", "role"),
        ("Job title", "role"),
        ("Your role", "role"),
        ("School district", "district"),
        ("LEA", "district"),
        ("School", "organization"),
        ("Organization", "organization"),
        ("Building", "organization"),
        ("What is your focus for inquiry?", "focus"),
        ("Area of focus", "focus"),
        ("Problem of practice you want to explore", "focus"),
        ("Preferred format", "modality"),
        ("Attendance mode", "modality"),
        ("Region", "region"),
        ("County", "region"),
        ("Area", "region"),
        ("Participant ID", "participant_id"),
        ("Second choice theme", "second_theme"),
        ("Theme", "theme"),
    ],
)
def test_suggest_column_map_participants(header: str, column: str) -> None:
    assert suggest_column_map([header], "participants") == {header: column}


def test_suggest_column_map_ignores_bookkeeping_and_uses_each_column_once() -> None:
    headers = ["Timestamp", "Response ID", "Position", "Job title", "Email", "Email address"]
    assert suggest_column_map(headers, "participants") == {"Email": "email", "Position": "role"}


def test_suggest_column_map_evidence() -> None:
    headers = ["Timestamp", "Team", "Type of evidence", "Measure", "Result", "Units",
               "Number of students", "Student group", "Notes", "Data source",
               "Email Address"]  # fmt: skip
    assert suggest_column_map(headers, "evidence") == {
        "Timestamp": "date",
        "Team": "collective",
        "Type of evidence": "evidence_type",
        "Measure": "indicator",
        "Result": "value",
        "Units": "unit",
        "Number of students": "n",
        "Student group": "subgroup",
        "Notes": "description",
        "Data source": "source",
        "Email Address": "entered_by",
    }
    assert suggest_column_map(["Timestamp", "Date collected"], "evidence") == {
        "Date collected": "date"
    }


# --------------------------------------------------------------------------- evidence

EVIDENCE_HEADER = (
    "collective,date,evidence_type,indicator,value,unit,n,subgroup,description,source,entered_by\n"
)


def evidence(*rows: str) -> bytes:
    return (EVIDENCE_HEADER + "".join(r + "\n" for r in rows)).encode()


def test_evidence_happy_path_and_dtypes() -> None:
    data = evidence(
        "c1,2026-09-15,Perceptions,Belonging survey,72.5,%,120,Grade 9,Fall survey,Panorama,"
        "jo@x.org",
        "c1,2026-09-20,student learning,,,,,,Exit tickets show confusion about slope,,",
        "c2,2026-09-21,School processes,Walkthroughs,14,walkthroughs,,,,Form,",
    )
    df = load_evidence(data, "log.csv", today=TODAY)
    assert list(df.columns) == list(EVIDENCE_COLUMNS)
    assert str(df["date"].dtype).startswith("datetime64")
    assert df["value"].dtype == "float64"
    assert str(df["n"].dtype) == "Int64"
    assert list(df["evidence_type"]) == ["perceptions", "student_learning", "school_processes"]
    assert df.loc[2, "value"] == 72.5
    assert df.loc[2, "n"] == 120
    assert pd.isna(df.loc[3, "value"])
    assert df.loc[3, "n"] is pd.NA
    records = to_records(df)
    assert records[0]["date"] == date(2026, 9, 15)
    assert records[0]["n"] == 120
    assert records[1]["value"] is None
    assert records[1]["n"] is None
    assert isinstance(records[2]["value"], float)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-15", date(2026, 9, 15)),
        ("2026/9/5", date(2026, 9, 5)),
        ("2026-09-15 14:30:00", date(2026, 9, 15)),
        ("2026-09-15T14:30", date(2026, 9, 15)),
        ('"Sep 15, 2026"', date(2026, 9, 15)),
        ("September 15 2026", date(2026, 9, 15)),
        ("15 Sep 2026", date(2026, 9, 15)),
        ("15 September 2026", date(2026, 9, 15)),
        ("15-Sep-2026", date(2026, 9, 15)),
        ("15/09/2026", date(2026, 9, 15)),
        ("9/15/2026", date(2026, 9, 15)),
        ("9/15/2026 10:32:11", date(2026, 9, 15)),
        ("15.09.2026", date(2026, 9, 15)),
        ("05/05/2026", date(2026, 5, 5)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_accepted_dates(text: str, expected: date) -> None:
    df = load_evidence(evidence(f"c1,{text},perceptions,,1,%,,,,,"), "d.csv", today=TODAY)
    assert df.loc[2, "date"].date() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13/13/2026", "'13/13/2026' is not a date"),
        ("2026-02-30", "'2026-02-30' is not a date: February 2026 has 28 days"),
        ("2026-13-01", "'2026-13-01' is not a date: there is no month 13"),
        ("03/04/2026", "'03/04/2026' is ambiguous (3 April or March 4?)"),
        ("15/09/26", "'15/09/26' has a two-digit year"),
        ("46280", "looks like an Excel date number"),
        ("next Tuesday", "'next Tuesday' is not a date; write it as YYYY-MM-DD"),
        ("2026-10-02", "2026-10-02 is in the future (today is 2026-10-01)"),
        ("1026-10-02", "1026-10-02 is before 1900"),
    ],
)
def test_rejected_dates(text: str, message: str) -> None:
    data = evidence("c1,2026-09-01,perceptions,,1,%,,,,,", f"c1,{text},perceptions,,1,%,,,,,")
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data, "dates.csv", today=TODAY)
    text_out = one_problem(excinfo)
    assert text_out.startswith("dates.csv, row 3, column 'date': ")
    assert message in text_out


def test_dayfirst_resolves_ambiguous_dates_and_checks_the_rest() -> None:
    data = evidence("c1,03/04/2026,perceptions,,1,%,,,,,")
    assert load_evidence(data, "d.csv", today=TODAY, dayfirst=True).loc[2, "date"] == pd.Timestamp(
        "2026-04-03"
    )
    assert load_evidence(data, "d.csv", today=TODAY, dayfirst=False).loc[2, "date"] == pd.Timestamp(
        "2026-03-04"
    )
    with pytest.raises(ImportValidationError, match="does not fit the chosen day/month order"):
        load_evidence(
            evidence("c1,9/15/2026,perceptions,,1,%,,,,,"), "d.csv", today=TODAY, dayfirst=True
        )


def test_value_rules() -> None:
    data = evidence(
        "c1,2026-09-01,perceptions,,12,,,,,,",  # no unit
        "c1,2026-09-01,perceptions,,12%,,,,,,",  # percent gives the unit
        "c1,2026-09-01,perceptions,,twelve,points,,,,,",
        "c1,2026-09-01,perceptions,,,,,,,,",  # nothing at all
        'c1,2026-09-01,perceptions,,"1,234",students,,,,,',
        'c1,2026-09-01,perceptions,,"3,5",points,,,,,',
        "c1,2026-09-01,perceptions,,-2.5e1,points,,,,,",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data, "v.csv", today=TODAY)
    assert problems_of(excinfo) == [
        "v.csv, row 2, column 'unit': value 12 has no unit (for example %, students, days)",
        "v.csv, row 4, column 'value': 'twelve' is not a number",
        "v.csv, row 5, column 'value': the row has neither a value nor a description",
    ]
    good = evidence(
        "c1,2026-09-01,perceptions,,12,days,,,,,",
        "c1,2026-09-01,perceptions,,12%,,,,,,",
        "c1,2026-09-01,perceptions,,12 %,percent of students,,,,,",
        "c1,2026-09-01,perceptions,,,,,,seen in class,,",
        'c1,2026-09-01,perceptions,,"1,234",students,,,,,',
        'c1,2026-09-01,perceptions,,"3,5",points,,,,,',
        "c1,2026-09-01,perceptions,,-2.5e1,points,,,,,",
    )
    df = load_evidence(good, "v.csv", today=TODAY)
    assert df["value"].fillna(-1).tolist() == [12, 12, 12, -1, 1234, 3.5, -25]
    assert df["unit"].tolist()[:4] == ["days", "%", "percent of students", ""]
    assert df.loc[3, "unit"] == "%"


def test_decimal_comma_in_semicolon_files() -> None:
    data = (
        b"collective;date;evidence_type;value;unit;n;description\n"
        b"c1;15.09.2026;perceptions;3,5;points;1.234;x\n"
        b"c1;2026-09-15;perceptions;1.234,5;points;12;x\n"
        b"c1;2026-09-15;perceptions;1.234;points;;x\n"
        b"c1;2026-09-15;perceptions;0.75;points;;x\n"
        b"c1;2026-09-15;perceptions;12 345,5;points;;x\n"
    )
    df = load_evidence(data, "eu.csv", today=TODAY)
    assert df["value"].tolist() == [3.5, 1234.5, 1234.0, 0.75, 12345.5]
    assert df.loc[2, "n"] == 1234
    assert df.attrs["ignored_columns"] == []
    # the same numbers in a comma file: "," groups thousands, "." is the decimal mark
    comma = b'collective,date,evidence_type,value,unit,description\nc1,2026-09-15,perceptions,"1,234",x,y\nc1,2026-09-15,perceptions,1.234,x,y\n'
    assert load_evidence(comma, "us.csv", today=TODAY)["value"].tolist() == [1234.0, 1.234]
    forced = load_evidence(comma, "us.csv", today=TODAY, decimal=",")
    assert forced["value"].tolist() == [1.234, 1234.0]


def test_n_must_be_a_non_negative_whole_number() -> None:
    data = evidence(
        "c1,2026-09-01,perceptions,,1,%,-3,,,,",
        "c1,2026-09-01,perceptions,,1,%,2.5,,,,",
        "c1,2026-09-01,perceptions,,1,%,many,,,,",
        "c1,2026-09-01,perceptions,,1,%,30,,,,",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data, "n.csv", today=TODAY)
    texts = problems_of(excinfo)
    assert [t.split(":")[0] for t in texts] == [
        "n.csv, row 2, column 'n'",
        "n.csv, row 3, column 'n'",
        "n.csv, row 4, column 'n'",
    ]
    assert "n must be a whole number, 0 or more" in texts[0]
    assert "got '-3'" in texts[0]


def test_unknown_evidence_type() -> None:
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(evidence("c1,2026-09-01,gossip,,1,%,,,,,"), "t.csv", today=TODAY)
    text = one_problem(excinfo)
    assert text.startswith("t.csv, row 2, column 'evidence_type': 'gossip' is not an evidence type")


def test_collective_column_or_parameter() -> None:
    no_column = b"date,evidence_type,value,unit\n2026-09-01,perceptions,1,%\n"
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(no_column, "c.csv", today=TODAY)
    assert (
        one_problem(excinfo)
        == "c.csv, column 'collective': the required column 'collective' is missing"
    )
    df = load_evidence(no_column, "c.csv", today=TODAY, collective="ilc-07")
    assert list(df["collective"]) == ["ilc-07"]

    data = evidence(
        "ilc-07,2026-09-01,perceptions,,1,%,,,,,",
        ",2026-09-01,perceptions,,1,%,,,,,",
        "ILC-07,2026-09-01,perceptions,,1,%,,,,,",
        "ilc-08,2026-09-01,perceptions,,1,%,,,,,",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data, "c.csv", today=TODAY, collective="ilc-07")
    assert one_problem(excinfo) == (
        "c.csv, row 5, column 'collective': this row is for collective 'ilc-08', "
        "but this import is for 'ilc-07'"
    )
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data, "c.csv", today=TODAY)
    assert one_problem(excinfo) == "c.csv, row 3, column 'collective': collective is blank"
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(data.replace(b"\n,", b"\nilc-07,"), "c.csv", today=TODAY,
                      known_collectives={"ilc-07", "ilc-08"})  # fmt: skip
    assert (
        one_problem(excinfo) == "c.csv, row 4, column 'collective': there is no collective 'ILC-07'"
    )


def test_evidence_with_suggested_map_from_a_form_export() -> None:
    data = (
        b"Timestamp,Type of evidence,Result,Units,Number of students,Notes\n"
        b"9/15/2026 10:32:11,Student learning,64%,,28,Common assessment\n"
    )
    table = read_table(data, "form.csv")
    mapping = suggest_column_map(list(table.columns), "evidence")
    df = load_evidence(table, collective="c1", column_map=mapping, today=TODAY)
    assert df.loc[2, "date"] == pd.Timestamp("2026-09-15")
    assert (df.loc[2, "value"], df.loc[2, "unit"], df.loc[2, "n"]) == (64.0, "%", 28)


# --------------------------------------------------------------------------- templates


def test_templates_headers_equal_the_contract() -> None:
    for name, columns in (("participants", PARTICIPANT_COLUMNS), ("evidence", EVIDENCE_COLUMNS)):
        path = TEMPLATES / f"{name}.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines == [",".join(columns)]
        with pytest.raises(ImportValidationError, match="no data rows"):
            read_table(path)
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    for column in (*PARTICIPANT_COLUMNS, *EVIDENCE_COLUMNS):
        assert f"`{column}`" in readme


def test_filled_template_imports(tmp_path: Path) -> None:
    header = (TEMPLATES / "participants.csv").read_text(encoding="utf-8")
    path = tmp_path / "filled.csv"
    path.write_text(header + ",A,a@x.org,principal,,D,,,,,\n", encoding="utf-8")
    assert len(load_participants(path)) == 1
    header = (TEMPLATES / "evidence.csv").read_text(encoding="utf-8")
    path.write_text(header + "c1,2026-09-01,demographic,,40,%,120,,,,\n", encoding="utf-8")
    assert len(load_evidence(path, today=TODAY)) == 1


# --------------------------------------------------------------------------- 50 MB files


def write_big_evidence(path: Path, target_bytes: int, bad_row_at: int | None = None) -> int:
    """Write a realistic evidence CSV of about ``target_bytes``; return its data-row count.

    With ``bad_row_at``, that spreadsheet row holds an impossible date.
    """
    rng = np.random.default_rng(7)
    types = np.array(["demographic", "Perceptions", "student_learning", "School processes"])
    units = np.array(["%", "students", "days", "points"])
    groups = np.array(["", "Grade 9", "English learners", "Students with IEPs"])
    rows = 0
    written = len(EVIDENCE_HEADER)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(EVIDENCE_HEADER)
        while written < target_bytes:
            k = 20_000
            dates = (np.datetime64("2025-08-01") + rng.integers(0, 300, k)).astype(str)
            values = np.round(rng.uniform(0, 100, k), 1).astype(str)
            ns = rng.integers(10, 500, k).astype(str)
            kinds = types[rng.integers(0, 4, k)]
            unit = units[rng.integers(0, 4, k)]
            group = groups[rng.integers(0, 4, k)]
            lines = [
                f"ilc-{i % 40:02d},{d},{t},Look-for {i % 7},{v},{u},{n},{g},"
                f'"Observed in room {i}, with notes",Walkthrough form,coach{i % 50}@example.org\n'
                for i, d, t, v, u, n, g in zip(
                    range(k), dates, kinds, values, unit, ns, group, strict=True
                )
            ]
            if bad_row_at is not None and rows + 2 <= bad_row_at < rows + 2 + k:
                lines[bad_row_at - rows - 2] = "ilc-01,2026-02-30,perceptions,,1,%,1,,,,\n"
            text = "".join(lines)
            fh.write(text)
            written += len(text.encode())
            rows += k
    return rows


def test_50mb_evidence_file_reads_and_validates_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = write_big_evidence(path, 50 * 1024**2)
    assert path.stat().st_size >= 50 * 1024**2
    start = time.perf_counter()
    df = load_evidence(path, today=TODAY)
    elapsed = time.perf_counter() - start
    print(f"\n50 MB evidence ({rows} rows): read and validated in {elapsed:.2f} s")
    assert len(df) == rows
    assert df.index[-1] == rows + 1
    assert set(df["evidence_type"]) == {
        "demographic",
        "perceptions",
        "student_learning",
        "school_processes",
    }
    assert df["n"].notna().all()
    # speed is measured by the benchmarks (benchmarks/), not asserted here: shared CI is noisy


def test_50mb_evidence_file_with_one_bad_row_names_it(tmp_path: Path) -> None:
    path = tmp_path / "big-bad.csv"
    bad_row = 160_001
    write_big_evidence(path, 50 * 1024**2, bad_row_at=bad_row)
    start = time.perf_counter()
    with pytest.raises(ImportValidationError) as excinfo:
        load_evidence(path, today=TODAY)
    elapsed = time.perf_counter() - start
    print(f"\n50 MB evidence with one bad row: rejected in {elapsed:.2f} s")
    assert one_problem(excinfo) == (
        f"big-bad.csv, row {bad_row}, column 'date': "
        "'2026-02-30' is not a date: February 2026 has 28 days"
    )
    # speed is measured by the benchmarks (benchmarks/), not asserted here: shared CI is noisy


def test_50mb_file_with_a_ragged_row_falls_back_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "big-ragged.csv"
    write_big_evidence(path, 50 * 1024**2)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("ilc-01,2026-09-01,perceptions,,1,%,1,,a,b,c,extra\n")
    rows = sum(1 for _ in path.open("rb"))
    with pytest.raises(ImportValidationError) as excinfo:
        read_table(path)
    assert one_problem(excinfo).startswith(f"big-ragged.csv, row {rows}: this row has 12 cells")


# --------------------------------------------------------------------------- one record


def test_validate_participant_record_for_the_intake_form() -> None:
    record = validate_participant_record(
        {
            "name": " Ana  Ruiz ",
            "email": "Ana@X.org",
            "role": "AP",
            "district": "Oak USD",
            "modality": "In person",
            "focus": "Belonging",
        }
    )
    assert list(record) == list(PARTICIPANT_COLUMNS)
    assert record["name"] == "Ana Ruiz"
    assert record["email"] == "ana@x.org"
    assert record["role"] == "assistant_principal"
    assert record["modality"] == "in_person"
    assert record["participant_id"].startswith("p_")
    with pytest.raises(ImportValidationError) as excinfo:
        validate_participant_record(
            {"name": "A", "email": "ana@x.org", "shoe": "42"}, existing_emails={"ana@x.org"}
        )
    assert problems_of(excinfo) == [
        "intake form, column 'shoe': there is no participant field 'shoe'"
    ]
    with pytest.raises(ImportValidationError) as excinfo:
        validate_participant_record(
            {"name": "A", "email": "ana@x.org"}, existing_emails={"ana@x.org"}
        )
    assert problems_of(excinfo) == [
        "intake form, column 'email': ana@x.org is already in the network",
        "intake form, column 'role': role is blank",
        "intake form, column 'district': district is blank",
    ]


def test_validate_evidence_record_accepts_python_values() -> None:
    record = validate_evidence_record(
        {
            "collective": "c1",
            "date": date(2026, 9, 1),
            "evidence_type": "Perceptions",
            "value": 12.5,
            "unit": "%",
            "n": 30,
            "entered_by": "jo@x.org",
        },
        today=TODAY,
    )
    assert record == {
        "date": date(2026, 9, 1),
        "evidence_type": "perceptions",
        "indicator": "",
        "value": 12.5,
        "unit": "%",
        "n": 30,
        "subgroup": "",
        "description": "",
        "source": "",
        "entered_by": "jo@x.org",
    }
    text = validate_evidence_record(
        {
            "date": "Sep 1, 2026",
            "evidence_type": "demographic",
            "value": None,
            "n": None,
            "description": "roster counts",
        },
        today=TODAY,
    )
    assert (text["date"], text["value"], text["n"]) == (date(2026, 9, 1), None, None)
    with pytest.raises(ImportValidationError) as excinfo:
        validate_evidence_record(
            {"date": date(2026, 12, 1), "evidence_type": "gossip", "value": 3, "n": -1},
            today=TODAY,
        )
    texts = problems_of(excinfo)
    assert [t.split(":")[0] for t in texts] == [
        "evidence entry, column 'date'",
        "evidence entry, column 'evidence_type'",
        "evidence entry, column 'unit'",
        "evidence entry, column 'n'",
    ]
    assert "2026-12-01 is in the future" in texts[0]


def test_50mb_roster_with_a_repeated_email_names_both_rows(tmp_path: Path) -> None:
    path = tmp_path / "roster-big.csv"
    roles = ["Teacher leader", "Coach", "Principal", "AP", "Central office", "Superintendent",
             "School psychologist", "Other"]  # fmt: skip
    header = ",".join(PARTICIPANT_COLUMNS) + "\n"
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header)
        while fh.tell() < 50 * 1024**2:
            fh.write(
                "".join(
                    f",Person {i},person{i}@d{i % 60}.k12.example,{roles[i % 8]},School {i % 500},"
                    f"District {i % 60},Region {i % 3},{('In person', 'virtual', '')[i % 3]},"
                    f'"Ninth-grade D and F rates come from missing work, not learning ({i})",,\n'
                    for i in range(rows, rows + 10_000)
                )
            )
            rows += 10_000
        fh.write(",Late Comer,person17@d17.k12.example,principal,S,D,Region 1,virtual,,,\n")
    start = time.perf_counter()
    with pytest.raises(ImportValidationError) as excinfo:
        load_participants(path)
    elapsed = time.perf_counter() - start
    print(f"\n50 MB roster ({rows + 1} rows) with a repeated email: rejected in {elapsed:.2f} s")
    assert one_problem(excinfo) == (
        f"roster-big.csv, row {rows + 2}, column 'email': "
        "the email person17@d17.k12.example is already in row 19"
    )
    # speed is measured by the benchmarks (benchmarks/), not asserted here: shared CI is noisy


# --------------------------------------------------------------------------- honest imports


def test_participant_ids_compare_without_case_in_forms_too() -> None:
    with pytest.raises(ImportValidationError) as excinfo:
        validate_participant_record(
            {"participant_id": "P001", "name": "A", "email": "a@x.org", "role": "principal",
             "district": "D"},
            existing_ids={"p001"},
        )  # fmt: skip
    assert one_problem(excinfo) == (
        "intake form, column 'participant_id': participant_id P001 is already in the network "
        "(as p001)"
    )


def test_generated_ids_avoid_existing_ids_in_any_case() -> None:
    taken = load_participants(b"name,email,role,district\nA,a@x.org,principal,D\n", "a.csv")
    generated = str(taken["participant_id"].iloc[0])
    again = load_participants(
        b"name,email,role,district\nA,a@x.org,principal,D\n",
        "b.csv",
        existing_ids={generated.upper()},
    )
    assert str(again["participant_id"].iloc[0]).casefold() != generated.casefold()


def test_title_row_in_a_semicolon_file_with_no_delimiter_in_it() -> None:
    data = "Evidence log, autumn\n\ndate;evidence_type;value;unit\n2026-09-01;perceptions;3,5;pts\n"
    frame = load_evidence(data.encode(), "eu.csv", collective="c1", today=TODAY)
    assert list(frame.index) == [4]
    assert list(frame["value"]) == [3.5]  # the semicolon file keeps its decimal comma
    (note,) = frame.attrs["warnings"]
    assert str(note) == (
        "eu.csv, row 1: skipped as a title above the header (row 3): 'Evidence log, autumn'"
    )


def test_a_header_found_through_the_column_map() -> None:
    data = b"Roster\nFull name,Mail,Job,LEA\nA,a@x.org,Principal,D1\n"
    mapping = {"Full name": "name", "Mail": "email", "Job": "role", "LEA": "district"}
    frame = load_participants(data, "m.csv", column_map=mapping)
    assert list(frame["district"]) == ["D1"] and list(frame.index) == [3]


def test_read_table_without_a_kind_keeps_the_first_row_as_header() -> None:
    data = b"Roster,,,\nname,email,role,district\nA,a@x.org,principal,D\n"
    assert read_table(data, "t.csv").columns[0] == "Roster"  # efficacy items and the like
    table = read_table(data, "t.csv", kind="participants")
    assert list(table.columns) == ["name", "email", "role", "district"]
    assert table.attrs["title_rows"] == {1: "Roster"} and table.attrs["header_row"] == 2


def test_text_with_a_few_form_feeds_is_still_text() -> None:
    data = b'name,email,role,district\nA,a@x.org,principal,"D\x0c\x0b1"\n'
    assert list(load_participants(data, "ff.csv")["district"]) == ["D 1"]  # spaces unified
