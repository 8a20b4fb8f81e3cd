"""Personal API tokens: created and revoked by their user, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import hooks
from app.audit import services as audit
from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.errors import DomainError
from app.extensions import db

PREFIX = "gzl_"
MAX_TOKENS_PER_USER = 10


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    # SHA-256 of the token: tokens are long random strings, so a plain hash is enough and
    # lets every request find its token with one indexed lookup.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(12))  # the first characters, to recognise it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_token(user: User, name: str, *, by: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise DomainError(_("Give the token a name of at most 80 characters."), field="name")
    active = db.session.scalar(
        sa.select(sa.func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if active >= MAX_TOKENS_PER_USER:
        raise DomainError(_("Revoke a token first: at most 10 can be active."), 409)
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=hash_token(plain), hint=plain[:10])
    db.session.add(token)
    db.session.flush()
    audit.record("api.token_created", token, user=by or user, details={"for": user.username})
    return token, plain


def revoke_token(token: ApiToken, *, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api.token_revoked", token, user=by)


def revoke_all(user: User, *, by: User | None) -> int:
    """Revoke every active token of ``user`` (deactivation); returns how many."""
    tokens = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = utcnow()
        audit.record("api.token_revoked", token, user=by, actor=None if by else "system")
    return len(tokens)


@hooks.user_deactivated.connect
def _revoke_on_deactivation(user: User, *, by: User | None = None, **_) -> None:
    revoke_all(user, by=by)


def find_active_token(plain: str) -> ApiToken | None:
    if not plain.startswith(PREFIX) or len(plain) > 200:
        return None
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    return token
