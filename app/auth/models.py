"""Accounts, teams and sign-in attempts."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.vocab import CLIENT_ROLES, INSTALLATION_ROLES, AccessChangeStatus, Role
from app.database import UTCDateTime, str_enum, utcnow
from app.extensions import db

team_membership = sa.Table(
    "team_membership",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("team_id", sa.ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    # A name is unique within its partnership (two partnerships may each have "Team Noord").
    __table_args__ = (sa.UniqueConstraint("partnership_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    description: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every team belongs to one partnership (set when it is created, never moved).
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"), index=True)

    members: Mapped[list[User]] = relationship(
        secondary=team_membership, back_populates="teams", order_by="User.display_name"
    )

    def __repr__(self) -> str:
        return f"<Team {self.name}>"


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    role: Mapped[Role] = mapped_column(str_enum(Role, 16))
    # A lead (or anyone) can also hold admin rights; the admin role alone sees no client files.
    can_administer: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    # Part of the Flask-Login id: rotating it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A one-time link to choose a password (app/auth/setup_links.py): only its hash is kept.
    setup_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    setup_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in (app/auth/twofactor.py): the TOTP secret (set when enrolment
    # starts), when enrolment was confirmed with a first code, and the last time step
    # whose code was accepted (a code never works twice).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The partnership the account works in; None only for an installation-level account
    # (the installation administrator), which sees no client data.
    partnership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("partnership.id"), index=True)

    teams: Mapped[list[Team]] = relationship(
        secondary=team_membership, back_populates="members", order_by="Team.name"
    )

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

    # Flask-Login
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.can_administer

    @property
    def is_installation_admin(self) -> bool:
        return self.role == Role.INSTALLATION_ADMIN

    @property
    def is_installation_account(self) -> bool:
        """An account of the installation (administrator, funder reporting): no partnership."""
        return self.role in INSTALLATION_ROLES

    @property
    def is_funder_reporter(self) -> bool:
        return self.role == Role.FUNDER_REPORTER

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    @property
    def is_companion(self) -> bool:
        return self.role == Role.COMPANION

    @property
    def is_buddy(self) -> bool:
        return self.role == Role.BUDDY

    @property
    def is_privacy_officer(self) -> bool:
        return self.role == Role.PRIVACY_OFFICER

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def team_ids(self) -> list[int]:
        return [team.id for team in self.teams]

    @property
    def reads_client_files(self) -> bool:
        return self.role in CLIENT_ROLES


class AccessChange(db.Model):
    """More access for an account, asked by one administrator, waiting for a second one
    (app/auth/access.py). Each field is what is asked; None or False asks nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    role: Mapped[Role | None] = mapped_column(str_enum(Role, 16))
    add_team_ids: Mapped[list[int] | None] = mapped_column(sa.JSON)
    grant_admin: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    activate: Mapped[bool] = mapped_column(default=False)
    # A new account: its set-up link is e-mailed once the change is confirmed.
    send_setup_link: Mapped[bool] = mapped_column(default=False)
    status: Mapped[AccessChangeStatus] = mapped_column(
        str_enum(AccessChangeStatus, 16), default=AccessChangeStatus.PENDING, index=True
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class LoginAttempt(db.Model):
    """One sign-in attempt; recent failures throttle an account and an address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(sa.String(64))
    succeeded: Mapped[bool] = mapped_column(default=False)
    # "password" or "second_factor": each kind is throttled on its own failures, so a
    # correct password cannot clear the count of wrong codes.
    kind: Mapped[str] = mapped_column(sa.String(16), default="password", server_default="password")

    __table_args__ = (
        sa.Index("ix_login_attempt_username_at", "username", "at"),
        sa.Index("ix_login_attempt_address_at", "address", "at"),
    )


class RecoveryCode(db.Model):
    """One of the ten single-use codes that stand in for the authenticator app; only an
    Argon2 hash is kept, as for passwords."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """A signed-in browser session (app/auth/sessions.py): the user sees their sessions and
    ends one; an ended session is refused at its next request."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(sa.String(200))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    # Signed in with the second factor (or enrolled in this session).
    two_factor: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
