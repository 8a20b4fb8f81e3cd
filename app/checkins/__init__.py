"""Buddy check-ins, the buddy's home and worries that reach the companions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("checkins", __name__, template_folder="templates")

add_nav_item(NavItem("checkins.history", _l("My check-ins"), frozenset({Role.BUDDY})))

from app.checkins import dashboard, home, routes, sections  # noqa: E402,F401
