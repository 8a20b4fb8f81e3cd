"""Low-threshold group sessions (laagdrempelige groepssessies): who is registered, who came."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Team, User
from app.clients.models import Client
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.groups.vocab import Attendance
from app.reference import Domain


class GroupSession(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"))
    title: Mapped[str] = mapped_column(sa.String(120))
    domain: Mapped[Domain] = mapped_column(str_enum(Domain, 32))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str] = mapped_column(sa.String(200))
    facilitator_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    capacity: Mapped[int]
    description: Mapped[str | None] = mapped_column(sa.String(1000))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    facilitator: Mapped[User | None] = relationship(foreign_keys=[facilitator_id])
    registrations: Mapped[list[GroupRegistration]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="GroupRegistration.id"
    )

    __table_args__ = (
        sa.Index("ix_group_session_team_starts_at", "team_id", "starts_at"),
        sa.CheckConstraint("capacity > 0", name="capacity_positive"),
    )

    def __repr__(self) -> str:
        return f"<GroupSession {self.title} {self.starts_at:%Y-%m-%d}>"


class GroupRegistration(db.Model):
    """A client or a buddy registered for a session, and whether they came."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("group_session.id", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    buddy_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    attendance: Mapped[Attendance | None] = mapped_column(str_enum(Attendance, 16))
    attendance_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The contact that attendance created in the client's file (app.groups.contacts).
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id", ondelete="SET NULL"))

    session: Mapped[GroupSession] = relationship(back_populates="registrations")
    client: Mapped[Client | None] = relationship()
    buddy: Mapped[User | None] = relationship(foreign_keys=[buddy_id])

    __table_args__ = (
        sa.UniqueConstraint("session_id", "client_id"),
        sa.UniqueConstraint("session_id", "buddy_id"),
        sa.CheckConstraint("(client_id IS NULL) <> (buddy_id IS NULL)", name="client_or_buddy"),
    )

    @property
    def person_name(self) -> str:
        return self.client.preferred_name if self.client else self.buddy.display_name
