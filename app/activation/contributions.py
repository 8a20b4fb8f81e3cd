"""What activation adds to other pages: the employers' entry in the navigation bar and the
section of the client page (placements and aftercare checks)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.activation import services
from app.auth.vocab import Role
from app.clients.scoping import Access
from app.hooks import ClientSection, NavItem
from app.timeutil import today


def activation_section(client, user) -> dict:
    return {
        "placements": services.placements_of(client)[:3],
        "schedule": services.aftercare_schedule(client),
        "today": today(),
    }


hooks.nav_items.add(
    NavItem(
        "activation.employers",
        _l("Employers"),
        frozenset({Role.COMPANION, Role.LEAD}),
        prefixes=("activation.employers",),  # a client's activation page is not this
    ),
    order=110,
)
hooks.client_sections.add(
    ClientSection("body", "activation/_section.html", activation_section, Access.TEAM),
    order=40,
)
