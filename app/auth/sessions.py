"""The browser sessions of a user: started at a complete sign-in, seen on every request, ended
by the user (from another device), at sign-out, on deactivation or a password change.

The session cookie carries the row's id (``session["sid"]``; the cookie is signed). A request
whose row is missing, ended or of another user is signed out (app/auth/login.py).
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request, session
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from app.audit import services as audit
from app.audit.services import request_address
from app.auth.models import User, UserSession
from app.database import utcnow
from app.extensions import db

# Last seen is written at most this often per session (not on every request).
TOUCH_SECONDS = 60
_TOUCH = "gezel_session_touch"  # session.info: (row id, time) to write at commit


def start(user: User, *, two_factor: bool) -> UserSession:
    """Record a new session for ``user`` and tie the current cookie to it."""
    agent = request.user_agent.string if request else ""
    row = UserSession(
        user=user,
        user_agent=(agent or "")[:200] or None,
        address=request_address(),
        two_factor=two_factor,
    )
    db.session.add(row)
    db.session.flush()
    session["sid"] = row.id
    return row


def current() -> UserSession | None:
    """The session row of this request's cookie (None when there is none)."""
    sid = session.get("sid")
    if not isinstance(sid, int):
        return None
    return db.session.get(UserSession, sid)


def touch(row: UserSession) -> None:
    """Note the session's activity, at most once a minute. Written when the request's
    transaction commits (as audit events of reads are, app/audit/services.py): a page view
    must not take SQLite's write lock before it has rendered."""
    now = utcnow()
    if now - row.last_seen_at > timedelta(seconds=TOUCH_SECONDS):
        db.session.info[_TOUCH] = (row.id, now)


@sa_event.listens_for(Session, "before_commit")
def _write_touch(dbsession: Session) -> None:
    pending = dbsession.info.pop(_TOUCH, None)
    if pending is not None:
        row_id, now = pending
        dbsession.execute(
            sa.update(UserSession).where(UserSession.id == row_id).values(last_seen_at=now)
        )


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_touch(dbsession: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:
        dbsession.info.pop(_TOUCH, None)


def active_for(user: User) -> list[UserSession]:
    """The user's sessions that can still be used: not ended, not idle past the timeout,
    not older than the longest session; newest first."""
    config = current_app.config
    now = utcnow()
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= now - timedelta(minutes=config["IDLE_TIMEOUT_MINUTES"]),
                UserSession.created_at >= now - timedelta(hours=config["SESSION_MAX_HOURS"]),
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end(row: UserSession, *, by: User) -> None:
    """End one session: it is refused at its next request."""
    if row.ended_at is None:
        row.ended_at = utcnow()
        audit.record("auth.session_ended", row, user=by, details={"session": row.id})


def end_all(user: User, *, except_id: int | None = None) -> int:
    """End every session of ``user`` (but ``except_id``); returns how many were open."""
    result = db.session.execute(
        sa.update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.id != (except_id or 0),
        )
        .values(ended_at=utcnow())
    )
    return result.rowcount or 0
