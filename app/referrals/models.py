"""Referrals (doorverwijzingen): a client guided to a partner organisation for a life domain,
followed from the first call to its outcome, with every status change kept."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clients.models import Client, Consent
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.reference import Domain
from app.referrals.lifecycle import (
    AWAITING_RESPONSE,
    OPEN,
    TERMINAL,
    ReferralStatus,
)
from app.referrals.vocab import SharingBasis


class Referral(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    # Organisations are deactivated, never deleted: the referral history keeps them.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"))
    domain: Mapped[Domain] = mapped_column(str_enum(Domain))
    question: Mapped[str] = mapped_column(sa.String(1000))
    referred_on: Mapped[date]
    response_deadline: Mapped[date]
    warm_handover: Mapped[bool] = mapped_column(default=False)
    handover_on: Mapped[date | None]  # the day the companion goes along

    # The current status, kept in step with the history by services.move() alone.
    status: Mapped[ReferralStatus] = mapped_column(
        str_enum(ReferralStatus), default=ReferralStatus.DRAFT
    )
    status_since: Mapped[date]
    appointment_on: Mapped[date | None]  # the first appointment, once planned
    appointment_place: Mapped[str | None] = mapped_column(sa.String(200))  # where, if given
    sent_on: Mapped[date | None]
    accepted_on: Mapped[date | None]  # the partner said yes (accepted or gave an appointment)

    # What was shared when it was sent, and on what basis.
    shared_basis: Mapped[SharingBasis | None] = mapped_column(str_enum(SharingBasis))
    shared_consent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consent.id", ondelete="SET NULL")
    )
    shared_fields: Mapped[list[str] | None] = mapped_column(sa.JSON)
    override_reason: Mapped[str | None] = mapped_column(sa.String(1000))

    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    client: Mapped[Client] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()
    shared_consent: Mapped[Consent | None] = relationship()
    changes: Mapped[list[ReferralStatusChange]] = relationship(
        back_populates="referral",
        cascade="all, delete-orphan",
        order_by="ReferralStatusChange.id",
    )

    __table_args__ = (
        sa.Index("ix_referral_organisation_status", "organisation_id", "status"),
        sa.Index("ix_referral_status_deadline", "status", "response_deadline"),
        # The dashboards go from a team's clients to their referrals (migration 0026): sent in
        # the period, and open now by age (from the index alone).
        sa.Index(
            "ix_referral_client_sent",
            "client_id",
            "sent_on",
            postgresql_include=["id", "organisation_id", "accepted_on", "status", "referred_on"],
        ),
        sa.Index("ix_referral_client_status", "client_id", "status", "sent_on", "referred_on"),
    )

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    def is_overdue(self, day: date) -> bool:
        """No answer past the deadline, or a first appointment passed without an outcome."""
        if self.status in AWAITING_RESPONSE:
            return self.response_deadline < day
        if self.status == ReferralStatus.APPOINTMENT_PLANNED:
            return self.appointment_on is not None and self.appointment_on < day
        return False


class ReferralStatusChange(db.Model):
    """One move in a referral's life; replaying them in order gives its current status."""

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[ReferralStatus | None] = mapped_column(str_enum(ReferralStatus))
    to_status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus))
    effective_on: Mapped[date]
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    appointment_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    # Set when the partner's desk made this move through its link (the organisation's name).
    by_partner: Mapped[str | None] = mapped_column(sa.String(200))
    referral: Mapped[Referral] = relationship(back_populates="changes")
    by: Mapped[User | None] = relationship()
