"""Engines, URLs and migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from ilc_widgets import db
from ilc_widgets.errors import IlcError


def test_head_revision_matches_the_migration_scripts():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    assert ScriptDirectory.from_config(cfg).get_current_head() == db.HEAD_REVISION


def test_migrated_schema_matches_the_models(database_url):
    """Alembic's autogenerate finds nothing to change after the migrations ran."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from ilc_widgets.models import Base

    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_resolve_url(monkeypatch, tmp_path):
    monkeypatch.delenv("ILC_DATABASE_URL", raising=False)
    assert db.resolve_url(tmp_path / "x.sqlite") == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert db.resolve_url("postgresql://u:p@h/d").startswith("postgresql+psycopg://u:p@h/d")
    monkeypatch.setenv("ILC_DATABASE_URL", "sqlite:////tmp/env.sqlite")
    assert db.resolve_url() == "sqlite:////tmp/env.sqlite"
    monkeypatch.delenv("ILC_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert db.resolve_url() == f"sqlite:///{tmp_path}/ilc-workbook-kit/network.sqlite"
    with pytest.raises(IlcError):
        db.resolve_url("nonsense://")
    assert "secret" not in db.describe_url("postgresql+psycopg://u:secret@h/d")


def test_sqlite_runs_in_wal_mode_and_writes_lock_up_front(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.BUSY_TIMEOUT_MS
    statements = []

    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.transaction(engine, write=True) as conn:
        conn.execute(text("SELECT 1"))
    with db.transaction(engine, write=False) as conn:
        conn.execute(text("SELECT 1"))
    assert "BEGIN IMMEDIATE" in statements
    assert statements.count("BEGIN") == 1
