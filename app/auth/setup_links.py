"""One-time links to choose a password, for a new account and after a password reset.

No administrator ever learns the password of another account: the link goes to the user's own
e-mail address, only a hash of its token is stored, it works once and expires after
SETUP_LINK_HOURS. When e-mail is not configured the server operator prints one with
`flask users setup-link USERNAME`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app import mail
from app.audit import services as audit
from app.auth.models import User
from app.auth.passwords import hash_password
from app.auth.services import AuthError, end_sessions, validate_new_password
from app.database import utcnow
from app.extensions import db

PATH = "/account/setup/"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def unusable_password_hash() -> str:
    """A hash of a random secret nobody ever sees: no password works until one is chosen."""
    return hash_password(secrets.token_urlsafe(32))


def issue(user: User) -> str:
    """A new link for ``user`` (any older one stops working); returns its full address."""
    token = secrets.token_urlsafe(32)
    user.setup_token_hash = _hash(token)
    user.setup_token_expires_at = utcnow() + timedelta(hours=current_app.config["SETUP_LINK_HOURS"])
    return current_app.config["BASE_URL"].rstrip("/") + PATH + token


def find(token: str) -> User | None:
    """The active account whose unexpired link this is, if any."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(sa.select(User).where(User.setup_token_hash == _hash(token)))
    if user is None or not user.active or user.setup_token_expires_at is None:
        return None
    return user if user.setup_token_expires_at > utcnow() else None


def choose_password(user: User, password: str) -> None:
    """The user chose a password through the link: it is used up, every session ends."""
    validate_new_password(user, password)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    user.setup_token_hash = user.setup_token_expires_at = None
    end_sessions(user)
    audit.record("auth.password_chosen", user, user=user)


def send(user: User, url: str, *, new_account: bool) -> bool:
    """E-mail ``url`` to the user's own address; False when it could not be sent."""
    config = current_app.config
    with force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(
            "auth/setup_link.txt",
            user=user,
            url=url,
            hours=config["SETUP_LINK_HOURS"],
            new_account=new_account,
            base_url=config["BASE_URL"],
        )
        message = mail.new_message(user.email, _("Gezel: choose your password"), body)
    try:
        mail.send([message])
    except mail.MailNotSent:
        return False
    return True


def require_email(user_or_email) -> None:
    email = getattr(user_or_email, "email", user_or_email)
    if not email:
        raise AuthError(
            _(
                "This account needs an e-mail address: the link to choose a password is sent "
                "there, never shown to an administrator."
            ),
            field="email",
        )


def reset(user: User, *, by: User | None) -> bool:
    """An administrator resets the password of ``user``: the current one stops working, every
    session ends, and a link to choose a new one is e-mailed. Returns whether it was sent."""
    require_email(user)
    user.password_hash = unusable_password_hash()
    user.must_change_password = True
    end_sessions(user)
    url = issue(user)
    sent = send(user, url, new_account=False)
    audit.record("user.password_reset", user, user=by, details={"link_sent": sent})
    return sent


def welcome(user: User, *, by: User | None) -> bool:
    """A new account was confirmed: e-mail it the link to choose its first password."""
    url = issue(user)
    sent = send(user, url, new_account=True)
    audit.record("user.setup_link_issued", user, user=by, details={"link_sent": sent})
    return sent
