"""Contacts and buddy check-ins of a client: list and create (with Idempotency-Key).

The same services as the pages log them (same validation, same exactly-once keys); lists
never carry sensitive note text — only whether there is one.
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.api.common import (
    IDEMPOTENCY_HEADER,
    PageArgs,
    created_or_replayed,
    day,
    enum,
    idempotency_key,
    integer,
    moment,
    page_schema,
    paginate,
    record_id,
    text,
)
from app.auth.vocab import Role
from app.bounds import max_length
from app.checkins.models import CheckIn
from app.checkins.services import CheckInInput, log_checkin
from app.checkins.vocab import Activity
from app.clients.scoping import Access, access_level, get_client_or_404
from app.contacts.models import MAX_NOTE_LENGTH, MAX_PRACTICAL_NOTE_LENGTH, Contact
from app.contacts.services import ContactInput, log_contact
from app.contacts.visibility import can_read
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.database import utcnow
from app.reference import Domain

blp = Blueprint(
    "api_contacts", __name__, url_prefix="/api/v1/clients",
    description="Contacts and buddy check-ins of a client",
)  # fmt: skip

ID = record_id()


class ContactSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    client_id = ma.fields.Integer(required=True)
    kind = enum(ContactKind, required=True)
    outcome = enum(ContactOutcome, required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    occurred_on = ma.fields.Date(required=True)
    duration_minutes = ma.fields.Integer(allow_none=True)
    place = ma.fields.String(allow_none=True)
    others_present = ma.fields.String(allow_none=True)
    domains = ma.fields.List(enum(Domain), required=True)
    participant_ids = ma.fields.List(ma.fields.Integer(), required=True)
    organisation_ids = ma.fields.List(ma.fields.Integer(), required=True)
    next_step = ma.fields.String(allow_none=True)
    follow_up_on = ma.fields.Date(allow_none=True)
    author_id = ma.fields.Integer(allow_none=True)
    team_note = ma.fields.String(allow_none=True)
    practical_note = ma.fields.String(allow_none=True)
    has_sensitive_note = ma.fields.Boolean(
        required=True, metadata={"description": "Sensitive text is never sent in lists"}
    )


class NotesInput(ma.Schema):
    team = text(MAX_NOTE_LENGTH, allow_none=True)
    sensitive = text(MAX_NOTE_LENGTH, allow_none=True)
    practical = text(MAX_PRACTICAL_NOTE_LENGTH, allow_none=True)


class ContactCreateSchema(ma.Schema):
    kind = enum(ContactKind, required=True)
    outcome = enum(ContactOutcome, required=True)
    occurred_at = moment(metadata={"description": "Default: now"})
    duration_minutes = integer(allow_none=True)  # limits: the contact service
    place = text(max_length(Contact.place), allow_none=True)
    others_present = text(max_length(Contact.others_present), allow_none=True)
    domains = ma.fields.List(enum(Domain), validate=ma.validate.Length(max=11))
    participant_ids = ma.fields.List(ID, validate=ma.validate.Length(max=50))
    organisation_ids = ma.fields.List(ID, validate=ma.validate.Length(max=50))
    next_step = text(max_length(Contact.next_step), allow_none=True)
    follow_up_on = day(allow_none=True)
    notes = ma.fields.Nested(NotesInput)


class CheckInSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    client_id = ma.fields.Integer(required=True)
    buddy_id = ma.fields.Integer(allow_none=True)
    occurred_on = ma.fields.Date(required=True)
    activity = enum(Activity, required=True)
    activity_note = ma.fields.String(allow_none=True)
    duration_minutes = ma.fields.Integer(required=True)
    rating = ma.fields.Integer(required=True)
    worry = ma.fields.Boolean(required=True)
    worry_text = ma.fields.String(allow_none=True)
    next_meeting_on = ma.fields.Date(allow_none=True)


class CheckInCreateSchema(ma.Schema):
    occurred_on = day(required=True)
    activity = enum(Activity, required=True)
    activity_note = text(max_length(CheckIn.activity_note), allow_none=True)
    duration_minutes = integer(required=True)  # limits: the check-in service
    rating = integer(required=True)
    worry = ma.fields.Boolean(load_default=False)
    worry_text = text(max_length(CheckIn.worry_text), allow_none=True)
    next_meeting_on = day(allow_none=True)


ContactPageSchema = page_schema(ContactSchema, "ContactPage")
CheckInPageSchema = page_schema(CheckInSchema, "CheckInPage")


def contact_payload(contact: Contact, client) -> dict:
    notes = {note.level: note for note in contact.live_notes()}

    def readable(level: NoteLevel):
        note = notes.get(level)
        if note is None or not can_read(current_user, client, level, note.author_id):
            return None
        return note.body

    payload = {
        name: getattr(contact, name)
        for name in (
            "id", "client_id", "kind", "outcome", "occurred_at", "occurred_on",
            "duration_minutes", "place", "others_present", "domains", "next_step",
            "follow_up_on", "author_id",
        )
    }  # fmt: skip
    payload["participant_ids"] = [m.id for m in contact.participants]
    payload["organisation_ids"] = [o.id for o in contact.organisations]
    payload["team_note"] = readable(NoteLevel.TEAM)
    payload["practical_note"] = readable(NoteLevel.PRACTICAL)
    payload["has_sensitive_note"] = NoteLevel.SENSITIVE in notes
    return payload


def checkin_payload(checkin: CheckIn) -> dict:
    return {name: getattr(checkin, name) for name in CheckInSchema._declared_fields}


@blp.route("/<int:client_id>/contacts")
class Contacts(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ContactPageSchema)
    def get(self, args, client_id: int):
        """The client's contacts, newest first (companions and leads of the team)."""
        client = get_client_or_404(client_id)
        stmt = (
            sa.select(Contact)
            .where(Contact.client_id == client.id, Contact.deleted_at.is_(None))
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        )
        return paginate(
            stmt, args["page"], args["per_page"], transform=lambda c: contact_payload(c, client)
        )

    @blp.arguments(ContactCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, ContactSchema)
    @blp.alt_response(200, schema=ContactSchema, description="Replayed by Idempotency-Key")
    def post(self, data, client_id: int):
        """Log a contact (or an attempt), with notes at the levels you may write."""
        client = get_client_or_404(client_id)
        notes = data.pop("notes", {}) or {}
        contact_input = ContactInput(
            kind=data["kind"],
            outcome=data["outcome"],
            occurred_at=data.get("occurred_at") or utcnow(),
            duration_minutes=data.get("duration_minutes"),
            place=data.get("place"),
            participant_ids=data.get("participant_ids", []),
            organisation_ids=data.get("organisation_ids", []),
            others_present=data.get("others_present"),
            domains=data.get("domains", []),
            next_step=data.get("next_step"),
            follow_up_on=data.get("follow_up_on"),
            notes={NoteLevel(level): body for level, body in notes.items()},
        )
        contact, created = log_contact(
            client, contact_input, by=current_user, key=idempotency_key()
        )
        return created_or_replayed(contact_payload(contact, client), created)


@blp.route("/<int:client_id>/check-ins")
class CheckIns(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CheckInPageSchema)
    def get(self, args, client_id: int):
        """Buddy check-ins: all of them for the team, a buddy's own for a current match."""
        client = get_client_or_404(client_id, need=Access.PRACTICAL)
        stmt = sa.select(CheckIn).where(CheckIn.client_id == client.id)
        if access_level(current_user, client) < Access.TEAM:
            stmt = stmt.where(CheckIn.buddy_id == current_user.id)
        stmt = stmt.order_by(CheckIn.occurred_on.desc(), CheckIn.id.desc())
        return paginate(stmt, args["page"], args["per_page"], transform=checkin_payload)

    @blp.arguments(CheckInCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, CheckInSchema)
    @blp.alt_response(200, schema=CheckInSchema, description="Replayed by Idempotency-Key")
    def post(self, data, client_id: int):
        """A check-in by the buddy matched with the client now (a worry alerts the companion)."""
        client = get_client_or_404(client_id, need=Access.PRACTICAL)
        if current_user.role != Role.BUDDY:
            abort(404)
        checkin, created = log_checkin(
            client, CheckInInput(**data), by=current_user, key=idempotency_key()
        )
        return created_or_replayed(checkin_payload(checkin), created)
