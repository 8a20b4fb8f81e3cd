"""The filters on a set of clients, in one place: the team list, the dashboards and the API
narrow their clients with the same conditions, so a filter means the same everywhere.

The filters only narrow: every caller starts from the scoping helper (app/clients/scoping.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from app.clients.models import Client, ClientChallenge


def client_filters(
    *,
    phase=None,
    municipality=None,
    challenge=None,
    companion_id: int | None = None,
    team_id: int | None = None,
) -> list[sa.ColumnElement]:
    """Conditions on Client for the filters given; an empty value (None) does not filter.
    ``companion_id`` is the primary companion; ``challenge`` one of the person's challenges."""
    conditions = []
    if phase:
        conditions.append(Client.phase == phase)
    if municipality:
        conditions.append(Client.municipality == municipality)
    if challenge:
        conditions.append(
            Client.id.in_(
                sa.select(ClientChallenge.client_id).where(ClientChallenge.challenge == challenge)
            )
        )
    if companion_id:
        conditions.append(Client.primary_companion_id == companion_id)
    if team_id:
        conditions.append(Client.team_id == team_id)
    return conditions
