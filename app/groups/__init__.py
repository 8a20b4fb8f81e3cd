"""Low-threshold group sessions: planning, registrations within capacity, attendance."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("groups", __name__, template_folder="templates")

add_nav_item(
    NavItem(
        "groups.index", _l("Group sessions"), frozenset({Role.COMPANION, Role.LEAD, Role.BUDDY})
    )
)


@bp.before_request
@login_required
def require_sign_in():
    return None


from app.groups import panel, routes  # noqa: E402,F401
