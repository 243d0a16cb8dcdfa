"""Evidence and the implementation log: entries added, imported, edited, deleted and
restored, and the actions leaders took."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from ..errors import IlcError
from ..models import ActionRow, CollectiveRow, EvidenceRow, utcnow
from ._base import NetworkBase, _columns
from ._rows import EVIDENCE_FIELDS, Progress, _as_date, _jsonable

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Select

    from ..importers import ImportResult, TableSource
else:
    from .._lazy import pd


_LIVE = (ActionRow.deleted_at.is_(None),)


class EvidenceMixin(NetworkBase):
    """The evidence log and the implementation log of every collective."""

    def add_evidence(self, code: str, actor: str = "", **entry: Any) -> int:
        """Log one piece of evidence for a collective; returns its id."""
        from ..importers import validate_evidence_record

        record = validate_evidence_record(entry)
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            now = utcnow()
            new_id = conn.execute(
                insert(EvidenceRow).values(
                    collective_id=pk,
                    **{**record, "entered_by": record.get("entered_by") or actor},
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key
            assert new_id is not None
            self._bump(conn, pk)
            self._audit(conn, actor, "add", "evidence", str(new_id[0]), code, _jsonable(record))
        return int(new_id[0])

    def import_evidence(
        self,
        source: TableSource,
        filename: str | None = None,
        *,
        collective: str | None = None,
        column_map: Mapping[str, str] | None = None,
        sheet: str | int | None = None,
        dayfirst: bool | None = None,
        allow_duplicates: bool = False,
        actor: str = "",
        progress: Progress | None = None,
    ) -> ImportResult:
        """Validate an evidence file and add its rows, or raise and add nothing.

        A row equal (see :data:`~ilc_widgets.importers.EVIDENCE_KEY`) to one already present
        and not deleted, or to an earlier row of the same file, is skipped and reported in
        the result's ``skipped_rows``, unless ``allow_duplicates``. When every row is skipped
        nothing is written at all. ``sheet`` picks an XLSX sheet; ``dayfirst`` gives the order
        of numeric dates such as 03/04/2026 (True: day first).
        """
        from ..importers import ImportResult, evidence_key, load_evidence, to_records

        with self._read() as conn:
            codes = self._collective_pks(conn)
        frame = load_evidence(
            source,
            filename,
            collective=collective,
            column_map=column_map,
            known_collectives=list(codes),
            sheet=sheet,
            dayfirst=dayfirst,
        )
        name = str(frame.attrs.get("file") or filename or "upload")
        entries = list(zip((int(r) for r in frame.index), to_records(frame), strict=True))
        touched = sorted({int(codes[str(rec["collective"])]) for _, rec in entries})
        now = utcnow()
        skipped: list[int] = []
        with self._write() as conn:
            if not allow_duplicates:
                seen = self._evidence_keys(conn, touched)
                fresh = []
                for row, rec in entries:
                    key = evidence_key(rec)
                    if key in seen:
                        skipped.append(row)
                    else:
                        seen.add(key)
                        fresh.append((row, rec))
                entries = fresh
            records = []
            for _, rec in entries:
                values: dict[str, Any] = {
                    f: rec.get(f) for f in EVIDENCE_FIELDS if f != "collective"
                }
                values["collective_id"] = codes[str(rec["collective"])]
                values["entered_by"] = values["entered_by"] or actor
                values["created_at"] = now
                values["updated_at"] = now
                records.append(values)
            self._insert_chunks(conn, EvidenceRow, records, progress)
            if records:
                for pk in sorted({int(r["collective_id"]) for r in records}):
                    self._bump(conn, pk)
                self._audit(
                    conn,
                    actor,
                    "import",
                    "evidence",
                    "",
                    collective or "",
                    {"rows": len(records), "skipped": len(skipped), "file": name},
                )
        return ImportResult(
            file=name,
            kind="evidence",
            added=len(records),
            skipped_rows=tuple(skipped),
            ignored_columns=tuple(frame.attrs.get("ignored_columns", ())),
            notes=tuple(frame.attrs.get("warnings", ())),
        )

    def _evidence_keys(self, conn: Connection, collective_pks: Sequence[int]) -> set[Any]:
        """The :func:`~ilc_widgets.importers.evidence_key` of every live entry of these
        collectives (deleted entries are not present: importing one again brings it back)."""
        from ..importers import EVIDENCE_KEY, evidence_key

        if not collective_pks:
            return set()
        result = conn.execute(
            select(*_columns(EvidenceRow, EVIDENCE_KEY))
            .join(CollectiveRow, CollectiveRow.id == EvidenceRow.collective_id)
            .where(EvidenceRow.collective_id.in_(collective_pks), EvidenceRow.deleted_at.is_(None))
        )
        names = list(result.keys())
        return {evidence_key(dict(zip(names, row, strict=True))) for row in result}

    def _evidence_row(self, conn: Connection, entry_id: int, code: str | None) -> Any:
        return self._owned_row(conn, EvidenceRow, entry_id, code, "evidence entry")

    def update_evidence(
        self,
        entry_id: int,
        expected_version: int,
        *,
        collective: str | None = None,
        actor: str = "",
        **changes: Any,
    ) -> int:
        """Edit an entry read at ``expected_version``; returns the new version."""
        from ..importers import validate_evidence_record

        with self._write() as conn:
            row = self._evidence_row(conn, entry_id, collective)
            merged = {f: getattr(row, f) for f in EVIDENCE_FIELDS if f != "collective"}
            merged.update(changes)
            record = validate_evidence_record(merged)
            what = f"Evidence entry {entry_id}"
            new_version = self._save_version(conn, EvidenceRow, row, expected_version, what, record)
            self._audit(
                conn, actor, "update", "evidence", str(entry_id), row.code, _jsonable(changes)
            )
        return new_version

    def delete_evidence(
        self, entry_id: int, *, collective: str | None = None, actor: str = ""
    ) -> None:
        """Delete an entry (recoverable with :meth:`restore_evidence`)."""
        self._set_deleted(entry_id, collective, actor, deleted=True)

    def restore_evidence(
        self, entry_id: int, *, collective: str | None = None, actor: str = ""
    ) -> None:
        """Bring back a deleted entry."""
        self._set_deleted(entry_id, collective, actor, deleted=False)

    def _set_deleted(self, entry_id: int, code: str | None, actor: str, *, deleted: bool) -> None:
        with self._write() as conn:
            row = self._evidence_row(conn, entry_id, code)
            conn.execute(
                update(EvidenceRow)
                .where(EvidenceRow.id == entry_id)
                .values(
                    deleted_at=utcnow() if deleted else None,
                    deleted_by=actor if deleted else "",
                    version=EvidenceRow.version + 1,
                )
            )
            self._bump(conn, row.collective_id)
            self._audit(
                conn,
                actor,
                "delete" if deleted else "restore",
                "evidence",
                str(entry_id),
                row.code,
                {},
            )

    def evidence_frame(
        self, collective: str | None = None, *, include_deleted: bool = False
    ) -> pd.DataFrame:
        """Evidence as a DataFrame (contract columns plus ``id``, ``version``, ``deleted``)."""
        frame = self._frame(self._evidence_query(collective, include_deleted))
        frame["deleted"] = frame["deleted_at"].notna()
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
        frame["value"] = frame["value"].astype("float64")
        frame["n"] = frame["n"].astype("Int64")
        return frame

    def evidence_records(
        self, collective: str | None = None, *, include_deleted: bool = False
    ) -> list[dict[str, Any]]:
        """:meth:`evidence_frame` as one dict per entry, oldest first (what a page shows,
        without pandas): ``date`` a date, ``value`` a float or None, ``n`` an int or None."""
        out = self._records(self._evidence_query(collective, include_deleted))
        for entry in out:
            entry["deleted"] = entry["deleted_at"] is not None
            entry["date"] = _as_date(entry["date"], "date")
            entry["value"] = None if entry["value"] is None else float(entry["value"])
            entry["n"] = None if entry["n"] is None else int(entry["n"])
        return out

    def _evidence_query(self, collective: str | None, include_deleted: bool) -> Select[Any]:
        stmt = self._of_collectives(
            EvidenceRow, ["id", *EVIDENCE_FIELDS, "created_at", "version", "deleted_at"]
        ).order_by(EvidenceRow.date, EvidenceRow.id)
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        if not include_deleted:
            stmt = stmt.where(EvidenceRow.deleted_at.is_(None))
        return stmt

    @property
    def evidence(self) -> pd.DataFrame:
        """All evidence that is not deleted, as a tidy frame (no ``deleted`` columns).

        ``net.tables()["evidence"]`` has the deleted entries too, marked by ``deleted`` and
        ``deleted_at``; :meth:`evidence_frame` is the widgets' (untidy) frame.
        """
        frame = self._tidy("evidence", self.evidence_frame())
        return frame.drop(columns=["deleted_at", "deleted"])

    # ------------------------------------------------------------------ implementation log

    def add_action(
        self, code: str, date: dt.date | str, action: str, toa_step: str = "", actor: str = ""
    ) -> int:
        """Record an action the leaders took, linked to a theory-of-action step id."""
        if not str(action).strip():
            raise IlcError("describe the action that was taken")
        day = _as_date(date, "date")
        if day > dt.date.today():
            raise IlcError(f"date {day.isoformat()} is in the future")
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            new_id = conn.execute(
                insert(ActionRow).values(
                    collective_id=pk,
                    date=day,
                    action=str(action).strip(),
                    toa_step=toa_step,
                    entered_by=actor,
                )
            ).inserted_primary_key
            assert new_id is not None
            self._bump(conn, pk)
            self._audit(conn, actor, "add", "action", str(new_id[0]), code, {"action": action})
        return int(new_id[0])

    def delete_action(
        self, action_id: int, *, collective: str | None = None, actor: str = ""
    ) -> None:
        """Remove an action from the log (kept in the database, hidden)."""
        with self._write() as conn:
            row = self._owned_row(conn, ActionRow, action_id, collective, "action")
            conn.execute(
                update(ActionRow).where(ActionRow.id == action_id).values(deleted_at=utcnow())
            )
            self._bump(conn, row.collective_id)
            self._audit(conn, actor, "delete", "action", str(action_id), row.code, {})

    def implementation_log(self, collective: str | None = None) -> pd.DataFrame:
        """Actions taken, by date (the widgets' frame; ``tables()`` has the tidy one)."""
        return self._collective_frame(*self._actions_query(), collective=collective, where=_LIVE)

    def action_list(self, collective: str) -> list[dict[str, Any]]:
        """:meth:`implementation_log` of one collective as one dict per action (no pandas)."""
        return self._records(self._collective_query(*self._actions_query(), collective, _LIVE))

    @staticmethod
    def _actions_query() -> tuple[Any, str, str]:
        return ActionRow, "id collective date action toa_step entered_by", "date id"
