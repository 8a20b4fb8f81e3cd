"""Notes on a client at three levels: writing, correcting and removing them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, with_expression

from app.audit import services as audit
from app.clients.models import Client
from app.clients.scoping import Access, access_level
from app.contacts import removal
from app.contacts.editing import EditMode, can_remove, edit_mode
from app.contacts.models import MAX_NOTE_LENGTH, Contact, Note, NoteRevision
from app.contacts.visibility import can_read, readable_clause
from app.contacts.vocab import NoteLevel
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db


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


# Loads a note as lists show it: its author, and whether it was corrected (no revisions).
AS_LISTED = (
    joinedload(Note.author),
    with_expression(
        Note.has_revisions, sa.exists().where(NoteRevision.note_id == Note.id).correlate(Note)
    ),
)


def live_notes(user, client: Client, *, level: NoteLevel | None = None) -> sa.Select:
    """``select(Note)``: the notes of ``client`` that ``user`` may read, newest first (each
    with its author and whether it was corrected)."""
    stmt = sa.select(Note).where(readable_clause(user, client), Note.deleted_at.is_(None))
    stmt = stmt.options(*AS_LISTED)
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


def remove_note(note: Note, *, by, reason: str | None) -> None:
    """Soft-delete a note (author or a lead of the team), with a reason. The removal is
    audited without the text; the text stays only for the undo window (``removal``)."""
    if not can_remove(by, note.client, note.author_id):
        raise DomainError(_("Only the author or a team lead can remove this note."), 403)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you remove this."), 422, field="reason")
    note.deleted_at, note.deleted_by_id, note.deletion_reason = utcnow(), by.id, reason[:500]
    details = {"level": note.level.value}
    audit.record("note.deleted", note, user=by, client_id=note.client_id, details=details)
    if not removal.undo_window():
        removal.clear_note(note)


def removed_by(user, client: Client) -> list[Note]:
    """Notes of ``client`` that ``user`` removed and may still bring back, newest first."""
    since = utcnow() - removal.undo_window()
    notes = db.session.scalars(
        sa.select(Note)
        .where(
            Note.client_id == client.id,
            Note.deleted_by_id == user.id,
            Note.deleted_at > since,
            Note.body != "",
        )
        .order_by(Note.deleted_at.desc(), Note.id.desc())
    )
    return [note for note in notes if _restorable(note, by=user) is None]


def _restorable(note: Note, *, by) -> DomainError | None:
    """Why ``by`` cannot undo the removal of ``note`` (None: they can)."""
    if note.deleted_at is None:
        return DomainError(_("This note was not removed."), 409)
    if note.deleted_by_id != by.id or not can_remove(by, note.client, note.author_id):
        return DomainError(_("Only the person who removed this note can undo that."), 403)
    if removal.undoable_until(note) is None:
        return DomainError(_("The time to undo this has passed: the text is gone."), 409)
    contact = note.contact
    if contact is not None and contact.is_deleted:
        return DomainError(_("The contact of this note was removed."), 409)
    if contact is not None and any(n.level == note.level for n in contact.live_notes()):
        return DomainError(
            _("The contact has a new note at this level; change that one instead."), 409
        )
    return None


def restore_note(note: Note, *, by) -> None:
    """Undo a removal: the one who removed the note, within the undo window."""
    refusal = _restorable(note, by=by)
    if refusal is not None:
        raise refusal
    note.deleted_at = note.deleted_by_id = note.deletion_reason = None
    details = {"level": note.level.value}
    audit.record("note.restored", note, user=by, client_id=note.client_id, details=details)
