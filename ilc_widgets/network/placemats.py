"""Placemats: the current version and its history, saving with a version check, and the
placemats' parts (indicators, theory of action, priorities, evidence plan) as tables."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from ..errors import ConflictError, NotFound
from ..models import IndicatorRow, PlacematRow, PlacematVersionRow, utcnow
from ..placemat import Placemat, validate_placemat
from ..vocab import EVIDENCE_TYPES
from ._base import NetworkBase, TidyView
from ._rows import PlacematState

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.engine import Connection
else:
    from .._lazy import pd


class PlacematsMixin(NetworkBase):
    """Each collective's placemat, its versions and its parts as tables."""

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

    # ------------------------------------------------------------------ frames

    def placemats_frame(self) -> pd.DataFrame:
        """One row per collective: version, last save, main fields and the whole document."""
        from ..placemat import completeness

        frame = self._collective_frame(
            PlacematRow, "collective version updated_at updated_by document", "collective"
        )
        mats = [Placemat.from_dict(d) for d in frame["document"]]
        frame.insert(4, "problem_of_practice", [m.problem_of_practice for m in mats])
        frame.insert(5, "theory_steps", [len(m.theory_of_action) for m in mats])
        frame.insert(6, "indicators", [len(m.indicators) for m in mats])
        frame.insert(7, "completeness", [round(completeness(m), 2) for m in mats])
        return frame

    placemats = TidyView(
        "placemats",
        "placemats_frame",
        "One row per collective: version, last save, main fields and the whole document, "
        "tidy; ``document`` holds each placemat as a dict (see ``theory_of_action``, "
        "``priorities``, ``evidence_plan`` and ``indicators`` for its parts as tables).",
    )

    def indicators_frame(self) -> pd.DataFrame:
        """Every indicator of every placemat, one row each."""
        fields = "name kind measure evidence_type baseline target unit target_date cadence"
        return self._collective_frame(
            IndicatorRow,
            ["collective", IndicatorRow.key.label("indicator_id"), *fields.split()],
            "collective position",
        )

    indicators = TidyView(
        "indicators", "indicators_frame", "Every indicator of every placemat, one row each (tidy)."
    )

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
