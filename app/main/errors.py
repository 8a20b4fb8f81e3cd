"""Error pages in the user's language; JSON for API and JSON requests."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.database import is_lock_timeout
from app.errors import DomainError
from app.extensions import db
from app.problems import flatten_messages, problem

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please try again.")),
    401: (_l("Sign in needed"), _l("Please sign in to continue.")),
    403: (_l("Not allowed"), _l("You are not allowed to do this.")),
    404: (_l("Not found"), _l("This page does not exist, or you have no access to it.")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    409: (_l("Conflict"), _l("Someone else changed this in the meantime. Reload and try again.")),
    410: (_l("Gone"), _l("This is no longer available.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Check your input"), _l("Some of what you entered could not be accepted.")),
    429: (_l("Too many requests"), _l("Too many requests. Wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged.")),
    503: (_l("Unavailable"), _l("The service is temporarily unavailable. Try again shortly.")),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def render_error(code: int, detail: str | None = None, errors: dict | None = None, headers=None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    if request.path.startswith("/api/"):
        return problem(code, str(title), str(detail or message), errors, headers)
    if wants_json():
        response = jsonify(status=code, title=str(title), detail=str(detail or message))
        response.status_code = code
        return response
    return render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    ), code


def busy_response():
    """The database stayed busy longer than the busy timeout: nothing was saved; try again."""
    log.warning("database busy on %s %s", request.method, request.path)
    db.session.rollback()
    g.database_busy = True  # the page itself only reads (app/database.py)
    response = render_error(
        503,
        str(
            _l(
                "Gezel is very busy at this moment and could not save or show this. Nothing "
                "was changed; try again in a few seconds."
            )
        ),
    )
    if isinstance(response, tuple):
        response = make_response(*response)
    response.headers["Retry-After"] = "5"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            str(
                _l(
                    "The form had expired or was incomplete. Your input was not saved; "
                    "go back, reload the page and try again."
                )
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        """A refusal that reached the top: show its message with its status."""
        db.session.rollback()
        errors = {error.field: [error.message]} if error.field else None
        return render_error(error.status, error.message, errors)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        data = getattr(error, "data", None) or {}
        errors = None
        if data.get("messages") or data.get("errors"):
            errors = flatten_messages(data.get("errors") or data.get("messages"))
        headers = dict(data.get("headers") or {})
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return render_error(error.code, data.get("message"), errors, headers)

    @app.errorhandler(sa.exc.OperationalError)
    def database_busy(error: sa.exc.OperationalError):
        if not is_lock_timeout(error):
            return unexpected_error(error)
        return busy_response()

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if is_lock_timeout(error):
            return busy_response()
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS") is not False:
            raise error  # let the test fail with the real traceback
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError.code)
