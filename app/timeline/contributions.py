"""What the timeline adds to the client page: a card with the latest events."""

from __future__ import annotations

from app import hooks
from app.clients.scoping import Access
from app.contacts.visibility import reader
from app.hooks import ClientSection
from app.timeline.queries import timeline_page

ON_CLIENT_PAGE = 10


def timeline_section(client, user) -> dict:
    page, entries = timeline_page(client.id, page=1, per_page=ON_CLIENT_PAGE)
    return {
        "page": page,
        "entries": entries,
        "can_read": reader(user, client),
    }


hooks.client_sections.add(
    ClientSection("body", "timeline/_client_timeline.html", timeline_section, Access.TEAM),
    order=22,
)
