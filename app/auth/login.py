"""Flask-Login wiring: loading users, the idle timeout and the forced password change."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, logout_user
from sqlalchemy.orm import contains_eager

from app.auth import sessions, twofactor
from app.auth.models import Team, User, UserSession, team_membership
from app.extensions import db
from app.session_cookie import is_background

# Endpoints reachable while a temporary password has not been changed yet.
_OPEN_WHEN_PASSWORD_MUST_CHANGE = {
    "auth.change_password",
    "auth.choose_password",
    "auth.logout",
    "static",
    "main.healthz",
}

# Endpoints reachable by a signed-in user who must still set up two-factor sign-in.
_OPEN_WHEN_ENROLMENT_REQUIRED = {
    "auth.two_factor_setup",
    "auth.logout",
    "auth.set_language",
    "static",
    "main.healthz",
}


# One statement for what every request asks next: the user's teams (the scope of everything)
# and the row of this browser session (``sessions.current()`` then finds it in the identity
# map). Built once: only the values change from one request to the next. The teams are
# joined one table after the other (joinedload writes "LEFT JOIN (team_membership JOIN
# team)", which SQLite computes in full for every request: every membership of the
# installation, 1 ms at 2,500 accounts); joined flat, the membership is found by its key.
_USER = (
    sa.select(User)
    .outerjoin(team_membership, team_membership.c.user_id == User.id)
    .outerjoin(Team, Team.id == team_membership.c.team_id)
    .where(User.id == sa.bindparam("user_id"), User.session_token == sa.bindparam("token"))
    .options(contains_eager(User.teams))
    .order_by(Team.name)  # the relationship's order
)
_USER_AND_SESSION = _USER.add_columns(UserSession).outerjoin(
    UserSession,
    sa.and_(UserSession.id == sa.bindparam("sid"), UserSession.user_id == User.id),
)


def _end_session(message):
    logout_user()
    session.clear()
    if request.path.startswith("/api/"):
        abort(401)
    flash(message, "info")
    next_path = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=next_path))


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        raw_id, _, token = user_id.partition(":")
        if not raw_id.isdigit() or not token:
            return None
        params = {"user_id": int(raw_id), "token": token}
        sid = session.get("sid")
        if isinstance(sid, int):
            params["sid"] = sid
        row = db.session.execute(_USER_AND_SESSION if "sid" in params else _USER, params)
        row = row.unique().first()
        if row is None:
            return None
        user = row[0]
        if len(row) > 1:  # held for the request: the identity map keeps objects weakly
            g.session_row = row[1]
        return user if user is not None and user.active else None

    @app.before_request
    def enforce_session_rules():
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = time.time()
        last_seen = session.get("seen")
        # Activity renews the idle timeout, never the session itself: it ends at the latest
        # SESSION_MAX_HOURS after sign-in, however much it is used.
        since = session.get("since")
        if since is None:  # setdefault would mark the session changed on every request
            session["since"] = since = now
        if last_seen is not None and now - last_seen > app.config["IDLE_TIMEOUT_MINUTES"] * 60:
            return _end_session(_l("You were signed out after a period of inactivity."))
        if now - since > app.config["SESSION_MAX_HOURS"] * 3600:
            return _end_session(_l("Your session has ended. Sign in again to go on."))
        quiet = is_background()  # not activity: it neither renews the idle time-out nor
        if not quiet:  # writes the session cookie (app/session_cookie.py)
            session["seen"] = now
        api = request.path.startswith("/api/")
        row = sessions.current()
        if row is None or row.user_id != current_user.id or row.ended_at is not None:
            return _end_session(_l("This session was ended. Sign in again to go on."))
        if not quiet:
            sessions.touch(row)
        if not row.two_factor and twofactor.required_for(current_user):
            # The role's setting changed since this sign-in: enrol first (or sign in again
            # with the code, once enrolled elsewhere).
            if current_user.has_two_factor:
                return _end_session(_l("Sign in again with your code to go on."))
            if request.endpoint not in _OPEN_WHEN_ENROLMENT_REQUIRED:
                if api:
                    abort(403)
                return redirect(url_for("auth.two_factor_setup"))
        if (
            current_user.must_change_password
            and request.endpoint not in _OPEN_WHEN_PASSWORD_MUST_CHANGE
        ):
            if api:
                abort(403)
            return redirect(url_for("auth.change_password"))
        return None
