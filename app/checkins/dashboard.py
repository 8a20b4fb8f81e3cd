"""The dashboard widget "buddies": per buddy, their matches, check-ins, volunteer hours and
worries with the clients in the viewer's scope.

One aggregate over the matches and check-ins of the clients in ``q.scope`` (a UNION
of both, grouped by buddy). Matches and check-ins count by their own dates in the period;
open worries are those not acknowledged yet, whenever they were raised (as on the client
lists).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.checkins.models import CheckIn
from app.clients.models import BuddyMatch, Client
from app.clients.scoping import active_match_clause
from app.extensions import db
from app.hooks import DashboardQuery
from app.i18n import round_half_up
from app.tables import Column, Table

COUNTS = ("active", "new", "checkins", "minutes", "worries", "open_worries")


def _one_if(condition) -> sa.ColumnElement:
    return sa.case((condition, 1), else_=0)


def _zero() -> sa.ColumnElement:
    return sa.literal(0, sa.Integer)


def _events(q: DashboardQuery) -> sa.Subquery:
    """A row per match and per check-in of a client in scope that counts for something.
    Both go from the scope's clients to their matches and check-ins (an index per client),
    so that the cost follows the team, not every team's check-ins in the period."""
    active = active_match_clause(q.end)
    new = BuddyMatch.started_on.between(q.start, q.end)
    matches = (
        sa.select(
            BuddyMatch.buddy_id.label("buddy_id"),
            _one_if(active).label("active"),
            _one_if(new).label("new"),
            *(_zero().label(key) for key in COUNTS[2:]),
        )
        .select_from(Client)
        .join(BuddyMatch, BuddyMatch.client_id == Client.id)
        .where(q.scope, sa.or_(active, new))
    )
    in_period = CheckIn.occurred_on.between(q.start, q.end)
    still_open = sa.and_(CheckIn.worry.is_(True), CheckIn.worry_acknowledged_at.is_(None))
    # The check-ins in the period, and apart from them the worries still open from before or
    # after it: two index ranges per client, (client, occurred on) and (open worry, client).
    checkins = (
        sa.select(
            CheckIn.buddy_id,
            _zero(),
            _zero(),
            sa.literal(1, sa.Integer),
            CheckIn.duration_minutes,
            _one_if(CheckIn.worry.is_(True)),
            _one_if(still_open),
        )
        .select_from(Client)
        .join(CheckIn, CheckIn.client_id == Client.id)
        .where(q.scope, in_period)
    )
    open_worries = (
        sa.select(CheckIn.buddy_id, *(_zero() for _key in COUNTS[:-1]), sa.literal(1, sa.Integer))
        .select_from(Client)
        .join(CheckIn, CheckIn.client_id == Client.id)
        .where(q.scope, still_open, sa.not_(in_period))
    )
    return sa.union_all(matches, checkins, open_worries).subquery("buddy_events")


def _hours(minutes: int) -> float:
    """Two places, rounded half-up: 435 minutes -> 7.25 (shown "7,25")."""
    return float(round_half_up(minutes / 60, 2))


def buddies(q: DashboardQuery) -> Table:
    """Per buddy: active matches at the end of the period, new matches, check-ins, volunteer
    hours and worries raised in the period, and worries still open now."""
    events = _events(q)
    found = db.session.execute(
        sa.select(User.display_name, *(sa.func.sum(events.c[key]) for key in COUNTS))
        .select_from(events)
        .outerjoin(User, User.id == events.c.buddy_id)
        .group_by(events.c.buddy_id, User.display_name)
    ).all()
    rows = []
    for name, *numbers in found:
        row = dict(zip(COUNTS, (int(n or 0) for n in numbers), strict=True))
        row["buddy"] = name or str(_l("Unknown buddy"))
        row["hours"] = _hours(row["minutes"])
        rows.append(row)
    rows.sort(key=lambda r: (-r["active"], -r["checkins"], r["buddy"]))
    totals = {}
    if rows:
        totals = {"buddy": str(_l("Total"))}
        totals |= {key: sum(r[key] for r in rows) for key in COUNTS}
        totals["hours"] = _hours(totals["minutes"])
    columns = [
        Column("buddy", _l("Buddy")),
        Column("active", _l("Active matches at the end of the period"), numeric=True),
        Column("new", _l("New matches in the period"), numeric=True),
        Column("checkins", _l("Check-ins in the period"), numeric=True),
        Column("hours", _l("Volunteer hours in the period"), numeric=True, decimals=2),
        Column("worries", _l("Worries raised in the period"), numeric=True),
        Column("open_worries", _l("Worries still open"), numeric=True),
    ]
    note = _l(
        "For the people in the selection. Volunteer hours add up the duration of the "
        "check-ins; open worries are those the team has not acknowledged yet, whenever they "
        "were raised."
    )
    return Table(
        "buddies", _l("Buddies"), columns, rows, "bar", note=note, totals=totals,
        series=("checkins", "hours"),
    )  # fmt: skip
