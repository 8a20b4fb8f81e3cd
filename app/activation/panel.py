"""The activation section of the client page: placements and aftercare checks."""

from __future__ import annotations

from app.activation import services
from app.clients.sections import add_client_section
from app.timeutil import today


def activation_section(client, user) -> dict:
    return {
        "placements": services.placements_of(client)[:3],
        "schedule": services.aftercare_schedule(client),
        "today": today(),
    }


add_client_section("body", "activation/_section.html", activation_section, order=40)
