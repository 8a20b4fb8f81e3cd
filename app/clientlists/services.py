"""The queries behind the client lists: outreach columns, sorts and the per-client marks."""

from __future__ import annotations

import sqlalchemy as sa

# Module imports (not names): contacts and check-ins import the client models in turn.
from app.checkins import services as checkin_services
from app.clients.models import Client
from app.clients.vocab import Phase
from app.contacts import outreach

PHASE_ORDER = sa.case({p.value: i for i, p in enumerate(Phase)}, value=Client.phase)
# The date of the last reached contact (registration when none), a column that
# with_outreach adds to every list.
LAST_REACHED = sa.literal_column("last_reached_reference")

# Each sort: order_by expressions.
SORTS = {
    "phase": (PHASE_ORDER, Client.preferred_name),
    "name": (sa.func.lower(Client.preferred_name), Client.id),
    "code": (Client.code,),
    "since": (Client.phase_since, Client.id),
    "contact": (LAST_REACHED, Client.id),  # longest without a reached contact first
}


def with_outreach(stmt: sa.Select, sort: str) -> sa.Select:
    """Add each client's last reached contact and failed attempts to a scoped
    ``select(Client)`` (in the same statement) and apply the sort."""
    stmt, reference = outreach.with_contact_stats(stmt)
    return stmt.add_columns(reference.label(LAST_REACHED.name)).order_by(*SORTS[sort])


def outreach_rows(rows) -> tuple[list[Client], dict[int, object], set[int]]:
    """Clients, their outreach health and which have an open worry, from (client, last
    reached, failed attempts) rows."""
    clients = [row[0] for row in rows]
    thresholds = outreach.Thresholds.now()
    health = {
        row[0].id: outreach.health(row[0], row[1], row[2], thresholds=thresholds) for row in rows
    }
    return clients, health, checkin_services.worried_client_ids(c.id for c in clients)
