"""The buddy's home: matched clients with what a volunteer needs, check-ins and hours."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.checkins import services as checkin_services
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.scoping import scope_clause
from app.contacts.models import Note
from app.contacts.visibility import practical_notes_clause
from app.extensions import db
from app.main.routes import add_home_panel

NOTES_PER_CLIENT = 3
RECENT_CHECKINS = 5


def latest_practical_notes(user, client_ids: list[int]) -> dict[int, list[Note]]:
    """Up to three practical notes per client, in one query."""
    if not client_ids:
        return {}
    ranked = (
        sa.select(
            Note.id,
            sa.func.row_number()
            .over(partition_by=Note.client_id, order_by=(Note.created_at.desc(), Note.id.desc()))
            .label("rank"),
        )
        .where(practical_notes_clause(user), Note.client_id.in_(client_ids))
        .subquery()
    )
    notes = db.session.scalars(
        sa.select(Note)
        .join(ranked, ranked.c.id == Note.id)
        .where(ranked.c.rank <= NOTES_PER_CLIENT)
        .order_by(Note.created_at.desc(), Note.id.desc())
    )
    found: dict[int, list[Note]] = {}
    for note in notes:
        found.setdefault(note.client_id, []).append(note)
    return found


def buddy_panel(user) -> dict:
    clients = list(
        db.session.scalars(
            sa.select(Client).where(scope_clause(user)).order_by(Client.preferred_name)
        )
    )
    ids = [c.id for c in clients]
    recent = list(db.session.scalars(checkin_services.own_checkins(user).limit(RECENT_CHECKINS)))
    return {
        "matched_clients": clients,
        "next_meetings": checkin_services.next_meetings(user),
        "practical_notes": latest_practical_notes(user, ids),
        "recent": recent,
        "names": {c.id: c.preferred_name for c in clients},
        "minutes": checkin_services.volunteer_minutes(user),
    }


def worries_panel(user) -> dict:
    """For companions and leads: buddies' worries nobody has acknowledged yet."""
    worries = list(
        db.session.scalars(
            checkin_services.open_worries(user).options(selectinload(CheckIn.client)).limit(10)
        )
    )
    return {"worries": worries}


add_home_panel("buddy", "checkins/_home_buddy.html", buddy_panel)
add_home_panel("companion", "checkins/_home_worries.html", worries_panel)
add_home_panel("lead", "checkins/_home_worries.html", worries_panel)
