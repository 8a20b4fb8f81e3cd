"""What the privacy officer may reach: the files of the partnership, for privacy tasks only.

The officer's scope is every client file of their own partnership that was not merged into
another. Every privacy page goes through ``officer_client_or_404`` and ``officer_clients``
(a client outside the scope, such as one of another partnership, is a 404, as everywhere in
Gezel). Everyone else gets a 404 on these pages.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import Client
from app.clients.scoping import is_assigned, is_lead_of
from app.extensions import db


def may_see_accesses(client, user) -> bool:
    """Who sees "who viewed this file": the client's companions (primary and
    co-companions) and the team's leads."""
    return is_assigned(user, client) or is_lead_of(user, client)


def require_officer(user: User | None = None) -> User:
    """The signed-in privacy officer, or a 404 for anyone else."""
    user = user or current_user
    if not user.is_authenticated or user.role != Role.PRIVACY_OFFICER:
        abort(404)
    return user


def officer_scope_clause(user: User):
    if user.role != Role.PRIVACY_OFFICER or user.partnership_id is None:
        return sa.false()
    return sa.and_(Client.partnership_id == user.partnership_id, Client.merged_into_id.is_(None))


def officer_clients(user: User | None = None) -> sa.Select:
    """``select(Client)`` within the officer's partnership."""
    user = require_officer(user)
    return sa.select(Client).where(officer_scope_clause(user))


def officer_client_or_404(client_id: int, user: User | None = None) -> Client:
    user = require_officer(user)
    client = db.session.scalar(officer_clients(user).where(Client.id == client_id))
    if client is None:
        abort(404)
    return client


def officer_client_by_code(code: str, user: User | None = None) -> Client | None:
    user = require_officer(user)
    code = (code or "").strip().upper()
    if not code:
        return None
    return db.session.scalar(officer_clients(user).where(sa.func.upper(Client.code) == code))
