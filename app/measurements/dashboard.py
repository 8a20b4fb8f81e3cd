"""The dashboard widget "self-reliance change": per domain of the default instrument, how the
people in the viewer's scope moved from their first to their latest score.

One aggregate query over ``deltas_query`` (first and latest score per client and domain),
limited to the clients in ``q.scope`` and to measurements up to the end of the period.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.hooks import DashboardQuery
from app.i18n import round_half_up
from app.measurements.services import default_instrument, deltas_query
from app.tables import Column, Table

COLUMNS = [
    Column("domain", _l("Life domain")),
    Column("people", _l("People measured at least twice"), numeric=True, suppress=True),
    Column("first", _l("Average first score"), numeric=True, decimals=2),
    Column("latest", _l("Average latest score"), numeric=True, decimals=2),
    Column("change", _l("Average change"), numeric=True, decimals=2),
    Column("improved", _l("Improved"), numeric=True, suppress=True),
    Column("same", _l("Stayed the same"), numeric=True, suppress=True),
    Column("declined", _l("Worsened"), numeric=True, suppress=True),
]


def _average(value) -> float | None:
    return float(round_half_up(value, 2)) if value is not None else None


def self_reliance_change(q: DashboardQuery) -> Table:
    """Per domain scored at least twice for someone in scope: how many people, their average
    first, latest and change, and how many went up, stayed or went down."""
    instrument = default_instrument()
    rows: list[dict] = []
    if instrument is not None:
        deltas = deltas_query(instrument.id, q.client_ids, until=q.end).subquery()

        def how_many(condition):
            return sa.func.sum(sa.case((condition, 1), else_=0))

        found = db.session.execute(
            sa.select(
                deltas.c.domain_id,
                sa.func.count(),
                sa.func.avg(deltas.c.first),
                sa.func.avg(deltas.c.latest),
                sa.func.avg(deltas.c.change),
                how_many(deltas.c.change > 0),
                how_many(deltas.c.change == 0),
                how_many(deltas.c.change < 0),
            )
            .where(deltas.c.measurements >= 2)
            .group_by(deltas.c.domain_id)
        ).all()
        by_domain = {row[0]: row[1:] for row in found}
        for domain in instrument.domains:  # in the instrument's order
            if domain.id not in by_domain:
                continue
            people, first, latest, change, improved, same, declined = by_domain[domain.id]
            rows.append({
                "domain": domain.label, "people": people, "first": _average(first),
                "latest": _average(latest), "change": _average(change),
                "improved": int(improved), "same": int(same), "declined": int(declined),
            })  # fmt: skip
    note = _l(
        "First and latest score up to the end of the period (%(instrument)s), for people "
        "scored at least twice on the domain.",
        instrument=instrument.name if instrument else "—",
    )
    return Table(
        "self_reliance", _l("Self-reliance change"), COLUMNS, rows, "bar", note=note,
        series=("first", "latest"),
    )  # fmt: skip
