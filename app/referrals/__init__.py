"""Referrals (doorverwijzingen): from the first call to the outcome, with the consent gate,
a printable summary for the partner, and each organisation's referral history."""

from flask import Blueprint

bp = Blueprint("referrals", __name__, template_folder="templates")

# "My referrals" is reached from the companion's home page: at tablet width the navigation
# bar has no room for another entry.

from app.referrals import contributions, routes  # noqa: E402,F401
