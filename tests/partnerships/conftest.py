"""Two partnerships on one installation, with text planted in the second (B, prefix WL): the
first (A, the one migration 0027 made, prefix DL) must never see any of it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.models import Team, User
from app.clients.models import Client
from app.extensions import db
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.partnerships.context import partnership_context
from app.partnerships.models import Partnership
from app.reference import Domain
from app.settings.registry import update_settings
from tests import factories

TEAM_NOTE = "SECRET-WL-TEAM-NOTE"
SENSITIVE_NOTE = "SECRET-WL-SENSITIVE-NOTE"
CLIENT_NAME = "SECRETWLCLIENT"
ORGANISATION = "SECRET-WL-ORGANISATION"
TEAM_NAME = "SECRET-WL-TEAM"
USERNAME = "secret-wl-companion"
B_OUTREACH_CADENCE = 3  # A keeps the default, 7


@dataclass
class Side:
    partnership: Partnership
    team: Team
    companion: User
    lead: User
    admin: User
    officer: User
    client: Client


@pytest.fixture
def side_a(app) -> Side:
    partnership = factories.first_partnership()
    team = factories.make_team("Team A", partnership=partnership)
    companion = factories.make_user("companion", teams=[team], username="companion-a")
    side = Side(
        partnership,
        team,
        companion,
        factories.make_user("lead", teams=[team], username="lead-a"),
        factories.make_user("admin", username="admin-a", partnership=partnership),
        factories.make_user("privacy_officer", username="officer-a", partnership=partnership),
        factories.make_client(team, companion, preferred_name="Persoon A"),
    )
    db.session.commit()
    return side


@pytest.fixture
def side_b(app, side_a) -> Side:
    partnership = factories.make_partnership("Westland", "WL")
    team = factories.make_team(TEAM_NAME, partnership=partnership)
    companion = factories.make_user("companion", teams=[team], username=USERNAME)
    client = factories.make_client(team, companion, preferred_name=CLIENT_NAME)
    factories.make_note(client, companion, "team", TEAM_NOTE)
    factories.make_note(client, companion, "sensitive", SENSITIVE_NOTE)
    with partnership_context(partnership.id):
        organisation_services.create_organisation(
            name=ORGANISATION,
            type="other",
            domains=[Domain.WORK],
            covers_whole_region=True,
            by=None,
        )
    update_settings(
        {"cadence.outreach": B_OUTREACH_CADENCE}, by=None, partnership_id=partnership.id
    )
    side = Side(
        partnership,
        team,
        companion,
        factories.make_user("lead", teams=[team], username="lead-b"),
        factories.make_user("admin", username="admin-b", partnership=partnership),
        factories.make_user("privacy_officer", username="officer-b", partnership=partnership),
        client,
    )
    db.session.commit()
    return side


def organisation_b() -> Organisation:
    """B's planted organisation (A may have one of the same name on its own map)."""
    return db.session.scalar(
        db.select(Organisation)
        .join(Partnership, Partnership.id == Organisation.partnership_id)
        .where(Organisation.name == ORGANISATION, Partnership.code_prefix == "WL")
    )


PLANTED = (TEAM_NOTE, SENSITIVE_NOTE, CLIENT_NAME, ORGANISATION, TEAM_NAME, USERNAME, "WL-")


def leaks(text: str) -> list[str]:
    return [planted for planted in PLANTED if planted in text]
