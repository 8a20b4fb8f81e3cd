"""Dashboards for leads (their teams) and companions (their own caseload), the partnership
report for the funder, and exports. Every number comes from SQL aggregates in service.py."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("dashboards", __name__, template_folder="templates")

add_nav_item(
    NavItem(
        "dashboards.dashboard_home",
        _l("Dashboard"),
        frozenset({Role.LEAD, Role.COMPANION}),
        prefixes=("dashboards.dashboard",),
    )
)
add_nav_item(
    NavItem(
        "dashboards.partnership_report",
        _l("Report"),
        frozenset({Role.LEAD}),
        prefixes=("dashboards.partnership", "dashboards.client_export"),
    )
)

from app.dashboards import routes  # noqa: E402,F401
