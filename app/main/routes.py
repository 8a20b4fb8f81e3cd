"""The home page for each role, and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template
from flask_login import current_user, login_required

from app.extensions import csrf, db
from app.main import bp

# Each domain can add a panel to a role's home page: (template, context function).
HOME_PANELS: dict[str, list] = {
    "admin": [], "lead": [], "companion": [], "buddy": [], "privacy_officer": [],
}  # fmt: skip


def add_home_panel(role: str, template: str, context=None, *, first: bool = False) -> None:
    """Show ``template`` on the home page of ``role``; ``context(user)`` gives its data."""
    if not any(existing[0] == template for existing in HOME_PANELS[role]):
        HOME_PANELS[role].insert(0 if first else len(HOME_PANELS[role]), (template, context))


@bp.route("/")
@login_required
def home():
    role = current_user.role.value
    panels = [
        (template, context(current_user) if context else {})
        for template, context in HOME_PANELS[role]
    ]  # each panel template reads its own context as ``panel``
    return render_template(f"main/home_{role}.html", panels=panels)


@bp.route("/healthz")
@csrf.exempt
def healthz():
    """Liveness and database reachability, for load balancers and monitoring. No secrets."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
