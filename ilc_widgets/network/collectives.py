"""Collectives and who is in them: creating, changing and removing collectives, plans,
moves, and how much work each collective has saved."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import IlcError
from ..models import (
    ActionRow,
    CollectiveRow,
    EvidenceRow,
    IndicatorRow,
    MembershipRow,
    ParticipantRow,
    PlacematRow,
    PlacematVersionRow,
    PulseResponseRow,
    ReflectionRow,
    ScoreRow,
)
from ._base import NetworkBase, TidyView, _columns
from ._rows import (
    COLLECTIVE_FIELDS,
    PARTICIPANT_FIELDS,
    Collective,
    Progress,
    _chunks,
    _clean,
    _collective,
    _refuse_unknown,
    _text,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd
    from sqlalchemy.engine import Connection
    from sqlalchemy.sql import Select
else:
    from .._lazy import pd


class CollectivesMixin(NetworkBase):
    """Collectives, their members and the grouping plan."""

    def collective(self, code: str) -> Collective:
        """One collective by its id (the ``collective`` of links and files)."""
        with self._read() as conn:
            return _collective(self._collective_row(conn, code, CollectiveRow.__table__))

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
        _refuse_unknown("collective", changes, COLLECTIVE_FIELDS)
        with self._write() as conn:
            pk = self._collective_pk(conn, code)
            conn.execute(update(CollectiveRow).where(CollectiveRow.id == pk).values(**changes))
            self._bump(conn, pk)
            self._audit(conn, actor, "update", "collective", str(pk), code, changes)
        return self.collective(code)

    def _drop_collective(self, conn: Connection, pk: int) -> None:
        """Delete a collective with its memberships, placemat and indicators."""
        for table in (MembershipRow, PlacematRow, PlacematVersionRow, IndicatorRow):
            conn.execute(delete(table).where(table.collective_id == pk))
        conn.execute(delete(CollectiveRow).where(CollectiveRow.id == pk))

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
            self._drop_collective(conn, pk)
            self._bump(conn)
            self._audit(conn, actor, "delete", "collective", str(pk), code, {})

    def members(self, code: str) -> pd.DataFrame:
        """The members of one collective (contract columns), ordered by name."""
        return self._frame(self._members_query(code))

    def member_records(self, code: str) -> list[dict[str, Any]]:
        """:meth:`members` as one dict per member (what a page shows, without pandas)."""
        return self._records(self._members_query(code))

    def _members_query(self, code: str) -> Select[Any]:
        return (
            select(*_columns(ParticipantRow, PARTICIPANT_FIELDS), MembershipRow.locked)
            .join(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .join(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(CollectiveRow.network_id == self.id, CollectiveRow.code == code)
            .order_by(ParticipantRow.name)
        )

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
            existing = self._collective_pks(conn)
            unknown = missing - set(existing)
            if unknown:
                raise IlcError(
                    f"the plan names unknown collective(s): {', '.join(sorted(unknown))}"
                )
            for meta in collectives:
                values = {
                    k: meta[k] for k in COLLECTIVE_FIELDS if k in meta and meta[k] is not None
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
            pk_by_pid = self._participant_pks(conn)
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
            for part in _chunks(assigned):
                conn.execute(delete(MembershipRow).where(MembershipRow.participant_pk.in_(part)))
            self._insert_chunks(conn, MembershipRow, rows, progress)
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

    # ------------------------------------------------------------------ frames

    def collectives_frame(self) -> pd.DataFrame:
        """Collectives with their member counts."""
        counts = (
            select(MembershipRow.collective_id, func.count().label("members"))
            .group_by(MembershipRow.collective_id)
            .subquery()
        )
        stmt = (
            select(
                *_columns(CollectiveRow, ["collective", *COLLECTIVE_FIELDS]),
                func.coalesce(counts.c.members, 0).label("members"),
            )
            .outerjoin(counts, counts.c.collective_id == CollectiveRow.id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code)
        )
        return self._frame(stmt)

    collectives = TidyView(
        "collectives", "collectives_frame", "Collectives with their member counts (tidy)."
    )

    def memberships_frame(self) -> pd.DataFrame:
        """Who is in which collective (``participant_id, collective, locked``)."""
        stmt = (
            select(ParticipantRow.participant_id, *_columns(MembershipRow, "collective locked"))
            .join(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .join(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(CollectiveRow.network_id == self.id)
            .order_by(CollectiveRow.code, ParticipantRow.participant_id)
        )
        return self._frame(stmt)

    memberships = TidyView(
        "memberships",
        "memberships_frame",
        "Who is in which collective (``participant_id, collective, locked``), tidy.",
    )

    # ------------------------------------------------------------------ saved work

    _WORK_TABLES: tuple[tuple[str, Any], ...] = (
        ("evidence", EvidenceRow),
        ("actions", ActionRow),
        ("reflections", ReflectionRow),
        ("pulse_responses", PulseResponseRow),
        ("scores", ScoreRow),
    )

    def _work_counts(self, conn: Connection) -> dict[int, dict[str, int]]:
        """Saved work per collective pk: placemat version and rows of each work table."""
        counts: dict[int, dict[str, int]] = {
            pk: {"placemat_version": 0, **{n: 0 for n, _ in self._WORK_TABLES}}
            for pk in self._collective_pks(conn).values()
        }
        versions = self._of_collectives(PlacematRow, ["collective_id", "version"])
        for pk, version in conn.execute(versions):
            if int(pk) in counts:
                counts[int(pk)]["placemat_version"] = int(version or 0)
        for name, table in self._WORK_TABLES:
            rows = self._of_collectives(table, ["collective_id"]).add_columns(func.count())
            for pk, n in conn.execute(rows.group_by(table.collective_id)):
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
            codes = {pk: code for code, pk in self._collective_pks(conn).items()}
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
            candidates = {
                pk: code
                for code, pk in self._collective_pks(conn).items()
                if wanted is None or code in wanted
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
                self._drop_collective(conn, pk)
                self._audit(conn, actor, "delete", "collective", str(pk), code, {"empty": True})
                removed.append(code)
            if removed:
                self._bump(conn)
        return removed
