"""Logging contacts with a client, changing them within the rules, and removing them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app import idempotency
from app.audit import services as audit
from app.clients.models import Client, ContextMember
from app.contacts import notes as note_services
from app.contacts import outreach, removal
from app.contacts.editing import EditMode, can_remove, edit_mode
from app.contacts.models import Contact, ContactDomain, ContactRevision, Note
from app.contacts.visibility import can_read
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.reference import Domain
from app.timeutil import local_date, today

# The note fields of a contact form, per level.
NOTE_FIELDS = {
    NoteLevel.TEAM: "team_note",
    NoteLevel.SENSITIVE: "sensitive_note",
    NoteLevel.PRACTICAL: "practical_note",
}


@dataclass
class ContactInput:
    """What a contact form (or, later, the API) gives to log or change a contact."""

    kind: ContactKind
    outcome: ContactOutcome
    occurred_at: datetime
    duration_minutes: int | None = None
    place: str | None = None
    participant_ids: list[int] = field(default_factory=list)
    organisation_ids: list[int] = field(default_factory=list)
    others_present: str | None = None
    domains: list[Domain] = field(default_factory=list)
    next_step: str | None = None
    follow_up_on: date | None = None
    # Note text per level; None leaves a note as it is (a level the user may not read).
    notes: dict[NoteLevel, str | None] = field(default_factory=dict)


def last_contact(client: Client, *, with_place: bool = False) -> Contact | None:
    """The most recent live contact (with a place), for the form's defaults."""
    return db.session.scalar(_last_contact_statement(with_place), {"client_id": client.id})


@functools.cache
def _last_contact_statement(with_place: bool) -> sa.Select:
    """``last_contact``'s statement (with a place or not), built once: the form asks twice."""
    stmt = sa.select(Contact).where(
        Contact.client_id == sa.bindparam("client_id"), Contact.deleted_at.is_(None)
    )
    if with_place:
        stmt = stmt.where(Contact.place.is_not(None))
    return stmt.order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(1)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


@dataclass
class _Present:
    members: list[ContextMember]
    organisations: list[Organisation]


def _organisations(ids: set[int], previous: Contact | None) -> list[Organisation]:
    """Active organisations of the social map (or ones the contact already named)."""
    if not ids:
        return []
    kept = {o.id for o in previous.organisations} if previous else set()
    found = list(
        db.session.scalars(
            sa.select(Organisation).where(
                Organisation.id.in_(ids),
                organisation_services.ours_clause(),
                sa.or_(Organisation.active.is_(True), Organisation.id.in_(kept)),
            )
        )
    )
    if len(found) != len(ids):
        raise DomainError(_("Choose organisations from the social map."), 422, "organisations")
    return found


def _check(client: Client, data: ContactInput, previous: Contact | None) -> _Present:
    """Refuse what cannot be true; return who was present."""
    try:
        data.kind, data.outcome = ContactKind(data.kind), ContactOutcome(data.outcome)
        data.domains = list(dict.fromkeys(Domain(d) for d in data.domains))
    except ValueError:
        raise DomainError(_("Choose from the list."), 422) from None
    if data.occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    day = local_date(data.occurred_at)
    if day > today():
        raise DomainError(_("A contact cannot be in the future."), 422, field="occurred_on")
    if day < client.registered_on:
        raise DomainError(
            _(
                "The person was registered on %(date)s; a contact cannot be earlier.",
                date=format_date(client.registered_on, "medium"),
            ),
            422,
            field="occurred_on",
        )
    limit = current_app.config["CONTACT_MAX_MINUTES"]
    if data.duration_minutes is not None and not 0 <= data.duration_minutes <= limit:
        raise DomainError(
            _("Give a duration between 0 and %(max)d minutes.", max=limit),
            422,
            field="duration_minutes",
        )
    follow_up_changed = previous is None or previous.follow_up_on != data.follow_up_on
    if data.follow_up_on is not None and follow_up_changed and data.follow_up_on < today():
        raise DomainError(_("The follow-up date cannot be in the past."), 422, field="follow_up_on")
    ids = set(data.participant_ids)
    members = (
        list(
            db.session.scalars(
                sa.select(ContextMember).where(
                    ContextMember.client_id == client.id, ContextMember.id.in_(ids)
                )
            )
        )
        if ids
        else []
    )
    if len(members) != len(ids):
        raise DomainError(_("Choose people from the person's context."), 422, field="participants")
    return _Present(members, _organisations(set(data.organisation_ids), previous))


def _apply(contact: Contact, data: ContactInput, present: _Present) -> None:
    contact.kind, contact.outcome = data.kind, data.outcome
    contact.occurred_at = data.occurred_at
    contact.occurred_on = local_date(data.occurred_at)
    contact.duration_minutes = data.duration_minutes
    contact.place = _clean(data.place)
    contact.others_present = _clean(data.others_present)
    contact.next_step = _clean(data.next_step)
    contact.follow_up_on = data.follow_up_on
    if set(contact.domains) != set(data.domains):
        contact.domain_rows = [ContactDomain(domain=d) for d in data.domains]
    if {m.id for m in contact.participants} != {m.id for m in present.members}:
        contact.participants = present.members
    if {o.id for o in contact.organisations} != {o.id for o in present.organisations}:
        contact.organisations = present.organisations


def _create(client: Client, data: ContactInput, present: _Present, *, by) -> Contact:
    contact = Contact(client_id=client.id, author_id=by.id)
    _apply(contact, data, present)
    db.session.add(contact)
    db.session.flush()
    for level, name in NOTE_FIELDS.items():
        if _clean(data.notes.get(level)):
            note_services.add_note(
                client, level=level, body=data.notes[level], by=by, contact=contact, field=name
            )
    audit.record(
        "contact.logged",
        contact,
        user=by,
        details={"kind": contact.kind.value, "outcome": contact.outcome.value},
    )
    outreach.refresh_stats([client.id], added=True)
    return contact


def _check_open(client: Client) -> None:
    if client.is_closed:
        raise DomainError(_("The trajectory is closed. Reopen it before logging a contact."), 409)


def log_contact(client: Client, data: ContactInput, *, by, key: str) -> tuple[Contact, bool]:
    """Log a contact (and its notes) once per form ``key``; a repeat returns the contact
    stored the first time. Returns ``(contact, created)``."""
    _check_open(client)
    present = _check(client, data, None)
    return idempotency.once(
        key, user=by, model=Contact, create=lambda: _create(client, data, present, by=by)
    )


def record_contact(client: Client, data: ContactInput, *, by) -> Contact:
    """Log a contact that another domain derives from its own record (e.g. attendance at a
    group session), which keeps it exactly once itself. Same rules as ``log_contact``."""
    _check_open(client)
    return _create(client, data, _check(client, data, None), by=by)


def snapshot(contact: Contact) -> dict:
    """The contact's own fields as plain values (notes keep their own history)."""
    return {
        "kind": contact.kind.value,
        "outcome": contact.outcome.value,
        "occurred_at": contact.occurred_at.isoformat(),
        "duration_minutes": contact.duration_minutes,
        "place": contact.place,
        "others_present": contact.others_present,
        "participants": sorted(m.id for m in contact.participants),
        "organisations": sorted(o.id for o in contact.organisations),
        "domains": sorted(d.value for d in contact.domains),
        "next_step": contact.next_step,
        "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else None,
    }


def contact_note(contact: Contact, level: NoteLevel) -> Note | None:
    return next((n for n in contact.live_notes() if n.level == level), None)


def change_contact(
    contact: Contact, data: ContactInput, *, by, reason: str | None = None
) -> EditMode:
    """Change a contact and its notes: a plain edit by the author within the edit window,
    otherwise a correction (author or lead) with a reason, keeping the previous version."""
    client = contact.client
    if contact.is_deleted:
        raise DomainError(_("This contact was removed."), 404)
    mode = edit_mode(by, client, contact.author_id, contact.created_at)
    if mode is None:
        raise DomainError(_("Only the author or a team lead can change this contact."), 403)
    reason = _clean(reason)
    if mode == EditMode.CORRECT and not reason:
        raise DomainError(_("Say why you correct this."), 422, field="reason")
    present = _check(client, data, contact)
    before = snapshot(contact)
    _apply(contact, data, present)
    after = snapshot(contact)
    changed = [name for name in before if before[name] != after[name]]
    if changed and mode == EditMode.CORRECT:
        contact.revisions.append(
            ContactRevision(snapshot=before, reason=reason, changed_by_id=by.id)
        )
    changed += _change_notes(contact, data, by=by, mode=mode, reason=reason)
    if changed:
        action = "contact.corrected" if mode == EditMode.CORRECT else "contact.updated"
        audit.record(action, contact, user=by, details={"fields": changed})
        outreach.refresh_stats([contact.client_id])
    return mode


def _change_notes(contact: Contact, data: ContactInput, *, by, mode, reason) -> list[str]:
    changed = []
    for level, name in NOTE_FIELDS.items():
        text = data.notes.get(level)
        if text is None:
            continue  # not shown to this user: left alone
        existing = contact_note(contact, level)
        if existing is not None and not can_read(by, contact.client, level, existing.author_id):
            continue
        text = text.strip()
        if existing is None:
            if not text:
                continue
            note_services.add_note(
                contact.client, level=level, body=text, by=by, contact=contact, field=name
            )
        elif not text:
            note_services.remove_note(existing, by=by, reason=reason or _("Removed in an edit"))
        elif not note_services.change_note(
            existing, body=text, by=by, mode=mode, reason=reason, field=name
        ):
            continue
        changed.append(name)
    return changed


def remove_contact(contact: Contact, *, by, reason: str | None) -> None:
    """Soft-delete a contact and its notes (the author or a lead), with a reason. It drops
    out of counts, lists and the timeline; the audit trail keeps who and why, not the text."""
    if contact.is_deleted:
        raise DomainError(_("This contact was removed."), 404)
    if not can_remove(by, contact.client, contact.author_id):
        raise DomainError(_("Only the author or a team lead can remove this contact."), 403)
    reason = _clean(reason)
    if not reason:
        raise DomainError(_("Say why you remove this."), 422, field="reason")
    _soft_delete(contact, by=by, reason=reason)


def _soft_delete(contact: Contact, *, by, reason: str, details: dict | None = None) -> None:
    """Remove the contact and its notes; their text is cleared at once (``removal``)."""
    now = utcnow()
    contact.deleted_at, contact.deleted_by_id, contact.deletion_reason = now, by.id, reason
    for note in contact.live_notes():
        note.deleted_at, note.deleted_by_id, note.deletion_reason = now, by.id, reason
    removal.clear_contact(contact)
    audit.record("contact.deleted", contact, user=by, details=details)
    outreach.refresh_stats([contact.client_id])


def withdraw_derived_contact(contact: Contact, *, by, reason: str) -> None:
    """Another domain withdraws a contact it derived from its own record (attendance corrected
    from present to absent): removed as ``remove_contact`` does, the deriving domain having
    checked who may change its record."""
    if not contact.is_deleted:
        _soft_delete(contact, by=by, reason=reason, details={"derived": True})


def restore_derived_contact(contact: Contact, *, by) -> None:
    """The deriving record holds again (attendance back to present): the same contact returns,
    so that it still exists exactly once (its free text was cleared at the withdrawal: the
    deriving domain fills in again what it knows, e.g. the place)."""
    if contact.is_deleted:
        contact.deleted_at = contact.deleted_by_id = contact.deletion_reason = None
        audit.record("contact.restored", contact, user=by, details={"derived": True})
        outreach.refresh_stats([contact.client_id])
