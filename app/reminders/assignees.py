"""Who receives a client's reminders: only people who may see the client.

The responsible person is the primary companion when they are active and still in the
client's team; otherwise every active lead of the team, so that nobody falls between chairs.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import User, team_membership
from app.auth.vocab import Role
from app.clients.models import Client
from app.reminders.engine import ScanContext, shared_table, temporary_table

# Who gets a client's reminders does not change during a scan: computed once and read by
# every rule (evaluated inside each rule, it cost more than some rules' own conditions).
_RESPONSIBLE = temporary_table(
    "reminder_scan_responsible",
    sa.Column("client_id", sa.Integer),
    sa.Column("user_id", sa.Integer),
    indexes=("client_id",),
)


def _in_team(user_id_column, team_id_column):
    return sa.exists().where(
        team_membership.c.user_id == user_id_column, team_membership.c.team_id == team_id_column
    )


def team_leads(ctx: ScanContext | None = None) -> sa.FromClause:
    """(client_id, user_id) for every active lead of each client's team. (Not kept in a
    table per scan: the rule that reads it wants few of its rows, and writing them all cost
    more than reading those few.)"""
    return _team_leads()


def _team_leads() -> sa.Subquery:
    return (
        sa.select(Client.id.label("client_id"), User.id.label("user_id"))
        .join(team_membership, team_membership.c.team_id == Client.team_id)
        .join(User, User.id == team_membership.c.user_id)
        .where(User.role == Role.LEAD, User.active.is_(True), Client.merged_into_id.is_(None))
        .subquery("team_leads")
    )


def responsible(ctx: ScanContext | None = None) -> sa.FromClause:
    """(client_id, user_id): the primary companion, or the team's leads when there is none
    (in a scan: the scan's table of them)."""
    if ctx is not None and ctx.share:
        return shared_table(ctx, _RESPONSIBLE, lambda: sa.select(_responsible().c))
    return _responsible()


def _responsible() -> sa.Subquery:
    companion = sa.orm.aliased(User)
    has_companion = sa.and_(
        Client.primary_companion_id.is_not(None),
        sa.exists().where(
            companion.id == Client.primary_companion_id,
            companion.active.is_(True),
            companion.role == Role.COMPANION,
        ),
        _in_team(Client.primary_companion_id, Client.team_id),
    )
    primary = sa.select(
        Client.id.label("client_id"), Client.primary_companion_id.label("user_id")
    ).where(has_companion, Client.merged_into_id.is_(None))
    leads = _team_leads()
    fallback = (
        sa.select(leads.c.client_id, leads.c.user_id)
        .join(Client, Client.id == leads.c.client_id)
        .where(sa.not_(has_companion))
    )
    return sa.union_all(primary, fallback).subquery("responsible")
