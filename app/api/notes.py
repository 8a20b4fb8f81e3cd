"""Notes on a client written on their own (not part of a contact), with Idempotency-Key.

The offline outbox sends practical and team notes here. The same service as the notes page
writes them (same levels, same length limit, audited without their text); a note is stored
once per key, however often it is sent.
"""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.api.common import (
    IDEMPOTENCY_HEADER,
    created_or_replayed,
    enum,
    idempotency_key,
    required_text,
)
from app.clients.scoping import get_client_or_404
from app.contacts import notes as note_services
from app.contacts.models import Note
from app.contacts.vocab import NoteLevel
from app.idempotency import once

blp = Blueprint(
    "api_notes", __name__, url_prefix="/api/v1/clients",
    description="Notes on a client (companions and leads of the team)",
)  # fmt: skip


class NoteSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    client_id = ma.fields.Integer(required=True)
    level = enum(NoteLevel, required=True)
    body = ma.fields.String(
        allow_none=True, metadata={"description": "Empty for a sensitive note: read it in Gezel"}
    )
    author_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


class NoteCreateSchema(ma.Schema):
    level = enum(NoteLevel, required=True)
    body = required_text(note_services.MAX_NOTE_LENGTH)


def note_payload(note: Note) -> dict:
    return {
        "id": note.id,
        "client_id": note.client_id,
        "level": note.level,
        "body": None if note.level == NoteLevel.SENSITIVE else note.body,
        "author_id": note.author_id,
        "created_at": note.created_at,
    }


@blp.route("/<int:client_id>/notes")
class Notes(MethodView):
    @blp.arguments(NoteCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, NoteSchema)
    @blp.alt_response(200, schema=NoteSchema, description="Replayed by Idempotency-Key")
    def post(self, data, client_id: int):
        """Write a note on the client's file at a level you may read."""
        client = get_client_or_404(client_id)
        note, created = once(
            idempotency_key(),
            user=current_user,
            model=Note,
            create=lambda: note_services.add_note(
                client, level=data["level"], body=data["body"], by=current_user
            ),
        )
        return created_or_replayed(note_payload(note), created)
