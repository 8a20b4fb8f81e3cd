"""Activation: placements with employers, the log of employer engagement, aftercare checks."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.activation.vocab import AftercareSituation, EngagementKind, PlacementKind, PlacementOutcome
from app.auth.models import Team, User
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation


class Placement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    kind: Mapped[PlacementKind] = mapped_column(str_enum(PlacementKind, 16))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    hours_per_week: Mapped[int | None]
    outcome: Mapped[PlacementOutcome] = mapped_column(
        str_enum(PlacementOutcome, 24), default=PlacementOutcome.ONGOING
    )
    outcome_note: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship()

    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="ends_after_start"),
        sa.CheckConstraint(
            "hours_per_week IS NULL OR (hours_per_week >= 0 AND hours_per_week <= 60)",
            name="hours_per_week_range",
        ),
    )


class EmployerEngagement(db.Model):
    """A step towards inclusive jobs with an employer: a visit, an information session..."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    occurred_on: Mapped[date]
    kind: Mapped[EngagementKind] = mapped_column(str_enum(EngagementKind, 16))
    participants: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class AftercareCheck(db.Model):
    """The check 1, 3 or 6 months after the start of aftercare."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    aftercare_started_on: Mapped[date]
    months: Mapped[int]
    checked_on: Mapped[date]
    situation: Mapped[AftercareSituation] = mapped_column(str_enum(AftercareSituation, 16))
    note: Mapped[str | None] = mapped_column(sa.String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("client_id", "aftercare_started_on", "months"),)
