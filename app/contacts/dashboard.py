"""The dashboard widget "outreach health": per companion, how the open clients in the viewer's
scope are doing on persistent outreach today.

The same definitions as the client lists and the reminders (app.contacts.outreach): days since
the last reached contact (the registration when nobody was reached yet), judged against the
phase's cadence from the settings, and failed attempts since the last reached contact. One
per-client subquery over ``scope(user, f)`` and two aggregates over it (per companion, total).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.clients.models import Client
from app.clients.vocab import OPEN_PHASES
from app.contacts import outreach
from app.contacts.cadence import at_risk_factor, failed_attempts_limit
from app.contacts.outreach import OutreachStatus
from app.dashboards.filters import Filters
from app.dashboards.service import register_widget, scope
from app.dashboards.tables import Column, Table
from app.extensions import db
from app.labels import label
from app.timeutil import today

COUNTS = ("clients", "within", "overdue", "at_risk", "failed")


def _per_client(user: User, f: Filters, on) -> sa.Subquery:
    """One row per open client in scope: companion, days, and its rank within the companion
    and within everyone by days (for the medians)."""
    open_in_scope = sa.and_(scope(user, f), Client.phase.in_(OPEN_PHASES))
    stats = outreach.contact_stats(open_in_scope)
    days = outreach.days_since_sql(
        sa.func.coalesce(stats.c.last_reached_on, Client.registered_on), on
    )
    companion = Client.primary_companion_id
    return (
        sa.select(
            companion.label("companion_id"),
            days.label("days"),
            outreach.cadence_sql(Client.phase).label("cadence"),
            sa.func.coalesce(stats.c.failed_attempts, 0).label("failed"),
            sa.func.row_number().over(partition_by=companion, order_by=days).label("rn"),
            sa.func.count().over(partition_by=companion).label("n"),
            sa.func.row_number().over(order_by=days).label("rn_all"),
            sa.func.count().over().label("n_all"),
        )
        .select_from(Client)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .where(open_in_scope)
        .subquery("outreach_per_client")
    )


def _figures(per_client: sa.Subquery, rank, size) -> list:
    """The aggregate columns: clients, median days, within the cadence, overdue, at risk and
    failed attempts in a row at or past the limit."""
    c = per_client.c
    status = outreach.status_sql(c.days, c.cadence)

    def how_many(condition):
        return sa.func.sum(sa.case((condition, 1), else_=0))

    middle = sa.or_(rank == (size + 1) // 2, rank == (size + 2) // 2)
    return [
        sa.func.count(),
        sa.func.avg(sa.case((middle, c.days))),
        how_many(sa.or_(status[OutreachStatus.OK], status[OutreachStatus.DUE])),
        how_many(status[OutreachStatus.OVERDUE]),
        how_many(status[OutreachStatus.AT_RISK]),
        how_many(c.failed >= failed_attempts_limit()),
    ]


def _row(numbers) -> dict:
    clients, middle, within, overdue, at_risk, failed = numbers
    return {
        "clients": int(clients),
        "median": round(float(middle), 1) if middle is not None else None,
        "within": int(within or 0),
        "overdue": int(overdue or 0),
        "at_risk": int(at_risk or 0),
        "failed": int(failed or 0),
    }


def outreach_health(user: User, f: Filters) -> Table:
    """Per primary companion and in total, for the open clients in scope today."""
    on = today()
    per_client = _per_client(user, f, on)
    grouped = db.session.execute(
        sa.select(User.display_name, *_figures(per_client, per_client.c.rn, per_client.c.n))
        .select_from(per_client)
        .outerjoin(User, User.id == per_client.c.companion_id)
        .group_by(per_client.c.companion_id, User.display_name)
    ).all()
    rows = [
        {"companion": name or str(_l("No companion")), **_row(numbers)}
        for name, *numbers in grouped
    ]
    rows.sort(key=lambda r: (-r["clients"], r["companion"]))
    totals = {}
    if rows:
        total = db.session.execute(
            sa.select(*_figures(per_client, per_client.c.rn_all, per_client.c.n_all))
        ).one()
        totals = {"companion": str(_l("Total")), **_row(total)}
    factor, limit = at_risk_factor(), failed_attempts_limit()
    columns = [
        Column("companion", _l("Companion")),
        Column("clients", _l("Open clients"), numeric=True, suppress=True),
        Column("median", _l("Median days since the last reached contact"), numeric=True),
        Column("within", _l("Within the cadence"), numeric=True, suppress=True),
        Column("overdue", label(OutreachStatus.OVERDUE), numeric=True, suppress=True),
        Column("at_risk", label(OutreachStatus.AT_RISK), numeric=True, suppress=True),
        Column(
            "failed",
            _l("%(n)d or more failed attempts in a row", n=limit),
            numeric=True,
            suppress=True,
        ),
    ]
    note = _l(
        "A snapshot of today (%(date)s), whatever the period; the other filters apply. Days "
        "count from the last reached contact, or from the registration for someone never "
        "reached. Overdue: past the cadence of the phase; at risk of losing contact: past "
        "%(factor)d times the cadence (not counted as overdue as well).",
        date=on.isoformat(),
        factor=factor,
    )
    return Table(
        "outreach_health", _l("Outreach health"), columns, rows, "stacked", note=note,
        totals=totals, series=("within", "overdue", "at_risk"),
    )  # fmt: skip


register_widget(25, "outreach_health", lambda user, f, options: outreach_health(user, f))
