"""The ``ilc`` command: every subcommand, its output and its one-line errors."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from ilc_widgets.cli import main
from ilc_widgets.network import open_network


@pytest.fixture
def dbpath(tmp_path, monkeypatch):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    return str(tmp_path / "net.sqlite")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_then_init_again_is_one_line_error(capsys, dbpath):
    code, out, _ = run(capsys, "--database", dbpath, "init", "--name", "North network")
    assert code == 0 and "North network" in out
    code, out, err = run(capsys, "--database", dbpath, "init")
    assert code == 1
    assert err.startswith("ilc: error:") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_database_from_environment(capsys, tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("ILC_DATABASE_URL", f"sqlite:///{path}")
    assert run(capsys, "init")[0] == 0
    assert path.exists()


def test_demo_links_json_and_rotation(capsys, dbpath):
    code, out, err = run(capsys, "--database", dbpath, "demo")
    assert code == 0 and "participants" in out and "Loading demo" in err
    code, out, _ = run(
        capsys, "--database", dbpath, "links", "--json", "--base-url", "https://ilc.example.org/"
    )
    links = json.loads(out)
    facilitator = [x for x in links if x["collective"] is None]
    assert len(facilitator) == 1 and "role=facilitator" in facilitator[0]["url"]
    collectives = [x for x in links if x["collective"]]
    assert len(collectives) == len(open_network(dbpath).collectives)
    for link in links:
        assert {"collective", "name", "url"} <= set(link)
        assert link["url"].startswith("https://ilc.example.org/voila/render/00_home.ipynb?")
    code, out, _ = run(capsys, "--database", dbpath, "links", "--json", "--rotate")
    rotated = {x["collective"]: x["url"].split("key=")[1] for x in json.loads(out)}
    before = {x["collective"]: x["url"].split("key=")[1] for x in links}
    assert all(rotated[c] != before[c] for c in before)


def test_links_sheet_has_a_qr_code_per_collective(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "demo")
    net = open_network(dbpath)
    net.update_collective("grading-1", name="<script>alert(1)</script> Grades")
    sheet = tmp_path / "links.html"
    code, _, _ = run(capsys, "--database", dbpath, "links", "--html", str(sheet))
    html = sheet.read_text()
    assert code == 0
    assert html.count("<svg") == len(net.collectives) + 1  # + the intake form
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "role=facilitator" not in html  # the sheet is handed around the room


def test_import_participants_and_bad_file(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "init")
    good = tmp_path / "roster.csv"
    good.write_text(
        "name;email;role;district;region;modality;focus\n"
        "Ana Ruiz;ana@x.example;Principal;North;Lakes;In person;Attendance on Mondays\n",
        encoding="utf-8-sig",
    )
    code, out, _ = run(capsys, "--database", dbpath, "import", "participants", str(good))
    assert code == 0 and "Imported 1 participants row" in out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,role,district\nBen,ben@x.example,Wizard,South\n")
    code, _, err = run(capsys, "--database", dbpath, "import", "participants", str(bad))
    assert code == 1
    assert "bad.csv" in err and "row 2" in err and "role" in err
    assert "Traceback" not in err
    assert len(open_network(dbpath).participants) == 1


def test_import_with_column_map(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "init")
    export = tmp_path / "survey.csv"
    export.write_text(
        "Timestamp,Full name,Email Address,Your role,LEA,What is your focus for inquiry?\n"
        "2026-09-01,Cy Park,cy@x.example,Instructional Coach,East,Phonics in K-2\n"
    )
    code, _, err = run(
        capsys, "--database", dbpath, "import", "participants", str(export), "--map", "LEA=district"
    )
    assert code == 0, err
    row = open_network(dbpath).participants.iloc[0]
    assert row["district"] == "East" and row["role"] == "instructional_coach"


def test_import_evidence_for_a_collective(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "demo")
    f = tmp_path / "ev.csv"
    f.write_text(
        "date,evidence_type,indicator,value,unit,n,subgroup,description,source\n"
        "2026-10-01,perceptions,,3.2,pts,40,all,Teacher survey,Forms\n"
    )
    before = len(open_network(dbpath).evidence_frame("grading-1"))
    code, _, err = run(
        capsys, "--database", dbpath, "import", "evidence", str(f), "--collective", "grading-1"
    )
    assert code == 0, err
    assert len(open_network(dbpath).evidence_frame("grading-1")) == before + 1


def test_export_writes_every_table_and_a_dictionary(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "demo")
    out_dir = tmp_path / "out"
    code, _, _ = run(capsys, "--database", dbpath, "export", str(out_dir))
    assert code == 0
    names = {p.name for p in out_dir.iterdir()}
    for table in (
        "participants",
        "collectives",
        "placemats",
        "evidence",
        "reflections",
        "pulse_responses",
        "memberships",
        "indicators",
        "audit_log",
    ):
        assert f"{table}.csv" in names
    dictionary = pd.read_csv(out_dir / "data_dictionary.csv")
    evidence = pd.read_csv(out_dir / "evidence.csv")
    assert set(evidence.columns) == set(dictionary[dictionary["table"] == "evidence"]["column"])
    assert dictionary["description"].fillna("").str.len().gt(0).all()


def test_missing_network_message(capsys, dbpath):
    code, _, err = run(capsys, "--database", dbpath, "info")
    assert code == 1 and "ilc init" in err


def test_console_script_is_installed():
    exe = shutil.which("ilc") or str(__import__("pathlib").Path(sys.executable).parent / "ilc")
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("ilc ")


# --------------------------------------------------------------------------- ilc report


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_report_writes_html_and_pdf_without_names(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "demo")
    html_path, pdf_path = tmp_path / "report.html", tmp_path / "report.pdf"
    code, out, err = run(
        capsys, "--database", dbpath, "report", "--html", str(html_path), "--pdf", str(pdf_path)
    )
    assert code == 0, err
    assert f"Wrote {html_path}" in out and f"Wrote {pdf_path}" in out
    assert "fewer than 10 people are suppressed; without participant names" in out
    page = html_path.read_text(encoding="utf-8")
    text = _pdf_text(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    net = open_network(dbpath)
    try:
        names = net.participants["name"].tolist()
        collectives = [c.name for c in net.collective_list()]
    finally:
        net.close()
    for written in (page, text):
        assert "network report" in written
        assert all(c in written for c in collectives)
        assert not [n for n in names if n in written]
    assert not re.search(r"[\w.]+@[\w-]+\.", page + text)  # no email address
    assert "<svg" in page


def test_report_options_names_minimum_and_one_collective(capsys, dbpath, tmp_path):
    run(capsys, "--database", dbpath, "demo")
    html_path = tmp_path / "r.html"
    code, out, _ = run(
        capsys,
        "--database",
        dbpath,
        "report",
        "--html",
        str(html_path),
        "--show-names",
        "--min-cell-size",
        "5",
        "--collective",
        "literacy-1",
    )
    assert code == 0 and "fewer than 5 people" in out and "with participant names" in out
    page = html_path.read_text(encoding="utf-8")
    net = open_network(dbpath)
    try:
        members = net.members("literacy-1")["name"].tolist()
        other = net.collective("grading-1").name
    finally:
        net.close()
    assert members and all(m in page for m in members)
    assert other not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --html FILE, --pdf FILE or both"),
        (("--html", "{tmp}/r.txt"), "should end in .html"),
        (("--pdf", "{tmp}/missing/r.pdf"), "does not exist"),
        (("--html", "{tmp}/r.html", "--min-cell-size", "0"), "at least 1"),
        (("--html", "{tmp}/r.html", "--collective", "nope"), "no collective 'nope'"),
    ],
)
def test_report_errors_are_one_line(capsys, dbpath, tmp_path, args, message):
    run(capsys, "--database", dbpath, "demo")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, _, err = run(capsys, "--database", dbpath, "report", *argv)
    assert code == 1 and message in err
    assert err.startswith("ilc: error:") and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r.html").exists()


def test_database_option_after_the_subcommand(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    path = tmp_path / "after.sqlite"
    assert main(["demo", "--database", str(path)]) == 0
    assert path.exists()
    capsys.readouterr()
    assert main(["info", "--database", str(path)]) == 0
    assert "Lakes & Prairie" in capsys.readouterr().out
    # before the subcommand still works, and a later one wins
    other = tmp_path / "none.sqlite"
    assert main(["--database", str(other), "info", "--database", str(path)]) == 0


def test_settings_facilitators_add_list_remove(capsys, tmp_path):
    path = str(tmp_path / "s.sqlite")
    assert main(["demo", "--database", path]) == 0
    assert (
        main(["settings", "facilitators", "add", "Lead@Network.example", "--database", path]) == 0
    )
    assert open_network(path).settings["facilitators"] == ["lead@network.example"]
    capsys.readouterr()
    assert main(["--database", path, "settings", "facilitators"]) == 0
    assert "lead@network.example" in capsys.readouterr().out
    assert main(["settings", "facilitators", "remove", "x@y.z", "--database", path]) == 1
    assert "not a facilitator" in capsys.readouterr().err
    assert main(["settings", "facilitators", "add", "not-an-email", "--database", path]) == 1
    assert (
        main(["settings", "facilitators", "remove", "lead@network.example", "--database", path])
        == 0
    )
    assert open_network(path).settings["facilitators"] == []
