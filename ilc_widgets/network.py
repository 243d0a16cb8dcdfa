"""One network's data: the storage API used by the widgets, the ``ilc`` command and researchers.

Open a network with :func:`open_network` (a path, a SQLAlchemy URL, ``ILC_DATABASE_URL``
or the default file). Reading gives pandas DataFrames (``net.participants``,
``net.evidence``, ...); every change goes through a method here that writes it, its audit
row and the collective's revision counter in one transaction, so a change is saved the
moment it is made and two people never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import db
from .errors import ConflictError, IlcError, NotFound, ReadOnlySession
from .models import (
    ActionRow,
    AuditRow,
    CollectiveRow,
    EvidenceRow,
    IndicatorRow,
    MembershipRow,
    NetworkRow,
    ParticipantRow,
    PlacematRow,
    PlacematVersionRow,
    PulseResponseRow,
    ReflectionRow,
    ScoreRow,
    ThemeRow,
    utcnow,
)
from .placemat import Placemat, validate_placemat
from .vocab import EVIDENCE_COLUMNS, EVIDENCE_TYPES, MODALITIES, PARTICIPANT_COLUMNS, ROLES

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Executable

    from .importers import ImportResult, TableSource

Progress = Callable[[int, int], None]

PARTICIPANT_FIELDS = PARTICIPANT_COLUMNS
EVIDENCE_FIELDS = EVIDENCE_COLUMNS
DEFAULT_SETTINGS: dict[str, Any] = {
    "max_size": 10,
    "min_size": 4,
    "min_cell_size": 10,
    "facilitators": [],
    "show_participant_names": False,
}
_CHUNK = 5_000
ENV_SECRET = "ILC_SECRET"
MIN_SECRET_CHARS = 32


def secret_from_environment() -> str | None:
    """The link secret from ``ILC_SECRET`` (None when unset); a short one is refused.

    Deployments that keep the secret out of the database set it there; links are then
    signed with it and the database's stored secret is not used.
    """
    value = os.environ.get(ENV_SECRET, "").strip()
    if not value:
        return None
    if len(value) < MIN_SECRET_CHARS:
        raise IlcError(
            f"{ENV_SECRET} is too short: give at least {MIN_SECRET_CHARS} characters, e.g. "
            'the output of `python -c "import secrets; print(secrets.token_urlsafe(32))"`'
        )
    return value


@dataclass(frozen=True)
class Collective:
    """A collective as the workbooks show it."""

    code: str
    name: str
    theme: str
    region: str
    modality: str
    facilitator_name: str
    facilitator_email: str
    locked: bool
    revision: int


@dataclass(frozen=True)
class PlacematState:
    """A placemat and the version it was read at (pass it back when saving)."""

    placemat: Placemat
    version: int
    updated_at: dt.datetime | None
    updated_by: str


def _clean(value: Any) -> Any:
    """None for pandas' missing values, the value otherwise."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


def _text(value: Any) -> str:
    value = _clean(value)
    return "" if value is None else str(value).strip()


def _as_date(value: Any, what: str) -> dt.date:
    value = _clean(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise IlcError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


class Network:
    """The data of one network, read as DataFrames and changed through its methods."""

    def __init__(self, engine: Engine, network_id: int, url: str) -> None:
        self.engine = engine
        self.id = network_id
        self.url = url
        self.read_only = ""
        """Why this handle may not change the network ('' when it may): see
        :meth:`make_read_only`."""

    # ------------------------------------------------------------------ basics

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

    @property
    def info(self) -> dict[str, Any]:
        """Name, description, school year, cycle start and settings."""
        with self._read() as conn:
            row = self._row(conn)
            return {
                "name": row.name,
                "description": row.description,
                "school_year": row.school_year,
                "cycle_start": row.cycle_start,
                "settings": {**DEFAULT_SETTINGS, **(row.settings or {})},
            }

    @property
    def settings(self) -> dict[str, Any]:
        """Network settings (group sizes, privacy minimum, facilitators), with defaults."""
        return dict(self.info["settings"])

    @property
    def facilitator_emails(self) -> list[str]:
        """The ``facilitators`` setting: who, signed in, sees every collective (lowercase)."""
        found: list[str] = []
        for value in self.settings.get("facilitators", []):
            email = value.strip().lower() if isinstance(value, str) else ""
            if email and email not in found:
                found.append(email)
        return found

    def update_settings(self, actor: str = "", **changes: Any) -> dict[str, Any]:
        """Change settings; unknown keys are kept too (researchers may add their own)."""
        with self._write() as conn:
            row = self._row(conn)
            merged = {**(row.settings or {}), **changes}
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(settings=merged, revision=NetworkRow.revision + 1)
            )
            self._audit(conn, actor, "update", "settings", "", "", changes)
        return {**DEFAULT_SETTINGS, **merged}

    def update_info(self, actor: str = "", **changes: Any) -> None:
        """Change the name, description, school year or cycle start."""
        allowed = {"name", "description", "school_year", "cycle_start"}
        unknown = set(changes) - allowed
        if unknown:
            raise IlcError(f"unknown network field(s): {', '.join(sorted(unknown))}")
        with self._write() as conn:
            conn.execute(update(NetworkRow).where(NetworkRow.id == self.id).values(**changes))
            self._audit(conn, actor, "update", "network", str(self.id), "", _jsonable(changes))

    @property
    def secret(self) -> str:
        """The secret that signs access links: ``ILC_SECRET`` when set, else the stored one.

        Rotate the stored one with :meth:`rotate_secret`.
        """
        from_env = secret_from_environment()
        if from_env is not None:
            return from_env
        with self._read() as conn:
            return str(self._row(conn).secret)

    @property
    def secret_source(self) -> str:
        """Where the link secret comes from: ``"ILC_SECRET"`` or ``"database"``."""
        return ENV_SECRET if secret_from_environment() is not None else "database"

    def rotate_secret(self, actor: str = "") -> str:
        """Issue a new secret: every link signed with the old one stops working.

        Refused while ``ILC_SECRET`` supplies the secret: the database's is not in use then,
        and the new keys come from setting ``ILC_SECRET`` to a new value.
        """
        if secret_from_environment() is not None:
            raise IlcError(
                f"the link secret comes from {ENV_SECRET}, not from the database: to issue "
                f"new keys, set {ENV_SECRET} to a new value and restart `ilc serve`"
            )
        new = secrets.token_urlsafe(32)
        with self._write() as conn:
            conn.execute(
                update(NetworkRow)
                .where(NetworkRow.id == self.id)
                .values(secret=new, key_epoch=NetworkRow.key_epoch + 1)
            )
            self._audit(conn, actor, "rotate", "keys", "", "", {})
        return new

    def revision(self, code: str | None = None) -> int:
        """A counter that grows with every change (of one collective, or network-wide)."""
        with self._read() as conn:
            if code is None:
                total = conn.execute(
                    select(func.coalesce(func.sum(CollectiveRow.revision), 0)).where(
                        CollectiveRow.network_id == self.id
                    )
                ).scalar_one()
                return int(self._row(conn).revision) + int(total)
            return int(
                conn.execute(
                    select(CollectiveRow.revision).where(
                        CollectiveRow.network_id == self.id, CollectiveRow.code == code
                    )
                ).scalar_one_or_none()
                or 0
            )

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

    def _frame(self, stmt: Executable) -> pd.DataFrame:
        with self._read() as conn:
            result = conn.execute(stmt)
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))

    # ------------------------------------------------------------------ collectives

    def _collective_pk(self, conn: Connection, code: str) -> int:
        pk = conn.execute(
            select(CollectiveRow.id).where(
                CollectiveRow.network_id == self.id, CollectiveRow.code == code
            )
        ).scalar_one_or_none()
        if pk is None:
            raise NotFound(f"there is no collective {code!r} in this network")
        return int(pk)

    def collective(self, code: str) -> Collective:
        """One collective by its id (the ``collective`` of links and files)."""
        with self._read() as conn:
            row = conn.execute(
                select(CollectiveRow.__table__).where(
                    CollectiveRow.network_id == self.id, CollectiveRow.code == code
                )
            ).first()
        if row is None:
            raise NotFound(f"there is no collective {code!r} in this network")
        return _collective(row)

    def collective_list(self) -> list[Collective]:
        """All collectives, ordered by id."""
        with self._read() as conn:
            rows = conn.execute(
                select(CollectiveRow.__table__)
                .where(CollectiveRow.network_id == self.id)
                .order_by(CollectiveRow.code)
            ).fetchall()
        return [_collective(r) for r in rows]

    def create_collective(
        self,
        code: str,
        name: str,
        *,
        theme: str = "",
        region: str = "",
        modality: str = "virtual",
        facilitator_name: str = "",
        facilitator_email: str = "",
        actor: str = "",
    ) -> Collective:
        """Create an empty collective with an empty placemat."""
        with self._write() as conn:
            pk = self._insert_collective(
                conn,
                code=code,
                name=name,
                theme=theme,
                region=region,
                modality=modality,
                facilitator_name=facilitator_name,
                facilitator_email=facilitator_email,
            )
            self._audit(conn, actor, "create", "collective", str(pk), code, {"name": name})
        return self.collective(code)

    def _insert_collective(self, conn: Connection, **values: Any) -> int:
        code = values["code"]
        if not code or not str(code).replace("-", "").replace("_", "").isalnum():
            raise IlcError(
                f"collective id {code!r} must be letters, digits, '-' or '_' (it goes in links)"
            )
        try:
            with conn.begin_nested():
                pk = conn.execute(
                    insert(CollectiveRow).values(network_id=self.id, **values)
                ).inserted_primary_key
        except IntegrityError:
            raise IlcError(f"a collective with id {code!r} already exists") from None
        assert pk is not None
        conn.execute(insert(PlacematRow).values(collective_id=pk[0], version=0, document={}))
        return int(pk[0])

    def update_collective(self, code: str, actor: str = "", **changes: Any) -> Collective:
        """Rename a collective, set its facilitator, lock it, ..."""
        allowed = {
            "name",
            "theme",
            "region",
            "modality",
            "facilitator_name",
            "facilitator_email",
            "locked",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise IlcError(f"unknown collective field(s): {', '.join(sorted(unknown))}")
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            conn.execute(update(CollectiveRow).where(CollectiveRow.id == pk).values(**changes))
            self._bump(conn, pk)
            self._audit(conn, actor, "update", "collective", str(pk), code, changes)
        return self.collective(code)

    def delete_collective(self, code: str, actor: str = "") -> None:
        """Remove an empty collective (one with no evidence or placemat work yet)."""
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            used = conn.execute(
                select(func.count()).select_from(EvidenceRow).where(EvidenceRow.collective_id == pk)
            ).scalar_one()
            version = conn.execute(
                select(PlacematRow.version).where(PlacematRow.collective_id == pk)
            ).scalar_one_or_none()
            if used or (version or 0) > 0:
                raise IlcError(f"collective {code!r} has work saved; it cannot be deleted")
            for table in (MembershipRow, PlacematRow, PlacematVersionRow, IndicatorRow):
                conn.execute(delete(table).where(table.collective_id == pk))
            conn.execute(delete(CollectiveRow).where(CollectiveRow.id == pk))
            self._bump(conn)
            self._audit(conn, actor, "delete", "collective", str(pk), code, {})

    def members(self, code: str) -> pd.DataFrame:
        """The members of one collective (contract columns), ordered by name."""
        stmt = (
            select(*[getattr(ParticipantRow, f) for f in PARTICIPANT_FIELDS], MembershipRow.locked)
            .join(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .join(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(CollectiveRow.network_id == self.id, CollectiveRow.code == code)
            .order_by(ParticipantRow.name)
        )
        return self._frame(stmt)

    def save_plan(
        self,
        assignments: pd.DataFrame,
        collectives: Sequence[Mapping[str, Any]],
        *,
        actor: str = "",
        progress: Progress | None = None,
    ) -> None:
        """Save a grouping plan: the collectives (created or updated) and who is in each.

        ``assignments`` has ``participant_id, collective`` (blank collective = unplaced) and
        optionally ``locked``. Collectives not in ``collectives`` keep their members only
        if they appear in ``assignments``; empty collectives without saved work are removed.
        """
        if not {"participant_id", "collective"} <= set(assignments.columns):
            raise IlcError("a plan needs the columns participant_id and collective")
        codes = {str(c["code"]) for c in collectives}
        missing = {str(c) for c in assignments["collective"].dropna().unique() if str(c)} - codes
        with self._write() as conn:
            existing = {
                r.code: r.id
                for r in conn.execute(
                    select(CollectiveRow.code, CollectiveRow.id).where(
                        CollectiveRow.network_id == self.id
                    )
                )
            }
            unknown = missing - set(existing)
            if unknown:
                raise IlcError(
                    f"the plan names unknown collective(s): {', '.join(sorted(unknown))}"
                )
            for meta in collectives:
                values = {
                    k: meta[k]
                    for k in (
                        "name",
                        "theme",
                        "region",
                        "modality",
                        "facilitator_name",
                        "facilitator_email",
                        "locked",
                    )
                    if k in meta and meta[k] is not None
                }
                code = str(meta["code"])
                if code in existing:
                    conn.execute(
                        update(CollectiveRow)
                        .where(CollectiveRow.id == existing[code])
                        .values(**values, revision=CollectiveRow.revision + 1)
                    )
                else:
                    values.setdefault("name", code)
                    existing[code] = self._insert_collective(conn, code=code, **values)
            pk_by_pid = {
                r.participant_id: r.id
                for r in conn.execute(
                    select(ParticipantRow.participant_id, ParticipantRow.id).where(
                        ParticipantRow.network_id == self.id
                    )
                )
            }
            rows = []
            problems = []
            for pid, code, locked in zip(
                assignments["participant_id"].astype(str),
                assignments["collective"],
                assignments["locked"] if "locked" in assignments else [False] * len(assignments),
                strict=True,
            ):
                if pid not in pk_by_pid:
                    problems.append(pid)
                    continue
                code = _text(code)
                if code:
                    rows.append(
                        {
                            "collective_id": existing[code],
                            "participant_pk": pk_by_pid[pid],
                            "locked": bool(_clean(locked) or False),
                        }
                    )
            if problems:
                raise IlcError(f"the plan names unknown participant(s): {', '.join(problems[:10])}")
            assigned = [pk_by_pid[p] for p in assignments["participant_id"].astype(str)]
            for start in range(0, len(assigned), _CHUNK):
                conn.execute(
                    delete(MembershipRow).where(
                        MembershipRow.participant_pk.in_(assigned[start : start + _CHUNK])
                    )
                )
            for start in range(0, len(rows), _CHUNK):
                conn.execute(insert(MembershipRow), rows[start : start + _CHUNK])
                if progress:
                    progress(min(start + _CHUNK, len(rows)), len(rows))
            self._bump(conn)
            self._audit(
                conn,
                actor,
                "save",
                "plan",
                "",
                "",
                {"collectives": sorted(codes), "placed": len(rows)},
            )

    def move_member(self, participant_id: str, to_code: str | None, actor: str = "") -> None:
        """Move a participant to another collective (``None`` takes them out)."""
        with self._write() as conn:
            ppk = self._participant_pk(conn, participant_id)
            old = conn.execute(
                select(MembershipRow.collective_id).where(MembershipRow.participant_pk == ppk)
            ).scalar_one_or_none()
            conn.execute(delete(MembershipRow).where(MembershipRow.participant_pk == ppk))
            if old is not None:
                self._bump(conn, int(old))
            if to_code:
                cpk = self._collective_pk(conn, to_code)
                conn.execute(insert(MembershipRow).values(collective_id=cpk, participant_pk=ppk))
                self._bump(conn, cpk)
            self._bump(conn)
            self._audit(
                conn, actor, "move", "participant", participant_id, to_code or "", {"from": old}
            )

    def collective_of(
        self, *, email: str | None = None, participant_id: str | None = None
    ) -> str | None:
        """The collective id of a participant (by email or id), or None."""
        stmt = (
            select(CollectiveRow.code)
            .join(MembershipRow, MembershipRow.collective_id == CollectiveRow.id)
            .join(ParticipantRow, ParticipantRow.id == MembershipRow.participant_pk)
            .where(ParticipantRow.network_id == self.id)
        )
        if email is not None:
            stmt = stmt.where(func.lower(ParticipantRow.email) == email.strip().lower())
        elif participant_id is not None:
            stmt = stmt.where(ParticipantRow.participant_id == participant_id)
        else:
            raise ValueError("give email or participant_id")
        with self._read() as conn:
            code = conn.execute(stmt).scalar_one_or_none()
        return None if code is None else str(code)

    # ------------------------------------------------------------------ participants

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

    def _existing_people(self) -> tuple[set[str], set[str]]:
        with self._read() as conn:
            rows = conn.execute(
                select(ParticipantRow.email, ParticipantRow.participant_id).where(
                    ParticipantRow.network_id == self.id
                )
            ).fetchall()
        return {r.email.lower() for r in rows}, {r.participant_id for r in rows}

    def import_participants(
        self,
        source: TableSource,
        filename: str | None = None,
        *,
        column_map: Mapping[str, str] | None = None,
        sheet: str | int | None = None,
        actor: str = "",
        progress: Progress | None = None,
    ) -> ImportResult:
        """Validate a roster file and add every row, or raise and add nothing.

        A person already in the network (same email, or same participant_id in any case) is
        a problem, not an update. ``sheet`` picks an XLSX sheet. Returns what was done: the
        rows added, the ignored columns and the notes (in-person members with no region,
        title rows skipped).
        """
        from .importers import ImportResult, load_participants

        emails, ids = self._existing_people()
        frame = load_participants(
            source,
            filename,
            column_map=column_map,
            existing_emails=emails,
            existing_ids=ids,
            sheet=sheet,
        )
        added = self.add_participants(frame, actor=actor, source="import", progress=progress)
        return ImportResult(
            file=str(frame.attrs.get("file", filename or "")),
            kind="participants",
            added=added,
            ignored_columns=tuple(frame.attrs.get("ignored_columns", ())),
            notes=tuple(frame.attrs.get("warnings", ())),
        )

    def add_participants(
        self,
        frame: pd.DataFrame,
        *,
        actor: str = "",
        source: str = "import",
        progress: Progress | None = None,
    ) -> int:
        """Add validated participant rows (contract columns) in one transaction."""
        records = []
        now = utcnow()
        for rec in frame.to_dict("records"):
            row = {f: _text(rec.get(f)) for f in PARTICIPANT_FIELDS}
            row["email"] = row["email"].lower()
            row["modality"] = row["modality"] or "either"
            records.append(
                {
                    **row,
                    "network_id": self.id,
                    "source": source,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with self._write() as conn:
            try:
                for start in range(0, len(records), _CHUNK):
                    conn.execute(insert(ParticipantRow), records[start : start + _CHUNK])
                    if progress:
                        progress(min(start + _CHUNK, len(records)), len(records))
            except IntegrityError:
                raise IlcError(
                    "some participants already exist (same email or participant_id); "
                    "nothing was added"
                ) from None
            self._bump(conn)
            self._audit(conn, actor, "import", "participants", "", "", {"rows": len(records)})
        return len(records)

    def add_participant(self, actor: str = "", source: str = "intake", **fields: Any) -> str:
        """Add one participant (the intake form); returns their participant_id."""
        from .importers import validate_participant_record

        emails, ids = self._existing_people()
        record = validate_participant_record(fields, existing_emails=emails, existing_ids=ids)
        self.add_participants(pd.DataFrame([record]), actor=actor or record["email"], source=source)
        return str(record["participant_id"])

    def update_participant(self, participant_id: str, actor: str = "", **changes: Any) -> None:
        """Change a participant's fields (role, district, theme, ...)."""
        unknown = set(changes) - set(PARTICIPANT_FIELDS[1:])
        if unknown:
            raise IlcError(f"unknown participant field(s): {', '.join(sorted(unknown))}")
        if "role" in changes and changes["role"] not in ROLES:
            raise IlcError(f"unknown role {changes['role']!r}")
        if "modality" in changes and changes["modality"] not in MODALITIES:
            raise IlcError(f"unknown modality {changes['modality']!r}")
        with self._write() as conn:
            pk = self._participant_pk(conn, participant_id)
            conn.execute(
                update(ParticipantRow)
                .where(ParticipantRow.id == pk)
                .values(**changes, updated_at=utcnow(), version=ParticipantRow.version + 1)
            )
            self._bump(conn)
            self._audit(conn, actor, "update", "participant", participant_id, "", changes)

    def accept_themes(
        self,
        labels: Mapping[str, str],
        themes: Sequence[Mapping[str, Any]] | None = None,
        *,
        actor: str = "",
    ) -> None:
        """Save accepted themes and fill each participant's ``theme``.

        ``labels`` maps participant_id to theme name; ``themes`` lists the accepted themes
        (``name`` and optional ``keywords``) in board order, defaulting to the names used.
        """
        names = [str(t["name"]) for t in themes] if themes else sorted(set(labels.values()))
        if len(set(names)) != len(names):
            raise IlcError("two themes have the same name; rename one before accepting")
        with self._write() as conn:
            pks = {
                r.participant_id: r.id
                for r in conn.execute(
                    select(ParticipantRow.participant_id, ParticipantRow.id).where(
                        ParticipantRow.network_id == self.id
                    )
                )
            }
            unknown = [p for p in labels if p not in pks]
            if unknown:
                raise IlcError(f"unknown participant(s): {', '.join(unknown[:10])}")
            conn.execute(delete(ThemeRow).where(ThemeRow.network_id == self.id))
            keywords = {str(t["name"]): list(t.get("keywords", [])) for t in themes or []}
            conn.execute(
                insert(ThemeRow),
                [
                    {
                        "network_id": self.id,
                        "name": n,
                        "keywords": keywords.get(n, []),
                        "position": i,
                        "accepted_at": utcnow(),
                    }
                    for i, n in enumerate(names)
                ],
            )
            by_theme: dict[str, list[int]] = {}
            for pid, theme in labels.items():
                by_theme.setdefault(theme, []).append(pks[pid])
            for theme, ids in by_theme.items():
                for start in range(0, len(ids), _CHUNK):
                    conn.execute(
                        update(ParticipantRow)
                        .where(ParticipantRow.id.in_(ids[start : start + _CHUNK]))
                        .values(
                            theme=theme, updated_at=utcnow(), version=ParticipantRow.version + 1
                        )
                    )
            self._bump(conn)
            self._audit(conn, actor, "accept", "themes", "", "", {"themes": names})

    # ------------------------------------------------------------------ placemats

    def placemat(self, code: str) -> PlacematState:
        """The current placemat of a collective and its version."""
        with self._read() as conn:
            pk = self._collective_pk(conn, code)
            row = conn.execute(
                select(PlacematRow.__table__).where(PlacematRow.collective_id == pk)
            ).first()
        if row is None:
            return PlacematState(Placemat(), 0, None, "")
        return PlacematState(
            Placemat.from_dict(row.document), int(row.version), row.updated_at, row.updated_by
        )

    def save_placemat(
        self,
        code: str,
        placemat: Placemat,
        expected_version: int,
        *,
        actor: str = "",
        note: str = "",
    ) -> int:
        """Save a placemat edited from ``expected_version``; returns the new version.

        Raises :class:`ConflictError` (and writes nothing) when someone saved a newer
        version in between.
        """
        validate_placemat(placemat)
        document = placemat.to_dict()
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            new_version = expected_version + 1
            now = utcnow()
            done = conn.execute(
                update(PlacematRow)
                .where(PlacematRow.collective_id == pk, PlacematRow.version == expected_version)
                .values(version=new_version, document=document, updated_at=now, updated_by=actor)
            ).rowcount
            if done != 1:
                current = conn.execute(
                    select(PlacematRow.version).where(PlacematRow.collective_id == pk)
                ).scalar_one()
                raise ConflictError(f"The placemat of {code}", expected_version, int(current))
            conn.execute(
                insert(PlacematVersionRow).values(
                    collective_id=pk,
                    version=new_version,
                    document=document,
                    saved_at=now,
                    saved_by=actor,
                    note=note,
                )
            )
            self._sync_indicators(conn, pk, placemat)
            self._bump(conn, pk)
            self._audit(conn, actor, "save", "placemat", str(new_version), code, {"note": note})
        return new_version

    def _sync_indicators(self, conn: Connection, collective_pk: int, placemat: Placemat) -> None:
        conn.execute(delete(IndicatorRow).where(IndicatorRow.collective_id == collective_pk))
        rows = [
            {
                "collective_id": collective_pk,
                "key": ind.id,
                "name": ind.name,
                "kind": ind.kind,
                "measure": ind.measure,
                "evidence_type": ind.evidence_type,
                "baseline": ind.baseline,
                "target": ind.target,
                "unit": ind.unit,
                "target_date": dt.date.fromisoformat(ind.target_date) if ind.target_date else None,
                "cadence": ind.cadence,
                "position": i,
            }
            for i, ind in enumerate(placemat.indicators)
        ]
        if rows:
            conn.execute(insert(IndicatorRow), rows)

    def placemat_history(self, code: str) -> pd.DataFrame:
        """Every saved version of a placemat, newest first (``document`` holds each one)."""
        with self._read() as conn:
            pk = self._collective_pk(conn, code)
        return self._frame(
            select(
                PlacematVersionRow.version,
                PlacematVersionRow.saved_at,
                PlacematVersionRow.saved_by,
                PlacematVersionRow.note,
                PlacematVersionRow.document,
            )
            .where(PlacematVersionRow.collective_id == pk)
            .order_by(PlacematVersionRow.version.desc())
        )

    def restore_placemat(
        self, code: str, version: int, expected_version: int, *, actor: str = ""
    ) -> int:
        """Make an earlier version current again (as a new version); returns it."""
        with self._read() as conn:
            pk = self._collective_pk(conn, code)
            document = conn.execute(
                select(PlacematVersionRow.document).where(
                    PlacematVersionRow.collective_id == pk, PlacematVersionRow.version == version
                )
            ).scalar_one_or_none()
        if document is None:
            raise NotFound(f"the placemat of {code} has no version {version}")
        return self.save_placemat(
            code,
            Placemat.from_dict(document),
            expected_version,
            actor=actor,
            note=f"restored version {version}",
        )

    # ------------------------------------------------------------------ evidence

    def add_evidence(self, code: str, actor: str = "", **entry: Any) -> int:
        """Log one piece of evidence for a collective; returns its id."""
        from .importers import validate_evidence_record

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
        from .importers import ImportResult, evidence_key, load_evidence, to_records

        with self._read() as conn:
            codes = {
                r.code: r.id
                for r in conn.execute(
                    select(CollectiveRow.code, CollectiveRow.id).where(
                        CollectiveRow.network_id == self.id
                    )
                )
            }
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
            for start in range(0, len(records), _CHUNK):
                conn.execute(insert(EvidenceRow), records[start : start + _CHUNK])
                if progress:
                    progress(min(start + _CHUNK, len(records)), len(records))
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
        from .importers import EVIDENCE_KEY, evidence_key

        if not collective_pks:
            return set()
        columns = [
            CollectiveRow.code.label("collective"),
            *[getattr(EvidenceRow, c) for c in EVIDENCE_KEY if c != "collective"],
        ]
        result = conn.execute(
            select(*columns)
            .join(CollectiveRow, CollectiveRow.id == EvidenceRow.collective_id)
            .where(EvidenceRow.collective_id.in_(collective_pks), EvidenceRow.deleted_at.is_(None))
        )
        names = list(result.keys())
        return {evidence_key(dict(zip(names, row, strict=True))) for row in result}

    def _evidence_row(self, conn: Connection, entry_id: int, code: str | None) -> Any:
        stmt = (
            select(EvidenceRow.__table__, CollectiveRow.code)
            .join(CollectiveRow, CollectiveRow.id == EvidenceRow.collective_id)
            .where(EvidenceRow.id == entry_id, CollectiveRow.network_id == self.id)
        )
        if code is not None:
            stmt = stmt.where(CollectiveRow.code == code)
        row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(f"there is no evidence entry {entry_id}")
        return row

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
        from .importers import validate_evidence_record

        with self._write() as conn:
            row = self._evidence_row(conn, entry_id, collective)
            merged = {f: getattr(row, f) for f in EVIDENCE_FIELDS if f != "collective"}
            merged.update(changes)
            record = validate_evidence_record(merged)
            done = conn.execute(
                update(EvidenceRow)
                .where(EvidenceRow.id == entry_id, EvidenceRow.version == expected_version)
                .values(**record, updated_at=utcnow(), version=expected_version + 1)
            ).rowcount
            if done != 1:
                raise ConflictError(f"Evidence entry {entry_id}", expected_version, row.version)
            self._bump(conn, row.collective_id)
            self._audit(
                conn, actor, "update", "evidence", str(entry_id), row.code, _jsonable(changes)
            )
        return expected_version + 1

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
        stmt = (
            select(
                EvidenceRow.id,
                CollectiveRow.code.label("collective"),
                *[getattr(EvidenceRow, f) for f in EVIDENCE_FIELDS if f != "collective"],
                EvidenceRow.created_at,
                EvidenceRow.version,
                EvidenceRow.deleted_at,
            )
            .join(CollectiveRow, CollectiveRow.id == EvidenceRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(EvidenceRow.date, EvidenceRow.id)
        )
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        if not include_deleted:
            stmt = stmt.where(EvidenceRow.deleted_at.is_(None))
        frame = self._frame(stmt)
        frame["deleted"] = frame["deleted_at"].notna()
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
        frame["value"] = frame["value"].astype("float64")
        frame["n"] = frame["n"].astype("Int64")
        return frame

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
            stmt = (
                select(ActionRow.collective_id, CollectiveRow.code)
                .join(CollectiveRow, CollectiveRow.id == ActionRow.collective_id)
                .where(ActionRow.id == action_id, CollectiveRow.network_id == self.id)
            )
            if collective is not None:
                stmt = stmt.where(CollectiveRow.code == collective)
            row = conn.execute(stmt).first()
            if row is None:
                raise NotFound(f"there is no action {action_id}")
            conn.execute(
                update(ActionRow).where(ActionRow.id == action_id).values(deleted_at=utcnow())
            )
            self._bump(conn, row.collective_id)
            self._audit(conn, actor, "delete", "action", str(action_id), row.code, {})

    # ------------------------------------------------------------------ reflections

    def add_reflection(
        self,
        code: str,
        meeting_date: dt.date | str,
        *,
        went_well: str = "",
        didnt_go_well: str = "",
        learned: str = "",
        adjust: str = "",
        adjust_areas: Iterable[str] = (),
        actor: str = "",
    ) -> int:
        """Save a review meeting's reflection; returns its id."""
        texts = [went_well, didnt_go_well, learned, adjust]
        if not any(t.strip() for t in texts):
            raise IlcError("write at least one answer before saving the reflection")
        areas = list(adjust_areas)
        known = {"theory_of_action", "indicators", "evidence_plan"}
        if set(areas) - known:
            raise IlcError(f"adjust_areas must be among {sorted(known)}")
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            new_id = conn.execute(
                insert(ReflectionRow).values(
                    collective_id=pk,
                    meeting_date=_as_date(meeting_date, "meeting date"),
                    went_well=went_well.strip(),
                    didnt_go_well=didnt_go_well.strip(),
                    learned=learned.strip(),
                    adjust=adjust.strip(),
                    adjust_areas=areas,
                    entered_by=actor,
                )
            ).inserted_primary_key
            assert new_id is not None
            self._bump(conn, pk)
            self._audit(conn, actor, "add", "reflection", str(new_id[0]), code, {})
        return int(new_id[0])

    def update_reflection(
        self,
        reflection_id: int,
        expected_version: int,
        *,
        collective: str | None = None,
        actor: str = "",
        **changes: Any,
    ) -> int:
        """Edit a reflection read at ``expected_version``; returns the new version."""
        allowed = {
            "meeting_date",
            "went_well",
            "didnt_go_well",
            "learned",
            "adjust",
            "adjust_areas",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise IlcError(f"unknown reflection field(s): {', '.join(sorted(unknown))}")
        if "meeting_date" in changes:
            changes["meeting_date"] = _as_date(changes["meeting_date"], "meeting date")
        if "adjust_areas" in changes:
            known = {"theory_of_action", "indicators", "evidence_plan"}
            if set(changes["adjust_areas"]) - known:
                raise IlcError(f"adjust_areas must be among {sorted(known)}")
            changes["adjust_areas"] = list(changes["adjust_areas"])
        with self._write() as conn:
            stmt = (
                select(ReflectionRow.collective_id, ReflectionRow.version, CollectiveRow.code)
                .join(CollectiveRow, CollectiveRow.id == ReflectionRow.collective_id)
                .where(ReflectionRow.id == reflection_id, CollectiveRow.network_id == self.id)
            )
            if collective is not None:
                stmt = stmt.where(CollectiveRow.code == collective)
            row = conn.execute(stmt).first()
            if row is None:
                raise NotFound(f"there is no reflection {reflection_id}")
            done = conn.execute(
                update(ReflectionRow)
                .where(ReflectionRow.id == reflection_id, ReflectionRow.version == expected_version)
                .values(**changes, updated_at=utcnow(), version=expected_version + 1)
            ).rowcount
            if done != 1:
                raise ConflictError(f"Reflection {reflection_id}", expected_version, row.version)
            self._bump(conn, row.collective_id)
            self._audit(
                conn,
                actor,
                "update",
                "reflection",
                str(reflection_id),
                row.code,
                _jsonable({k: v for k, v in changes.items() if k != "adjust_areas"}),
            )
        return expected_version + 1

    # ------------------------------------------------------------------ pulse survey

    def submit_pulse(
        self,
        code: str,
        respondent: str,
        wave: str,
        answers: Mapping[str, int],
        *,
        item_set: str = "default",
        actor: str = "",
    ) -> None:
        """Save one person's pulse answers for a wave (answering again replaces them)."""
        if wave not in ("start", "review"):
            raise IlcError(f"wave must be 'start' or 'review', not {wave!r}")
        if not respondent:
            raise IlcError("a pulse response needs a respondent")
        bad = {k: v for k, v in answers.items() if not (1 <= int(v) <= 5)}
        if bad:
            raise IlcError(f"scores must be 1 to 5: {bad}")
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            conn.execute(
                delete(PulseResponseRow).where(
                    PulseResponseRow.collective_id == pk,
                    PulseResponseRow.respondent == respondent,
                    PulseResponseRow.wave == wave,
                    PulseResponseRow.item_set == item_set,
                )
            )
            now = utcnow()
            if answers:
                conn.execute(
                    insert(PulseResponseRow),
                    [
                        {
                            "collective_id": pk,
                            "respondent": respondent,
                            "wave": wave,
                            "item_set": item_set,
                            "item_id": item,
                            "score": int(score),
                            "submitted_at": now,
                        }
                        for item, score in answers.items()
                    ],
                )
            self._bump(conn, pk)
            self._audit(
                conn, actor or respondent, "submit", "pulse", wave, code, {"items": len(answers)}
            )

    # ------------------------------------------------------------------ scores

    def add_scores(
        self,
        code: str,
        assessment: str,
        phase: str,
        scores: Iterable[float | tuple[str, float]],
        *,
        actor: str = "",
    ) -> int:
        """Add pre or post scores (plain numbers or ``(student_ref, score)`` pairs)."""
        if phase not in ("pre", "post"):
            raise IlcError(f"phase must be 'pre' or 'post', not {phase!r}")
        if not assessment.strip():
            raise IlcError("name the assessment the scores come from")
        rows = []
        for i, item in enumerate(scores, 1):
            ref, value = item if isinstance(item, tuple) else ("", item)
            value = _clean(value)
            if value is None:
                continue
            try:
                rows.append({"student_ref": str(ref), "score": float(value)})
            except (TypeError, ValueError):
                raise IlcError(f"score {i} ({value!r}) is not a number") from None
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            if rows:
                conn.execute(
                    insert(ScoreRow),
                    [
                        {
                            **r,
                            "collective_id": pk,
                            "assessment": assessment.strip(),
                            "phase": phase,
                            "entered_by": actor,
                        }
                        for r in rows
                    ],
                )
            self._bump(conn, pk)
            self._audit(
                conn, actor, "add", "scores", assessment, code, {"phase": phase, "n": len(rows)}
            )
        return len(rows)

    # ------------------------------------------------------------------ DataFrames
    #
    # Two kinds of frames. The ``*_frame`` methods (and :meth:`implementation_log`) give the
    # storage layer's frames that the widgets and reports use: calendar dates as
    # ``datetime.date``, missing text as ``""``. The properties and :meth:`tables` give the
    # researchers' tidy frames, the same rows passed through :func:`ilc_widgets.tables.tidy`
    # (dates as datetime64, missing text as pd.NA, vocabularies as categoricals in order).

    @staticmethod
    def _tidy(table: str, frame: pd.DataFrame) -> pd.DataFrame:
        from .tables import tidy

        return tidy(table, frame)

    def participants_frame(self) -> pd.DataFrame:
        """Participants (contract columns) with their ``collective`` ("" when in none)."""
        stmt = (
            select(
                *[getattr(ParticipantRow, f) for f in PARTICIPANT_FIELDS],
                CollectiveRow.code.label("collective"),
            )
            .outerjoin(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .outerjoin(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(ParticipantRow.network_id == self.id)
            .order_by(ParticipantRow.participant_id)
        )
        frame = self._frame(stmt)
        frame["collective"] = frame["collective"].fillna("")
        return frame

    @property
    def participants(self) -> pd.DataFrame:
        """Participants (contract columns) with their ``collective``, as a tidy frame."""
        return self._tidy("participants", self.participants_frame())

    def themes_frame(self) -> pd.DataFrame:
        """Accepted themes in board order, with how many participants have each."""
        counts = (
            select(ParticipantRow.theme, func.count().label("participants"))
            .where(ParticipantRow.network_id == self.id)
            .group_by(ParticipantRow.theme)
            .subquery()
        )
        stmt = (
            select(
                ThemeRow.name,
                ThemeRow.keywords,
                func.coalesce(counts.c.participants, 0).label("participants"),
                ThemeRow.accepted_at,
            )
            .outerjoin(counts, counts.c.theme == ThemeRow.name)
            .where(ThemeRow.network_id == self.id)
            .order_by(ThemeRow.position)
        )
        return self._frame(stmt)

    @property
    def themes(self) -> pd.DataFrame:
        """Accepted themes in board order, with how many participants have each (tidy)."""
        return self._tidy("themes", self.themes_frame())

    def collectives_frame(self) -> pd.DataFrame:
        """Collectives with their member counts."""
        counts = (
            select(MembershipRow.collective_id, func.count().label("members"))
            .group_by(MembershipRow.collective_id)
            .subquery()
        )
        stmt = (
            select(
                CollectiveRow.code.label("collective"),
                CollectiveRow.name,
                CollectiveRow.theme,
                CollectiveRow.region,
                CollectiveRow.modality,
                CollectiveRow.facilitator_name,
                CollectiveRow.facilitator_email,
                CollectiveRow.locked,
                func.coalesce(counts.c.members, 0).label("members"),
            )
            .outerjoin(counts, counts.c.collective_id == CollectiveRow.id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code)
        )
        return self._frame(stmt)

    @property
    def collectives(self) -> pd.DataFrame:
        """Collectives with their member counts (tidy)."""
        return self._tidy("collectives", self.collectives_frame())

    def memberships_frame(self) -> pd.DataFrame:
        """Who is in which collective (``participant_id, collective, locked``)."""
        stmt = (
            select(
                ParticipantRow.participant_id,
                CollectiveRow.code.label("collective"),
                MembershipRow.locked,
            )
            .join(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .join(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code, ParticipantRow.participant_id)
        )
        return self._frame(stmt)

    @property
    def memberships(self) -> pd.DataFrame:
        """Who is in which collective (``participant_id, collective, locked``), tidy."""
        return self._tidy("memberships", self.memberships_frame())

    def placemats_frame(self) -> pd.DataFrame:
        """One row per collective: version, last save, main fields and the whole document."""
        from .placemat import completeness

        stmt = (
            select(
                CollectiveRow.code.label("collective"),
                PlacematRow.version,
                PlacematRow.updated_at,
                PlacematRow.updated_by,
                PlacematRow.document,
            )
            .join(PlacematRow, PlacematRow.collective_id == CollectiveRow.id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code)
        )
        frame = self._frame(stmt)
        mats = [Placemat.from_dict(d) for d in frame["document"]]
        frame.insert(4, "problem_of_practice", [m.problem_of_practice for m in mats])
        frame.insert(5, "theory_steps", [len(m.theory_of_action) for m in mats])
        frame.insert(6, "indicators", [len(m.indicators) for m in mats])
        frame.insert(7, "completeness", [round(completeness(m), 2) for m in mats])
        return frame

    @property
    def placemats(self) -> pd.DataFrame:
        """One row per collective: version, last save, main fields and the whole document.

        Tidy; ``document`` holds each placemat as a dict (see ``theory_of_action``,
        ``priorities``, ``evidence_plan`` and ``indicators`` for its parts as tables).
        """
        return self._tidy("placemats", self.placemats_frame())

    def indicators_frame(self) -> pd.DataFrame:
        """Every indicator of every placemat, one row each."""
        stmt = (
            select(
                CollectiveRow.code.label("collective"),
                IndicatorRow.key.label("indicator_id"),
                IndicatorRow.name,
                IndicatorRow.kind,
                IndicatorRow.measure,
                IndicatorRow.evidence_type,
                IndicatorRow.baseline,
                IndicatorRow.target,
                IndicatorRow.unit,
                IndicatorRow.target_date,
                IndicatorRow.cadence,
            )
            .join(CollectiveRow, CollectiveRow.id == IndicatorRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code, IndicatorRow.position)
        )
        return self._frame(stmt)

    @property
    def indicators(self) -> pd.DataFrame:
        """Every indicator of every placemat, one row each (tidy)."""
        return self._tidy("indicators", self.indicators_frame())

    @property
    def evidence(self) -> pd.DataFrame:
        """All evidence that is not deleted, as a tidy frame (no ``deleted`` columns).

        ``net.tables()["evidence"]`` has the deleted entries too, marked by ``deleted`` and
        ``deleted_at``; :meth:`evidence_frame` is the widgets' (untidy) frame.
        """
        frame = self._tidy("evidence", self.evidence_frame())
        return frame.drop(columns=["deleted_at", "deleted"])

    def implementation_log(self, collective: str | None = None) -> pd.DataFrame:
        """Actions taken, by date (the widgets' frame; ``tables()`` has the tidy one)."""
        stmt = (
            select(
                ActionRow.id,
                CollectiveRow.code.label("collective"),
                ActionRow.date,
                ActionRow.action,
                ActionRow.toa_step,
                ActionRow.entered_by,
            )
            .join(CollectiveRow, CollectiveRow.id == ActionRow.collective_id)
            .where(CollectiveRow.network_id == self.id, ActionRow.deleted_at.is_(None))
            .order_by(ActionRow.date, ActionRow.id)
        )
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        return self._frame(stmt)

    def reflections_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Reflections of review meetings, oldest first."""
        stmt = (
            select(
                ReflectionRow.id,
                CollectiveRow.code.label("collective"),
                ReflectionRow.meeting_date,
                ReflectionRow.went_well,
                ReflectionRow.didnt_go_well,
                ReflectionRow.learned,
                ReflectionRow.adjust,
                ReflectionRow.adjust_areas,
                ReflectionRow.entered_by,
                ReflectionRow.version,
                ReflectionRow.updated_at,
            )
            .join(CollectiveRow, CollectiveRow.id == ReflectionRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(ReflectionRow.meeting_date, ReflectionRow.id)
        )
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        return self._frame(stmt)

    @property
    def reflections(self) -> pd.DataFrame:
        """All reflections (tidy; ``adjust_areas`` holds lists)."""
        return self._tidy("reflections", self.reflections_frame())

    def pulse_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Pulse-survey answers, one row per item answered."""
        stmt = (
            select(
                CollectiveRow.code.label("collective"),
                PulseResponseRow.respondent,
                PulseResponseRow.wave,
                PulseResponseRow.item_set,
                PulseResponseRow.item_id,
                PulseResponseRow.score,
                PulseResponseRow.submitted_at,
            )
            .join(CollectiveRow, CollectiveRow.id == PulseResponseRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(
                CollectiveRow.code,
                PulseResponseRow.wave,
                PulseResponseRow.respondent,
                PulseResponseRow.item_set,
                PulseResponseRow.item_id,
                PulseResponseRow.id,  # one order on every backend and every read
            )
        )
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        return self._frame(stmt)

    @property
    def survey_responses(self) -> pd.DataFrame:
        """All pulse-survey answers (tidy)."""
        return self._tidy("pulse_responses", self.pulse_frame())

    def scores_frame(self, collective: str | None = None) -> pd.DataFrame:
        """Pre/post scores (anonymised student references only)."""
        stmt = (
            select(
                CollectiveRow.code.label("collective"),
                ScoreRow.assessment,
                ScoreRow.phase,
                ScoreRow.student_ref,
                ScoreRow.score,
            )
            .join(CollectiveRow, CollectiveRow.id == ScoreRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code, ScoreRow.assessment, ScoreRow.phase, ScoreRow.id)
        )
        if collective is not None:
            stmt = stmt.where(CollectiveRow.code == collective)
        return self._frame(stmt)

    @property
    def scores(self) -> pd.DataFrame:
        """All pre/post scores (tidy)."""
        return self._tidy("scores", self.scores_frame())

    def audit_log_frame(self) -> pd.DataFrame:
        """Who changed what, newest first."""
        return self._frame(select(AuditRow.__table__).order_by(AuditRow.id.desc()))

    @property
    def audit_log(self) -> pd.DataFrame:
        """Who changed what, newest first (tidy; ``detail`` holds dicts)."""
        return self._tidy("audit_log", self.audit_log_frame())

    def tables(self, *, include_deleted: bool = True) -> dict[str, pd.DataFrame]:
        """Every stored table as a tidy DataFrame, keyed by the name used in exports.

        ``evidence`` holds every entry, deleted ones included and marked by ``deleted`` and
        ``deleted_at`` (as ``evidence.csv`` of ``ilc export`` does); with
        ``include_deleted=False`` it is :attr:`evidence`: current entries, without those two
        columns. ``placemats`` leaves out the ``document`` column.
        """
        if include_deleted:
            evidence = self._tidy("evidence", self.evidence_frame(include_deleted=True))
        else:
            evidence = self.evidence
        return {
            "participants": self.participants,
            "themes": self.themes,
            "collectives": self.collectives,
            "memberships": self.memberships,
            "placemats": self.placemats.drop(columns=["document"]),
            "indicators": self.indicators,
            "evidence": evidence,
            "implementation_log": self._tidy("implementation_log", self.implementation_log()),
            "reflections": self.reflections,
            "pulse_responses": self.survey_responses,
            "scores": self.scores,
            "audit_log": self.audit_log,
        }

    _WORK_TABLES: tuple[tuple[str, Any], ...] = (
        ("evidence", EvidenceRow),
        ("actions", ActionRow),
        ("reflections", ReflectionRow),
        ("pulse_responses", PulseResponseRow),
        ("scores", ScoreRow),
    )

    def _work_counts(self, conn: Connection) -> dict[int, dict[str, int]]:
        """Saved work per collective pk: placemat version and rows of each work table."""
        counts: dict[int, dict[str, int]] = {}
        pks = conn.execute(
            select(CollectiveRow.id).where(CollectiveRow.network_id == self.id)
        ).scalars()
        for pk in pks:
            counts[int(pk)] = {"placemat_version": 0, **{n: 0 for n, _ in self._WORK_TABLES}}
        for pk, version in conn.execute(
            select(PlacematRow.collective_id, PlacematRow.version)
            .join(CollectiveRow, CollectiveRow.id == PlacematRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
        ):
            if int(pk) in counts:
                counts[int(pk)]["placemat_version"] = int(version or 0)
        for name, table in self._WORK_TABLES:
            for pk, n in conn.execute(
                select(table.collective_id, func.count())
                .join(CollectiveRow, CollectiveRow.id == table.collective_id)
                .where(CollectiveRow.network_id == self.id)
                .group_by(table.collective_id)
            ):
                if int(pk) in counts:
                    counts[int(pk)][name] = int(n)
        return counts

    def collective_work(self) -> pd.DataFrame:
        """How much work each collective has saved, one row per collective.

        Columns ``collective, placemat_version, evidence, actions, reflections,
        pulse_responses, scores, has_work``; deleted evidence and actions count (they can be
        restored). A collective ``has_work`` when any of these is above zero.
        """
        columns = ["placemat_version", *(n for n, _ in self._WORK_TABLES)]
        with self._read() as conn:
            codes = {
                int(r.id): str(r.code)
                for r in conn.execute(
                    select(CollectiveRow.id, CollectiveRow.code).where(
                        CollectiveRow.network_id == self.id
                    )
                )
            }
            counts = self._work_counts(conn)
        rows = [
            {"collective": codes[pk], **{c: counts[pk][c] for c in columns}}
            for pk in sorted(codes, key=lambda p: codes[p])
        ]
        frame = pd.DataFrame(rows, columns=["collective", *columns])
        frame["has_work"] = frame[columns].gt(0).any(axis=1) if rows else []
        return frame

    def remove_empty_collectives(
        self, codes: Iterable[str] | None = None, *, actor: str = ""
    ) -> list[str]:
        """Delete the collectives (of ``codes``, default all) with no members and no saved work.

        Membership and work are checked in the same transaction as the deletion, so a
        collective someone just moved a member into, or saved work in, stays. Unknown ids are
        ignored. Returns the ids removed.
        """
        wanted = None if codes is None else {str(c) for c in codes}
        removed: list[str] = []
        with self._write() as conn:
            rows = conn.execute(
                select(CollectiveRow.id, CollectiveRow.code).where(
                    CollectiveRow.network_id == self.id
                )
            ).fetchall()
            candidates = {
                int(r.id): str(r.code) for r in rows if wanted is None or r.code in wanted
            }
            if not candidates:
                return []
            members = {
                int(pk): int(n)
                for pk, n in conn.execute(
                    select(MembershipRow.collective_id, func.count())
                    .where(MembershipRow.collective_id.in_(list(candidates)))
                    .group_by(MembershipRow.collective_id)
                )
            }
            work = self._work_counts(conn)
            for pk, code in sorted(candidates.items(), key=lambda item: item[1]):
                if members.get(pk, 0) or any(work.get(pk, {}).values()):
                    continue
                for table in (MembershipRow, PlacematRow, PlacematVersionRow, IndicatorRow):
                    conn.execute(delete(table).where(table.collective_id == pk))
                conn.execute(delete(CollectiveRow).where(CollectiveRow.id == pk))
                self._audit(conn, actor, "delete", "collective", str(pk), code, {"empty": True})
                removed.append(code)
            if removed:
                self._bump(conn)
        return removed

    # ------------------------------------------------------------------ tidy placemat views

    def _placemat_documents(self) -> list[tuple[str, Placemat]]:
        frame = self.placemats_frame()
        return [
            (str(code), Placemat.from_dict(doc))
            for code, doc in zip(frame["collective"], frame["document"], strict=True)
        ]

    @property
    def theory_of_action(self) -> pd.DataFrame:
        """Every if/then step of every placemat, in order (one row per step)."""
        rows = [
            {
                "collective": code,
                "position": i,
                "step_id": step.id,
                "level": step.level,
                "if_text": step.if_text,
                "then_text": step.then_text,
            }
            for code, mat in self._placemat_documents()
            for i, step in enumerate(mat.theory_of_action, 1)
        ]
        columns = ["collective", "position", "step_id", "level", "if_text", "then_text"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def priorities(self) -> pd.DataFrame:
        """Every placemat's ranked priorities (one row per priority, rank 1 first)."""
        rows = [
            {"collective": code, "rank": rank, "priority": text}
            for code, mat in self._placemat_documents()
            for rank, text in enumerate((p for p in mat.priorities if p.strip()), 1)
        ]
        return pd.DataFrame(rows, columns=["collective", "rank", "priority"])

    @property
    def evidence_plan(self) -> pd.DataFrame:
        """Every placemat's evidence plan: one row per collective and evidence type."""
        rows = [
            {
                "collective": code,
                "evidence_type": key,
                "what": mat.evidence_plan[key].what,
                "who": mat.evidence_plan[key].who,
                "when": mat.evidence_plan[key].when,
            }
            for code, mat in self._placemat_documents()
            for key in EVIDENCE_TYPES
        ]
        return pd.DataFrame(rows, columns=["collective", "evidence_type", "what", "who", "when"])

    # ------------------------------------------------------------------ derived results

    def indicator_status(self, today: dt.date | None = None) -> pd.DataFrame:
        """The status of every indicator of every placemat (on track, at risk, ...).

        Computed by :func:`ilc_widgets.stats.summarize_indicators` (mapping form) from the
        current evidence, with the expected-progress line starting on the network's cycle
        start when one is set; ``today`` only adds notes about stale evidence.
        """
        from .stats import summarize_indicators

        mapping = {code: mat.indicators for code, mat in self._placemat_documents()}
        start = self.info["cycle_start"]
        return summarize_indicators(self.evidence_frame(), mapping, today=today, start=start)

    def effect_sizes(self, min_n: int | None = None) -> pd.DataFrame:
        """Pre/post effect size of every assessment of every collective (from ``scores``).

        One row per collective and assessment: the group sizes, means, SDs, ``d`` with its
        95% confidence interval, ``small_n`` (a group below ``min_n``, default the network's
        ``min_cell_size``), a plain-language ``interpretation``, and ``problem`` when no
        effect size can be computed (one phase missing, every score the same, ...).
        Nothing is suppressed here: this is the researchers' table.
        """
        from .stats import effect_size

        limit = int(min_n if min_n is not None else self.settings.get("min_cell_size", 10))
        columns = [
            "collective",
            "assessment",
            "n_pre",
            "n_post",
            "mean_pre",
            "sd_pre",
            "mean_post",
            "sd_post",
            "d",
            "ci_low",
            "ci_high",
            "small_n",
            "interpretation",
            "problem",
        ]
        scores = self.scores_frame()
        rows: list[dict[str, Any]] = []
        for (code, assessment), group in scores.groupby(["collective", "assessment"], sort=True):
            pre = group.loc[group["phase"] == "pre", "score"].astype(float)
            post = group.loc[group["phase"] == "post", "score"].astype(float)
            row: dict[str, Any] = {
                "collective": code,
                "assessment": assessment,
                "n_pre": int(pre.notna().sum()),
                "n_post": int(post.notna().sum()),
            }
            try:
                es = effect_size(pre, post, min_n=limit)
            except ValueError as exc:
                row.update(small_n=True, interpretation="", problem=str(exc))
            else:
                row.update(
                    mean_pre=es.mean_pre,
                    sd_pre=es.sd_pre,
                    mean_post=es.mean_post,
                    sd_post=es.sd_post,
                    d=es.d,
                    ci_low=es.ci_low,
                    ci_high=es.ci_high,
                    small_n=es.small_n,
                    interpretation=es.interpretation(),
                    problem="",
                )
            rows.append(row)
        frame = pd.DataFrame(rows, columns=columns)
        for column in ("mean_pre", "sd_pre", "mean_post", "sd_post", "d", "ci_low", "ci_high"):
            frame[column] = frame[column].astype("float64")
        frame["small_n"] = frame["small_n"].astype(bool)
        return frame

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def _collective(row: Any) -> Collective:
    return Collective(
        code=row.code,
        name=row.name,
        theme=row.theme,
        region=row.region,
        modality=row.modality,
        facilitator_name=row.facilitator_name,
        facilitator_email=row.facilitator_email,
        locked=bool(row.locked),
        revision=int(row.revision),
    )


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        value = _clean(value)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif not isinstance(value, (str, int, float, bool, type(None), list, dict)):
            value = str(value)
        out[key] = value
    return out


# ---------------------------------------------------------------------- opening


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


__all__ = [
    "EVIDENCE_FIELDS",
    "EVIDENCE_TYPES",
    "PARTICIPANT_FIELDS",
    "Collective",
    "Network",
    "PlacematState",
    "create_network",
    "open_network",
]
