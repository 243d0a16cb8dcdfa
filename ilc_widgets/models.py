"""The database schema of one network, as SQLAlchemy 2 declarative models.

Migrations in ``ilc_widgets/migrations`` create and evolve these tables; the models are
the single description of the schema that the storage layer (:mod:`ilc_widgets.network`)
queries. Widgets never import this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    """Timezone-aware now, the timestamp of every stored change."""
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    """Declarative base shared by all tables."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class NetworkRow(Base):
    """The network: its name, settings and the secret that signs access links."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    school_year: Mapped[str] = mapped_column(String(20), default="")
    cycle_start: Mapped[dt.date | None] = mapped_column(Date)
    secret: Mapped[str] = mapped_column(String(128))
    key_epoch: Mapped[int] = mapped_column(Integer, default=1)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ParticipantRow(Base):
    """A person in the network (data contract: participants)."""

    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("network_id", "participant_id", name="uq_participant_id"),
        UniqueConstraint("network_id", "email", name="uq_participant_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"))
    participant_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(40))
    organization: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    modality: Mapped[str] = mapped_column(String(20), default="either")
    focus: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(200), default="")
    second_theme: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(40), default="import")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class ThemeRow(Base):
    """An accepted theme of the network."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("network_id", "name", name="uq_theme_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"))
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CollectiveRow(Base):
    """A collective: a theme-based group of at most ``max_size`` educators."""

    __tablename__ = "collectives"
    __table_args__ = (UniqueConstraint("network_id", "code", name="uq_collective_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id"))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(200), default="")
    region: Mapped[str] = mapped_column(String(200), default="")
    modality: Mapped[str] = mapped_column(String(20), default="virtual")
    facilitator_name: Mapped[str] = mapped_column(String(200), default="")
    facilitator_email: Mapped[str] = mapped_column(String(320), default="")
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MembershipRow(Base):
    """A participant's place in a collective (at most one per participant)."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    participant_pk: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PlacematRow(Base):
    """The current placemat of a collective; ``version`` guards concurrent saves."""

    __tablename__ = "placemats"

    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collectives.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(320), default="")


class PlacematVersionRow(Base):
    """Every saved version of a placemat, for history and restore."""

    __tablename__ = "placemat_versions"
    __table_args__ = (UniqueConstraint("collective_id", "version", name="uq_placemat_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    saved_by: Mapped[str] = mapped_column(String(320), default="")
    note: Mapped[str] = mapped_column(String(200), default="")


class IndicatorRow(Base):
    """An indicator of a placemat, kept in step with the placemat on every save."""

    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("collective_id", "key", name="uq_indicator_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str] = mapped_column(Text, default="")
    evidence_type: Mapped[str] = mapped_column(String(40))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date)
    cadence: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class EvidenceRow(Base):
    """One piece of evidence (data contract: evidence); deleted entries are kept."""

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_collective_date", "collective_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    evidence_type: Mapped[str] = mapped_column(String(40))
    indicator: Mapped[str] = mapped_column(String(300), default="")
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    n: Mapped[int | None] = mapped_column(Integer)
    subgroup: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    entered_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_by: Mapped[str] = mapped_column(String(320), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)


class ScoreRow(Base):
    """An anonymised student's pre or post score, for effect sizes."""

    __tablename__ = "scores"
    __table_args__ = (Index("ix_scores_collective", "collective_id", "assessment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    assessment: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(10))
    student_ref: Mapped[str] = mapped_column(String(64), default="")
    score: Mapped[float] = mapped_column(Float)
    entered_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionRow(Base):
    """An entry of the implementation log: an action leaders took, tied to a step."""

    __tablename__ = "implementation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    date: Mapped[dt.date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(Text)
    toa_step: Mapped[str] = mapped_column(String(40), default="")
    entered_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ReflectionRow(Base):
    """A review meeting's reflection (the four-question protocol)."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    went_well: Mapped[str] = mapped_column(Text, default="")
    didnt_go_well: Mapped[str] = mapped_column(Text, default="")
    learned: Mapped[str] = mapped_column(Text, default="")
    adjust: Mapped[str] = mapped_column(Text, default="")
    adjust_areas: Mapped[list[Any]] = mapped_column(JSON, default=list)
    entered_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class PulseResponseRow(Base):
    """One answer to one item of the collective leader efficacy pulse."""

    __tablename__ = "pulse_responses"
    __table_args__ = (
        UniqueConstraint(
            "collective_id", "respondent", "wave", "item_set", "item_id", name="uq_pulse_answer"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(ForeignKey("collectives.id", ondelete="CASCADE"))
    respondent: Mapped[str] = mapped_column(String(320))
    wave: Mapped[str] = mapped_column(String(20))
    item_set: Mapped[str] = mapped_column(String(80), default="default")
    item_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditRow(Base):
    """Who changed what, when: one row per change, written with the change."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(80), default="")
    collective: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
