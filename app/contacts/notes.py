"""Notes on a client at three levels: writing, correcting and removing them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.clients.models import Client
from app.clients.scoping import Access, access_level
from app.contacts.editing import EditMode, can_remove, edit_mode
from app.contacts.models import Contact, Note, NoteRevision
from app.contacts.visibility import can_read, readable_clause
from app.contacts.vocab import NoteLevel
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db

MAX_NOTE_LENGTH = 5000


def _level(level) -> NoteLevel:
    try:
        return NoteLevel(level)
    except ValueError:
        raise DomainError(_("Choose a note level from the list."), 422, field="level") from None


def _body(body: str | None, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write the note first."), 422, field=field)
    if len(body) > MAX_NOTE_LENGTH:
        raise DomainError(
            _("A note can be at most %(max)d characters.", max=MAX_NOTE_LENGTH), 422, field=field
        )
    return body


def live_notes(user, client: Client, *, level: NoteLevel | None = None) -> sa.Select:
    """``select(Note)``: the notes of ``client`` that ``user`` may read, newest first."""
    stmt = sa.select(Note).where(readable_clause(user, client), Note.deleted_at.is_(None))
    if level is not None:
        stmt = stmt.where(Note.level == level)
    return stmt.order_by(Note.created_at.desc(), Note.id.desc())


def add_note(
    client: Client, *, level, body: str, by, contact: Contact | None = None, field="body"
) -> Note:
    """Write a note on ``client`` (with ``contact`` or on its own); audited without its text."""
    level = _level(level)
    if access_level(by, client) < Access.TEAM:
        raise DomainError(_("You cannot write notes on this person's file."), 404)
    note = Note(
        client_id=client.id,
        contact=contact,
        level=level,
        body=_body(body, field),
        author_id=by.id,
    )
    db.session.add(note)
    db.session.flush()
    audit.record("note.added", note, user=by, client_id=client.id, details={"level": level.value})
    return note


def change_note(
    note: Note, *, body: str, level=None, by, mode: EditMode, reason: str | None = None,
    field: str = "body",
) -> bool:  # fmt: skip
    """Change a note's text (and level); a correction keeps the previous version. Returns
    whether anything changed."""
    level = _level(level) if level is not None else note.level
    body = _body(body, field)
    if not can_read(by, note.client, note.level, note.author_id):
        raise DomainError(_("You cannot change this note."), 403)
    if body == note.body and level == note.level:
        return False
    if mode == EditMode.CORRECT:
        if not (reason or "").strip():
            raise DomainError(_("Say why you correct this."), 422, field="reason")
        note.revisions.append(
            NoteRevision(
                level=note.level, body=note.body, reason=reason.strip(), changed_by_id=by.id
            )
        )
    details = {"level": level.value, "from_level": note.level.value}
    note.body, note.level = body, level
    action = "note.corrected" if mode == EditMode.CORRECT else "note.updated"
    audit.record(action, note, user=by, client_id=note.client_id, details=details)
    return True


def edit_standalone_note(note: Note, *, body: str, level, by, reason: str | None) -> EditMode:
    """Edit a note written on its own, within the edit window or as a correction."""
    if note.contact_id is not None:
        raise DomainError(_("Change this note through its contact."), 409)
    mode = edit_mode(by, note.client, note.author_id, note.created_at)
    if mode is None:
        raise DomainError(_("Only the author or a team lead can change this note."), 403)
    change_note(note, body=body, level=level, by=by, mode=mode, reason=reason)
    return mode


def remove_note(note: Note, *, by, reason: str | None, audit_it: bool = True) -> None:
    """Soft-delete a note (author or a lead of the team), with a reason."""
    if not can_remove(by, note.client, note.author_id):
        raise DomainError(_("Only the author or a team lead can remove this note."), 403)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you remove this."), 422, field="reason")
    note.deleted_at, note.deleted_by_id, note.deletion_reason = utcnow(), by.id, reason[:500]
    if audit_it:
        audit.record("note.deleted", note, user=by, client_id=note.client_id)
