"""Participants and themes: the roster (imported or one at a time) and accepted themes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import IlcError
from ..models import CollectiveRow, MembershipRow, ParticipantRow, ThemeRow, utcnow
from ..vocab import MODALITIES, ROLES
from ._base import NetworkBase, TidyView, _columns
from ._rows import PARTICIPANT_FIELDS, Progress, _chunks, _refuse_unknown, _text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from ..importers import ImportResult, TableSource
else:
    from .._lazy import pd


class ParticipantsMixin(NetworkBase):
    """The roster and the themes participants are sorted into."""

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
        from ..importers import ImportResult, load_participants

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
                self._insert_chunks(conn, ParticipantRow, records, progress)
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
        from ..importers import validate_participant_record

        emails, ids = self._existing_people()
        record = validate_participant_record(fields, existing_emails=emails, existing_ids=ids)
        self.add_participants(pd.DataFrame([record]), actor=actor or record["email"], source=source)
        return str(record["participant_id"])

    def update_participant(self, participant_id: str, actor: str = "", **changes: Any) -> None:
        """Change a participant's fields (role, district, theme, ...)."""
        _refuse_unknown("participant", changes, PARTICIPANT_FIELDS[1:])
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
            pks = self._participant_pks(conn)
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
                for part in _chunks(ids):
                    conn.execute(
                        update(ParticipantRow)
                        .where(ParticipantRow.id.in_(part))
                        .values(
                            theme=theme, updated_at=utcnow(), version=ParticipantRow.version + 1
                        )
                    )
            self._bump(conn)
            self._audit(conn, actor, "accept", "themes", "", "", {"themes": names})

    # ------------------------------------------------------------------ frames

    def participants_frame(self) -> pd.DataFrame:
        """Participants (contract columns) with their ``collective`` ("" when in none)."""
        stmt = (
            select(*_columns(ParticipantRow, [*PARTICIPANT_FIELDS, "collective"]))
            .outerjoin(MembershipRow, MembershipRow.participant_pk == ParticipantRow.id)
            .outerjoin(CollectiveRow, CollectiveRow.id == MembershipRow.collective_id)
            .where(ParticipantRow.network_id == self.id)
            .order_by(ParticipantRow.participant_id)
        )
        frame = self._frame(stmt)
        frame["collective"] = frame["collective"].fillna("")
        return frame

    participants = TidyView(
        "participants",
        "participants_frame",
        "Participants (contract columns) with their ``collective``, as a tidy frame.",
    )

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

    themes = TidyView(
        "themes",
        "themes_frame",
        "Accepted themes in board order, with how many participants have each (tidy).",
    )
