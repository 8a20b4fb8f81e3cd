"""What the clients package adds: what each role's home page shows of clients, and the
``language_name`` template filter (its navigation entries are in app/clientlists)."""

from __future__ import annotations

import sqlalchemy as sa

from app import hooks
from app.clients import bp
from app.clients.models import Client
from app.clients.scoping import caseload_clause, team_scope_clause
from app.clients.vocab import OPEN_PHASES, Phase, language_name
from app.extensions import db
from app.hooks import HomePanel


def companion_panel(user) -> dict:
    by_phase = dict(
        db.session.execute(
            sa.select(Client.phase, sa.func.count())
            .where(caseload_clause(user), Client.phase.in_(OPEN_PHASES))
            .group_by(Client.phase)
        ).all()
    )
    return {"by_phase": by_phase, "total": sum(by_phase.values()), "phases": OPEN_PHASES}


def lead_panel(user) -> dict:
    rows = db.session.execute(
        sa.select(Client.phase, sa.func.count())
        .where(team_scope_clause(user))
        .group_by(Client.phase)
    ).all()
    by_phase = dict(rows)
    unassigned = db.session.scalar(
        sa.select(sa.func.count()).where(
            team_scope_clause(user),
            Client.primary_companion_id.is_(None),
            Client.phase != Phase.CLOSED,
        )
    )
    return {"by_phase": by_phase, "phases": list(Phase), "unassigned": unassigned}


bp.add_app_template_filter(language_name, "language_name")  # {{ codes|map("language_name") }}
hooks.home_panels.add(
    HomePanel("clients/_home_companion.html", frozenset({"companion"}), companion_panel),
    order=40,
)
hooks.home_panels.add(
    HomePanel("clients/_home_lead.html", frozenset({"lead"}), lead_panel), order=40
)
