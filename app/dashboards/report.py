"""The partnership report for the funder: participants at entry, trajectories started and
ended, outcomes at exit and time to activation, for a period. Small counts are suppressed in
its exports (REPORT_SUPPRESS_BELOW, default 5)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.clients.models import Client, ClientChallenge
from app.clients.vocab import EducationBand, Gender, LabourStatus, Phase
from app.dashboards.filters import Filters
from app.dashboards.services import (
    exit_outcomes,
    reached_per_phase,
    scope,
    time_to_activation,
)
from app.extensions import db
from app.labels import label
from app.reference import Challenge, Municipality
from app.sqlfunctions import year_of
from app.tables import Column, Table

# Written as people read them: "< 25", not "-25" (a spreadsheet takes that for a number).
AGE_BANDS = [
    ("< 25", None, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55+", 55, None),
]


def age_band_expression():
    age = year_of(Client.registered_on) - Client.birth_year
    whens = []
    for name, low, high in AGE_BANDS:
        condition = sa.and_(
            *([age >= low] if low is not None else []), *([age <= high] if high is not None else [])
        )
        whens.append((condition, name))
    return sa.case(*whens, else_="unknown")


def _entry_breakdown(user: User, f: Filters, key: str, title, expression, values) -> Table:
    stmt = sa.select(expression.label("value"), sa.func.count(sa.distinct(Client.id)))
    if key == "challenge":
        stmt = stmt.select_from(Client).join(
            ClientChallenge, ClientChallenge.client_id == Client.id
        )
    found = dict(
        db.session.execute(
            stmt.where(scope(user, f), Client.registered_on.between(f.start, f.end)).group_by(
                expression
            )
        ).all()
    )
    rows = []
    for value in values:
        raw = getattr(value, "value", value)
        shown = (
            label(value)
            if hasattr(value, "value")
            else (str(_l("Unknown")) if value == "unknown" else value)
        )
        rows.append({"value": shown, "count": found.get(value, found.get(raw, 0))})
    total = sum(r["count"] for r in rows)
    columns = [
        Column("value", title),
        Column("count", _l("Participants"), numeric=True, suppress=True),
    ]
    return Table(
        f"entry_{key}", _l("Participants at entry by %(what)s", what=str(title).lower()), columns,
        rows, "bar", totals={"value": str(_l("Total")), "count": total},
        sheet=_l("Entry by %(what)s", what=str(title).lower()),
    )  # fmt: skip


def entry_tables(user: User, f: Filters) -> list[Table]:
    return [
        _entry_breakdown(user, f, "gender", _l("Gender"), Client.gender, list(Gender)),
        _entry_breakdown(
            user,
            f,
            "age",
            _l("Age band"),
            age_band_expression(),
            [name for name, _low, _high in AGE_BANDS] + ["unknown"],
        ),  # fmt: skip
        _entry_breakdown(
            user, f, "education", _l("Education"), Client.education_band, list(EducationBand)
        ),
        _entry_breakdown(
            user,
            f,
            "labour",
            _l("Labour status"),
            Client.labour_status_at_entry,
            list(LabourStatus),
        ),
        _entry_breakdown(
            user, f, "municipality", _l("Municipality"), Client.municipality, list(Municipality)
        ),
        _entry_breakdown(
            user, f, "challenge", _l("Challenge"), ClientChallenge.challenge, list(Challenge)
        ),
    ]


def flow_table(user: User, f: Filters) -> Table:
    registered = db.session.scalar(
        sa.select(sa.func.count(Client.id)).where(
            scope(user, f), Client.registered_on.between(f.start, f.end)
        )
    )
    reached = reached_per_phase(user, f)  # one query for the three moves below
    rows = [
        {"what": str(_l("New participants (registered)")), "count": registered},
        {"what": str(_l("Trajectories started")), "count": reached.get(Phase.TRAJECTORY, 0)},
        {"what": str(_l("Reached activation")), "count": reached.get(Phase.ACTIVATION, 0)},
        {"what": str(_l("Trajectories ended")), "count": reached.get(Phase.CLOSED, 0)},
    ]
    columns = [
        Column("what", _l("In the period")),
        Column("count", _l("People"), numeric=True, suppress=True),
    ]
    return Table("flow", _l("Trajectories started and ended"), columns, rows)


def report_tables(user: User, f: Filters) -> list[Table]:
    return [
        flow_table(user, f),
        *entry_tables(user, f),
        exit_outcomes(user, f),
        time_to_activation(user, f),
    ]
