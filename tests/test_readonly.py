"""A network on a read-only file or folder, and database errors that leak nothing.

Reading works (``ilc info``); a write fails with one line that says "read-only" and names
the file or folder, never SQL or anyone's data; the file stays byte-identical.

Root ignores file permissions, and CI runs as root. Under root the ``ilc`` commands run in
a child process without root's privileges (``SECBIT_NOROOT``: on ``exec`` uid 0 gets no
capabilities, so file modes apply to it as to any owner); a probe in the same kind of child
checks that the file really cannot be written, so the test cannot pass by accident. Run by
a normal user, ``chmod`` alone does it.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from ilc_widgets import db
from ilc_widgets.cli import main
from ilc_widgets.errors import DatabaseUnavailable, IlcError
from ilc_widgets.network import open_network

TEMPLATE = Path(__file__).resolve().parents[1] / "data_templates" / "participants.csv"
PEOPLE = [
    ("p901", "Zelda Quartermain", "zelda.quartermain@example.org", "principal", "virtual"),
    ("p902", "Yusuf Brightwater", "yusuf.brightwater@example.org", "teacher_leader", "either"),
]
PR_SET_SECUREBITS = 28
SECBIT_NOROOT = 1


def _good_file(folder: Path) -> Path:
    """A valid roster of two new people, in the columns of the data template."""
    header = TEMPLATE.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        f"{pid},{name},{email},{role},Org {pid},District {pid},North Lakes,{modality},"
        f"Focus statement of {pid} about attendance,,"
        for pid, name, email, role, modality in PEOPLE
    ]
    path = folder / "good_participants.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _without_root_privileges() -> None:  # pragma: no cover - runs in the child
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECUREBITS, SECBIT_NOROOT, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run Python with ``args`` as a process that file permissions apply to."""
    env = {k: v for k, v in os.environ.items() if k not in ("ILC_DATABASE_URL", "ILC_SECRET")}
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        preexec_fn=_without_root_privileges if os.geteuid() == 0 else None,
    )


def _ilc(*args: str) -> subprocess.CompletedProcess[str]:
    return _run("-m", "ilc_widgets.cli", *args)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ilc_widgets.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    load_demo(path).close()
    return path


@pytest.fixture(scope="module")
def unprivileged() -> None:
    """Skip (with the reason) only when no process here can be refused a write."""
    probe = _run("-c", "import os; print(os.geteuid())") if os.geteuid() == 0 else None
    if probe is not None and probe.returncode != 0:
        pytest.skip(
            "running as root, and a child without root's privileges cannot be started "
            f"(prctl(PR_SET_SECUREBITS) needs CAP_SETPCAP): {probe.stderr.strip()[-200:]}"
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_network(demo_file, tmp_path, unprivileged, what):
    folder = tmp_path / "network"
    folder.mkdir()
    path = folder / "demo.sqlite"
    shutil.copy2(demo_file, path)
    good = _good_file(tmp_path)
    # the roster is good: a writable copy takes it
    writable = tmp_path / "writable.sqlite"
    shutil.copy2(demo_file, writable)
    done = _ilc("--database", str(writable), "import", "participants", str(good))
    assert done.returncode == 0, done.stderr
    assert "Imported 2 participants" in done.stdout

    before, listing = _digest(path), sorted(os.listdir(folder))
    target = path if what == "file" else folder
    original_mode = target.stat().st_mode
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        blocked = path if what == "file" else folder / "new-file"
        probe = _run("-c", f"open({str(blocked)!r}, 'ab')")
        assert probe.returncode != 0 and "PermissionError" in probe.stderr  # truly read-only

        info = _ilc("--database", str(path), "info")
        assert info.returncode == 0, info.stderr
        assert "participants" in info.stdout and "78" in info.stdout
        assert "read-only" in info.stdout

        failed = _ilc("--database", str(path), "import", "participants", str(good))
    finally:
        target.chmod(original_mode)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert len(lines) == 1, failed.stderr
    line = lines[0]
    assert line.startswith("ilc: error:") and "read-only" in line
    assert (str(path) if what == "file" else str(folder)) in line
    output = failed.stdout + failed.stderr
    for leak in ("INSERT", "SELECT", "Traceback", "[SQL", "parameters"):
        assert leak not in output
    for _pid, name, email, _role, _modality in PEOPLE:
        assert name not in output and email not in output
    assert _digest(path) == before
    assert sorted(os.listdir(folder)) == listing  # no -wal/-shm left behind


def test_a_file_made_read_only_while_open_fails_in_one_line(demo_file, tmp_path, unprivileged):
    """The engine opened the file for writing; SQLite's own refusal is translated too."""
    path = tmp_path / "demo.sqlite"
    shutil.copy2(demo_file, path)
    good = _good_file(tmp_path)
    script = f"""
import os, traceback
from ilc_widgets.network import open_network
net = open_network({str(path)!r})
net.engine.dispose()
os.chmod({str(path)!r}, 0o444)
try:
    net.import_participants(open({str(good)!r}, "rb").read(), "good.csv")
except Exception as exc:
    print(type(exc).__name__)
    print("".join(traceback.format_exception(exc)))
"""
    before = _digest(path)
    result = _run("-c", script)
    path.chmod(0o600)
    assert result.returncode == 0, result.stderr
    kind, _, shown = result.stdout.partition("\n")
    assert kind == "DatabaseUnavailable"
    assert f"the database file is read-only: {path}; nothing was saved" in shown
    for leak in ("INSERT", "[SQL", "OperationalError"):
        assert leak not in shown  # the chain is not shown by default
    for _pid, name, email, _role, _modality in PEOPLE:
        assert name not in shown and email not in shown
    assert _digest(path) == before


def test_in_process_read_only_network_reads_and_refuses_writes(demo_file, tmp_path, monkeypatch):
    """The researcher API on a read-only file (simulated for this process)."""
    path = tmp_path / "demo.sqlite"
    shutil.copy2(demo_file, path)
    monkeypatch.setattr(db, "_writable", lambda p: Path(p) != path)
    net = open_network(path)
    assert db.read_only_reason(net.engine) == f"the database file is read-only: {path}"
    assert len(net.participants) == 78
    with pytest.raises(DatabaseUnavailable, match="read-only") as err:
        net.update_settings(actor="t", max_size=8)
    assert "SQL" not in str(err.value)
    with pytest.raises(DatabaseUnavailable, match="read-only"):
        net.rotate_secret()
    net.close()


# ---------------------------------------------------------------------- other causes


def test_locked_database_is_one_line_and_debug_shows_the_chain(
    demo_file, tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "demo.sqlite"
    shutil.copy2(demo_file, path)
    good = _good_file(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code = main(["--database", str(path), "import", "participants", str(good)])
        err = capsys.readouterr().err
        assert code == 1 and len(err.strip().splitlines()) == 1
        assert f"the database is locked by another program: {path}" in err
        assert "BEGIN" not in err and "Zelda" not in err
        with pytest.raises(DatabaseUnavailable) as raised:
            main(["--debug", "--database", str(path), "import", "participants", str(good)])
        assert isinstance(raised.value.__context__, OperationalError)
        assert raised.value.__suppress_context__ is False  # --debug prints the whole chain
    finally:
        holder.rollback()
        holder.close()


def test_unreachable_postgresql_server_is_named():
    from ilc_widgets.serve import free_port

    port = free_port()
    with pytest.raises(DatabaseUnavailable) as err:
        open_network(f"postgresql://ilc:pw@127.0.0.1:{port}/north")
    assert str(err.value) == f"cannot reach the PostgreSQL server at 127.0.0.1:{port}"


def test_driver_errors_become_one_line_without_sql_or_values(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite'}"
    statement = "INSERT INTO participants (name, email) VALUES (?, ?)"
    params = [("Zelda Quartermain", "zelda.quartermain@example.org")]
    cases = {
        "attempt to write a readonly database": "the folder of the database is read-only",
        "database is locked": "the database is locked by another program",
        "database or disk is full": "the disk holding the database is full",
        "file is not a database": "damaged or is not a database",
        "disk I/O error": "input/output error",
        "no such table: participants": "is not a network database of this version",
    }
    (tmp_path / "x.sqlite").touch()
    os.chmod(tmp_path, 0o555)
    try:
        for text, expected in cases.items():
            exc = OperationalError(statement, params, sqlite3.OperationalError(text))
            if text.startswith("attempt") and os.access(tmp_path, os.W_OK):
                expected = "the database is read-only"  # root: the folder is writable
            message = str(db.database_error(exc, url, write=True))
            assert expected in message and message.endswith("; nothing was saved")
            assert "\n" not in message and "INSERT" not in message and "Zelda" not in message
    finally:
        os.chmod(tmp_path, 0o755)
    dup = IntegrityError(statement, params, sqlite3.IntegrityError("UNIQUE constraint failed"))
    message = str(db.database_error(dup, url))
    assert message.startswith("the change conflicts with data already saved")
    assert "zelda" not in message.lower()


def test_a_database_in_a_read_only_folder_cannot_be_created(tmp_path, unprivileged):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = _ilc("--database", str(folder / "new.sqlite"), "init")
    finally:
        folder.chmod(0o755)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"ilc: error: the folder of the database is read-only: {folder}"
    )


def test_engines_hide_parameters():
    engine = db.make_engine("sqlite://")
    assert engine.hide_parameters
    assert isinstance(db.database_error(RuntimeError("x"), "sqlite://"), IlcError)
