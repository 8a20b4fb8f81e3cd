"""The action plan: goals per life domain, who acts, by when, and where each goal stands.

A goal links to the contacts and the referrals that served it (goal_contact, goal_referral),
always of the same client; the rules of linking are in app/plans/links.py.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.contacts.models import Contact
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.plans.vocab import ACTIVE_STATUSES, GoalActor, GoalStatus
from app.reference import Domain
from app.referrals.models import Referral


class Goal(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    domain: Mapped[Domain] = mapped_column(str_enum(Domain, 32))
    description: Mapped[str] = mapped_column(sa.String(300))
    actor: Mapped[GoalActor] = mapped_column(str_enum(GoalActor, 16))
    # When a partner acts: which organisation (optional, from the social map).
    partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    target_date: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(str_enum(GoalStatus, 16), default=GoalStatus.OPEN)
    status_on: Mapped[date]
    status_note: Mapped[str | None] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partner: Mapped[Organisation | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    # Queried per page with selectinload (app/plans/services.py goals_of); a removed contact
    # keeps its link but is not shown (live_contacts).
    contacts: Mapped[list[Contact]] = relationship(
        secondary="goal_contact", order_by=(Contact.occurred_at.desc(), Contact.id.desc())
    )
    referrals: Mapped[list[Referral]] = relationship(
        secondary="goal_referral", order_by=(Referral.referred_on.desc(), Referral.id.desc())
    )

    __table_args__ = (
        # Overdue counts per client: status and target date of a client's goals.
        sa.Index("ix_goal_client_status_target", "client_id", "status", "target_date"),
    )

    @property
    def live_contacts(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.deleted_at is None]

    def is_overdue(self, on: date) -> bool:
        return (
            self.status in ACTIVE_STATUSES
            and self.target_date is not None
            and self.target_date < on
        )


goal_contact = sa.Table(
    "goal_contact",
    db.metadata,
    sa.Column("goal_id", sa.ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "contact_id", sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


goal_referral = sa.Table(
    "goal_referral",
    db.metadata,
    sa.Column("goal_id", sa.ForeignKey("goal.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "referral_id",
        sa.ForeignKey("referral.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
