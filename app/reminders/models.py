"""Reminders are rows: raised, escalated and resolved by the scan, acted on by people."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.clients.models import Client
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.reminders.vocab import Priority, ReminderStatus


class Reminder(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    assignee_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(sa.String(40))
    # What the reminder is about beyond the client (a contact, a referral, a check-in…).
    subject_id: Mapped[int | None]
    due_on: Mapped[date]
    priority: Mapped[int] = mapped_column(default=Priority.NORMAL)
    status: Mapped[ReminderStatus] = mapped_column(
        str_enum(ReminderStatus, 16), default=ReminderStatus.OPEN
    )
    snoozed_until: Mapped[date | None]
    dismiss_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # One reminder per rule, client, assignee and episode: the scan never raises it twice.
    dedupe_key: Mapped[str] = mapped_column(sa.String(160), unique=True)
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    client: Mapped[Client] = relationship()

    __table_args__ = (
        sa.Index("ix_reminder_assignee_status_due", "assignee_id", "status", "due_on"),
        sa.Index("ix_reminder_rule_status", "rule", "status"),
    )

    @property
    def auto_resolved(self) -> bool:
        return self.status == ReminderStatus.DONE and self.resolved_by_id is None
