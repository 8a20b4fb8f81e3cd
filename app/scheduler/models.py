"""When each daily job last ran, so a restart neither skips nor repeats it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class JobRun(db.Model):
    job_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    run_on: Mapped[date] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    result: Mapped[str | None] = mapped_column(sa.String(200))
