"""Database engines: where a network lives and how transactions take their locks.

The embedded default is a SQLite file in WAL mode with a busy timeout, whose write
transactions start with ``BEGIN IMMEDIATE`` so that two writers queue instead of failing
half-way. The same code runs on PostgreSQL when the URL says so.

This module is also the storage boundary for errors: SQLAlchemy's and the drivers'
exceptions (whose text carries SQL and the values of the rows) leave it as
:class:`~ilc_widgets.errors.DatabaseUnavailable`, one line that names the cause. A SQLite
file (or folder) the user may not write is opened read-only: reading works, and a write
fails with "the database file is read-only: PATH" before it touches the file. A SQLite file
the kit creates is readable by its owner only (so are its -wal and -shm files, which SQLite
creates with the database file's mode).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import weakref
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    StatementError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import NullPool

from .errors import DatabaseUnavailable, IlcError

if TYPE_CHECKING:
    from collections.abc import Iterator

ENV_URL = "ILC_DATABASE_URL"
BUSY_TIMEOUT_MS = 60_000
# Head revision of the Alembic scripts; tests check it against the scripts themselves.
HEAD_REVISION = "0001"
FILE_MODE = 0o600  # a network file the kit creates: its owner only
FOLDER_MODE = 0o700  # a folder the kit creates for one

# Engines opened read-only, and why (the message a write gets).
_READ_ONLY: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


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


def _sqlite_connect(dbapi_conn: Any, _record: Any, *, read_only: bool = False) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not read_only:  # a read-only file keeps the journal mode it has (WAL for the kit's)
        cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = conn.info.pop("ilc_begin", "BEGIN")
    conn.exec_driver_sql(mode)


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL (None for other backends and in-memory databases)."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _read_only_reason(path: Path) -> str | None:
    """Why a SQLite file cannot be written by this process, or None when it can."""
    file_ok = not path.exists() or _writable(path)
    folder_ok = _writable(path.parent)
    if file_ok and folder_ok:
        return None
    if not file_ok and not folder_ok:
        return f"the database file and its folder are read-only: {path}"
    if not file_ok:
        return f"the database file is read-only: {path}"
    return f"the folder of the database is read-only: {path.parent}"


def _read_only_uri(path: Path, reason: str) -> str:
    """The SQLite URI that reads ``path`` without writing anything beside it.

    With no pending changes in a -wal file the file is opened ``immutable``: SQLite then
    makes no -wal/-shm files (which a read-only folder would refuse, and which a
    ``mode=ro`` open would leave behind with the file's read-only mode, breaking later
    writers). When a -wal file with its -shm index exists (a server is writing right now),
    ``mode=ro`` reads through them.
    """
    location = "file:" + quote(str(path))
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    try:
        pending = wal.exists() and wal.stat().st_size > 0
        if not pending:
            return f"{location}?mode=ro&immutable=1"
        if shm.exists():
            return f"{location}?mode=ro"
    except OSError as exc:
        raise DatabaseUnavailable(_os_message(exc, path)) from None
    raise DatabaseUnavailable(
        f"{reason}, and {wal.name} holds changes not yet written into the file: open the "
        "network once with write access to merge them"
    )


def _os_message(exc: OSError, path: Path) -> str:
    if exc.errno == errno.EROFS:
        return f"the database is on a read-only file system: {path}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        reason = _read_only_reason(path) if path.parent.exists() else None
        return reason or f"permission denied for the database file: {path}"
    if exc.errno == errno.ENOSPC:
        return f"the disk holding the database is full: {path}"
    return f"cannot use the database file {path}: {exc.strerror or type(exc).__name__}"


def _create_sqlite_file(path: Path) -> None:
    """Make the folder (owner only, if the kit makes it) and an empty owner-only file."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return
    except OSError as exc:
        raise DatabaseUnavailable(_os_message(exc, path)) from None
    os.close(fd)


def read_only_reason(engine: Engine) -> str | None:
    """Why ``engine`` was opened read-only (None when it may write)."""
    return _READ_ONLY.get(engine)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the kit's locking rules applied.

    A new SQLite file is created readable by its owner only; an existing one this process
    may not write (or whose folder it may not write) is opened read-only.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        reason = None
        kwargs: dict[str, Any] = {}
        if path is not None:
            try:
                exists = path.exists()
            except OSError as exc:
                raise DatabaseUnavailable(_os_message(exc, path)) from None
            if not exists:
                _create_sqlite_file(path)
            reason = _read_only_reason(path)
        if path is not None and reason is not None:
            uri = _read_only_uri(path, reason)
            timeout = BUSY_TIMEOUT_MS / 1000
            kwargs["creator"] = partial(
                sqlite3.connect, uri, uri=True, timeout=timeout, check_same_thread=False
            )
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            poolclass=NullPool if path is None else None,
            hide_parameters=True,
            **kwargs,
        )
        event.listen(engine, "connect", partial(_sqlite_connect, read_only=reason is not None))
        event.listen(engine, "begin", _sqlite_begin)
        if reason is not None:
            _READ_ONLY[engine] = reason
        return engine
    try:
        return create_engine(
            url, pool_pre_ping=True, pool_size=5, max_overflow=5, hide_parameters=True
        )
    except ArgumentError as exc:
        raise IlcError(f"cannot use database {describe_url(url)}: {exc}") from None


# ---------------------------------------------------------------------- errors


def _where(url: URL) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    if url.get_backend_name() == "sqlite":
        return "the in-memory database"
    return url.render_as_string(hide_password=True)


def _server(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def _sqlite_message(orig: BaseException, url: URL) -> str:
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    text_ = str(orig).lower()
    where = _where(url)
    path = sqlite_path(url)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text_:
        reason = _read_only_reason(path) if path is not None else None
        return reason or f"the database is read-only: {where}"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text_:
        if path is not None:
            reason = _read_only_reason(path) if path.parent.exists() else None
            if reason:
                return reason
            if not path.exists():
                return f"the database file is missing: {where}"
        return f"cannot open the database file: {where}"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text_:
        return f"the database is locked by another program: {where} (try again in a moment)"
    if name.startswith("SQLITE_FULL") or "disk is full" in text_:
        return f"the disk holding the database is full: {where}"
    if (
        name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
        or "malformed" in text_
        or "not a database" in text_
    ):
        return f"the database file is damaged or is not a database: {where}"
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text_:
        return f"cannot read or write the database file (input/output error): {where}"
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")):
        return f"permission denied for the database file: {where}"
    if "no such table" in text_ or "no such column" in text_:
        return f"{where} is not a network database of this version of the kit"
    return f"the database at {where} reported an error ({name or type(orig).__name__})"


def _postgres_message(orig: BaseException, url: URL, invalidated: bool) -> str:
    state = str(getattr(orig, "sqlstate", "") or "")
    text_ = str(orig).lower()
    server = f"the PostgreSQL server at {_server(url)}"
    user = url.username or "(default user)"
    if (
        state.startswith("28")
        or "password authentication failed" in text_
        or ("role" in text_ and "does not exist" in text_)
    ):
        return f"{server} refused the login of user {user}"
    if "no password supplied" in text_:
        return f"{server} asks for a password for user {user}; put it in the URL or ~/.pgpass"
    if state == "3D000" or ("database" in text_ and "does not exist" in text_):
        return f"there is no database {url.database!r} on {server}"
    if state == "25006":
        return f"the PostgreSQL database {url.database!r} at {_server(url)} is read-only"
    if state == "42501":
        return f"the PostgreSQL user {user} may not do this in database {url.database!r}"
    if state in ("40001", "40P01", "55P03") or state.startswith("55"):
        return "the database is locked by another program (try again in a moment)"
    if state == "53100":
        return f"the disk of {server} is full"
    if state == "53300":
        return f"{server} has no free connections (try again in a moment)"
    if state.startswith("57P"):
        return f"{server} is shutting down or starting up (try again in a moment)"
    if state == "42P01":
        return f"database {url.database!r} is not a network database of this version of the kit"
    if state.startswith("08") or invalidated:
        return f"lost the connection to {server}"
    if not state:
        return f"cannot reach {server}"
    return f"the PostgreSQL database reported an error ({state})"


def database_error(exc: BaseException, url: str | URL, *, write: bool = False) -> IlcError:
    """The one-line :class:`DatabaseUnavailable` that stands for a SQLAlchemy/driver error.

    The message names the cause and the file or server, never SQL, parameters or data.
    """
    parsed = make_url(url) if isinstance(url, str) else url
    if isinstance(exc, IntegrityError):
        message = "the change conflicts with data already saved (a duplicate, or a missing row)"
    elif isinstance(exc, PoolTimeout):
        message = "the database is busy: every connection is in use (try again in a moment)"
    elif isinstance(exc, DBAPIError):
        orig = exc.orig if exc.orig is not None else exc
        if parsed.get_backend_name() == "sqlite":
            message = _sqlite_message(orig, parsed)
        elif parsed.get_backend_name() == "postgresql":
            message = _postgres_message(orig, parsed, bool(exc.connection_invalidated))
        else:
            message = f"the database {_where(parsed)} reported an error ({type(orig).__name__})"
    elif isinstance(exc, StatementError):
        kind = type(exc.orig).__name__ if exc.orig is not None else "a wrong value"
        message = f"a value could not be stored in the database ({kind})"
    elif isinstance(exc, OSError):
        path = sqlite_path(parsed)
        message = _os_message(exc, path) if path else f"cannot reach {_where(parsed)}"
    else:
        message = f"the database at {_where(parsed)} reported an error ({type(exc).__name__})"
    if write:
        message += "; nothing was saved"
    return DatabaseUnavailable(message)


_TRANSLATED = (DBAPIError, StatementError, PoolTimeout)


@contextmanager
def translated_errors(engine: Engine, *, write: bool = False) -> Iterator[None]:
    """Turn database errors raised inside the block into one-line :class:`DatabaseUnavailable`.

    The original is kept as ``__context__`` with its display suppressed (``raise ... from
    None``): tracebacks and logs show the safe line, ``ilc --debug`` shows the chain.
    """
    try:
        yield
    except _TRANSLATED as exc:
        raise database_error(exc, engine.url, write=write) from None


def _refuse_write(engine: Engine) -> None:
    reason = _READ_ONLY.get(engine)
    if reason is not None:
        raise DatabaseUnavailable(f"{reason}; nothing was saved")


@contextmanager
def transaction(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """A connection inside one transaction; write transactions take the lock up front.

    Database errors leave as :class:`DatabaseUnavailable` (see :func:`translated_errors`);
    a write on a database opened read-only is refused before it starts.
    """
    if write:
        _refuse_write(engine)
    with translated_errors(engine, write=write), engine.connect() as conn:
        if is_sqlite(conn):
            conn.info["ilc_begin"] = "BEGIN IMMEDIATE" if write else "BEGIN"
        with conn.begin():
            yield conn


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database."""
    with translated_errors(engine), engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op, and fast, when it already is).

    A database opened read-only is used as it is when its schema is current; otherwise the
    upgrade would need to write, and the read-only reason is raised.
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    reason = _READ_ONLY.get(engine)
    if reason is not None:
        what = "holds no network yet" if revision is None else "needs an upgrade of its schema"
        raise DatabaseUnavailable(f"{reason} (the database {what}, which needs write access)")
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
