"""The social map (sociale kaart): who helps with what, where. Everyone signed in searches it;
leads and admins maintain it; admins import and export it as CSV."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("organisations", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_sign_in():
    return None


from app.organisations import contributions, routes  # noqa: E402,F401
