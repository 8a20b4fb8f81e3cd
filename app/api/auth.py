"""Authentication of API requests: a personal token (Bearer) or the app's own session cookie
with the CSRF header. Token requests are rate limited and audited."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from app.api.tokens import ApiToken, find_active_token
from app.audit import services as audit
from app.audit.models import AuditEvent
from app.audit.services import request_address
from app.database import is_lock_timeout, utcnow
from app.extensions import csrf, db
from app.main.errors import busy_response
from app.problems import problem

PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _recent(action: str, *criteria, seconds: int) -> int:
    since = utcnow() - timedelta(seconds=seconds)
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == action, AuditEvent.at >= since, *criteria
        )
    )


def _unauthorized(reason: str):
    audit.record("api.auth_failed", actor="api", details={"reason": reason})
    db.session.commit()  # the failed attempt counts towards the address's limit
    return problem(
        401,
        _("Sign in needed"),
        _("Send a valid personal token as 'Authorization: Bearer <token>'."),
        headers={"WWW-Authenticate": 'Bearer realm="gezel", error="invalid_token"'},
    )


def _too_many(retry_after: int):
    return problem(
        429,
        _("Too many requests"),
        _("Too many requests. Wait a moment and try again."),
        headers={"Retry-After": str(retry_after)},
    )


def authenticate():
    if not request.path.startswith("/api/v1/") or request.path in PUBLIC:
        return None
    config = current_app.config
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _sep, value = header.partition(" ")
        token = find_active_token(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            # Only failed checks are limited (a valid token proves itself, from any address),
            # and a refused check beyond the limit is not counted: it cannot extend the wait.
            window = config["API_FAILED_AUTH_WINDOW_SECONDS"]
            address_failures = _recent(
                "api.auth_failed", AuditEvent.address == request_address(), seconds=window
            )
            if address_failures >= config["API_MAX_FAILED_AUTH_PER_ADDRESS"]:
                audit.record("api.auth_throttled", actor="api")
                db.session.commit()
                return _too_many(window)
            return _unauthorized("bad_token" if scheme.lower() == "bearer" else "bad_scheme")
        used = _recent(
            "api.request",
            AuditEvent.object_type == "ApiToken",
            AuditEvent.object_id == str(token.id),
            seconds=60,
        )
        if used >= config["API_RATE_LIMIT_PER_MINUTE"]:
            return _too_many(60)
        g._login_user = token.user  # Flask-Login's current user, for this request only
        g.api_token_id = token.id
        return None
    if not current_user.is_authenticated:
        return _unauthorized("no_credentials")
    if request.method not in SAFE_METHODS:
        csrf.protect()  # the app's own pages send the X-CSRFToken header
    return None


def audit_token_request(response):
    token_id = g.get("api_token_id")
    if token_id is None:
        return response
    if response.status_code >= 400:
        db.session.rollback()  # nothing of a refused request is kept, except this record
    try:
        token = db.session.get(ApiToken, token_id)
        now = utcnow()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
            token.last_used_at = now
        read = response.status_code < 400  # a read or write of these files: who viewed them
        audit.record(
            "api.request",
            token,
            user=token.user,
            client_id=(request.view_args or {}).get("client_id") if read else None,
            client_ids=g.get("api_client_ids") if read else None,
            details={
                "method": request.method, "path": request.path, "status": response.status_code
            },
        )  # fmt: skip
        db.session.commit()
    except sa.exc.OperationalError as error:
        if not is_lock_timeout(error):
            raise
        return busy_response()  # an answer whose use could not be audited is not given
    return response


def init_app(app: Flask) -> None:
    app.before_request(authenticate)
    app.after_request(audit_token_request)
