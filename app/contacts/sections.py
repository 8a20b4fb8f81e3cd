"""What contacts and notes add to the client page."""

from __future__ import annotations

import sqlalchemy as sa

from app.clients.scoping import Access
from app.clients.sections import add_client_section
from app.contacts.notes import live_notes
from app.contacts.outreach import health_of
from app.contacts.visibility import reveal
from app.contacts.vocab import NoteLevel
from app.extensions import db

LATEST_NOTES = 5


def notes_section(client, user) -> dict:
    """The latest notes the user may read (sensitive ones audited as they are shown)."""
    stmt = live_notes(user, client)
    latest = list(db.session.scalars(stmt.limit(LATEST_NOTES)))
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    return {"notes": reveal(user, latest, client), "total": total}


def practical_notes_section(client, user) -> dict:
    """For the matched buddy: the practical notes only."""
    stmt = live_notes(user, client, level=NoteLevel.PRACTICAL).limit(10)
    return {"notes": reveal(user, list(db.session.scalars(stmt)), client)}


def health_section(client, user) -> dict:
    return {"health": health_of(client)}


add_client_section("actions", "contacts/_client_actions.html", order=10)
add_client_section("header", "contacts/_client_health.html", health_section, order=20)
add_client_section("body", "contacts/_client_notes.html", notes_section, order=10)
add_client_section(
    "body",
    "contacts/_client_practical_notes.html",
    practical_notes_section,
    access=Access.PRACTICAL,
    exact=True,
    order=20,
)
