"""Who may see which client: the one place that decides (DESIGN.md "Roles").

- companion: every client of their own team(s);
- lead: every client of the teams they lead;
- buddy: only clients matched to them now, and only practical information;
- admin without the lead role: no client files;
- funder reporting (installation level): no client files either; only the aggregate figures
  of one partnership at a time (``partnership_figures_clause``, app/dashboards/funder.py);
- and never a client of another partnership (the outermost wall), whatever the role.

Every query that returns client data starts from ``visible_clients`` / ``scope_clause``, and
every client URL loads its client through ``get_client_or_404`` (and a row of that client,
such as a contact or a consent, through ``client_child_or_404``). Outside the scope is a 404,
never a 403, so a URL does not reveal that a client exists.
"""

from __future__ import annotations

import enum
import functools
from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import BuddyMatch, Client, co_companion
from app.extensions import db
from app.sqlfunctions import unindexed
from app.timeutil import today


class Access(enum.IntEnum):
    NONE = 0
    PRACTICAL = 1  # a matched buddy: practical information only
    TEAM = 2  # companions and leads of the client's team


def active_match_clause(day: date | None = None):
    day = day or today()
    return sa.and_(
        BuddyMatch.started_on <= day,
        sa.or_(BuddyMatch.ended_on.is_(None), BuddyMatch.ended_on >= day),
    )


def team_scope_clause(user: User):
    """Clients whose full file (team level) this user may see."""
    if user.role in (Role.COMPANION, Role.LEAD) and user.team_ids and user.partnership_id:
        return _teams_clause(tuple(user.team_ids), user.partnership_id)
    return sa.false()


@functools.lru_cache(maxsize=1024)
def _teams_clause(team_ids: tuple[int, ...], partnership_id: int):
    """The clause for these teams in this partnership: built once, as it depends on nothing
    else (a page asks for it several times, each building some thirty SQL elements; an
    expression is never changed once built, so one serves every statement)."""
    teams = Client.team_id.in_(team_ids)
    return sa.and_(
        teams,
        # The wall, checked on every row the team index finds. Written so that neither
        # database uses it to find rows: SQLite would look clients up through the
        # partnership's index (every team's of the partnership; see unindexed), and
        # PostgreSQL, counting it as narrowing the team's rows N times (N partnerships),
        # adds that index to the team's and plans joins for a fraction of the rows. "Or
        # outside the teams" (which the line above excludes) keeps it a plain check:
        # estimated as nearly no narrowing, and never an index condition.
        sa.or_(unindexed(Client.partnership_id) == partnership_id, ~teams),
        Client.merged_into_id.is_(None),
    )


def partnership_figures_clause(user: User, partnership_id: int | None):
    """The clients counted in one partnership's aggregate figures, for the funder's reporting
    role only (anyone else: nothing). Never a list of clients: the report counts them, and
    suppresses small counts per partnership."""
    if user.role != Role.FUNDER_REPORTER or partnership_id is None:
        return sa.false()
    return sa.and_(Client.partnership_id == partnership_id, Client.merged_into_id.is_(None))


def scope_clause(user: User, day: date | None = None):
    """Clients this user may see at all (a buddy: their current matches)."""
    if user.role == Role.BUDDY:
        matched = sa.select(BuddyMatch.client_id).where(
            BuddyMatch.buddy_id == user.id, active_match_clause(day)
        )
        return sa.and_(
            Client.id.in_(matched),
            Client.partnership_id == user.partnership_id,
            Client.merged_into_id.is_(None),
        )
    return team_scope_clause(user)


def visible_clients(user: User | None = None) -> sa.Select:
    """``select(Client)`` limited to what ``user`` (default: the signed-in user) may see."""
    user = user or current_user
    return sa.select(Client).where(scope_clause(user))


def access_level(user: User, client: Client) -> Access:
    if client.merged_into_id is not None or not user.is_authenticated:
        return Access.NONE
    if user.partnership_id is None or client.partnership_id != user.partnership_id:
        return Access.NONE
    if user.role in (Role.COMPANION, Role.LEAD) and client.team_id in user.team_ids:
        return Access.TEAM
    if user.role == Role.BUDDY and buddy_is_matched(user, client):
        return Access.PRACTICAL
    return Access.NONE


def highest_access(user: User) -> Access:
    """The most this user may have of any client (``access_level`` of a client they may see):
    a companion or lead the team level, a buddy the practical level, anyone else none."""
    if not user.is_authenticated or user.partnership_id is None:
        return Access.NONE
    if user.role in (Role.COMPANION, Role.LEAD) and user.team_ids:
        return Access.TEAM
    if user.role == Role.BUDDY:
        return Access.PRACTICAL
    return Access.NONE


def buddy_is_matched(user: User, client: Client, day: date | None = None) -> bool:
    if "buddy_matches" not in sa.inspect(client).unloaded:  # loaded with the client
        on = day or today()
        return any(m.buddy_id == user.id and m.active_on(on) for m in client.buddy_matches)
    return bool(
        db.session.scalar(
            sa.select(BuddyMatch.id).where(
                BuddyMatch.client_id == client.id,
                BuddyMatch.buddy_id == user.id,
                active_match_clause(day),
            )
        )
    )


def get_client_or_404(
    client_id: int,
    user: User | None = None,
    *,
    need: Access = Access.TEAM,
    options=(),
    statement: sa.Select | None = None,
):
    """The client with this id if ``user`` has at least ``need`` access to it, else 404
    (``options``: loader options, e.g. what a page shows of the client, in the same query;
    ``statement``: a ``select(Client)`` by the ``client_id`` parameter to load it with, when
    those options read joins of its own, e.g. ``contains_eager``)."""
    user = user or current_user
    if statement is None:
        client = db.session.get(Client, client_id, options=options)
    else:
        result = db.session.execute(statement.options(*options), {"client_id": client_id})
        client = result.unique().scalar_one_or_none()
    if client is None or access_level(user, client) < need:
        abort(404)
    return client


def require_team_role():
    """Registering and the team's lists are for companions and leads."""
    if current_user.role not in (Role.COMPANION, Role.LEAD) or not current_user.team_ids:
        abort(404)


def client_child_query(model, child_id: int, client: Client) -> sa.Select:
    """``select(model)``: the row with this id, only if it belongs to ``client`` (for a loader
    that needs options or a row lock)."""
    return sa.select(model).where(model.id == child_id, model.client_id == client.id)


def client_child_or_404(model, child_id: int, client: Client, *, check=None):
    """The row of ``model`` (a table with a ``client_id``) with this id, if it belongs to
    ``client`` (already loaded through ``get_client_or_404``) and ``check(row)`` holds when
    given; anything else is a 404, so another client's row looks like no row at all."""
    child = db.session.get(model, child_id)
    if child is None or child.client_id != client.id or (check is not None and not check(child)):
        abort(404)
    return child


def is_lead_of(user: User, client: Client) -> bool:
    return (
        user.role == Role.LEAD
        and client.team_id in user.team_ids
        and client.partnership_id == user.partnership_id
    )


def is_assigned(user: User, client: Client) -> bool:
    """The primary companion or a co-companion of this client."""
    if client.primary_companion_id == user.id:
        return True
    if "co_companions" not in sa.inspect(client).unloaded:  # loaded with the client
        return any(other.id == user.id for other in client.co_companions)
    return bool(
        db.session.scalar(
            sa.select(co_companion.c.user_id).where(
                co_companion.c.client_id == client.id, co_companion.c.user_id == user.id
            )
        )
    )


def can_read_sensitive(user: User, client: Client, author_id: int | None) -> bool:
    """Sensitive notes: the author, the assigned companions and the team's leads only."""
    if access_level(user, client) < Access.TEAM:
        return False
    return user.id == author_id or is_assigned(user, client) or is_lead_of(user, client)


def caseload_clause(user: User):
    """The clients assigned to this companion (primary or co-companion)."""
    return _caseload_clause(team_scope_clause(user), user.id)


@functools.lru_cache(maxsize=1024)
def _caseload_clause(team_scope, user_id: int):
    """The clause for this user within this team scope (``team_scope_clause``'s, one object
    per set of teams): built once, as ``_teams_clause`` is, so that the statements built on
    it can be kept too (the caseload's)."""
    co = sa.select(co_companion.c.client_id).where(co_companion.c.user_id == user_id)
    return sa.and_(
        team_scope,
        sa.or_(Client.primary_companion_id == user_id, Client.id.in_(co)),
    )
