"""Small factories for test data: each returns a flushed object in the current session."""

from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.auth.models import Role, Team, User
from app.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_team(name: str | None = None) -> Team:
    return auth_services.create_team(name or f"Team {next(_counter)}", by=None)


def make_user(
    role: Role | str = Role.COMPANION,
    *,
    teams: list[Team] | None = None,
    username: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    must_change_password: bool = False,
    active: bool = True,
    can_administer: bool = False,
    locale: str | None = None,
) -> User:
    role = Role(role)
    number = next(_counter)
    user, _ = auth_services.create_user(
        username=username or f"{role.value}{number}",
        display_name=display_name or f"{role.value.title()} {number}",
        role=role,
        teams=teams or [],
        password=password,
        can_administer=can_administer,
        locale=locale,
    )
    user.must_change_password = must_change_password
    user.active = active
    db.session.flush()
    return user
