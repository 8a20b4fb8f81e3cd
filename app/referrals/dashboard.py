"""Referral figures on the dashboard: per partner, the referrals sent in the period and how
they were answered; and the open referrals now, by status and age. SQL aggregates over the
clients in the viewer's scope (``q.scope``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.clients.models import Client
from app.extensions import db
from app.hooks import DashboardQuery
from app.organisations.models import Organisation
from app.referrals.lifecycle import OPEN, ReferralStatus
from app.referrals.models import Referral
from app.referrals.queries import AGE_BUCKETS, age_conditions
from app.sqlfunctions import days_between
from app.tables import Column, Table
from app.timeutil import today


def _medians(condition) -> dict[int, float]:
    """The median days from sending to acceptance per organisation, in one portable query
    (a row number within each organisation picks the middle value or the middle two)."""
    days = days_between(Referral.sent_on, Referral.accepted_on)
    ranked = (
        sa.select(
            Referral.organisation_id.label("org"),
            days.label("v"),
            sa.func.row_number()
            .over(partition_by=Referral.organisation_id, order_by=days)
            .label("rn"),
            sa.func.count().over(partition_by=Referral.organisation_id).label("n"),
        )
        .join(Client, Client.id == Referral.client_id)
        .where(condition, Referral.accepted_on.is_not(None))
        .subquery()
    )
    middle = sa.or_(ranked.c.rn == (ranked.c.n + 1) // 2, ranked.c.rn == (ranked.c.n + 2) // 2)
    rows = db.session.execute(
        sa.select(ranked.c.org, sa.func.avg(sa.case((middle, ranked.c.v)))).group_by(ranked.c.org)
    ).all()
    return {org: float(value) for org, value in rows if value is not None}


def by_partner(q: DashboardQuery) -> Table:
    condition = sa.and_(q.scope, Referral.sent_on.between(q.start, q.end))
    rows = db.session.execute(
        sa.select(
            Organisation.id,
            Organisation.name,
            sa.func.count(Referral.id),
            sa.func.count(Referral.id).filter(Referral.accepted_on.is_not(None)),
            sa.func.count(Referral.id).filter(Referral.status == ReferralStatus.DECLINED),
            sa.func.count(Referral.id).filter(Referral.status.in_(OPEN)),
        )
        .select_from(Referral)
        .join(Client, Client.id == Referral.client_id)
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .where(condition)
        .group_by(Organisation.id, Organisation.name)
        .order_by(sa.func.count(Referral.id).desc(), Organisation.name)
    ).all()
    medians = _medians(condition)
    table_rows = [
        {"partner": name, "sent": sent, "accepted": accepted, "declined": declined,
         "open": still_open, "median": round(medians[org], 1) if org in medians else None}
        for org, name, sent, accepted, declined, still_open in rows
    ]  # fmt: skip
    columns = [
        Column("partner", _l("Partner")),
        Column("sent", _l("Sent"), numeric=True, suppress=True),
        Column("accepted", _l("Accepted"), numeric=True, suppress=True),
        Column("declined", _l("Declined"), numeric=True, suppress=True),
        Column("open", _l("Still open"), numeric=True, suppress=True),
        Column("median", _l("Median days to acceptance"), numeric=True),
    ]
    totals = {"partner": str(_l("Total"))}
    if table_rows:
        totals |= {
            key: sum(r[key] for r in table_rows) for key in ("sent", "accepted", "declined", "open")
        }
    return Table(
        "referrals_partner", _l("Referrals sent in the period, by partner"), columns,
        table_rows, None, totals=totals if table_rows else {},
    )  # fmt: skip


def open_by_age(q: DashboardQuery) -> Table:
    """The open referrals now, by status and days since sending (a draft: since it was made)."""
    since = sa.func.coalesce(Referral.sent_on, Referral.referred_on)
    buckets = [
        sa.func.count(Referral.id).filter(condition) for condition in age_conditions(since, today())
    ]
    rows = db.session.execute(
        sa.select(Referral.status, *buckets)
        .join(Client, Client.id == Referral.client_id)
        .where(q.scope, Referral.status.in_(OPEN))
        .group_by(Referral.status)
    ).all()
    found = {status: counts for status, *counts in rows}
    keys = [f"age_{n}" for n in range(len(AGE_BUCKETS))]
    table_rows = []
    for status in OPEN:
        if status in found:
            row = {"status": status, **dict(zip(keys, found[status], strict=True))}
            row["total"] = sum(found[status])
            table_rows.append(row)
    columns = [Column("status", _l("Status"))]
    columns += [
        Column(key, _l("%(range)s days", range=name), numeric=True, suppress=True)
        for key, (name, _low, _high) in zip(keys, AGE_BUCKETS, strict=True)
    ]
    columns.append(Column("total", _l("Total"), numeric=True, suppress=True))
    return Table(
        "referrals_open", _l("Open referrals now, by days since sending"), columns, table_rows,
        "stacked",
    )  # fmt: skip
