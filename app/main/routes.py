"""The home page for each role, and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, render_template
from flask_login import current_user, login_required

from app import hooks
from app.extensions import csrf, db
from app.main import bp


@bp.route("/")
@login_required
def home():
    role = current_user.role.value
    panels = [
        (panel.template, panel.context(current_user) if panel.context else {})
        for panel in hooks.home_panels
        if role in panel.roles
    ]  # each panel template reads its own context as ``panel`` (hooks.home_panels)
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
