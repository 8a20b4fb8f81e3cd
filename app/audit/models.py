"""Audit events: who did or viewed what, when and from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """One event. ``client_id`` names the one file it concerns; an event about many files
    (an export) lists them in ``audit_event_client``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The actor is kept by id and by name: the trail must survive a renamed or removed account.
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Not a foreign key on purpose: the trail outlives merges of client records.
    client_id: Mapped[int | None] = mapped_column(index=True)
    address: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


# The clients an event concerns besides its own ``client_id``: the rows of an export, the
# clients of an API list. Written in one multi-row insert per event (app/audit/services.py).
audit_event_client = sa.Table(
    "audit_event_client",
    db.metadata,
    sa.Column("client_id", sa.Integer, primary_key=True),  # no foreign key, like AuditEvent's
    sa.Column("event_id", sa.ForeignKey("audit_event.id", ondelete="CASCADE"), primary_key=True),
)
