"""Administration of users and teams (a partnership's admins only; everyone else gets 404),
and of partnerships (the installation administrator only)."""

from flask import Blueprint, abort, request
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, template_folder="templates")
# The installation administrator's pages: partnerships, and the funder's reporting accounts.
INSTALLATION_ENDPOINTS = ("admin.partnership", "admin.funder_account")


@bp.before_request
@login_required
def require_admin():
    # 404, not 403: the admin pages do not exist for anyone else.
    if (request.endpoint or "").startswith(INSTALLATION_ENDPOINTS):
        if not current_user.is_installation_admin:
            abort(404)
    elif not current_user.is_admin or current_user.partnership_id is None:
        abort(404)


from app.admin import contributions, funder_routes, partnership_routes, routes  # noqa: E402,F401
