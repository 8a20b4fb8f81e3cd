"""The client file: the person followed, their context, consents, caseload and phase history."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Team, User
from app.clients.vocab import (
    ContactChannel,
    DutchLevel,
    EducationBand,
    ExitOutcome,
    Gender,
    Housing,
    IncomeSource,
    LabourStatus,
    Phase,
    PlaceMet,
    Referrer,
    Relationship,
)
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.reference import Challenge, Domain, Municipality

MAX_CHILDREN = 20  # children_count: the profile form and the API refuse more


class ClientCodeCounter(db.Model):
    """The last number handed out per code prefix and year; codes are never reused."""

    prefix: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


co_companion = sa.Table(
    "co_companion",
    db.metadata,
    sa.Column("client_id", sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Client(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(24), unique=True)
    # Outreach first: often only a nickname and a description are known.
    preferred_name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str | None] = mapped_column(sa.String(500))
    legal_first_name: Mapped[str | None] = mapped_column(sa.String(80))
    legal_last_name: Mapped[str | None] = mapped_column(sa.String(80))
    gender: Mapped[Gender] = mapped_column(str_enum(Gender), default=Gender.UNKNOWN)
    birth_year: Mapped[int | None]
    birth_date: Mapped[date | None]

    municipality: Mapped[Municipality] = mapped_column(str_enum(Municipality), index=True)
    municipality_other: Mapped[str | None] = mapped_column(sa.String(80))
    place_met: Mapped[PlaceMet] = mapped_column(str_enum(PlaceMet))
    place_met_detail: Mapped[str | None] = mapped_column(sa.String(120))
    referrer: Mapped[Referrer] = mapped_column(str_enum(Referrer), default=Referrer.OWN_OUTREACH)
    referrer_detail: Mapped[str | None] = mapped_column(sa.String(120))
    registered_on: Mapped[date] = mapped_column(index=True)

    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    dutch_level: Mapped[DutchLevel] = mapped_column(
        str_enum(DutchLevel), default=DutchLevel.UNKNOWN
    )
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    housing: Mapped[Housing] = mapped_column(str_enum(Housing), default=Housing.UNKNOWN)
    single_parent: Mapped[bool] = mapped_column(default=False)
    children_count: Mapped[int | None]
    driving_licence: Mapped[bool | None]
    can_cycle: Mapped[bool | None]
    labour_status_at_entry: Mapped[LabourStatus] = mapped_column(
        str_enum(LabourStatus), default=LabourStatus.UNKNOWN
    )
    income_source_at_entry: Mapped[IncomeSource] = mapped_column(
        str_enum(IncomeSource), default=IncomeSource.UNKNOWN
    )
    education_band: Mapped[EducationBand] = mapped_column(
        str_enum(EducationBand), default=EducationBand.UNKNOWN
    )
    contact_channel: Mapped[ContactChannel] = mapped_column(
        str_enum(ContactChannel), default=ContactChannel.UNKNOWN
    )
    contact_note: Mapped[str | None] = mapped_column(sa.String(200))

    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id"), index=True)
    # Always its team's partnership (carried for the scope and the reports; never moved).
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"))
    primary_companion_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )

    phase: Mapped[Phase] = mapped_column(str_enum(Phase), default=Phase.OUTREACH, index=True)
    phase_since: Mapped[date]
    exit_outcome: Mapped[ExitOutcome | None] = mapped_column(str_enum(ExitOutcome))
    closed_on: Mapped[date | None]

    # Accent- and case-free text of the names and code, for search on both databases.
    search_text: Mapped[str] = mapped_column(sa.String(400), default="")
    # Normalised names, to spot likely duplicates at registration.
    name_key: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    legal_name_key: Mapped[str | None] = mapped_column(sa.String(170), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(sa.ForeignKey("client.id"), index=True)
    # Privacy (app/privacy): a legal hold stops anonymisation; anonymised files keep only
    # codes, categories and dates.
    legal_hold: Mapped[bool] = mapped_column(default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(sa.String(500))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    team: Mapped[Team] = relationship()
    primary_companion: Mapped[User | None] = relationship(foreign_keys=[primary_companion_id])
    co_companions: Mapped[list[User]] = relationship(
        secondary=co_companion, order_by="User.display_name"
    )
    challenge_rows: Mapped[list[ClientChallenge]] = relationship(
        back_populates="client", cascade="all, delete-orphan"
    )
    context_members: Mapped[list[ContextMember]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="ContextMember.id"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="client",
        cascade="all, delete-orphan",
        order_by="(Consent.given_on.desc(), Consent.id.desc())",
    )
    buddy_matches: Mapped[list[BuddyMatch]] = relationship(
        back_populates="client",
        cascade="all, delete-orphan",
        order_by="BuddyMatch.started_on.desc()",
    )
    phase_changes: Mapped[list[PhaseChange]] = relationship(
        back_populates="client", cascade="all, delete-orphan", order_by="PhaseChange.id"
    )

    __table_args__ = (
        sa.Index("ix_client_team_phase", "team_id", "phase"),
        sa.Index("ix_client_team_registered_on", "team_id", "registered_on"),
        # The ids of a team's live clients, and their partnership for the wall, from the index
        # alone: the dashboards go from them to the child rows without reading the client
        # table (migrations 0026 and 0028). A team's figures read the other columns from the
        # index too (migrations 0032 and 0033: key columns, so that SQLite can as well).
        sa.Index(
            "ix_client_team_scope",
            "team_id",
            "merged_into_id",
            "id",
            "partnership_id",
            "registered_on",
            "phase",
            "phase_since",
            "primary_companion_id",
            "place_met",
        ),
        # A partnership's clients registered in a period: the funder report, one partnership at
        # a time (migration 0031); also every lookup by partnership alone.
        sa.Index("ix_client_partnership_registered_on", "partnership_id", "registered_on"),
        # A trigram index on PostgreSQL (pg_trgm) makes substring search fast; on SQLite the
        # FTS5 table client_search does that job and this is a plain index.
        sa.Index(
            "ix_client_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )
    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Client {self.code}>"

    @property
    def challenges(self) -> list[Challenge]:
        return sorted((row.challenge for row in self.challenge_rows), key=list(Challenge).index)

    @property
    def legal_name(self) -> str | None:
        parts = [self.legal_first_name, self.legal_last_name]
        return " ".join(p for p in parts if p) or None

    @property
    def companions(self) -> list[User]:
        """Primary companion first, then co-companions."""
        first = [self.primary_companion] if self.primary_companion else []
        return first + [u for u in self.co_companions if u not in first]

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class ClientChallenge(db.Model):
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    challenge: Mapped[Challenge] = mapped_column(str_enum(Challenge), primary_key=True)
    client: Mapped[Client] = relationship(back_populates="challenge_rows")


class ContextMember(db.Model):
    """Someone in the person's system: partner, children, family, neighbours."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80))
    relationship_kind: Mapped[Relationship] = mapped_column(str_enum(Relationship))
    birth_year: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(back_populates="context_members")


class Consent(db.Model):
    """Informed consent: processing, and sharing per domain (and organisation) under shared
    professional secrecy."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    given_on: Mapped[date]
    explained_in: Mapped[str] = mapped_column(sa.String(8))  # language code
    interpreter_used: Mapped[bool] = mapped_column(default=False)
    processing: Mapped[bool] = mapped_column(default=True)
    expires_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    withdrawn_on: Mapped[date | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The explanation as shown when the person agreed (app/clients/consent_texts.py), in
    # ``text_language``; and their signature drawn on the screen, as SVG made by Gezel from
    # the strokes (None: agreed without a signature, e.g. by phone with an interpreter).
    explanation_text: Mapped[str | None] = mapped_column(sa.Text)
    text_language: Mapped[str | None] = mapped_column(sa.String(8))
    signature_svg: Mapped[str | None] = mapped_column(sa.Text)

    client: Mapped[Client] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship()
    scopes: Mapped[list[ConsentScope]] = relationship(
        back_populates="consent", cascade="all, delete-orphan", order_by="ConsentScope.id"
    )

    @property
    def shared_domains(self) -> list[Domain]:
        return sorted({s.domain for s in self.scopes if s.domain}, key=list(Domain).index)

    @property
    def shared_organisation_ids(self) -> set[int]:
        return {s.organisation_id for s in self.scopes if s.organisation_id}


class ConsentScope(db.Model):
    """One thing a consent allows to be shared with partners: a life domain (any partner
    working on it) or one named organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consent.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[Domain | None] = mapped_column(str_enum(Domain))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )

    consent: Mapped[Consent] = relationship(back_populates="scopes")
    organisation: Mapped[Organisation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(
            "(domain IS NULL) <> (organisation_id IS NULL)", name="domain_or_organisation"
        ),
    )


class BuddyMatch(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    buddy_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(sa.String(500))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(back_populates="buddy_matches")
    buddy: Mapped[User] = relationship(foreign_keys=[buddy_id])

    def active_on(self, day: date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)


class PhaseChange(db.Model):
    """Every change of phase, so that time in phase is measurable."""

    __table_args__ = (
        # Dashboards count moves into a phase within a period for a set of clients.
        sa.Index(
            "ix_phase_change_client_phase_on",
            "client_id",
            "to_phase",
            "effective_on",
            postgresql_include=["exit_outcome"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    from_phase: Mapped[Phase | None] = mapped_column(str_enum(Phase))
    to_phase: Mapped[Phase] = mapped_column(str_enum(Phase))
    effective_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(sa.String(1000))
    reason: Mapped[str | None] = mapped_column(sa.String(500))
    exit_outcome: Mapped[ExitOutcome | None] = mapped_column(str_enum(ExitOutcome))
    without_consent: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship(back_populates="phase_changes")
    changed_by: Mapped[User | None] = relationship()


class ClientNameKey(db.Model):
    """One searchable word of a client's names or description (app/clients/names.py), kept
    in step with the client on every change (app/clients/search.py); search and the
    duplicate warning narrow their candidates by the index on (word, team)."""

    __tablename__ = "client_name_key"
    __table_args__ = (
        sa.Index("ix_client_name_key_word_team", "word", "team_id"),
        {"sqlite_autoincrement": True},  # ids never reused (the vocabulary cache, matching.py)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    # The client's team, copied so that a team's words are found without reading the client.
    team_id: Mapped[int] = mapped_column(sa.ForeignKey("team.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(sa.String(16))  # preferred, legal_first, ...
    word: Mapped[str] = mapped_column(sa.String(80))


class DistinctPerson(db.Model):
    """Someone confirmed that two clients who look alike are different people: the duplicate
    warning does not show this pair again. Stored with the lower id first; read both ways
    (a merge moves rows onto the survivor, app/clients/merge.py)."""

    __tablename__ = "distinct_person"

    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    other_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
