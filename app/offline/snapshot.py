"""The offline snapshot: what a companion or buddy may read on the road, as JSON.

A companion (or lead) gets their own caseload (``caseload_clause``), a buddy the clients
matched with them now (``scope_clause``) with practical information only - both through the
scoping helper. Sensitive notes are never part of it, whoever asks: not their text, not
whether one exists. Closed trajectories are left out (nothing can be logged for them).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import current_app

from app import hooks
from app.auth.vocab import Role
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.scoping import caseload_clause, scope_clause
from app.contacts import notes as note_services
from app.contacts.models import Contact, Note
from app.contacts.visibility import can_read
from app.contacts.vocab import ContactOutcome, NoteLevel
from app.database import utcnow
from app.extensions import db
from app.labels import label
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.timeutil import local_date, today

LAST_CONTACTS = 5
LAST_NOTES = 5
LAST_CHECKINS = 5
OFFLINE_LEVELS = (NoteLevel.PRACTICAL, NoteLevel.TEAM)  # never SENSITIVE


def offline_clients(user) -> list[Client]:
    """The clients whose data may go to ``user``'s device: own caseload or buddy matches."""
    if user.role == Role.BUDDY:
        clause = scope_clause(user)
    elif user.role in (Role.COMPANION, Role.LEAD):
        clause = caseload_clause(user)
    else:
        return []
    clients = db.session.scalars(
        sa.select(Client).where(clause).order_by(Client.preferred_name, Client.id)
    )
    return [client for client in clients if not client.is_closed]


def _note(note: Note) -> dict:
    return {
        "id": note.id,
        "level": note.level.value,
        "level_label": label(note.level),
        "body": note.body,
        "created_on": local_date(note.created_at).isoformat(),
    }


def _readable_notes(user, client: Client, levels, *, standalone: bool = True) -> list[Note]:
    """The last notes at ``levels`` that ``user`` may read: only those written on their own
    (a companion sees the others with their contact), or all of them (a buddy, who sees no
    contacts)."""
    stmt = note_services.live_notes(user, client).where(Note.level.in_(levels))
    if standalone:
        stmt = stmt.where(Note.contact_id.is_(None))
    return list(db.session.scalars(stmt.limit(LAST_NOTES)))


def _contact(user, client: Client, contact: Contact) -> dict:
    notes = [
        _note(note)
        for note in contact.live_notes()
        if note.level in OFFLINE_LEVELS and can_read(user, client, note.level, note.author_id)
    ]
    return {
        "id": contact.id,
        "occurred_at": contact.occurred_at.isoformat(),
        "occurred_on": contact.occurred_on.isoformat(),
        "kind_label": label(contact.kind),
        "outcome": contact.outcome.value,
        "outcome_label": label(contact.outcome),
        "place": contact.place,
        "next_step": contact.next_step,
        "notes": notes,
    }


def _last_reached(client_ids: list[int]) -> dict[int, date]:
    if not client_ids:
        return {}
    rows = db.session.execute(
        sa.select(Contact.client_id, sa.func.max(Contact.occurred_on))
        .where(
            Contact.client_id.in_(client_ids),
            Contact.outcome == ContactOutcome.REACHED,
            Contact.deleted_at.is_(None),
        )
        .group_by(Contact.client_id)
    )
    return dict(rows.all())


def _companion_client(user, client: Client, reached: date | None) -> dict:
    contacts = db.session.scalars(
        sa.select(Contact)
        .where(Contact.client_id == client.id, Contact.deleted_at.is_(None))
        .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        .limit(LAST_CONTACTS)
    )
    reminders = db.session.scalars(
        sa.select(Reminder)
        .where(
            Reminder.client_id == client.id,
            Reminder.assignee_id == user.id,
            Reminder.status == ReminderStatus.OPEN,
        )
        .order_by(Reminder.due_on, Reminder.id)
    )
    return {
        "id": client.id,
        "code": client.code,
        "preferred_name": client.preferred_name,
        "phase": client.phase.value,
        "phase_label": label(client.phase),
        "contact_channel": label(client.contact_channel),
        "contact_note": client.contact_note,
        "registered_on": client.registered_on.isoformat(),
        "days_since_reached": (today() - reached).days if reached else None,
        "contacts": [_contact(user, client, contact) for contact in contacts],
        "notes": [_note(note) for note in _readable_notes(user, client, OFFLINE_LEVELS)],
        "reminders": [
            {
                "label": str(hooks.reminder_rules[r.rule].label)
                if r.rule in hooks.reminder_rules
                else r.rule,
                "due_on": r.due_on.isoformat(),
            }
            for r in reminders
        ],
        "checkins": [],
    }


def _buddy_client(user, client: Client) -> dict:
    checkins = db.session.scalars(
        sa.select(CheckIn)
        .where(CheckIn.client_id == client.id, CheckIn.buddy_id == user.id)
        .order_by(CheckIn.occurred_on.desc(), CheckIn.id.desc())
        .limit(LAST_CHECKINS)
    )
    return {
        "id": client.id,
        "preferred_name": client.preferred_name,
        "contact_channel": label(client.contact_channel),
        "contact_note": client.contact_note,
        "languages": list(client.languages or []),
        "notes": [
            _note(note)
            for note in _readable_notes(user, client, (NoteLevel.PRACTICAL,), standalone=False)
        ],
        "checkins": [
            {
                "occurred_on": c.occurred_on.isoformat(),
                "activity_label": label(c.activity),
                "rating_label": c.rating_label,
                "worry": c.worry,
            }
            for c in checkins
        ],
        "contacts": [],
        "reminders": [],
    }


def snapshot(user) -> dict:
    """Everything the offline page shows for ``user``, as plain JSON values."""
    clients = offline_clients(user)
    buddy = user.role == Role.BUDDY
    reached = {} if buddy else _last_reached([c.id for c in clients])
    return {
        "user": {"id": user.id, "display_name": user.display_name, "role": user.role.value},
        "generated_at": utcnow().isoformat(),
        "max_hours": current_app.config["OFFLINE_MAX_HOURS"],
        "can": {"contacts": not buddy, "notes": not buddy, "checkins": buddy},
        "clients": [
            _buddy_client(user, client)
            if buddy
            else _companion_client(user, client, reached.get(client.id))
            for client in clients
        ],
    }
