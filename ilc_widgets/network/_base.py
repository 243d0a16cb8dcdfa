"""The base every part of :class:`~ilc_widgets.network.Network` builds on: transactions,
the audit trail, revision counters and the few lookups every concern shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, overload

from sqlalchemy import Engine, insert, select, update

from .. import db
from ..errors import ConflictError, NotFound, ReadOnlySession
from ..models import AuditRow, CollectiveRow, NetworkRow, ParticipantRow, utcnow
from ._rows import Progress, _chunks

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Executable, Select
else:
    from .._lazy import pd


def _column(table: Any, name: Any) -> Any:
    """Column ``name`` of ``table``; ``collective`` stands for the collective's id
    (``CollectiveRow.code``), as in the contract columns of every table that belongs to a
    collective, and a column expression is taken as it is."""
    if not isinstance(name, str):
        return name
    return CollectiveRow.code.label("collective") if name == "collective" else getattr(table, name)


def _columns(table: Any, names: str | Iterable[Any]) -> list[Any]:
    """The columns ``names`` (a list, or one string split on spaces) of ``table``."""
    return [_column(table, n) for n in (names.split() if isinstance(names, str) else names)]


class TidyView:
    """A read-only attribute of :class:`Network`: the rows of one of its ``*_frame``
    methods as the researchers' tidy frame (:func:`ilc_widgets.tables.tidy` of ``table``)."""

    def __init__(self, table: str, frame: str, doc: str) -> None:
        self.table = table
        self.frame = frame
        self.name = table
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, network: None, owner: type[Any]) -> TidyView: ...

    @overload
    def __get__(self, network: NetworkBase, owner: type[Any]) -> pd.DataFrame: ...

    def __get__(self, network: NetworkBase | None, owner: type[Any]) -> TidyView | pd.DataFrame:
        if network is None:
            return self
        return network._tidy(self.table, getattr(network, self.frame)())

    def __set__(self, network: NetworkBase, value: Any) -> None:
        raise AttributeError(f"{self.name} is read-only: change the network through its methods")


class NetworkBase:
    """One network's connection and the plumbing its methods share."""

    def __init__(self, engine: Engine, network_id: int, url: str) -> None:
        self.engine = engine
        self.id = network_id
        self.url = url
        self.read_only = ""
        """Why this handle may not change the network ('' when it may): see
        :meth:`make_read_only`."""

    def __repr__(self) -> str:
        return f"<Network {self.name!r} at {db.describe_url(self.url)}>"

    def _read(self) -> Any:
        return db.transaction(self.engine, write=False)

    def _write(self) -> Any:
        if self.read_only:
            raise ReadOnlySession(self.read_only)
        return db.transaction(self.engine, write=True)

    def make_read_only(self, reason: str) -> None:
        """Refuse every change through this handle from now on, saying ``reason``."""
        self.read_only = reason

    def _row(self, conn: Connection) -> Any:
        return conn.execute(select(NetworkRow.__table__).where(NetworkRow.id == self.id)).one()

    @property
    def name(self) -> str:
        """The network's name."""
        with self._read() as conn:
            return str(self._row(conn).name)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # ------------------------------------------------------------------ audit and revisions

    def _audit(
        self,
        conn: Connection,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        collective: str,
        detail: Mapping[str, Any],
    ) -> None:
        conn.execute(
            insert(AuditRow).values(
                actor=actor or "",
                action=action,
                entity=entity,
                entity_id=str(entity_id),
                collective=collective or "",
                detail=dict(detail),
                at=utcnow(),
            )
        )

    def _bump(self, conn: Connection, collective_pk: int | None = None) -> None:
        if collective_pk is None:
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(revision=NetworkRow.revision + 1)
            )
        else:
            conn.execute(
                update(CollectiveRow)
                .where(CollectiveRow.id == collective_pk)
                .values(revision=CollectiveRow.revision + 1, updated_at=utcnow())
            )

    # ------------------------------------------------------------------ lookups

    def _collective_row(self, conn: Connection, code: str, *columns: Any) -> Any:
        """``columns`` of collective ``code`` of this network; NotFound when there is none."""
        row = conn.execute(
            select(*columns).where(CollectiveRow.network_id == self.id, CollectiveRow.code == code)
        ).first()
        if row is None:
            raise NotFound(f"there is no collective {code!r} in this network")
        return row

    def _collective_pk(self, conn: Connection, code: str) -> int:
        return int(self._collective_row(conn, code, CollectiveRow.id).id)

    def _participant_pk(self, conn: Connection, participant_id: str) -> int:
        pk = conn.execute(
            select(ParticipantRow.id).where(
                ParticipantRow.network_id == self.id,
                ParticipantRow.participant_id == participant_id,
            )
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(f"there is no participant {participant_id!r} in this network")
        return int(pk)

    def _collective_pks(self, conn: Connection) -> dict[str, int]:
        """Every collective of this network: its id (code) to its primary key."""
        stmt = select(CollectiveRow.code, CollectiveRow.id).where(
            CollectiveRow.network_id == self.id
        )
        return {str(code): int(pk) for code, pk in conn.execute(stmt)}

    def _participant_pks(self, conn: Connection) -> dict[str, int]:
        """Every participant of this network: their participant_id to the primary key."""
        stmt = select(ParticipantRow.participant_id, ParticipantRow.id).where(
            ParticipantRow.network_id == self.id
        )
        return {str(pid): int(pk) for pid, pk in conn.execute(stmt)}

    def _owned_row(
        self, conn: Connection, table: Any, row_id: int, code: str | None, what: str
    ) -> Any:
        """Row ``row_id`` of ``table`` with its collective's ``code``, when it belongs to
        this network (and to collective ``code`` when one is given); else NotFound."""
        stmt = (
            select(table.__table__, CollectiveRow.code)
            .join(CollectiveRow, CollectiveRow.id == table.collective_id)
            .where(table.id == row_id, CollectiveRow.network_id == self.id)
        )
        if code is not None:
            stmt = stmt.where(CollectiveRow.code == code)
        row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(f"there is no {what} {row_id}")
        return row

    # ------------------------------------------------------------------ writing

    def _insert_chunks(
        self,
        conn: Connection,
        table: Any,
        records: Sequence[Mapping[str, Any]],
        progress: Progress | None = None,
    ) -> None:
        """Insert ``records`` in slices, telling ``progress`` (done, total) after each."""
        done = 0
        for part in _chunks(records):
            conn.execute(insert(table), list(part))
            done += len(part)
            if progress:
                progress(done, len(records))

    def _save_version(
        self,
        conn: Connection,
        table: Any,
        row: Any,
        expected_version: int,
        what: str,
        values: Mapping[str, Any],
    ) -> int:
        """Write ``values`` to ``row`` if it is still at ``expected_version``; return the new
        version, or raise :class:`ConflictError` (writing nothing) when it has moved on."""
        new_version = expected_version + 1
        done = conn.execute(
            update(table)
            .where(table.id == row.id, table.version == expected_version)
            .values(**values, updated_at=utcnow(), version=new_version)
        ).rowcount
        if done != 1:
            raise ConflictError(what, expected_version, row.version)
        self._bump(conn, row.collective_id)
        return new_version

    # ------------------------------------------------------------------ reading

    def _frame(self, stmt: Executable) -> pd.DataFrame:
        with self._read() as conn:
            result = conn.execute(stmt)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    def _records(self, stmt: Executable) -> list[dict[str, Any]]:
        """The rows of ``stmt`` as dicts by column (for pages that need no DataFrame)."""
        with self._read() as conn:
            return [dict(row) for row in conn.execute(stmt).mappings()]

    def _of_collectives(self, table: Any, names: str | Iterable[Any]) -> Select[Any]:
        """SELECT ``names`` (see :func:`_columns`) of ``table``'s rows in this network."""
        return (
            select(*_columns(table, names))
            .join(CollectiveRow, CollectiveRow.id == table.collective_id)
            .where(CollectiveRow.network_id == self.id)
        )

    def _collective_frame(
        self,
        table: Any,
        names: str | Iterable[Any],
        order: str,
        *,
        collective: str | None = None,
        where: Sequence[Any] = (),
    ) -> pd.DataFrame:
        """``names`` of ``table``'s rows in this network (of one collective when given, and
        meeting the conditions ``where``), sorted by the columns named in ``order``."""
        return self._frame(self._collective_query(table, names, order, collective, where))

    def _collective_query(
        self,
        table: Any,
        names: str | Iterable[Any],
        order: str,
        collective: str | None,
        where: Sequence[Any],
    ) -> Select[Any]:
        keys = [
            CollectiveRow.code if n == "collective" else getattr(table, n) for n in order.split()
        ]
        stmt = self._of_collectives(table, names).order_by(*keys)
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        if where:
            stmt = stmt.where(*where)
        return stmt

    @staticmethod
    def _tidy(table: str, frame: pd.DataFrame) -> pd.DataFrame:
        from ..tables import tidy

        return tidy(table, frame)
