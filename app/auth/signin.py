"""The steps of a sign-in: the password, then (when needed) the second factor, then the
session.

Between the password and the code nobody is signed in: the cookie holds only the pending
user's id and session token (``session["pending"]``), which the code page and the enrolment
page accept, for TWO_FACTOR_PENDING_MINUTES. Every other page treats the browser as signed
out.
"""

from __future__ import annotations

import time

from flask import current_app, session
from flask_login import login_user

from app.auth import sessions
from app.auth.models import User
from app.extensions import db

PENDING = "pending"


def start_pending(user: User, next_path: str | None) -> None:
    """The password was right; the second factor (or enrolment) must follow."""
    session.clear()  # a fresh session (no fixation)
    session[PENDING] = {
        "uid": user.id,
        "token": user.session_token,
        "at": time.time(),
        "next": next_path,
    }


def pending_user() -> User | None:
    """The user whose password was accepted in this browser and who still owes the second
    factor; None when there is none, it is too old, or the account changed since."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    minutes = current_app.config["TWO_FACTOR_PENDING_MINUTES"]
    if time.time() - pending.get("at", 0) > minutes * 60:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, pending.get("uid") or 0)
    if user is None or not user.active or user.session_token != pending.get("token"):
        session.pop(PENDING, None)
        return None
    return user


def pending_next() -> str | None:
    pending = session.get(PENDING)
    return pending.get("next") if isinstance(pending, dict) else None


def complete(user: User, *, two_factor: bool) -> None:
    """Sign ``user`` in: a fresh cookie, tied to a new session row."""
    session.clear()
    login_user(user, remember=False)
    session["seen"] = session["since"] = time.time()
    sessions.start(user, two_factor=two_factor)
