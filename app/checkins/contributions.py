"""What check-ins add to other pages: the buddy's home (matched clients with what a volunteer
needs, check-ins and hours), open worries on the home pages of companions and leads and on
the client page, the matched buddy's card on the client page, the navigation entry and the
buddies' dashboard widget."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app import hooks
from app.auth.vocab import Role
from app.checkins import services as checkin_services
from app.checkins.dashboard import buddies
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.scoping import Access, scope_clause
from app.contacts.models import Note
from app.contacts.visibility import practical_notes_clause
from app.extensions import db
from app.hooks import ClientSection, DashboardWidget, HomePanel, NavItem

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


def worries_section(client, user) -> dict | None:
    stmt = checkin_services.open_worries(user, client_ids=[client.id])
    worries = list(db.session.scalars(stmt.options(joinedload(CheckIn.buddy))))
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


hooks.nav_items.add(
    NavItem("checkins.history", _l("My check-ins"), frozenset({Role.BUDDY})), order=70
)
hooks.home_panels.add(
    HomePanel("checkins/_home_buddy.html", frozenset({"buddy"}), buddy_panel), order=10
)
hooks.home_panels.add(
    HomePanel("checkins/_home_worries.html", frozenset({"companion", "lead"}), worries_panel),
    order=50,
)
hooks.client_sections.add(
    ClientSection("header", "checkins/_client_worries.html", worries_section, Access.TEAM),
    order=10,
)
hooks.client_sections.add(
    ClientSection(
        "actions", "checkins/_client_buddy_actions.html", None, Access.PRACTICAL, exact=True
    ),
    order=100,
)
hooks.client_sections.add(
    ClientSection(
        "body", "checkins/_client_buddy.html", buddy_section, Access.PRACTICAL, exact=True
    ),
    order=12,
)
hooks.dashboard_widgets.add(DashboardWidget("buddies", buddies, "buddies"), order=50)
