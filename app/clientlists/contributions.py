"""What the client lists add: their navigation entries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.vocab import Role
from app.hooks import NavItem

hooks.nav_items.add(
    NavItem(
        "clientlists.caseload",
        _l("My caseload"),
        frozenset({Role.COMPANION}),
        prefixes=("clientlists.caseload",),
    ),
    order=60,
)
hooks.nav_items.add(
    # Every page of a client file (clients.*) stands under "Clients" too.
    NavItem(
        "clientlists.team_list",
        _l("Clients"),
        frozenset({Role.COMPANION, Role.LEAD}),
        prefixes=("clients.",),
    ),
    order=65,
)
