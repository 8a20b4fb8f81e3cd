"""The group-session section of the client page: sessions the person is registered for."""

from __future__ import annotations

from app.clients.sections import add_client_section
from app.groups import services
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


add_client_section("body", "groups/_section.html", group_section, order=50)
