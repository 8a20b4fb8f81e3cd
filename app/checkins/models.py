"""Buddy check-ins: what a volunteer did with a matched client, how it went, any worry."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.checkins.vocab import RATINGS, Activity
from app.clients.models import BuddyMatch, Client
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db


class CheckIn(db.Model):
    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    buddy_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    match_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("buddy_match.id", ondelete="SET NULL"), index=True
    )
    occurred_on: Mapped[date]
    activity: Mapped[Activity] = mapped_column(str_enum(Activity))
    activity_note: Mapped[str | None] = mapped_column(sa.String(120))
    duration_minutes: Mapped[int]  # volunteer hours add up from these
    rating: Mapped[int]
    worry: Mapped[bool] = mapped_column(default=False)
    worry_text: Mapped[str | None] = mapped_column(sa.String(1000))
    next_meeting_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    worry_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worry_acknowledged_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    client: Mapped[Client] = relationship()
    buddy: Mapped[User | None] = relationship(foreign_keys=[buddy_id])
    match: Mapped[BuddyMatch | None] = relationship()
    worry_acknowledged_by: Mapped[User | None] = relationship(
        foreign_keys=[worry_acknowledged_by_id]
    )

    __table_args__ = (
        sa.Index("ix_check_in_client_occurred", "client_id", "occurred_on"),
        # The buddies widget reads a client's check-ins in the period from the index alone
        # (migration 0026).
        sa.Index(
            "ix_check_in_client_figures",
            "client_id",
            "occurred_on",
            "buddy_id",
            "duration_minutes",
            "worry",
            "worry_acknowledged_at",
        ),
        sa.Index("ix_check_in_buddy_occurred", "buddy_id", "occurred_on"),
        # Open worries are looked up on every caseload and team list.
        sa.Index("ix_check_in_open_worry", "worry", "worry_acknowledged_at", "client_id"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        sa.CheckConstraint("duration_minutes >= 0", name="duration_not_negative"),
    )

    def __repr__(self) -> str:
        return f"<CheckIn {self.id} client={self.client_id}>"

    @property
    def open_worry(self) -> bool:
        return self.worry and self.worry_acknowledged_at is None

    @property
    def rating_label(self) -> str:
        return str(RATINGS.get(self.rating, self.rating))
