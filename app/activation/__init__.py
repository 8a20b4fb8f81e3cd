"""Activation: placements with employers, the employer engagement log, aftercare checks."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import NavItem, add_nav_item

bp = Blueprint("activation", __name__, template_folder="templates")

# Added when the blueprint is registered (after clients), so the menu keeps its order.
bp.record_once(
    lambda _state: add_nav_item(
        NavItem(
            "activation.employers",
            _l("Employers"),
            frozenset({Role.COMPANION, Role.LEAD}),
            prefixes=("activation.employers",),  # a client's activation page is not this
        )
    )
)

from app.activation import panel, routes  # noqa: E402,F401
