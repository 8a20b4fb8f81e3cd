"""Requests a data subject makes of the partnership: to see their file or to have it erased."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.privacy.vocab import Decision, RequestKind


class PrivacyRequest(db.Model):
    """A subject access or erasure request and the privacy officer's decision on it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not a foreign key: the request is kept as long as the trail, whatever becomes of the file.
    client_id: Mapped[int] = mapped_column(index=True)
    client_code: Mapped[str] = mapped_column(sa.String(24))
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, 16))
    received_on: Mapped[date]
    reason: Mapped[str] = mapped_column(sa.String(1000))
    decision: Mapped[Decision] = mapped_column(str_enum(Decision, 16))
    decision_note: Mapped[str | None] = mapped_column(sa.String(1000))
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    handled_by: Mapped[User | None] = relationship()
