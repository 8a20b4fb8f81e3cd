"""Who may read which note: the one rule, in Python for one note and in SQL for many.

- practical: everyone with access to the client (the matched buddy too);
- team: the companions and leads of the client's team;
- sensitive: the author, the assigned companions and the team's leads
  (``scoping.can_read_sensitive``), and every read is audited.

Sensitive text is shown only on the client page, the notes page and a contact's page, each
time through ``reveal`` (which audits); lists, search, exports and e-mails never carry it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import sqlalchemy as sa

from app.audit import services as audit
from app.clients.models import Client
from app.clients.scoping import Access, access_level, can_read_sensitive, scope_clause
from app.contacts.models import Note
from app.contacts.vocab import NoteLevel


def can_read(user, client: Client, level: NoteLevel, author_id: int | None) -> bool:
    """May ``user`` read a note of ``level`` written by ``author_id`` on ``client``?"""
    level = NoteLevel(level)
    if level == NoteLevel.PRACTICAL:
        return access_level(user, client) >= Access.PRACTICAL
    if level == NoteLevel.TEAM:
        return access_level(user, client) >= Access.TEAM
    return can_read_sensitive(user, client, author_id)


def readable_clause(user, client: Client, model=Note):
    """SQL for "notes of ``client`` that ``user`` may read", derived from ``can_read``: a
    level is readable whole, or only the notes the user wrote, or not at all. ``model`` is
    any table under the same rule (``client_id``, ``level``, ``author_id``): documents too."""
    allowed = []
    for level in NoteLevel:
        if can_read(user, client, level, author_id=None):
            allowed.append(model.level == level)
        elif can_read(user, client, level, author_id=user.id):
            allowed.append(sa.and_(model.level == level, model.author_id == user.id))
    return sa.and_(model.client_id == client.id, sa.or_(*allowed) if allowed else sa.false())


def practical_notes_clause(user):
    """SQL for practical notes on every client ``user`` may see at all: the set form of
    ``can_read(PRACTICAL)``, which asks no more than access to the client."""
    return sa.and_(
        Note.level == NoteLevel.PRACTICAL,
        Note.deleted_at.is_(None),
        Note.client_id.in_(sa.select(Client.id).where(scope_clause(user))),
    )


def readable_levels(user, client: Client) -> set[NoteLevel]:
    """The levels this user may read (or write) on this client, at least their own notes."""
    return {level for level in NoteLevel if can_read(user, client, level, author_id=user.id)}


def can_read_note(user, note: Note, client: Client | None = None) -> bool:
    return can_read(user, client or note.client, note.level, note.author_id)


def reader(user, client: Client) -> Callable[[NoteLevel, int | None], bool]:
    """``can_read`` for one user and client, remembered per (level, author): for templates
    that ask about many notes."""

    @cache
    def may_read(level: NoteLevel, author_id: int | None) -> bool:
        return can_read(user, client, level, author_id)

    return may_read


def reveal(user, notes, client: Client, *, sensitive: bool = True) -> list[Note]:
    """The notes ``user`` may read, in order; each sensitive one shown is audited. With
    ``sensitive=False`` (a page that will not be committed) sensitive notes are left out."""
    shown = [
        n
        for n in notes
        if can_read(user, client, n.level, n.author_id)
        and (sensitive or n.level != NoteLevel.SENSITIVE)
    ]
    for note in shown:
        if note.level == NoteLevel.SENSITIVE:
            audit.record("note.sensitive_read", note, user=user, client_id=client.id)
    return shown


def revision_readable(user, note: Note, revision_level: NoteLevel) -> bool:
    """An earlier version is read under the stricter of its own and the note's level."""
    level = max(NoteLevel(note.level), NoteLevel(revision_level), key=lambda lv: lv.rank)
    return can_read(user, note.client, level, note.author_id)
