"""What check-ins add to the client page: open worries for the team, and for the matched
buddy a check-in button, the next meeting and their own recent check-ins."""

from __future__ import annotations

import sqlalchemy as sa

from app.checkins import services as checkin_services
from app.checkins.models import CheckIn
from app.clients.scoping import Access
from app.clients.sections import add_client_section
from app.extensions import db


def worries_section(client, user) -> dict | None:
    worries = list(db.session.scalars(checkin_services.open_worries(user, client_ids=[client.id])))
    return {"worries": worries} if worries else None


def buddy_section(client, user) -> dict:
    recent = db.session.scalars(
        checkin_services.own_checkins(user).where(CheckIn.client_id == client.id).limit(5)
    )
    return {
        "recent": list(recent),
        "next_meeting": checkin_services.next_meetings(user).get(client.id),
        "count": db.session.scalar(
            sa.select(sa.func.count()).where(
                CheckIn.client_id == client.id, CheckIn.buddy_id == user.id
            )
        ),
    }


add_client_section("header", "checkins/_client_worries.html", worries_section, order=10)
add_client_section(
    "actions", "checkins/_client_buddy_actions.html", access=Access.PRACTICAL, exact=True
)
add_client_section(
    "body", "checkins/_client_buddy.html", buddy_section, access=Access.PRACTICAL, exact=True,
    order=10,
)  # fmt: skip
