"""What group sessions add to other pages: the navigation entry and the section of the client
page (sessions the person is registered for)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.vocab import Role
from app.clients.scoping import Access
from app.groups import services
from app.hooks import ClientSection, NavItem
from app.timeutil import local_date, today


def group_section(client, user) -> dict:
    registrations = services.client_sessions(client)
    on = today()
    return {
        "upcoming": [r for r in registrations if local_date(r.session.starts_at) >= on][::-1],
        "attended": sum(
            1 for r in registrations if r.attendance and r.attendance.value == "present"
        ),
        "past": [r for r in registrations if local_date(r.session.starts_at) < on][:3],
    }


hooks.nav_items.add(
    NavItem(
        "groups.index", _l("Group sessions"), frozenset({Role.COMPANION, Role.LEAD, Role.BUDDY})
    ),
    order=90,
)
hooks.client_sections.add(
    ClientSection("body", "groups/_section.html", group_section, Access.TEAM), order=50
)
