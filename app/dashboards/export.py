"""The pseudonymised client-level export for leads: client code and categories only —
no names, no birth dates, no notes."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import Team, User
from app.clients.models import Client, ClientChallenge
from app.dashboards.filters import Filters
from app.dashboards.report import age_band_expression
from app.dashboards.services import scope
from app.extensions import db
from app.labels import label
from app.sqlfunctions import month_of
from app.tables import Column, Table

COLUMNS = [
    Column("code", _l("Code")),
    Column("team", _l("Team")),
    Column("municipality", _l("Municipality")),
    Column("gender", _l("Gender")),
    Column("age_band", _l("Age band at entry")),
    Column("education", _l("Education")),
    Column("labour", _l("Labour status at entry")),
    Column("income", _l("Income source at entry")),
    Column("challenges", _l("Challenges")),
    Column("place_met", _l("Place met")),
    Column("referrer", _l("How the person reached us")),
    Column("registered", _l("Registered (month)"), month=True),
    Column("phase", _l("Phase")),
    Column("exit_outcome", _l("Exit outcome")),
    Column("closed", _l("Closed (month)"), month=True),
]


def pseudonymised_clients(user: User, f: Filters) -> Table:
    """Clients in scope who were followed at some point in the period."""
    challenges = sa.select(ClientChallenge.client_id, ClientChallenge.challenge).where(
        ClientChallenge.client_id.in_(sa.select(Client.id).where(scope(user, f)))
    )
    by_client: dict[int, list] = {}
    for client_id, challenge in db.session.execute(challenges):
        by_client.setdefault(client_id, []).append(challenge)
    rows = db.session.execute(
        sa.select(
            Client.id,
            Client.code,
            Team.name,
            Client.municipality,
            Client.gender,
            age_band_expression(),
            Client.education_band,
            Client.labour_status_at_entry,
            Client.income_source_at_entry,
            Client.place_met,
            Client.referrer,
            month_of(Client.registered_on),
            Client.phase,
            Client.exit_outcome,
            month_of(Client.closed_on),
        )  # fmt: skip
        .join(Team, Team.id == Client.team_id)
        .where(
            scope(user, f),
            Client.registered_on <= f.end,
            sa.or_(Client.closed_on.is_(None), Client.closed_on >= f.start),
        )
        .order_by(Client.code)
    ).all()
    table_rows = [
        {
            "code": r[1],
            "team": r[2],
            "municipality": r[3],
            "gender": r[4],
            "age_band": r[5],
            "education": r[6],
            "labour": r[7],
            "income": r[8],
            "challenges": "; ".join(label(c) for c in sorted(by_client.get(r[0], []))),
            # Not a column of the CSV: the codes, for the research file's yes/no columns.
            "challenge_codes": sorted(by_client.get(r[0], [])),
            "place_met": r[9],
            "referrer": r[10],
            "registered": r[11],
            "phase": r[12],
            "exit_outcome": r[13],
            "closed": r[14],
        }  # fmt: skip
        for r in rows
    ]
    return Table(
        "clients", _l("Clients (pseudonymised)"), COLUMNS, table_rows,
        client_ids=[r[0] for r in rows],
    )  # fmt: skip
