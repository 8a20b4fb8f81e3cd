"""Referral figures on the dashboard: the open referrals now, by status and age (the figures
per partner are in app/partners/dashboard.py, as partners answer there too). SQL aggregates
over the clients in the viewer's scope (``q.scope``)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.clients.models import Client
from app.extensions import db
from app.hooks import DashboardQuery
from app.referrals.lifecycle import OPEN
from app.referrals.models import Referral
from app.referrals.queries import AGE_BUCKETS, age_conditions
from app.tables import Column, Table
from app.timeutil import today


def open_by_age(q: DashboardQuery) -> Table:
    """The open referrals now, by status and days since sending (a draft: since it was made)."""
    since = sa.func.coalesce(Referral.sent_on, Referral.referred_on)
    # count(), not count(Referral.id): the same number, read from the index alone.
    buckets = [sa.func.count().filter(condition) for condition in age_conditions(since, today())]
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
        "stacked", sheet=_l("Open referrals by days"),
    )  # fmt: skip
