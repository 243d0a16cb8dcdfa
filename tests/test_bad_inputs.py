"""Bad inputs to ``ilc import``: the corpus in ``tests/bad_inputs/`` plus workbooks, random
bytes and odd paths made here (the zip bomb too: it is a few KB on disk and is never stored).

Each case runs the real command against a network that already holds a roster and an
evidence log. A refused file must say what is wrong where (file, row, column, or the
workbook's sheets), never show a traceback, and leave the database exactly as it was (a full
SQL dump is compared). A file imported with notes must print them.
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import zipfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest

from ilc_widgets import importers
from ilc_widgets.cli import main
from ilc_widgets.errors import ImportValidationError
from ilc_widgets.importers import ImportFileError, load_participants
from ilc_widgets.network import create_network, open_network

if TYPE_CHECKING:
    from collections.abc import Callable

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
ROSTER = [
    ["name", "email", "role", "district"],
    ["Hal Ng", "hal@west.example", "Principal", "West"],
]


# --------------------------------------------------------------------------- generated files


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _rewrite_sheet(path: Path, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite the first sheet's XML of a workbook (maximum compression)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            archive.writestr(info.filename, data)
    path.write_bytes(out.getvalue())
    return path


def zip_bomb(tmp: Path) -> Path:
    """A valid workbook, 9 KB on disk, whose sheet unpacks to 3 MB (over 300 times its size):
    100 rows of one 30,000-letter string."""
    path = _workbook(tmp / "zip_bomb.xlsx", [("Roster", ROSTER)])
    filler = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{"A" * 30_000}</t></is></c></row>'
        for i in range(3, 103)
    ).encode()
    return _rewrite_sheet(path, lambda xml: xml.replace(b"</sheetData>", filler + b"</sheetData>"))


def formula_without_value(tmp: Path) -> Path:
    """``name`` is a formula openpyxl wrote without a saved value (never opened in Excel)."""
    return _workbook(
        tmp / "formulas.xlsx",
        [
            (
                "Roster",
                [
                    ["first", "last", "name", "email", "role", "district"],
                    ["Ivy", "Lo", '=A2&" "&B2', "ivy@west.example", "Principal", "West"],
                ],
            )
        ],
    )


def formula_with_value(tmp: Path) -> Path:
    """The same workbook as saved by a spreadsheet program: the formula keeps its value."""
    path = formula_without_value(tmp)
    return _rewrite_sheet(
        path,
        lambda xml: xml.replace(
            b'<c r="C2"><f>A2&amp;" "&amp;B2</f><v /></c>',
            b'<c r="C2" t="str"><f>A2&amp;" "&amp;B2</f><v>Ivy Lo</v></c>',
        ),
    )


def random_bytes(tmp: Path, *, nul: bool = False, name: str = "random.bin") -> Path:
    rng = random.Random(8)
    low = 0 if nul else 1
    path = tmp / name
    path.write_bytes(bytes(rng.randrange(low, 256) for _ in range(2048)))
    return path


def unreadable(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp / "locked.csv"
    path.write_bytes((CORPUS / "roster.csv").read_bytes())
    path.chmod(0)
    if os.geteuid() == 0:  # root reads any file: refuse it the way the system would anyone else
        real_open = Path.open

        def deny(self: Path, *args: object, **kwargs: object) -> object:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(Path, "open", deny)
    return path


GENERATED: dict[str, Callable[[Path, pytest.MonkeyPatch], Path]] = {
    "second_sheet.xlsx": lambda t, _m: _workbook(
        t / "second_sheet.xlsx",
        [
            ("Notes", [["Exported from the HR system"], ["The roster is on the next sheet"]]),
            ("Roster", ROSTER),
        ],
    ),
    "empty_first_sheet.xlsx": lambda t, _m: _workbook(
        t / "empty_first_sheet.xlsx", [("Sheet1", []), ("Roster", ROSTER)]
    ),
    "no_sheet_fits.xlsx": lambda t, _m: _workbook(
        t / "no_sheet_fits.xlsx",
        [
            ("Notes", [["Export notes"], ["who", "when"], ["HR", "Monday"]]),
            ("Other", [["a", "b"], [1, 2]]),
        ],
    ),
    "title_row.xlsx": lambda t, _m: _workbook(
        t / "title_row.xlsx", [("Roster", [["Participant roster 2026"], [], *ROSTER])]
    ),
    "zip_bomb.xlsx": lambda t, _m: zip_bomb(t),
    "formulas.xlsx": lambda t, _m: formula_without_value(t),
    "random.bin": lambda t, _m: random_bytes(t),
    "random_with_nul.csv": lambda t, _m: random_bytes(t, nul=True, name="random_with_nul.csv"),
    "a_folder": lambda t, _m: (t / "a_folder").mkdir() or t / "a_folder",
    "missing.csv": lambda t, _m: t / "missing.csv",
    "locked.csv": unreadable,
}


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    """One input: the command's arguments, and what it must say and do."""

    id: str
    kind: str
    file: str
    expected: tuple[str, ...]
    refused: bool = True
    one_line: bool = False
    writes: bool | None = None  # default: a refused file writes nothing, an accepted one does
    args: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


CASES = [
    # 6. Data integrity
    Case(
        "evidence-imported-again",
        "evidence",
        "evidence.csv",
        (
            "Imported 0 evidence rows from evidence.csv; 3 rows already present were skipped.",
            "--allow-duplicates",
            "not imported again: rows 2, 3, 4",
        ),
        refused=False,
        writes=False,
    ),
    Case(
        "evidence-imported-again-allowed",
        "evidence",
        "evidence.csv",
        ("Imported 3 evidence rows from evidence.csv.",),
        refused=False,
        args=("--allow-duplicates",),
    ),
    Case(
        "evidence-row-repeated-in-file",
        "evidence",
        "evidence_repeated_row.csv",
        (
            "Imported 2 evidence rows from evidence_repeated_row.csv; 1 row already present was "
            "skipped.",
            "not imported again: row 4",
        ),
        refused=False,
    ),
    Case(
        "participant-id-case-vs-network",
        "participants",
        "participant_id_case.csv",
        (
            "participant_id_case.csv, row 2, column 'participant_id': participant_id P001 is "
            "already in the network (as p001)",
        ),
    ),
    Case(
        "participant-id-case-in-file",
        "participants",
        "participant_id_case_in_file.csv",
        (
            "participant_id_case_in_file.csv, row 3, column 'participant_id': participant_id p010 "
            "is already in row 2 (as P010)",
        ),
    ),
    Case(
        "zip-bomb",
        "participants",
        "zip_bomb.xlsx",
        (
            "zip_bomb.xlsx: the workbook would unpack to 2.9 MB from a file of",
            "times its size; real workbooks stay far below 100 times); it was not read",
        ),
        one_line=True,
    ),
    # 7. Messages that mislead
    Case(
        "data-on-second-sheet",
        "participants",
        "second_sheet.xlsx",
        (
            "second_sheet.xlsx: sheet 'Notes' has no 'name', 'email', 'role', 'district' columns; "
            "the data seems to be on sheet 'Roster': use --sheet Roster (the workbook's sheets: "
            "'Notes', 'Roster')",
        ),
        absent=("the required column",),
    ),
    Case(
        "data-on-second-sheet-chosen",
        "participants",
        "second_sheet.xlsx",
        ("Imported 1 participants row from second_sheet.xlsx.",),
        refused=False,
        args=("--sheet", "Roster"),
    ),
    Case(
        "first-sheet-empty",
        "participants",
        "empty_first_sheet.xlsx",
        (
            "empty_first_sheet.xlsx: sheet 'Sheet1' is empty; the data seems to be on sheet "
            "'Roster': use --sheet Roster (the workbook's sheets: 'Sheet1', 'Roster')",
        ),
        one_line=True,
    ),
    Case(
        "no-sheet-has-the-columns",
        "participants",
        "no_sheet_fits.xlsx",
        (
            "no_sheet_fits.xlsx, column 'name': the required column 'name' is missing",
            "no_sheet_fits.xlsx: the columns were looked for in row 2 of sheet 'Notes', below the "
            "title in row 1 ('Export notes') (the workbook's sheets: 'Notes', 'Other'); choose "
            "another sheet with --sheet NAME",
        ),
    ),
    Case(
        "unknown-sheet",
        "participants",
        "second_sheet.xlsx",
        ("second_sheet.xlsx: the workbook has no sheet 'Nope' (sheets: Notes, Roster)",),
        one_line=True,
        args=("--sheet", "Nope"),
    ),
    Case(
        "sheet-of-a-csv",
        "participants",
        "roster.csv",
        ("roster.csv: this is a CSV file, which has no sheets (sheet 'Roster' was asked for)",),
        one_line=True,
        args=("--sheet", "Roster"),
    ),
    Case(
        "title-row-csv",
        "participants",
        "title_row.csv",
        (
            "Imported 1 participants row from title_row.csv.",
            "note: title_row.csv, row 1: skipped as a title above the header (row 3): "
            "'Participant roster - North network 2026-27'",
        ),
        refused=False,
    ),
    Case(
        "title-row-xlsx",
        "participants",
        "title_row.xlsx",
        (
            "Imported 1 participants row from title_row.xlsx.",
            "note: title_row.xlsx, row 1: skipped as a title above the header (row 3): "
            "'Participant roster 2026'",
        ),
        refused=False,
    ),
    Case(
        "title-row-above-a-header-lacking-a-column",
        "participants",
        "title_row_header_lacking.csv",
        (
            "title_row_header_lacking.csv, column 'email': the required column 'email' is missing",
            "title_row_header_lacking.csv: the columns were looked for in row 2, below the title "
            "in row 1 ('Participant roster - North network 2026-27')",
        ),
        absent=("cells but the header has",),
    ),
    Case(
        "ambiguous-date",
        "evidence",
        "ambiguous_dates.csv",
        (
            "ambiguous_dates.csv, row 2, column 'date': '03/04/2025' is ambiguous (3 April or "
            "March 4?); write dates as YYYY-MM-DD, or give the order of the file's dates: "
            "--day-first or --month-first",
        ),
    ),
    Case(
        "ambiguous-date-day-first",
        "evidence",
        "ambiguous_dates.csv",
        ("Imported 2 evidence rows from ambiguous_dates.csv.",),
        refused=False,
        args=("--day-first",),
    ),
    Case(
        "ambiguous-date-month-first",
        "evidence",
        "ambiguous_dates.csv",
        (
            "ambiguous_dates.csv, row 3, column 'date': '15/04/2025' does not fit the chosen "
            "month/day order",
        ),
        args=("--month-first",),
    ),
    Case(
        "formula-without-saved-value",
        "participants",
        "formulas.xlsx",
        (
            "formulas.xlsx, row 2, column 'name': a formula with no saved value; open the file in "
            "a spreadsheet program and save it, or paste values",
        ),
        absent=("name is blank",),
    ),
    Case(
        "random-bytes",
        "participants",
        "random.bin",
        ("random.bin: this is not a CSV file (UTF-8 text) or an XLSX workbook",),
        one_line=True,
    ),
    Case(
        "random-bytes-with-nul-named-csv",
        "evidence",
        "random_with_nul.csv",
        ("random_with_nul.csv: this is not a CSV file (UTF-8 text) or an XLSX workbook",),
        one_line=True,
    ),
    Case(
        "a-folder",
        "participants",
        "a_folder",
        ("a_folder: this is a folder, not a file",),
        one_line=True,
    ),
    Case(
        "missing-file",
        "evidence",
        "missing.csv",
        ("missing.csv: there is no such file",),
        one_line=True,
    ),
    Case(
        "unreadable-file",
        "participants",
        "locked.csv",
        ("locked.csv: the file cannot be read: permission denied",),
        one_line=True,
    ),
    Case(
        "ignored-columns-and-in-person-without-region",
        "participants",
        "ignored_and_no_region.csv",
        (
            "Imported 2 participants rows from ignored_and_no_region.csv.",
            "note: ignored_and_no_region.csv: columns not imported (ignored): 'Shoe size', "
            "'Timestamp'",
            "note: ignored_and_no_region.csv, row 2, column 'region': region is blank for an "
            "in-person member",
        ),
        refused=False,
    ),
    Case(
        "evidence-option-on-participants",
        "participants",
        "roster.csv",
        ("--allow-duplicates applies to `ilc import evidence` only",),
        one_line=True,
        args=("--allow-duplicates",),
    ),
]


@pytest.fixture
def network_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite network with collective c1, the corpus roster and evidence log imported."""
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    monkeypatch.delenv("ILC_SECRET", raising=False)
    path = tmp_path / "network.sqlite"
    net = create_network(path, "Bad inputs")
    net.create_collective("c1", "Collective one")
    net.import_participants(CORPUS / "roster.csv")
    net.import_evidence(CORPUS / "evidence.csv")
    net.close()
    return path


def dump(path: Path) -> list[str]:
    """Every table's schema and rows, audit log and revision counters included."""
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.iterdump())


def source_of(case: Case, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    make = GENERATED.get(case.file)
    if make is not None:
        return make(tmp, monkeypatch)
    return CORPUS / case.file


def test_the_corpus_counts() -> None:
    refused = [c for c in CASES if c.refused]
    assert len(CASES) == 26
    assert len(refused) == 18
    assert len([c for c in refused if c.one_line]) == 10
    assert len({c.id for c in CASES}) == len(CASES)
    used = {c.file for c in CASES} - set(GENERATED)
    assert used <= {p.name for p in CORPUS.iterdir()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(
    case: Case,
    network_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    path = source_of(case, files, monkeypatch)
    before = dump(network_file)
    code = main(["--database", str(network_file), "import", case.kind, str(path), *case.args])
    out, err = capsys.readouterr()
    said = out + err
    for fragment in case.expected:
        assert fragment in said, said
    for fragment in case.absent:
        assert fragment not in said, said
    assert "Traceback" not in said and "Error:" not in said
    if case.refused:
        assert code == 1, said
        assert err.startswith("ilc: error: ")
        assert out == ""
        if case.one_line:
            assert len(err.strip().splitlines()) == 1, err
    else:
        assert code == 0, said
    writes = (not case.refused) if case.writes is None else case.writes
    if writes:
        assert dump(network_file) != before
    else:
        assert dump(network_file) == before, "the database changed"


# --------------------------------------------------------------------------- the Python side


def test_python_import_returns_what_it_did(network_file: Path) -> None:
    net = open_network(network_file)
    try:
        again = net.import_evidence(CORPUS / "evidence.csv")
        assert (again.added, again.skipped, again.skipped_rows) == (0, 3, (2, 3, 4))
        repeated = net.import_evidence(CORPUS / "evidence_repeated_row.csv")
        assert (repeated.added, repeated.skipped_rows) == (2, (4,))
        forced = net.import_evidence(CORPUS / "evidence.csv", allow_duplicates=True)
        assert (forced.added, forced.skipped) == (3, 0)
        assert len(net.evidence_frame("c1")) == 3 + 2 + 3

        dated = net.import_evidence(CORPUS / "ambiguous_dates.csv", dayfirst=True)
        assert dated.added == 2
        days = set(net.evidence_frame("c1")["date"].astype(str))
        assert {"2025-04-03", "2025-04-15"} <= days

        people = net.import_participants(CORPUS / "ignored_and_no_region.csv")
        assert people.added == 2
        assert people.ignored_columns == ("Shoe size", "Timestamp")
        (note,) = people.notes
        assert (note.row, note.column) == (2, "region")
    finally:
        net.close()


def test_python_sheet_keyword(network_file: Path, tmp_path: Path) -> None:
    path = GENERATED["second_sheet.xlsx"](tmp_path, pytest.MonkeyPatch())
    net = open_network(network_file)
    try:
        with pytest.raises(ImportValidationError, match="use --sheet Roster"):
            net.import_participants(path)
        assert net.import_participants(path, sheet="Roster").added == 1
    finally:
        net.close()


def test_a_deleted_entry_imported_again_comes_back(network_file: Path) -> None:
    net = open_network(network_file)
    try:
        first = int(net.evidence_frame("c1")["id"].iloc[0])
        net.delete_evidence(first, actor="test")
        result = net.import_evidence(CORPUS / "evidence.csv")
        assert (result.added, result.skipped) == (1, 2)
    finally:
        net.close()


def test_zip_bomb_is_refused_before_openpyxl_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = zip_bomb(tmp_path)
    assert path.stat().st_size < 20_000
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert 2_000_000 < unpacked < 5_000_000  # the ratio trips, not the 500 MB limit

    def must_not_run(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to read a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_run)
    with pytest.raises(ImportFileError) as excinfo:
        load_participants(path)
    assert str(excinfo.value).startswith("zip_bomb.xlsx: the workbook would unpack to 2.9 MB")


def test_a_workbook_over_the_unpacked_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "big.xlsx", [("Roster", ROSTER * 2000)])
    monkeypatch.setattr(importers.xlsx, "MAX_UNPACKED_BYTES", 100_000)
    with pytest.raises(ImportFileError) as excinfo:
        load_participants(path)
    assert "big.xlsx: the workbook would unpack to" in str(excinfo.value)
    assert "more than the 98 KB that can be imported; it was not read" in str(excinfo.value)


def test_a_formula_with_its_saved_value_is_read(tmp_path: Path) -> None:
    frame = load_participants(formula_with_value(tmp_path))
    assert list(frame["name"]) == ["Ivy Lo"]


def test_formula_cells_in_ignored_columns_do_not_matter(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "extra.xlsx",
        [("Roster", [[*ROSTER[0], "check"], [*ROSTER[1], "=LEN(A2)"]])],
    )
    frame = load_participants(path)
    assert frame.attrs["ignored_columns"] == ["check"]


def test_a_formula_value_is_not_also_called_missing(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "ev.xlsx",
        [
            (
                "Log",
                [
                    ["collective", "date", "evidence_type", "value", "unit", "description"],
                    ["c1", "2025-09-01", "perceptions", "=40+2", "%", None],
                ],
            )
        ],
    )
    with pytest.raises(ImportValidationError) as excinfo:
        importers.load_evidence(path)
    assert [str(p) for p in excinfo.value.problems] == [
        f"ev.xlsx, row 2, column 'value': {importers._UNSAVED_FORMULA}"
    ]


def test_rows_already_present_are_found_on_both_backends(database_url: str) -> None:
    net = create_network(database_url, "Both backends")
    try:
        net.create_collective("c1", "Collective one")
        first = net.import_evidence(CORPUS / "evidence.csv")
        again = net.import_evidence(CORPUS / "evidence.csv")
        assert (first.added, again.added, again.skipped_rows) == (3, 0, (2, 3, 4))
        assert len(net.evidence_frame("c1")) == 3
    finally:
        net.close()
