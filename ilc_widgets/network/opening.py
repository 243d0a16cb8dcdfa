"""The :class:`Network` handle, assembled from its concerns, and opening or creating one."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from .. import db
from ..errors import IlcError
from ..models import NetworkRow
from ._rows import DEFAULT_SETTINGS
from .collectives import CollectivesMixin
from .evidence import EvidenceMixin
from .exports import ExportsMixin
from .participants import ParticipantsMixin
from .placemats import PlacematsMixin
from .reviews import ReviewsMixin
from .settings import SettingsMixin

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping
    from pathlib import Path


class Network(
    ExportsMixin,
    ParticipantsMixin,
    CollectivesMixin,
    PlacematsMixin,
    EvidenceMixin,
    ReviewsMixin,
    SettingsMixin,
):
    """The data of one network, read as DataFrames and changed through its methods."""


def create_network(
    database: str | Path | None = None,
    name: str = "ILC network",
    *,
    description: str = "",
    school_year: str = "",
    cycle_start: dt.date | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Network:
    """Create the database (if needed) and its network; refuses if one exists there."""
    url = db.resolve_url(database)
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.transaction(engine, write=True) as conn:
        existing = conn.execute(select(NetworkRow.id)).first()
        if existing is not None:
            raise IlcError(
                f"{db.describe_url(url)} already holds a network; use another --database"
            )
        pk = conn.execute(
            insert(NetworkRow).values(
                name=name,
                description=description,
                school_year=school_year,
                cycle_start=cycle_start,
                secret=secrets.token_urlsafe(32),
                settings={**DEFAULT_SETTINGS, **(settings or {})},
            )
        ).inserted_primary_key
        assert pk is not None
    return Network(engine, int(pk[0]), url)


def open_network(database: str | Path | None = None) -> Network:
    """Open the network stored at a path or SQLAlchemy URL (default: see :mod:`db`)."""
    url = db.resolve_url(database)
    path = db.sqlite_path(url)
    try:
        missing = path is not None and not path.exists()
    except OSError as exc:  # e.g. a folder on the way that may not be searched
        raise db.database_error(exc, url) from None
    if missing:
        raise IlcError(f"there is no network at {path}; create one with `ilc init` or `ilc demo`")
    engine = db.make_engine(url)
    try:
        db.upgrade(engine)
        with db.transaction(engine, write=False) as conn:
            row = conn.execute(select(NetworkRow.id).order_by(NetworkRow.id)).first()
    except Exception as exc:
        if isinstance(exc, IlcError):
            raise
        raise IlcError(f"cannot open the network at {db.describe_url(url)}: {exc}") from exc
    if row is None:
        raise IlcError(f"{db.describe_url(url)} holds no network yet; create one with `ilc init`")
    return Network(engine, int(row[0]), url)
