"""Removed notes and contacts keep the fact of the removal, not their text.

A person who asks for a note to be removed expects it gone. The row stays (who removed it,
when, why, on which client: the removal is audited without any text), but the text is kept
only for ``NOTE_UNDO_MINUTES``, so that the one who removed it can undo a mistake. After that
window the purge (a scheduler job, or ``flask notes purge``) empties the note and drops its
earlier versions; with a window of 0 that happens at once. A removed contact cannot be
brought back from the screen, so its free text and its notes are cleared at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.audit import services as audit
from app.contacts.models import Contact, Note
from app.database import utcnow
from app.extensions import db

# A removed contact's own free text (a note's text is ``Note.body``).
CONTACT_TEXT_FIELDS = ("place", "others_present", "next_step")


def undo_window() -> timedelta:
    return timedelta(minutes=max(0, current_app.config["NOTE_UNDO_MINUTES"]))


def undoable_until(note: Note) -> datetime | None:
    """Until when the removal of ``note`` can be undone (None: it cannot, or no longer)."""
    if note.deleted_at is None or not note.body:
        return None
    until = note.deleted_at + undo_window()
    return until if utcnow() < until else None


def clear_note(note: Note) -> None:
    """Empty a removed note's text and forget its earlier versions."""
    note.body = ""
    note.revisions.clear()  # delete-orphan: the rows go


def clear_contact(contact: Contact) -> None:
    """Empty a removed contact's free text, its earlier versions and its (removed) notes."""
    for name in CONTACT_TEXT_FIELDS:
        setattr(contact, name, None)
    contact.revisions.clear()
    for note in contact.notes:
        if note.deleted_at is not None:
            clear_note(note)


def _notes_due(cutoff: datetime) -> sa.Select:
    return sa.select(Note).where(
        Note.deleted_at.is_not(None),
        Note.deleted_at <= cutoff,
        sa.or_(Note.body != "", Note.revisions.any()),
    )


def _contacts_due() -> sa.Select:
    return sa.select(Contact).where(
        Contact.deleted_at.is_not(None),
        sa.or_(
            *(getattr(Contact, name).is_not(None) for name in CONTACT_TEXT_FIELDS),
            Contact.revisions.any(),
            Contact.notes.any(Note.body != ""),
        ),
    )


@dataclass
class Purged:
    notes: int = 0
    contacts: int = 0

    def __bool__(self) -> bool:
        return bool(self.notes or self.contacts)

    def summary(self) -> str:
        return f"cleared {self.notes} notes, {self.contacts} contacts"


def pending(now: datetime | None = None) -> bool:
    """Is there removed text to clear? (A read, so the job takes no write lock for nothing.)"""
    cutoff = (now or utcnow()) - undo_window()
    found = db.session.scalar(
        sa.select(
            sa.or_(
                sa.exists(_notes_due(cutoff).with_only_columns(Note.id)),
                sa.exists(_contacts_due().with_only_columns(Contact.id)),
            )
        )
    )
    return bool(found)


def purge_removed_text(now: datetime | None = None, *, actor: str = "scheduler") -> Purged:
    """Clear the text of notes removed longer than the undo window ago, and of any removed
    contact still holding text. Audited as one event with the counts, never the text."""
    cutoff = (now or utcnow()) - undo_window()
    result = Purged()
    for contact in db.session.scalars(_contacts_due()):
        clear_contact(contact)
        result.contacts += 1
    db.session.flush()
    for note in db.session.scalars(_notes_due(cutoff)):
        clear_note(note)
        result.notes += 1
    if result:
        db.session.flush()
        audit.record(
            "notes.text_cleared",
            actor=actor,
            details={"notes": result.notes, "contacts": result.contacts},
        )
    return result
