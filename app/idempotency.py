"""Exactly once: one submission key stores one record, however often it is sent.

Every form that creates a record carries a key generated when the form is rendered (the API
will take it from an ``Idempotency-Key`` header). ``once`` creates the record and stores the
key with its id (one insert) in a SAVEPOINT of the same transaction, so the key and the record
are committed together or not at all. A repeated submission finds the key and gets the record
stored the first time; a submission racing with the first one waits on the unique index
(PostgreSQL; its own record then goes with the savepoint) or on the write lock (SQLite, BEGIN
IMMEDIATE) and then does the same. The caller answers both as a success.

An API key also carries a fingerprint of its request (method, path and canonical JSON body,
see ``Key``): a retry with the same request replays the record; the same key with another
request is refused (422, as the IETF Idempotency-Key draft says) - a tablet that reuses a key
for a second contact must not lose it silently. Form keys have no fingerprint: a form's key
is made for that one form when it is rendered.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.errors import DomainError
from app.extensions import db

T = TypeVar("T")

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,80}$")


class SubmissionKey(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    # sha256 of the API request that claimed the key; None for a form's key.
    fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Key(str):
    """A submission key with the fingerprint of the request that sent it."""

    fingerprint: str | None = None

    def __new__(cls, key: str, fingerprint: str | None = None):
        made = super().__new__(cls, key)
        made.fingerprint = fingerprint
        return made


def fingerprint(method: str, path: str, body) -> str:
    """sha256 of the method, the path and the body as canonical JSON (keys sorted, no
    spaces): the same request sent again has the same fingerprint."""
    canonical = json.dumps(
        [method.upper(), path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def new_key() -> str:
    """A fresh key for a form being rendered."""
    return str(uuid.uuid4())


def valid_key(key: str | None) -> bool:
    return bool(key) and KEY_PATTERN.match(key) is not None


class KeyRefused(DomainError):
    """The key is malformed, or was used by someone else or for another kind of record."""

    def __init__(self):
        super().__init__(
            _("This form could not be sent safely. Check your input and send it again."), 422
        )


class KeyReused(DomainError):
    """The key was used before for a different request (another body or another path)."""

    def __init__(self):
        super().__init__(_("Idempotency-Key reused with a different request"), 422)


def _find(key: str) -> SubmissionKey | None:
    return db.session.scalar(_find_statement(), {"key": key})


@functools.cache
def _find_statement() -> sa.Select:
    """``_find``'s statement, built once (every post of a form with a key asks it)."""
    return sa.select(SubmissionKey).where(SubmissionKey.key == sa.bindparam("key"))


def _replay(claim: SubmissionKey, user, model: type[T], fingerprint: str | None) -> T:
    if claim.user_id != user.id or claim.object_type != model.__name__:
        raise KeyRefused()
    if fingerprint is not None and claim.fingerprint not in (None, fingerprint):
        raise KeyReused()
    record = db.session.get(model, claim.object_id) if claim.object_id is not None else None
    if record is None:
        raise KeyRefused()
    return record


def once(key: str | None, *, user, model: type[T], create: Callable[[], T]) -> tuple[T, bool]:
    """Run ``create`` (which adds and returns a ``model`` record) at most once per ``key``.

    Returns ``(record, True)`` when this call stored it, ``(record, False)`` when an earlier
    submission with the same key did. If ``create`` raises, neither the key nor any part of
    the record is kept. A ``Key`` with a fingerprint that differs from the one stored with
    the key raises KeyReused.
    """
    if not valid_key(key):
        raise KeyRefused()
    request_print = getattr(key, "fingerprint", None)
    existing = _find(key)
    if existing is not None:
        return _replay(existing, user, model, request_print), False
    try:
        with db.session.begin_nested():
            record = create()
            db.session.flush()
            claim = SubmissionKey(
                key=str(key),
                user_id=user.id,
                object_type=model.__name__,
                object_id=record.id,
                fingerprint=request_print,
            )
            db.session.add(claim)
            # Waits here while a racing submission holds the key; when it committed, this
            # one fails and its record goes with the savepoint.
            db.session.flush()
    except sa.exc.IntegrityError:
        existing = _find(key)
        if existing is None:
            raise  # another constraint failed: not a repeat
        return _replay(existing, user, model, request_print), False
    return record, True


def forget_older_than(moment: datetime) -> int:
    """Drop keys claimed before ``moment`` (a form is not resubmitted weeks later)."""
    result = db.session.execute(sa.delete(SubmissionKey).where(SubmissionKey.created_at < moment))
    return result.rowcount or 0
