"""Appointments (afspraken) of a companion with a client, and each user's calendar feed."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agenda.vocab import AppointmentKind
from app.auth.models import User
from app.clients.models import Client, ContextMember
from app.contacts.models import Contact
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.referrals.models import Referral

appointment_participant = sa.Table(
    "appointment_participant",
    db.metadata,
    sa.Column(
        "appointment_id",
        sa.ForeignKey("appointment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "context_member_id",
        sa.ForeignKey("context_member.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)


class Appointment(db.Model):
    """With whom (the client, some of their context, a buddy, an organisation), what, where,
    when and by whom; once it took place, the contact it became."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    companion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[AppointmentKind] = mapped_column(str_enum(AppointmentKind))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The calendar date in Brussels, kept with the instant (the reminder rule compares days).
    starts_on: Mapped[date]
    place: Mapped[str | None] = mapped_column(sa.String(200))
    purpose: Mapped[str | None] = mapped_column(sa.String(200))
    buddy_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    referral_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("referral.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contact.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()
    companion: Mapped[User | None] = relationship(foreign_keys=[companion_id])
    buddy: Mapped[User | None] = relationship(foreign_keys=[buddy_id])
    organisation: Mapped[Organisation | None] = relationship()
    referral: Mapped[Referral | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    participants: Mapped[list[ContextMember]] = relationship(
        secondary=appointment_participant, order_by="ContextMember.id"
    )

    __table_args__ = (
        sa.Index("ix_appointment_companion_starts", "companion_id", "starts_at"),
        sa.Index("ix_appointment_open_on", "contact_id", "starts_on"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    def __repr__(self) -> str:
        return f"<Appointment {self.id} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}>"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class CalendarFeed(db.Model):
    """A user's secret calendar address: only the SHA-256 of its token is kept, so the
    database does not reveal it; regenerating replaces it, revoking removes it."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
