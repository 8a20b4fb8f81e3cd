"""A small but complete world to walk: a generated team with histories (contacts, notes,
referrals, plans, measurements, check-ins, reminders) plus a group session, a context member,
a placement and an API token, and a lead, a companion and an administrator to walk it as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import Team, User
from app.extensions import db
from tests import factories
from tests.api.conftest import api_as  # noqa: F401 - fixtures for these tests
from tests.organisations.conftest import make_organisation
from tests.referrals.conftest import person  # noqa: F401


@dataclass
class World:
    team: Team
    lead: User
    companion: User
    admin: User
    client_id: int
    client_ids: list[int]


@pytest.fixture
def world(app) -> World:
    from app.activation import services as activation
    from app.api.tokens import create_token
    from app.clients import services as clients
    from app.clients.models import Client
    from app.clients.vocab import OPEN_PHASES
    from app.demo.generate import generate
    from app.groups import services as groups
    from app.timeutil import today, zone

    generate(24, teams=1, seed=13, scan_reminders=True)
    team = db.session.scalar(sa.select(Team).where(Team.name.like("Team gegenereerd%")))
    lead = factories.make_user("lead", teams=[team], username="walklead")
    companion = factories.make_user("companion", teams=[team], username="walkgezel")
    admin = factories.make_user("admin", username="walkadmin")
    client_ids = list(db.session.scalars(sa.select(Client.id).where(Client.team_id == team.id)))
    ours = db.session.scalars(
        sa.select(Client).where(Client.team_id == team.id, Client.phase.in_(OPEN_PHASES))
    ).all()
    for client in ours[:5]:
        client.primary_companion = companion
    client = ours[0]
    clients.add_context_member(
        client, name="Sam", relationship_kind="child", birth_year=2015, note=None, by=companion
    )
    employer = make_organisation("Werkplek Haacht", type="employer")
    activation.add_placement(
        client, by=companion, organisation=employer, kind="internship",
        started_on=today() - timedelta(days=30), ended_on=None, hours_per_week=20,
        outcome=None, outcome_note=None,
    )  # fmt: skip
    session = groups.create_session(
        team=team, title="Praatgroep", domain="language",
        starts_at=datetime.combine(today() + timedelta(days=2), time(14, 0), zone()),
        duration_minutes=90, place="Bib", facilitator=companion, capacity=10,
        description=None, by=companion,
    )  # fmt: skip
    groups.register_client(session, client, by=companion)
    create_token(lead, "walk")
    db.session.commit()
    return World(team, lead, companion, admin, client.id, client_ids)
