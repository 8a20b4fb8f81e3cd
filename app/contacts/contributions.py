"""What contacts and notes add to other pages: the client page (actions, outreach health,
notes), the outreach-health widget of the dashboard, and fresh contact statistics when two
client files are merged."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app import hooks
from app.clients.models import Client
from app.clients.scoping import Access
from app.contacts.dashboard import outreach_health
from app.contacts.notes import live_notes
from app.contacts.outreach import health_of, refresh_stats
from app.contacts.visibility import reveal
from app.contacts.vocab import NoteLevel
from app.extensions import db
from app.hooks import ClientSection, DashboardWidget

LATEST_NOTES = 5


def notes_section(client, user) -> dict:
    """The latest notes the user may read (sensitive ones audited as they are shown)."""
    stmt = live_notes(user, client)
    rows = db.session.execute(
        stmt.add_columns(sa.func.count().over()).limit(LATEST_NOTES)  # the total beside
    ).all()
    latest = [note for note, _total in rows]
    total = rows[0][1] if rows else 0
    return {"notes": reveal(user, latest, client), "total": total}


def practical_notes_section(client, user) -> dict:
    """For the matched buddy: the practical notes only."""
    stmt = live_notes(user, client, level=NoteLevel.PRACTICAL).limit(10)
    return {"notes": reveal(user, list(db.session.scalars(stmt)), client)}


def health_section(client, user) -> dict:
    return {"health": health_of(client)}


@hooks.client_merged.connect
def _on_client_merged(survivor, *, merged, **_extra) -> None:
    """The survivor took the merged client's contacts: both statistics rows change."""
    refresh_stats([survivor.id, merged.id])


hooks.client_sections.add(
    ClientSection("actions", "contacts/_client_actions.html", None, Access.TEAM), order=10
)
hooks.client_sections.add(
    ClientSection(
        "header",
        "contacts/_client_health.html",
        health_section,
        Access.TEAM,
        with_client=(joinedload(Client.contact_stats),),  # no statement of its own
    ),
    order=20,
)
hooks.client_sections.add(
    ClientSection("body", "contacts/_client_notes.html", notes_section, Access.TEAM), order=10
)
hooks.client_sections.add(
    ClientSection(
        "body",
        "contacts/_client_practical_notes.html",
        practical_notes_section,
        Access.PRACTICAL,
        exact=True,
    ),
    order=14,
)
hooks.dashboard_widgets.add(DashboardWidget("outreach_health", outreach_health), order=25)
