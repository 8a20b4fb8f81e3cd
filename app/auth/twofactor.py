"""Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238, with pyotp) from an
authenticator app, and ten single-use recovery codes.

Rules:
- Whoever enrolled is asked for a code at every sign-in. Whether a user *must* enrol is a
  setting per role (``two_factor.<role>`` in app/settings/registry.py), applied when
  TWO_FACTOR_ENFORCED is on (production); an administrator's rights count as the admin role.
- A code is accepted for its own 30-second step and one step either side (clock drift), never
  twice: the last accepted step is stored, and only a later step is accepted after it.
- Recovery codes are shown once and stored as Argon2 hashes; each works once.
- Wrong codes are throttled like passwords (app/auth/services.py, kind "second_factor").
- A lead (for the buddies and companions of their teams) or an administrator resets a user's
  enrolment; audited; the user's sessions end and they enrol again at their next sign-in.
"""

from __future__ import annotations

import hmac
import re
import secrets

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _
from markupsafe import Markup

from app.audit import services as audit
from app.auth.models import LoginAttempt, RecoveryCode, User
from app.auth.passwords import hash_password, verify_password
from app.auth.services import AuthError, account_delay, address_delay, end_sessions
from app.auth.vocab import Role
from app.database import utcnow
from app.extensions import db
from app.settings.registry import get_setting

KIND = "second_factor"
VALID_WINDOW = 1  # steps either side of now: a code lives about 30 s + 30 s of drift
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes
_TOTP_RE = re.compile(r"^\d{6}$")
_RECOVERY_RE = re.compile(r"^[a-z0-9]{10}$")


class CodeThrottled(AuthError):
    def __init__(self, seconds: int) -> None:
        from datetime import timedelta

        wait = format_timedelta(timedelta(seconds=max(seconds, 1)), threshold=1.5)
        super().__init__(
            _(
                "Too many wrong codes. Wait %(wait)s and try again, or ask your team lead "
                "or an administrator to reset your two-factor sign-in.",
                wait=wait,
            ),
            429,
        )


def required_for(user: User) -> bool:
    """Must ``user`` sign in with a second factor? Only when TWO_FACTOR_ENFORCED is on."""
    if not current_app.config["TWO_FACTOR_ENFORCED"]:
        return False
    if user.is_installation_account:
        return True
    ours = user.partnership_id  # the account's partnership's settings (before sign-in too)
    if get_setting(f"two_factor.{user.role.value}", partnership_id=ours):
        return True
    return user.is_admin and bool(
        get_setting(f"two_factor.{Role.ADMIN.value}", partnership_id=ours)
    )


def needs_second_factor(user: User) -> bool:
    """Does a password sign-in of ``user`` need a second step (a code, or enrolment)?"""
    return user.has_two_factor or required_for(user)


# Enrolment.


def begin_enrolment(user: User) -> str:
    """The secret the user adds to their app; kept until a first code confirms it (a reload
    shows the same QR code)."""
    if user.has_two_factor:
        raise AuthError(_("Two-factor sign-in is already set up for your account."), 409)
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_svg(user: User) -> Markup:
    """The otpauth URI as an inline SVG QR code (drawn here: no external service, no script)."""
    code = segno.make(provisioning_uri(user), error="m")
    return Markup(code.svg_inline(scale=5, light="#fff", title=_("QR code for your app")))


def confirm_enrolment(user: User, code: str, address: str) -> list[str]:
    """Turn two-factor sign-in on with a first code from the app; returns the ten recovery
    codes (shown once)."""
    if user.has_two_factor or not user.totp_secret:
        raise AuthError(_("Start the set-up again: open the page anew."), 409)
    _check_throttle(user, address)
    step = _matching_step(user.totp_secret, _normalise(code))
    if step is None:
        _failed(user, address, "enrolment_code")
        raise AuthError(
            _("That code is not correct. Enter the 6 digits your app shows now."), 400, "code"
        )
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    _succeeded(user, address)
    codes = new_recovery_codes(user)
    audit.record("auth.two_factor_enabled", user, user=user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them in plain text."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


# Verification at sign-in.


def verify(user: User, code: str, address: str) -> str:
    """Check the second step of a sign-in: a code from the app or a recovery code. Returns
    "totp" or "recovery"; raises AuthError (and records the failure) otherwise."""
    # Two requests with the same code at once: the second waits here and sees the step used.
    db.session.refresh(user, with_for_update=True)
    _check_throttle(user, address)
    code = _normalise(code)
    if _TOTP_RE.match(code):
        step = _matching_step(user.totp_secret or "", code)
        if step is not None and user.totp_last_step is not None and step <= user.totp_last_step:
            _failed(user, address, "code_reused")
            raise AuthError(
                _("That code was already used. Wait for the next code in your app."), 401, "code"
            )
        if step is None:
            _failed(user, address, "code")
            raise AuthError(
                _(
                    "That code is not correct or no longer valid. Enter the code your app "
                    "shows now."
                ),
                401,
                "code",
            )
        user.totp_last_step = step
        _succeeded(user, address)
        audit.record("auth.second_factor", user, user=user, details={"method": "totp"})
        return "totp"
    if _RECOVERY_RE.match(code):
        match = _matching_recovery_code(user, code)
        if match is not None and match.used_at is None:
            match.used_at = utcnow()
            _succeeded(user, address)
            audit.record(
                "auth.second_factor",
                user,
                user=user,
                details={"method": "recovery", "left": recovery_codes_left(user)},
            )
            return "recovery"
        _failed(user, address, "recovery_reused" if match is not None else "recovery")
        if match is not None:
            raise AuthError(
                _("That recovery code was already used. Each recovery code works once."),
                401,
                "code",
            )
    else:
        _failed(user, address, "format")
    raise AuthError(
        _(
            "Enter the 6 digits from your app, or one of your recovery codes "
            "(10 letters and digits)."
        ),
        401,
        "code",
    )


def reset(user: User, *, by: User) -> None:
    """Turn off ``user``'s two-factor sign-in (lost phone): secret and recovery codes are
    deleted and every session ends; at the next sign-in they enrol again (when required)."""
    if by.id == user.id:
        raise AuthError(
            _("Ask your team lead or another administrator to reset your own sign-in."), 403
        )
    if not by.is_admin and not can_lead_reset(by, user):
        raise AuthError(_("You cannot reset the sign-in of this account."), 404)
    had = user.has_two_factor
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user)
    audit.record("auth.two_factor_reset", user, user=by, details={"was_enabled": had})


def can_lead_reset(lead: User, user: User) -> bool:
    """A lead resets the buddies and companions of their own teams."""
    return (
        lead.is_lead
        and user.role in (Role.BUDDY, Role.COMPANION)
        and not user.is_admin
        and bool(set(lead.team_ids) & set(user.team_ids))
    )


# Helpers.


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", (code or "").strip().lower())[:40]


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side) whose code is ``code``."""
    if not secret or not _TOTP_RE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow().timestamp())
    found = None
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def _matching_recovery_code(user: User, code: str) -> RecoveryCode | None:
    rows = db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id).order_by(RecoveryCode.id)
    )
    for row in rows:
        if verify_password(row.code_hash, code):
            return row
    return None


def _check_throttle(user: User, address: str) -> None:
    now = utcnow()
    for reason, wait in (
        ("address", address_delay(address, now, KIND)),
        ("account", account_delay(user.username, address, now, KIND)),
    ):
        if wait:
            audit.record(
                "auth.second_factor_throttled", user, user=user, details={"reason": reason}
            )
            raise CodeThrottled(wait)


def _failed(user: User, address: str, reason: str) -> None:
    db.session.add(
        LoginAttempt(username=user.username, address=address, succeeded=False, kind=KIND)
    )
    audit.record("auth.second_factor_failed", user, user=user, details={"reason": reason})


def _succeeded(user: User, address: str) -> None:
    db.session.add(LoginAttempt(username=user.username, address=address, succeeded=True, kind=KIND))
