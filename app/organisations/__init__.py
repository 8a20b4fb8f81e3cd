"""The social map (sociale kaart): who helps with what, where. Everyone signed in searches it;
leads and admins maintain it; admins import and export it as CSV."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.navigation import NavItem, add_nav_item

bp = Blueprint("organisations", __name__, template_folder="templates")

add_nav_item(NavItem("organisations.search", _l("Social map")))


@bp.before_request
@login_required
def require_sign_in():
    return None


from app.organisations import routes  # noqa: E402,F401
