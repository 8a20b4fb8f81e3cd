"""Low-threshold group sessions: planning, registrations within capacity, attendance."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("groups", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_sign_in():
    return None


from app.groups import contributions, routes  # noqa: E402,F401
