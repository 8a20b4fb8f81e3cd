"""Partner links (one per e-mail sent to a desk; only hashes are kept) and partner answers."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.partners.vocab import PartnerAnswerKind
from app.referrals.models import Referral, ReferralStatusChange
from app.timeutil import today


class PartnerLink(db.Model):
    """A link to one referral, e-mailed to the organisation's referral desk. The token in the
    link and the one-time code are stored as SHA-256 hashes only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    resent: Mapped[bool] = mapped_column(default=False)  # sent again by the reminder scan
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    replaced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The current one-time code, its wrong tries, and how many codes were sent today.
    code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_tries: Mapped[int] = mapped_column(default=0)
    codes_sent: Mapped[int] = mapped_column(default=0)
    codes_window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A browser that entered the code holds this (rotated on every code, cleared on revoke).
    session_key: Mapped[str | None] = mapped_column(sa.String(64))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    referral: Mapped[Referral] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()


class PartnerAnswer(db.Model):
    """What a desk answered through its link; each lands in the companion's inbox."""

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    link_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_link.id", ondelete="SET NULL")
    )
    change_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("referral_status_change.id", ondelete="SET NULL")
    )
    kind: Mapped[PartnerAnswerKind] = mapped_column(str_enum(PartnerAnswerKind, 24))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_on: Mapped[date] = mapped_column(default=today, index=True)  # in Brussels
    appointment_on: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(sa.String(200))

    referral: Mapped[Referral] = relationship()
    change: Mapped[ReferralStatusChange | None] = relationship()
