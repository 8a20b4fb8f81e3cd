"""The dashboard widget "outreach health": per companion, how the open clients in the viewer's
scope are doing on persistent outreach today.

The same definitions as the client lists and the reminders (app.contacts.outreach): days since
the last reached contact (the registration when nobody was reached yet), judged against the
phase's cadence from the settings, and failed attempts since the last reached contact. One
per-client subquery over ``q.scope`` and one aggregate over it, per companion.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.clients.models import Client
from app.clients.vocab import OPEN_PHASES
from app.contacts import outreach
from app.contacts.cadence import at_risk_factor, failed_attempts_limit
from app.contacts.models import ClientContactStats
from app.contacts.outreach import OutreachStatus
from app.extensions import db
from app.hooks import DashboardQuery
from app.i18n import round_half_up
from app.labels import label
from app.tables import Column, Table
from app.timeutil import today

COUNTS = ("clients", "within", "overdue", "at_risk", "failed")


def _middle(rank, size) -> sa.ColumnElement:
    """The middle row of ``size`` rows ranked by days (the middle two for an even number)."""
    return sa.or_(rank == (size + 1) // 2, rank == (size + 2) // 2)


def _per_client(q: DashboardQuery, on) -> sa.Subquery:
    """One row per open client in scope: companion, days, cadence, failed attempts, and
    whether it is a middle row by days within its companion and within everyone."""
    open_in_scope = sa.and_(q.scope, Client.phase.in_(OPEN_PHASES))
    stats = ClientContactStats  # each scoped client's own row, by key
    days = outreach.days_since_sql(
        sa.func.coalesce(stats.last_reached_on, Client.registered_on), on
    )
    companion = Client.primary_companion_id
    ranked = (
        sa.select(
            companion.label("companion_id"),
            days.label("days"),
            outreach.cadence_sql(Client.phase).label("cadence"),
            sa.func.coalesce(stats.failed_attempts, 0).label("failed"),
            sa.func.row_number().over(partition_by=companion, order_by=days).label("rn"),
            sa.func.count().over(partition_by=companion).label("n"),
            sa.func.row_number().over(order_by=days).label("rn_all"),
            sa.func.count().over().label("n_all"),
        )
        .select_from(Client)
        .outerjoin(stats, stats.client_id == Client.id)
        .where(open_in_scope)
        .subquery("ranked")
    )
    r = ranked.c
    return sa.select(
        r.companion_id,
        r.days,
        r.cadence,
        r.failed,
        _middle(r.rn, r.n).label("middle"),
        _middle(r.rn_all, r.n_all).label("middle_all"),
    ).subquery("outreach_per_client")


def _how_many(condition) -> sa.ColumnElement:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def _days(value) -> float | None:
    return float(round_half_up(value, 1)) if value is not None else None


def outreach_health(q: DashboardQuery) -> Table:
    """Per primary companion and in total, for the open clients in scope today: one query
    (the contact figures are the costly part, so they are computed once). The total's
    median comes from the one or two middle rows of everyone, wherever they are grouped."""
    on = today()
    c = _per_client(q, on).c
    status = outreach.status_sql(c.days, c.cadence)
    grouped = db.session.execute(
        sa.select(
            User.display_name,
            sa.func.count(),
            _how_many(sa.or_(status[OutreachStatus.OK], status[OutreachStatus.DUE])),
            _how_many(status[OutreachStatus.OVERDUE]),
            _how_many(status[OutreachStatus.AT_RISK]),
            _how_many(c.failed >= failed_attempts_limit()),
            sa.func.avg(sa.case((c.middle, c.days))),
            sa.func.sum(sa.case((c.middle_all, c.days), else_=0)),
            _how_many(c.middle_all),
        )
        .outerjoin(User, User.id == c.companion_id)
        .group_by(c.companion_id, User.display_name)
    ).all()
    rows, middle_sum, middle_count = [], 0, 0
    for name, *counts, median, middle_all_sum, middle_all_count in grouped:
        rows.append({
            "companion": name or str(_l("No companion")),
            **dict(zip(COUNTS, (int(n or 0) for n in counts), strict=True)),
            "median": _days(median),
        })  # fmt: skip
        middle_sum += middle_all_sum or 0
        middle_count += middle_all_count or 0
    rows.sort(key=lambda r: (-r["clients"], r["companion"]))
    totals = {}
    if rows:
        totals = {"companion": str(_l("Total"))}
        totals |= {key: sum(r[key] for r in rows) for key in COUNTS}
        totals["median"] = _days(middle_sum / middle_count if middle_count else None)
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
        date=format_date(on, "medium"),
        factor=factor,
    )
    return Table(
        "outreach_health", _l("Outreach health"), columns, rows, "stacked", note=note,
        totals=totals, series=("within", "overdue", "at_risk"), sheet=_l("Outreach today"),
    )  # fmt: skip
