"""A partnership (samenwerkingsverband): one local partnership hosted on the installation."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Partnership(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # The prefix of its client codes (DL-2026-0042): 2 to 6 capitals A-Z, unique.
    code_prefix: Mapped[str] = mapped_column(sa.String(6), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Partnership {self.code_prefix} {self.name}>"
