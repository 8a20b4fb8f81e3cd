"""Every dashboard number, as SQL aggregates over the clients in the viewer's scope.

A lead sees the teams they lead (optionally one team, one companion); a companion sees their
own caseload. The period applies to events (registrations, phase changes, exits); current
states (caseload, funnel) are as of today.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.filters import client_filters
from app.clients.models import Client, ClientChallenge, PhaseChange
from app.clients.scoping import caseload_clause, partnership_figures_clause, team_scope_clause
from app.clients.vocab import OPEN_PHASES, ExitOutcome, Phase, PlaceMet, Referrer
from app.dashboards.filters import Filters
from app.extensions import db
from app.hooks import DashboardQuery
from app.i18n import round_half_up
from app.labels import label
from app.reference import Challenge, Municipality
from app.sqlfunctions import days_between, median, month_of
from app.tables import Column, Table
from app.timeutil import today


def scope(user: User, f: Filters):
    """The condition on Client for this viewer and these filters (never wider than the
    scoping helper allows)."""
    if user.role == Role.FUNDER_REPORTER:  # one partnership's figures (dashboards/funder.py)
        base = partnership_figures_clause(user, f.partnership_id)
    else:
        base = caseload_clause(user) if user.role == Role.COMPANION else team_scope_clause(user)
    narrow = client_filters(
        municipality=f.municipality,
        challenge=f.challenge,
        companion_id=f.companion_id,
        team_id=f.team_id,
    )
    return sa.and_(base, *narrow)


def scoped_ids(user: User, f: Filters):
    return sa.select(Client.id).where(scope(user, f))


def caseload_per_companion(user: User, f: Filters) -> Table:
    rows = db.session.execute(
        sa.select(User.display_name, Client.phase, sa.func.count(Client.id))
        .select_from(Client)
        .outerjoin(User, User.id == Client.primary_companion_id)
        .where(scope(user, f), Client.phase.in_(OPEN_PHASES))
        .group_by(User.display_name, Client.phase)
    ).all()
    by_companion: dict[str, dict] = {}
    for name, phase, number in rows:
        entry = by_companion.setdefault(name or str(_l("No companion")), {"companion": name})
        entry["companion"] = name or str(_l("No companion"))
        entry[phase.value] = number
        entry["total"] = entry.get("total", 0) + number
    columns = [Column("companion", _l("Companion"))]
    columns += [Column(p.value, label(p), numeric=True, suppress=True) for p in OPEN_PHASES]
    columns.append(Column("total", _l("Total"), numeric=True, suppress=True))
    table_rows = sorted(by_companion.values(), key=lambda r: -r["total"])
    totals = {"companion": str(_l("Total"))}
    for column in columns[1:]:
        totals[column.key] = sum(r.get(column.key, 0) for r in table_rows)
    for row in table_rows:
        for column in columns[1:]:
            row.setdefault(column.key, 0)
    return Table(
        "caseload", _l("Caseload per companion"), columns, table_rows, "stacked", totals=totals
    )


def reached_per_phase(user: User, f: Filters) -> dict[Phase, int]:
    """How many people in scope moved into each phase in the period. From the scope's
    clients to their phase changes (an index range per client), so that the cost follows
    the team, not the whole table."""
    return dict(
        db.session.execute(
            sa.select(PhaseChange.to_phase, sa.func.count(sa.distinct(PhaseChange.client_id)))
            .select_from(Client)
            .join(PhaseChange, PhaseChange.client_id == Client.id)
            .where(scope(user, f), PhaseChange.effective_on.between(f.start, f.end))
            .group_by(PhaseChange.to_phase)
        ).all()
    )


def funnel(user: User, f: Filters) -> Table:
    current = db.session.execute(
        sa.select(
            Client.phase,
            sa.func.count(Client.id),
            sa.func.avg(days_between(Client.phase_since, today())),
        )
        .where(scope(user, f))
        .group_by(Client.phase)
    ).all()
    now = {phase: number for phase, number, _days in current}
    days_in_phase = {phase: days for phase, _number, days in current}
    reached = reached_per_phase(user, f)
    rows = [
        {
            "phase": phase,
            "now": now.get(phase, 0),
            "days": float(round_half_up(days_in_phase[phase], 1))
            if days_in_phase.get(phase) is not None
            else None,
            "reached": reached.get(phase, 0),
        }
        for phase in Phase
    ]
    columns = [
        Column("phase", _l("Phase")),
        Column("now", _l("Now"), numeric=True, suppress=True),
        Column("days", _l("Average days in phase"), numeric=True),
        Column("reached", _l("Reached in the period"), numeric=True, suppress=True),
    ]
    return Table("funnel", _l("Funnel by phase"), columns, rows, "bar")


DIMENSIONS = {
    "place_met": (_l("Place met"), Client.place_met, PlaceMet),
    "referrer": (_l("How people reached us"), Client.referrer, Referrer),
    "municipality": (_l("Municipality"), Client.municipality, Municipality),
    "challenge": (_l("Challenge"), ClientChallenge.challenge, Challenge),
}


def reach_per_month(user: User, f: Filters, dimension: str = "place_met") -> Table:
    title, column, enum_class = DIMENSIONS[dimension]
    month = month_of(Client.registered_on)
    stmt = sa.select(month.label("month"), column, sa.func.count(sa.distinct(Client.id)))
    if dimension == "challenge":
        stmt = stmt.select_from(Client).join(
            ClientChallenge, ClientChallenge.client_id == Client.id
        )
    rows = db.session.execute(
        stmt.where(scope(user, f), Client.registered_on.between(f.start, f.end))
        .group_by(month, column)
        .order_by(month)
    ).all()
    by_month: dict[str, dict] = {}
    for month_value, value, number in rows:
        entry = by_month.setdefault(month_value, {"month": month_value, "total": 0})
        entry[value.value] = number
        entry["total"] += number
    present = [m for m in enum_class if any(m.value in r for r in by_month.values())]
    columns = [Column("month", _l("Month"), month=True)]
    columns += [Column(m.value, label(m), numeric=True, suppress=True) for m in present]
    columns.append(Column("total", _l("Total"), numeric=True, suppress=True))
    table_rows = list(by_month.values())
    for row in table_rows:
        for m in present:
            row.setdefault(m.value, 0)
    note = _l("A person can have several challenges.") if dimension == "challenge" else None
    return Table(
        f"reach_{dimension}",
        _l("New people per month by %(dimension)s", dimension=str(title).lower()),
        columns, table_rows, "stacked", note=note,
        sheet=_l("Per month by %(dimension)s", dimension=str(title).lower()),
    )  # fmt: skip


def exit_outcomes(user: User, f: Filters) -> Table:
    duration = days_between(Client.registered_on, PhaseChange.effective_on)
    rows = db.session.execute(
        sa.select(PhaseChange.exit_outcome, sa.func.count(), sa.func.avg(duration))
        .select_from(Client)
        .join(PhaseChange, PhaseChange.client_id == Client.id)
        .where(
            scope(user, f),
            PhaseChange.to_phase == Phase.CLOSED,
            PhaseChange.effective_on.between(f.start, f.end),
        )
        .group_by(PhaseChange.exit_outcome)
    ).all()
    found = {outcome: (number, days) for outcome, number, days in rows}
    table_rows = [
        {"outcome": outcome, "count": found[outcome][0],
         "days": float(round_half_up(found[outcome][1], 1))
         if found[outcome][1] is not None else None}
        for outcome in ExitOutcome if outcome in found
    ]  # fmt: skip
    columns = [
        Column("outcome", _l("Exit outcome")),
        Column("count", _l("People"), numeric=True, suppress=True),
        Column("days", _l("Average days in Gezel"), numeric=True),
    ]
    total = sum(r["count"] for r in table_rows)
    return Table(
        "exits", _l("Exit outcomes in the period"), columns, table_rows, "pie",
        totals={"outcome": str(_l("Total")), "count": total} if table_rows else {},
    )  # fmt: skip


def time_to_activation(user: User, f: Filters) -> Table:
    """Days from registration to the first move into activation, for those who got there
    in the period."""
    # Per client in scope, the first move into activation (whenever it was), kept when it
    # falls in the period: from the scope's clients to their phase changes.
    activated_on = sa.func.min(PhaseChange.effective_on)
    values = (
        sa.select(days_between(Client.registered_on, activated_on).label("value"))
        .select_from(Client)
        .join(PhaseChange, PhaseChange.client_id == Client.id)
        .where(scope(user, f), PhaseChange.to_phase == Phase.ACTIVATION)
        .group_by(Client.id, Client.registered_on)
        .having(activated_on.between(f.start, f.end))
        .subquery()
    )
    count, average, middle = db.session.execute(median(values, with_count_and_average=True)).one()
    rows = [{
        "people": count,
        "median": float(round_half_up(middle, 1)) if middle is not None else None,
        "average": float(round_half_up(average, 1)) if average is not None else None,
    }]  # fmt: skip
    columns = [
        Column("people", _l("People activated in the period"), numeric=True, suppress=True),
        Column("median", _l("Median days from registration"), numeric=True),
        Column("average", _l("Average days from registration"), numeric=True),
    ]
    return Table("activation", _l("Time to activation"), columns, rows)


# The dashboard comes in sections (tabs), so that a tablet shows a few charts at a time and
# each page computes only its own figures; the XLSX export of the dashboard holds them all.
# Its widgets are contributions (hooks.dashboard_widgets): this package's own in
# dashboards/contributions.py, the domains' in theirs.
SECTIONS = {
    "overview": _l("Caseload and outreach"),
    "referrals": _l("Referrals"),
    "outcomes": _l("Outcomes"),
    "buddies": _l("Buddies"),
}
assert tuple(SECTIONS) == hooks.DASHBOARD_SECTIONS


def dashboard_query(user: User, f: Filters, options: dict | None = None) -> DashboardQuery:
    """What every widget is asked for: this viewer, this period and its scope."""
    return DashboardQuery(
        user=user,
        start=f.start,
        end=f.end,
        scope=scope(user, f),
        client_ids=scoped_ids(user, f),
        options=options or {},
        filters=f,
    )


def widget_section(key: str) -> str | None:
    widget = hooks.dashboard_widgets.get(key)
    return widget.section if widget else None


def dashboard_tables(
    user: User, f: Filters, dimension: str = "place_met", section: str | None = None
) -> list[Table]:
    """The tables of one section of the dashboard (all of them when ``section`` is None)."""
    query = dashboard_query(user, f, {"dimension": dimension})
    return [
        widget.table(query)
        for widget in hooks.dashboard_widgets
        if section is None or widget.section == section
    ]
