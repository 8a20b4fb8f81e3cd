"""Sign-in, passwords and account administration."""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_timedelta
from flask_babel import gettext as _

from app.audit import services as audit
from app.auth import strength
from app.auth.models import LoginAttempt, Team, User, new_session_token
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.vocab import INSTALLATION_ROLES, Role
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.partnerships.services import resolve_partnership_id

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_TEMP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes: l/1, o/0


class AuthError(DomainError):
    """A refusal whose message can be shown to the user as is."""


class SignInFailed(AuthError):
    def __init__(self) -> None:
        # One message for every failure: no hint whether the account exists or is inactive.
        super().__init__(_("Unknown username or wrong password."), 401)


class SignInThrottled(AuthError):
    def __init__(self, seconds: int) -> None:
        wait = format_timedelta(timedelta(seconds=max(seconds, 1)), threshold=1.5)
        super().__init__(
            _(
                "Too many failed sign-in attempts. Wait %(wait)s and try again, "
                "or ask an administrator to reset your password.",
                wait=wait,
            ),
            429,
        )
        self.seconds = seconds


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalise_username(username)))


def _failures_since_last_success(*criteria, since) -> tuple[int, datetime | None]:
    """How many failed attempts match ``criteria`` after ``since`` and after the last
    successful one that matches them, and when the latest of those failures was."""
    last_success = (
        sa.select(sa.func.max(LoginAttempt.at))
        .where(*criteria, LoginAttempt.succeeded.is_(True))
        .scalar_subquery()
    )
    failures, latest = db.session.execute(
        sa.select(sa.func.count(LoginAttempt.id), sa.func.max(LoginAttempt.at)).where(
            *criteria,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.at >= since,
            LoginAttempt.at > sa.func.coalesce(last_success, since),
        )
    ).one()
    return failures, latest


def _known_address(username: str, address: str, now: datetime) -> bool:
    """Has this account signed in successfully from this address lately?"""
    since = now - timedelta(days=current_app.config["LOGIN_TRUSTED_ADDRESS_DAYS"])
    return (
        db.session.scalar(
            sa.select(LoginAttempt.id)
            .where(
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.succeeded.is_(True),
                LoginAttempt.at >= since,
            )
            .limit(1)
        )
        is not None
    )


def account_delay(username: str, address: str, now: datetime, kind: str = "password") -> int:
    """Seconds this attempt must still wait because of earlier failures on the account.

    After LOGIN_MAX_FAILURES_PER_ACCOUNT failures, each next attempt waits 2^failures
    seconds after the last failure (32 s, 64 s, ...), at most LOGIN_DELAY_MAX_SECONDS. From
    an address the account signed in from lately, only the failures from that address
    count: someone guessing elsewhere cannot keep the real user out. ``kind`` counts the
    attempts of one step: "password" or "second_factor" (app/auth/twofactor.py).
    """
    config = current_app.config
    criteria = [LoginAttempt.username == username, LoginAttempt.kind == kind]
    if _known_address(username, address, now):
        criteria.append(LoginAttempt.address == address)
    since = now - timedelta(hours=config["LOGIN_ACCOUNT_MEMORY_HOURS"])
    failures, latest = _failures_since_last_success(*criteria, since=since)
    if failures < config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] or latest is None:
        return 0
    delay = min(2 ** min(failures, 30), config["LOGIN_DELAY_MAX_SECONDS"])
    return max(0, math.ceil((latest + timedelta(seconds=delay) - now).total_seconds()))


def address_delay(address: str, now: datetime, kind: str = "password") -> int:
    """Seconds this address must still wait: LOGIN_MAX_FAILURES_PER_ADDRESS failures (for
    any accounts) within LOGIN_WINDOW_MINUTES refuse it until the window has passed."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    failures = (
        db.session.execute(
            sa.select(LoginAttempt.at)
            .where(
                LoginAttempt.address == address,
                LoginAttempt.kind == kind,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at >= now - window,
            )
            .order_by(LoginAttempt.at.desc())
            .limit(config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
        )
        .scalars()
        .all()
    )
    if len(failures) < config["LOGIN_MAX_FAILURES_PER_ADDRESS"]:
        return 0
    # Free again once the oldest of the last LIMIT failures leaves the window.
    return max(0, math.ceil((failures[-1] + window - now).total_seconds()))


def authenticate(username: str, password: str, address: str) -> User:
    """Check a sign-in; records the attempt and an audit event either way.

    Raises SignInThrottled while the address or the account must wait (see address_delay
    and account_delay): such an attempt is audited but is no failure, so trying again while
    throttled never makes the wait longer. SignInFailed for a wrong password, an unknown or
    an inactive account.
    """
    username = normalise_username(username)[:64]
    address = (address or "unknown")[:64]
    now = utcnow()

    for reason, wait in (
        ("address", address_delay(address, now)),
        ("account", account_delay(username, address, now)),
    ):
        if wait:
            audit.record("auth.sign_in_throttled", actor=username, details={"reason": reason})
            raise SignInThrottled(wait)

    user = get_user_by_username(username)
    password_ok = verify_password(user.password_hash if user else None, password or "")
    if user is None or not password_ok or not user.active:
        reason = "unknown_user" if user is None else ("inactive" if password_ok else "password")
        db.session.add(LoginAttempt(username=username, address=address, succeeded=False, at=now))
        audit.record("auth.sign_in_failed", user=user, actor=username, details={"reason": reason})
        raise SignInFailed()

    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_sign_in_at = now
    db.session.add(LoginAttempt(username=username, address=address, succeeded=True, at=now))
    audit.record("auth.sign_in", user, user=user)
    return user


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie issued so far is refused from now on
    (the session token is part of the Flask-Login id), and the sessions list shows none."""
    from app.auth import sessions

    user.session_token = new_session_token()
    sessions.end_all(user)


def validate_new_password(
    user: User | None, password: str, *, inputs: Iterable[str] = (), estimate: bool = True
) -> None:
    """Refuse a password that is too short, too long, the user's name, or (``estimate``)
    easy to guess; ``inputs`` are the user's own words when there is no ``user`` yet."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AuthError(_("The password needs at least %(n)d characters.", n=minimum))
    if len(password) > 200:
        raise AuthError(_("The password can have at most 200 characters."))
    if user is not None and password.strip().lower() in {user.username, user.display_name.lower()}:
        raise AuthError(_("The password cannot be your name or username."))
    if estimate:
        if user is not None:
            inputs = strength.user_inputs(user.username, user.display_name, user.email)
        reason = strength.weakness(password, inputs)
        if reason:
            raise AuthError(reason)


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password chosen by the user; other sessions of this user end."""
    if not verify_password(user.password_hash, current):
        raise AuthError(_("The current password is not correct."), field="current_password")
    if current == new:
        raise AuthError(_("Choose a password that differs from the current one."))
    validate_new_password(user, new)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.session_token = new_session_token()
    audit.record("auth.password_changed", user, user=user)


def temporary_password() -> str:
    groups = ("".join(secrets.choice(_TEMP_ALPHABET) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


def validate_username(username: str, *, exclude: User | None = None) -> str:
    username = normalise_username(username)
    if not USERNAME_RE.match(username):
        raise AuthError(
            _(
                "A username has 2 to 64 characters: lower-case letters, digits, dot, dash or "
                "underscore, starting with a letter or digit."
            )
        )
    existing = get_user_by_username(username)
    if existing is not None and existing is not exclude:
        raise AuthError(_("That username is already taken."), 409)
    return username


def create_user(
    *,
    username: str,
    display_name: str,
    role: Role,
    email: str | None = None,
    teams: list[Team] | None = None,
    can_administer: bool = False,
    locale: str | None = None,
    password: str | None = None,
    is_demo: bool = False,
    by: User | None = None,
    partnership_id: int | None = None,
) -> tuple[User, str | None]:
    """Create an account. Without ``password`` a temporary one is generated and returned;
    it must be changed at first sign-in. The account works in ``partnership_id`` (default:
    its teams', else the current one); an installation administrator in none."""
    username = validate_username(username)
    role = Role(role)
    if role in INSTALLATION_ROLES:
        if teams:
            raise AuthError(_("An installation account belongs to no team."), 400)
        partnership_id, can_administer = None, False
    else:
        if partnership_id is None and teams:
            partnership_id = teams[0].partnership_id
        partnership_id = resolve_partnership_id(partnership_id)
        check_same_partnership(partnership_id, teams or [])
    temporary = None
    if password is None:
        temporary = password = temporary_password()
    else:
        # The demo seed's accounts keep the documented demo password (an empty development
        # database only, never production); a password a person chooses is always estimated.
        validate_new_password(
            None,
            password,
            inputs=strength.user_inputs(username, display_name, email),
            estimate=not is_demo,
        )
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=(email or "").strip() or None,
        role=Role(role),
        can_administer=can_administer,
        locale=locale or None,
        password_hash=hash_password(password),
        must_change_password=temporary is not None,
        is_demo=is_demo,
        teams=list(teams or []),
        partnership_id=partnership_id,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.created",
        user,
        user=by,
        actor=None if by else "system",
        details={
            "username": username,
            "role": user.role.value,
            "teams": [t.name for t in user.teams],
            "admin": user.can_administer,
        },
    )
    return user, temporary


def _no_move_message() -> str:
    return _(
        "That team belongs to another partnership. Accounts and clients do not move "
        "between partnerships: export the data and register again there."
    )


def check_same_partnership(partnership_id: int | None, teams: Iterable[Team]) -> None:
    """A team of another partnership is refused: nobody moves between partnerships (export
    the data and register again in the other partnership)."""
    if any(team is None or team.partnership_id != partnership_id for team in teams):
        raise AuthError(_no_move_message(), 404, field="teams")


def explain_another_partnerships_team(field, partnership_id: int | None) -> None:
    """A team field's choices hold the own partnership's teams only, so a (crafted) team of
    another partnership fails as "not a valid choice": say why instead."""
    if not field.errors:
        return
    ids = field.data if isinstance(field.data, list | tuple) else [field.data]
    teams = [db.session.get(Team, team_id) for team_id in ids if isinstance(team_id, int)]
    if any(team is not None and team.partnership_id != partnership_id for team in teams):
        field.errors = [_no_move_message()]


def team_named(name: str, partnership_id: int | None) -> Team | None:
    """The partnership's team with this name (case ignored). Names are unique within a
    partnership; another partnership's teams are never looked at."""
    return db.session.scalar(
        sa.select(Team).where(
            sa.func.lower(Team.name) == name.strip().lower(), Team.partnership_id == partnership_id
        )
    )


def create_team(
    name: str,
    description: str | None = None,
    *,
    by: User | None,
    partnership_id: int | None = None,
) -> Team:
    name = name.strip()
    if partnership_id is None and by is not None and by.partnership_id is not None:
        partnership_id = by.partnership_id
    partnership_id = resolve_partnership_id(partnership_id)
    if team_named(name, partnership_id) is not None:
        raise AuthError(_("A team with that name already exists."), 409)
    team = Team(
        name=name,
        description=(description or "").strip() or None,
        partnership_id=partnership_id,
    )
    db.session.add(team)
    audit.record("team.created", team, user=by, actor=None if by else "system")
    return team


def update_team(team: Team, *, name: str, description: str | None, by: User | None) -> None:
    name = name.strip()
    clash = team_named(name, team.partnership_id)
    if clash is not None and clash.id != team.id:
        raise AuthError(_("A team with that name already exists."), 409)
    team.name = name
    team.description = (description or "").strip() or None
    audit.record("team.updated", team, user=by)
