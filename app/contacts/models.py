"""Contacts (contactmomenten), the notes written on a client, and their correction history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.auth.models import User
from app.clients.models import Client, ContextMember
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db
from app.organisations.models import Organisation
from app.reference import Domain

# A note's body is a Text column, so its limit (characters) is declared here; the note form,
# the contact form, the API and the note service (app/contacts/notes.py) all read it.
MAX_NOTE_LENGTH = 5000
# The practical note written with a contact (for the buddy) is kept shorter on the contact
# form, and so through the API.
MAX_PRACTICAL_NOTE_LENGTH = 2000


class Contact(db.Model):
    """One contact with a client, or an attempt to reach them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind))
    outcome: Mapped[ContactOutcome] = mapped_column(str_enum(ContactOutcome))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The calendar date in Brussels, kept with the instant: "days since" counts local days
    # the same way on both databases.
    occurred_on: Mapped[date]
    duration_minutes: Mapped[int | None]
    place: Mapped[str | None] = mapped_column(sa.String(120))
    others_present: Mapped[str | None] = mapped_column(sa.String(200))
    next_step: Mapped[str | None] = mapped_column(sa.String(500))
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    deletion_reason: Mapped[str | None] = mapped_column(sa.String(500))

    client: Mapped[Client] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    domain_rows: Mapped[list[ContactDomain]] = relationship(
        back_populates="contact", cascade="all, delete-orphan"
    )
    participants: Mapped[list[ContextMember]] = relationship(
        secondary="contact_participant", order_by="ContextMember.id"
    )
    organisations: Mapped[list[Organisation]] = relationship(
        secondary="contact_organisation", order_by="Organisation.name_key"
    )
    notes: Mapped[list[Note]] = relationship(back_populates="contact", order_by="Note.id")
    revisions: Mapped[list[ContactRevision]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", order_by="ContactRevision.id"
    )

    __table_args__ = (
        # The timeline and "days since the last reached contact" read these per client.
        sa.Index("ix_contact_client_occurred", "client_id", "occurred_at"),
        sa.Index("ix_contact_client_outcome", "client_id", "outcome", "occurred_at"),
        sa.CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes >= 0", name="duration_not_negative"
        ),
    )

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.kind} {self.outcome}>"

    @property
    def domains(self) -> list[Domain]:
        return sorted((row.domain for row in self.domain_rows), key=list(Domain).index)

    @property
    def reached(self) -> bool:
        return self.outcome == ContactOutcome.REACHED

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def live_notes(self) -> list[Note]:
        return [note for note in self.notes if note.deleted_at is None]


class ClientContactStats(db.Model):
    """Per client with live contacts: the last reached contact and the failed attempts since,
    kept up to date by every write of a contact (app/contacts/outreach.py refresh_stats).
    Lists, dashboards and the reminder scan read this row instead of aggregating every
    contact of every client on each request."""

    __tablename__ = "client_contact_stats"

    client_id: Mapped[int] = mapped_column(
        sa.ForeignKey("client.id", ondelete="CASCADE"), primary_key=True
    )
    last_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reached_on: Mapped[date | None]
    failed_attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_on: Mapped[date | None]


class ContactDomain(db.Model):
    """A life domain touched in a contact (a row each, so dashboards can count them)."""

    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[Domain] = mapped_column(str_enum(Domain), primary_key=True, index=True)
    contact: Mapped[Contact] = relationship(back_populates="domain_rows")


contact_participant = sa.Table(
    "contact_participant",
    db.metadata,
    sa.Column("contact_id", sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "context_member_id",
        sa.ForeignKey("context_member.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


contact_organisation = sa.Table(
    "contact_organisation",
    db.metadata,
    sa.Column("contact_id", sa.ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "organisation_id",
        sa.ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ContactRevision(db.Model):
    """The version of a contact before a correction (its notes keep their own history)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    reason: Mapped[str] = mapped_column(sa.String(500))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contact: Mapped[Contact] = relationship(back_populates="revisions")
    changed_by: Mapped[User | None] = relationship()


class Note(db.Model):
    """A note on a client, written with a contact or on its own, at one of three levels."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contact.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[NoteLevel] = mapped_column(str_enum(NoteLevel))
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    deletion_reason: Mapped[str | None] = mapped_column(sa.String(500))

    client: Mapped[Client] = relationship()
    contact: Mapped[Contact | None] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    revisions: Mapped[list[NoteRevision]] = relationship(
        back_populates="note", cascade="all, delete-orphan", order_by="NoteRevision.id"
    )
    # Whether it has earlier versions, when the query that loaded it asked (``CORRECTED``
    # in app/contacts/notes.py): a list of notes needs no load of their revisions for it.
    has_revisions: Mapped[bool | None] = query_expression()

    __table_args__ = (sa.Index("ix_note_client_level", "client_id", "level", "created_at"),)

    def __repr__(self) -> str:
        return f"<Note {self.id} {self.level}>"

    @property
    def corrected(self) -> bool:
        """Changed since it was written (its earlier versions are kept)."""
        if self.has_revisions is not None:
            return bool(self.has_revisions)
        return bool(self.revisions)


class NoteRevision(db.Model):
    """A note's text and level before a correction."""

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(sa.ForeignKey("note.id", ondelete="CASCADE"), index=True)
    level: Mapped[NoteLevel] = mapped_column(str_enum(NoteLevel))
    body: Mapped[str] = mapped_column(sa.Text)
    reason: Mapped[str] = mapped_column(sa.String(500))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    note: Mapped[Note] = relationship(back_populates="revisions")
    changed_by: Mapped[User | None] = relationship()


# The client's statistics row, read only (refresh_stats writes the table): the client page
# joins it to the client's own statement (contacts/contributions.py). Never loaded on
# access: whoever reads it checks it was loaded, else asks the table (outreach.health_of).
# Added here, after every class of this module, as the clients package knows nothing of
# contacts.
Client.contact_stats = relationship(ClientContactStats, uselist=False, viewonly=True, lazy="raise")
