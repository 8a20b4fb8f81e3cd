"""Administration of users and teams (admins only; everyone else gets 404)."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.before_request
@login_required
def require_admin():
    # 404, not 403: the admin pages do not exist for anyone else.
    if not current_user.is_admin:
        abort(404)


from app.admin import routes  # noqa: E402,F401
from app.outbox import routes as outbox_routes  # noqa: E402,F401
from app.settings import routes as settings_routes  # noqa: E402,F401
