"""The demo accounts and team, seeded into an empty embedded database only."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.auth import services as auth_services
from app.auth.models import User
from app.auth.vocab import Role
from app.extensions import db

DEMO_TEAM = "Team Dijleland Noord"
OTHER_TEAM = "Team Dijleland Zuid"

# (username, display name, role, teams, also admin)
DEMO_ACCOUNTS = [
    ("admin", "Ada Admin", Role.ADMIN, [], False),
    # A second administrator: giving access to client files needs two (the four-eyes rule).
    ("beheer", "Bert Beheer", Role.ADMIN, [], False),
    ("lead", "Lotte Teamcoach", Role.LEAD, [DEMO_TEAM, OTHER_TEAM], False),
    ("gezel", "Geert Gezel", Role.COMPANION, [DEMO_TEAM], False),
    ("buddy", "Bram Buddy", Role.BUDDY, [DEMO_TEAM], False),
    # Colleagues, so that team lists and reassignment have someone to show.
    ("greet", "Greet Gezel", Role.COMPANION, [DEMO_TEAM], False),
    ("zuid", "Zeno Zuid", Role.COMPANION, [OTHER_TEAM], False),
]


class DemoRefused(Exception):
    pass


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def seed_demo() -> list[User]:
    """Create the demo team(s) and accounts (password DEMO_PASSWORD). Refuses in production
    and on a database that already has users."""
    if current_app.config["ENV_NAME"] == "production":
        raise DemoRefused("Demo data is never seeded in production.")
    if not database_is_empty():
        raise DemoRefused("The database already has users; demo data goes only into an empty one.")
    password = current_app.config["DEMO_PASSWORD"]
    teams = {name: auth_services.create_team(name, by=None) for name in (DEMO_TEAM, OTHER_TEAM)}
    users = []
    for username, name, role, team_names, also_admin in DEMO_ACCOUNTS:
        user, _ = auth_services.create_user(
            username=username,
            display_name=name,
            role=role,
            teams=[teams[t] for t in team_names],
            can_administer=also_admin,
            password=password,
            is_demo=True,
        )
        user.must_change_password = False
        users.append(user)
    db.session.flush()
    # Here: the web app imports this module (through the flask demo commands) and must not
    # load the demo clients and their histories.
    from app.demo.clients import seed_demo_clients

    seed_demo_clients(
        {u.username: u for u in users}, {"north": teams[DEMO_TEAM], "south": teams[OTHER_TEAM]}
    )
    db.session.flush()
    return users
