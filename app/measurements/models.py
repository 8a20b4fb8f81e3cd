"""Self-reliance measurement: instruments are data (domains and level labels), a measurement
is a date, an instrument and a score per domain.

Instrument texts are stored in Dutch and English on the rows, not in the message catalog:
they come from data files, and a partnership's own instrument must work without a code or
catalog change.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.measurements.vocab import MeasurementKind


def in_locale(dutch: str, english: str | None) -> str:
    """The text for the interface language; Dutch when there is no English."""
    locale = get_locale()
    if locale is not None and locale.language == "en" and english:
        return english
    return dutch


class Instrument(db.Model):
    """A measuring instrument, loaded from a data file (see app/measurements/loader.py)."""

    # A code is unique within a partnership's own instruments, and among the shared ones
    # (the partial index); `flask instruments load` keeps a shared and an own one apart.
    __table_args__ = (
        sa.UniqueConstraint("partnership_id", "code"),
        sa.Index(
            "uq_instrument_shared_code",
            "code",
            unique=True,
            sqlite_where=sa.text("partnership_id IS NULL"),
            postgresql_where=sa.text("partnership_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    # None: installation-wide (the standard instruments, loaded from the data files, shared by
    # every partnership); else an instrument of that one partnership only.
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"), index=True)
    name_nl: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str | None] = mapped_column(sa.String(120))
    credit_nl: Mapped[str | None] = mapped_column(sa.String(500))
    credit_en: Mapped[str | None] = mapped_column(sa.String(500))
    version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    domains: Mapped[list[InstrumentDomain]] = relationship(
        back_populates="instrument",
        order_by="InstrumentDomain.position",
        lazy="selectin",
        cascade="all, delete-orphan",
    )
    levels: Mapped[list[InstrumentLevel]] = relationship(
        back_populates="instrument",
        order_by="InstrumentLevel.score",
        lazy="selectin",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Instrument {self.code} v{self.version}>"

    @property
    def name(self) -> str:
        return in_locale(self.name_nl, self.name_en)

    @property
    def credit(self) -> str | None:
        return in_locale(self.credit_nl, self.credit_en) if self.credit_nl else None

    @property
    def scale(self) -> tuple[int, int]:
        """The lowest and highest score, from the level rows."""
        scores = [level.score for level in self.levels]
        return min(scores), max(scores)

    def domain(self, code: str) -> InstrumentDomain | None:
        return next((d for d in self.domains if d.code == code), None)


class InstrumentDomain(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(40))
    label_nl: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str | None] = mapped_column(sa.String(120))
    position: Mapped[int]

    instrument: Mapped[Instrument] = relationship(back_populates="domains")

    __table_args__ = (sa.UniqueConstraint("instrument_id", "code"),)

    @property
    def label(self) -> str:
        return in_locale(self.label_nl, self.label_en)


class InstrumentLevel(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instrument.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]
    label_nl: Mapped[str] = mapped_column(sa.String(120))
    label_en: Mapped[str | None] = mapped_column(sa.String(120))

    instrument: Mapped[Instrument] = relationship(back_populates="levels")

    __table_args__ = (sa.UniqueConstraint("instrument_id", "score"),)

    @property
    def label(self) -> str:
        return in_locale(self.label_nl, self.label_en)


class Measurement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    instrument_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument.id"), index=True)
    measured_on: Mapped[date]
    kind: Mapped[MeasurementKind] = mapped_column(str_enum(MeasurementKind, 16))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    instrument: Mapped[Instrument] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    scores: Mapped[list[MeasurementScore]] = relationship(
        back_populates="measurement", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        sa.Index("ix_measurement_client_measured_on", "client_id", "measured_on"),
        # The self-reliance change reads a client's measurements of one instrument from the
        # index alone (migration 0026).
        sa.Index(
            "ix_measurement_client_instrument_on",
            "client_id",
            "instrument_id",
            "measured_on",
            "id",
        ),
    )

    def score_for(self, domain_id: int) -> MeasurementScore | None:
        return next((s for s in self.scores if s.domain_id == domain_id), None)


class MeasurementScore(db.Model):
    """The score of one domain in one measurement; a domain left out was not scored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    measurement_id: Mapped[int] = mapped_column(sa.ForeignKey("measurement.id", ondelete="CASCADE"))
    domain_id: Mapped[int] = mapped_column(sa.ForeignKey("instrument_domain.id"), index=True)
    score: Mapped[int]
    note: Mapped[str | None] = mapped_column(sa.String(200))

    measurement: Mapped[Measurement] = relationship(back_populates="scores")
    domain: Mapped[InstrumentDomain] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("measurement_id", "domain_id"),
        # the dashboards' self-reliance change reads a team's scores from the index alone
        # (migration 0033)
        sa.Index(
            "ix_measurement_score_measurement_domain_score", "measurement_id", "domain_id", "score"
        ),
    )
