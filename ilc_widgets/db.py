"""Database engines: where a network lives and how transactions take their locks.

The embedded default is a SQLite file in WAL mode with a busy timeout, whose write
transactions start with ``BEGIN IMMEDIATE`` so that two writers queue instead of failing
half-way. The same code runs on PostgreSQL when the URL says so.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from .errors import IlcError

if TYPE_CHECKING:
    from collections.abc import Iterator

ENV_URL = "ILC_DATABASE_URL"
BUSY_TIMEOUT_MS = 60_000
# Head revision of the Alembic scripts; tests check it against the scripts themselves.
HEAD_REVISION = "0001"


def default_path() -> Path:
    """The network file used when neither ``--database`` nor ``ILC_DATABASE_URL`` is set."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "ilc-workbook-kit" / "network.sqlite"


def resolve_url(database: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from ``--database``, ``ILC_DATABASE_URL`` or the default file.

    A value with ``://`` is a SQLAlchemy URL; anything else is a path to a SQLite file.
    ``postgresql://`` URLs use the psycopg 3 driver.
    """
    raw = str(database) if database is not None else os.environ.get(ENV_URL) or ""
    if not raw:
        return f"sqlite:///{default_path()}"
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise IlcError(f"not a database URL: {raw!r} ({exc})") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    try:
        url.get_dialect()
    except (ArgumentError, NoSuchModuleError):
        raise IlcError(
            f"unknown kind of database in {url.drivername!r}: use a file path, "
            "sqlite:///PATH or postgresql://USER@HOST/DBNAME"
        ) from None
    return url.render_as_string(hide_password=False)


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def is_sqlite(engine: Engine | Connection) -> bool:
    """True for the embedded SQLite backend."""
    return engine.dialect.name == "sqlite"


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.info.pop("ilc_begin", "BEGIN")
    conn.exec_driver_sql(mode)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the kit's locking rules applied."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database)
            if not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            poolclass=NullPool if parsed.database in (None, "", ":memory:") else None,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except ArgumentError as exc:
        raise IlcError(f"cannot use database {describe_url(url)}: {exc}") from None


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """A connection inside one transaction; write transactions take the lock up front."""
    with engine.connect() as conn:
        if is_sqlite(conn):
            conn.info["ilc_begin"] = "BEGIN IMMEDIATE" if write else "BEGIN"
        with conn.begin():
            yield conn


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op, and fast, when it already is)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with transaction(engine, write=True) as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a new database at once: one migrates, one waits.
            conn.execute(text("SELECT pg_advisory_xact_lock(461178)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
