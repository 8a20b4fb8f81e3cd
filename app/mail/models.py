"""Outbox rows: one e-mail each, claimed with a lease by the process that sends it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.labels import register_labels


class OutboxStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender until lease_until
    SENT = "sent"  # handed to the mail server, or written as an .eml file
    FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS


register_labels(
    OutboxStatus,
    {
        OutboxStatus.QUEUED: _l("waiting"),
        OutboxStatus.SENDING: _l("being sent"),
        OutboxStatus.SENT: _l("sent"),
        OutboxStatus.FAILED: _l("failed"),
    },
)


class OutboxMessage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))  # e.g. digest, partner_link, partner_code
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, 16), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    file_name: Mapped[str | None] = mapped_column(sa.String(200))  # without MAIL_SERVER
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The partnership the message is sent for: its administrators see it in the outbox.
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"), index=True)

    __table_args__ = (sa.Index("ix_outbox_message_status_next", "status", "next_attempt_at"),)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
