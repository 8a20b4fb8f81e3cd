"""Clients and their trajectories: registration, profile, phases, context, consent, caseloads."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("clients", __name__, template_folder="templates")

add_nav_item(
    NavItem(
        "clients.caseload",
        _l("My caseload"),
        frozenset({Role.COMPANION}),
        prefixes=("clients.caseload",),
    )
)
add_nav_item(NavItem("clients.team_list", _l("Clients"), frozenset({Role.COMPANION, Role.LEAD})))

from app.clients import home, lists, relations, routes  # noqa: E402,F401
