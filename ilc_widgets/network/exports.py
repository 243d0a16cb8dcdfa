"""The whole network at once: every table for researchers and exports, the audit log, and
the indicator status computed from the placemats and the evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..models import AuditRow
from ._base import TidyView
from .collectives import CollectivesMixin
from .evidence import EvidenceMixin
from .participants import ParticipantsMixin
from .placemats import PlacematsMixin
from .reviews import ReviewsMixin

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd


class ExportsMixin(
    ParticipantsMixin, CollectivesMixin, PlacematsMixin, EvidenceMixin, ReviewsMixin
):
    """Every table of the network, and results derived from several of them."""

    # Two kinds of frames. The ``*_frame`` methods (and :meth:`implementation_log`) give the
    # storage layer's frames that the widgets and reports use: calendar dates as
    # ``datetime.date``, missing text as ``""``. The properties and :meth:`tables` give the
    # researchers' tidy frames, the same rows passed through :func:`ilc_widgets.tables.tidy`
    # (dates as datetime64, missing text as pd.NA, vocabularies as categoricals in order).

    def audit_log_frame(self) -> pd.DataFrame:
        """Who changed what, newest first."""
        return self._frame(select(AuditRow.__table__).order_by(AuditRow.id.desc()))

    audit_log = TidyView(
        "audit_log",
        "audit_log_frame",
        "Who changed what, newest first (tidy; ``detail`` holds dicts).",
    )

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

    def indicator_status(self, today: dt.date | None = None) -> pd.DataFrame:
        """The status of every indicator of every placemat (on track, at risk, ...).

        Computed by :func:`ilc_widgets.stats.summarize_indicators` (mapping form) from the
        current evidence, with the expected-progress line starting on the network's cycle
        start when one is set; ``today`` only adds notes about stale evidence.
        """
        from ..stats import summarize_indicators

        mapping = {code: mat.indicators for code, mat in self._placemat_documents()}
        start = self.info["cycle_start"]
        return summarize_indicators(self.evidence_frame(), mapping, today=today, start=start)
