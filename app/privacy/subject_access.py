"""Everything Gezel holds on one client, for a subject access request (GDPR art. 15).

One dict, rendered as a print page and downloaded as JSON: the profile, phases, context
members, consents, buddy matches, contacts with their notes (every level, with earlier
versions), notes on their own, referrals with what was shared and their moves, plans,
measurements, check-ins, activation, group sessions, reminders, privacy requests and who
accessed the file. Every column of every row is included (so nothing added later is
forgotten), except derived search keys. Documents are listed with their metadata (title,
file name, type, size, level, who added them and when); the files themselves are handed over
by downloading them from the file, each download audited. The signature drawn for a consent
is included as its SVG.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.activation.models import AftercareCheck, Placement
from app.agenda.models import Appointment
from app.audit.models import AuditEvent
from app.audit.services import concerning
from app.auth.models import Team, User
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.contacts.models import Contact, Note
from app.database import utcnow
from app.documents.models import Document
from app.extensions import db
from app.groups.models import GroupRegistration, GroupSession
from app.measurements.models import Measurement
from app.organisations.models import Organisation
from app.plans.models import Goal
from app.privacy.models import PrivacyRequest
from app.referrals.models import Referral
from app.reminders.models import Reminder

SKIPPED_COLUMNS = frozenset({"search_text", "name_key", "legal_name_key", "version", "storage_key"})


def _value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj) -> dict[str, Any]:
    """Every column of a row (by column name), as JSON values."""
    return {
        column.key: _value(getattr(obj, column.key))
        for column in obj.__mapper__.column_attrs
        if column.key not in SKIPPED_COLUMNS
    }


def _rows(model, *criteria, order=None, options=()) -> list:
    stmt = sa.select(model).where(*criteria).options(*options)
    return list(db.session.scalars(stmt.order_by(order if order is not None else model.id)))


def collect(client: Client) -> dict[str, Any]:
    """The whole file of ``client`` as JSON-ready data."""
    users = dict(db.session.execute(sa.select(User.id, User.display_name)).all())
    orgs = dict(db.session.execute(sa.select(Organisation.id, Organisation.name)).all())
    cid = client.id

    def who(user_id):
        return users.get(user_id)

    profile = row(client)
    profile["team"] = db.session.get(Team, client.team_id).name
    profile["challenges"] = [c.value for c in client.challenges]
    profile["primary_companion"] = who(client.primary_companion_id)
    profile["co_companions"] = [u.display_name for u in client.co_companions]

    contacts = []
    for contact in _rows(
        Contact, Contact.client_id == cid, order=Contact.occurred_at,
        options=(selectinload(Contact.notes).selectinload(Note.revisions),
                 selectinload(Contact.domain_rows), selectinload(Contact.revisions),
                 selectinload(Contact.participants), selectinload(Contact.organisations)),
    ):  # fmt: skip
        item = row(contact)
        item["author"] = who(contact.author_id)
        item["domains"] = [d.value for d in contact.domains]
        item["participants"] = [p.name for p in contact.participants]
        item["organisations"] = [o.name for o in contact.organisations]
        item["notes"] = [_note(n, who) for n in contact.notes]
        item["earlier_versions"] = [row(r) for r in contact.revisions]
        contacts.append(item)

    referrals = []
    for referral in _rows(
        Referral, Referral.client_id == cid, order=Referral.referred_on,
        options=(selectinload(Referral.changes),),
    ):  # fmt: skip
        item = row(referral)
        item["organisation"] = orgs.get(referral.organisation_id)
        item["moves"] = [row(change) for change in referral.changes]
        referrals.append(item)

    measurements = []
    for measurement in _rows(
        Measurement, Measurement.client_id == cid, order=Measurement.measured_on,
        options=(selectinload(Measurement.instrument),),
    ):  # fmt: skip
        item = row(measurement)
        item["instrument"] = measurement.instrument.code
        item["scores"] = [
            {**row(score), "domain": score.domain.code} for score in measurement.scores
        ]
        measurements.append(item)

    sessions = []
    for registration, session in db.session.execute(
        sa.select(GroupRegistration, GroupSession)
        .join(GroupSession, GroupSession.id == GroupRegistration.session_id)
        .where(GroupRegistration.client_id == cid)
        .order_by(GroupSession.starts_at)
    ):
        sessions.append(
            {**row(registration), "session": session.title, "starts_at": _value(session.starts_at)}
        )

    accesses = [
        {
            "at": _value(event.at),
            "user": event.actor,
            "action": event.action,
            "object": f"{event.object_type}:{event.object_id}" if event.object_type else None,
            "address": event.address,
        }  # fmt: skip
        for event in db.session.scalars(
            sa.select(AuditEvent).where(concerning(cid)).order_by(AuditEvent.at, AuditEvent.id)
        )
    ]

    return {
        "generated_at": _value(utcnow()),
        "client": profile,
        "phases": [row(p) for p in client.phase_changes],
        "context_members": [row(m) for m in client.context_members],
        "consents": [
            {
                **row(c),
                "shared_domains": [d.value for d in c.shared_domains],
                "shared_organisations": sorted(
                    orgs.get(o) or "" for o in c.shared_organisation_ids
                ),
            }
            for c in client.consents
        ],  # fmt: skip
        "buddy_matches": [{**row(m), "buddy": who(m.buddy_id)} for m in client.buddy_matches],
        "contacts": contacts,
        "notes_without_contact": [
            _note(n, who)
            for n in _rows(
                Note,
                Note.client_id == cid,
                Note.contact_id.is_(None),
                order=Note.created_at,
                options=(selectinload(Note.revisions),),
            )  # fmt: skip
        ],
        "referrals": referrals,
        "goals": [
            {**row(g), "partner": orgs.get(g.partner_id)}
            for g in _rows(Goal, Goal.client_id == cid, order=Goal.created_at)
        ],
        "measurements": measurements,
        "check_ins": [
            {**row(c), "buddy": who(c.buddy_id)}
            for c in _rows(CheckIn, CheckIn.client_id == cid, order=CheckIn.occurred_on)
        ],
        "placements": [
            {**row(p), "organisation": orgs.get(p.organisation_id)}
            for p in _rows(Placement, Placement.client_id == cid, order=Placement.started_on)
        ],
        "aftercare_checks": [
            row(a) for a in _rows(AftercareCheck, AftercareCheck.client_id == cid)
        ],
        "group_sessions": sessions,
        "appointments": [
            {
                **row(a),
                "companion": who(a.companion_id),
                "organisation": orgs.get(a.organisation_id),
            }
            for a in _rows(Appointment, Appointment.client_id == cid, order=Appointment.starts_at)
        ],
        "reminders": [row(r) for r in _rows(Reminder, Reminder.client_id == cid)],
        "privacy_requests": [
            row(r) for r in _rows(PrivacyRequest, PrivacyRequest.client_id == cid)
        ],
        "documents": [
            {**row(d), "author": who(d.author_id)}
            for d in _rows(Document, Document.client_id == cid, order=Document.created_at)
        ],
        "accesses": accesses,
    }


def _note(note: Note, who) -> dict[str, Any]:
    item = row(note)
    item["author"] = who(note.author_id)
    item["earlier_versions"] = [row(r) for r in note.revisions]
    return item


def counts(data: dict[str, Any]) -> dict[str, int]:
    """How many rows each part holds (for the audit event: never the content)."""
    found = {key: len(value) for key, value in data.items() if isinstance(value, list)}
    found["notes"] = len(data["notes_without_contact"]) + sum(
        len(c["notes"]) for c in data["contacts"]
    )
    return found
