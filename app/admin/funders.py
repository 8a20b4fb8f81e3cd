"""Accounts for the funder's reporting (the installation administrator's task).

Such an account belongs to no partnership and reads only the figures across partnerships
(app/dashboards/funder.py). Like a partnership's first administrator it is active at once and
a link to choose a password is e-mailed to its own address.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.auth import services as auth_services
from app.auth import setup_links
from app.auth.models import User
from app.auth.vocab import Role
from app.extensions import db


@dataclass
class NewFunderAccount:
    user: User
    link_sent: bool


def funder_accounts() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role == Role.FUNDER_REPORTER, User.partnership_id.is_(None))
            .order_by(User.active.desc(), User.display_name)
        )
    )


def create_funder_account(
    *, username: str, display_name: str, email: str | None, by: User | None
) -> NewFunderAccount:
    setup_links.require_email(email)
    user, _temporary = auth_services.create_user(
        username=username,
        display_name=display_name,
        email=email,
        role=Role.FUNDER_REPORTER,
        by=by,
    )
    user.password_hash = setup_links.unusable_password_hash()  # nobody has seen one
    sent = setup_links.welcome(user, by=by)
    return NewFunderAccount(user, sent)
