"""Referrals (doorverwijzingen): from the first call to the outcome, with the consent gate,
a printable summary for the partner, and each organisation's referral history."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("referrals", __name__, template_folder="templates")

add_nav_item(
    NavItem("referrals.mine", _l("My referrals"), frozenset({Role.COMPANION})),
    before="organisations.search",
)

from app.referrals import panels, routes  # noqa: E402,F401
