"""Migration 0027 moves an existing single-partnership installation into one partnership,
named after PARTNERSHIP_NAME with the prefix CLIENT_CODE_PREFIX: nothing changes for its
users (they see the same clients and settings, and the codes continue)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.auth.models import Team, User
from app.clients.models import Client
from app.clients.scoping import visible_clients
from app.extensions import db
from app.measurements import services as measurement_services
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.partnerships.models import Partnership
from app.reference import Domain
from app.settings.registry import get_setting, update_settings
from app.timeutil import today
from tests import factories
from tests.conftest import build_app
from tests.support.databases import throwaway_database


def test_an_existing_installation_migrates_into_one_partnership(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = build_app(url, PARTNERSHIP_NAME="Leuven Samen", CLIENT_CODE_PREFIX="DL")
        with app.app_context(), app.test_request_context():
            upgrade()
            # Data as an installation has it before 0027 (made now, then taken back to 0025,
            # which drops every partnership column: the upgrade must fill them all again).
            team = factories.make_team("Team Oost")
            companion = factories.make_user("companion", teams=[team], username="oost1")
            admin = factories.make_user("admin", username="beheer1")
            client = factories.make_client(team, companion, preferred_name="Blijft Zichtbaar")
            organisation_services.create_organisation(
                name="OCMW Oost", type="other", domains=[Domain.WORK], covers_whole_region=True,
                by=None,
            )  # fmt: skip
            update_settings({"cadence.outreach": 5}, by=admin)
            db.session.commit()
            ids = (team.id, companion.id, admin.id, client.id, client.code)
            db.session.remove()
            downgrade(revision="0025")
            assert "partnership" not in sa.inspect(db.engine).get_table_names()
            upgrade()

            [partnership] = db.session.scalars(sa.select(Partnership)).all()
            assert (partnership.name, partnership.code_prefix) == ("Leuven Samen", "DL")
            for model in (Team, User, Client, Organisation):
                rows = db.session.scalars(sa.select(model.partnership_id)).all()
                assert rows and set(rows) == {partnership.id}, model
            user = db.session.get(User, ids[1])
            assert [c.id for c in db.session.scalars(visible_clients(user))] == [ids[3]]
            assert get_setting("cadence.outreach", partnership_id=partnership.id) == 5
            # The codes continue after the existing ones, with the same prefix.
            newer = factories.make_client(db.session.get(Team, ids[0]), user)
            assert newer.code[:-4] == ids[4][:-4] and newer.code > ids[4]
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()


def test_rebuilding_referenced_tables_keeps_what_refers_to_them(tmp_path):
    """0029 and 0030 rebuild team, organisation and instrument on SQLite (a new table, a
    copy, the old one dropped). Foreign keys are off while migrating, so nothing that refers
    to them is deleted or cascaded; afterwards they are on again for the application."""
    with throwaway_database(tmp_path) as url:
        app = build_app(url)
        with app.app_context(), app.test_request_context():
            upgrade()
            team = factories.make_team("Team Oost")
            companion = factories.make_user("companion", teams=[team], username="oost1")
            client = factories.make_client(team, companion, preferred_name="Blijft")
            organisation = organisation_services.create_organisation(
                name="OCMW Oost", type="other", domains=[Domain.WORK], covers_whole_region=True,
                by=None,
            )  # fmt: skip
            contact = factories.make_contact(client, companion, organisation_ids=[organisation.id])
            instrument = measurement_services.get_instrument("dijleland")
            measurement_services.record_measurement(
                client, instrument, measured_on=today(), kind="intake",
                scores={instrument.domains[0].code: 2}, by=companion,
            )  # fmt: skip
            db.session.commit()
            ids = {"user": companion.id, "team": team.id, "contact": contact.id,
                   "organisation": organisation.id, "client": client.id,
                   "instrument": instrument.id}  # fmt: skip
            before = _referring_rows()
            db.session.remove()
            downgrade(revision="0028")
            upgrade()
            assert _referring_rows() == before
            assert before["team_membership"] == [(ids["user"], ids["team"])]
            assert before["contact_organisation"] == [(ids["contact"], ids["organisation"])]
            assert before["measurement"] == [(ids["client"], ids["instrument"])]
            # References are enforced again.
            with db.engine.connect() as connection, pytest.raises(sa.exc.IntegrityError):
                connection.execute(
                    sa.text("INSERT INTO team_membership (user_id, team_id) VALUES (:u, 999)"),
                    {"u": ids["user"]},
                )
            db.session.remove()
            db.engine.dispose()


def _referring_rows() -> dict[str, list[tuple]]:
    queries = {
        "team_membership": "SELECT user_id, team_id FROM team_membership",
        "client": "SELECT id, team_id FROM client",
        "contact_organisation": "SELECT contact_id, organisation_id FROM contact_organisation",
        "organisation_domain": "SELECT organisation_id, domain FROM organisation_domain",
        "measurement": "SELECT client_id, instrument_id FROM measurement",
        "instrument_domain": "SELECT instrument_id, code FROM instrument_domain ORDER BY id",
    }
    return {
        name: [tuple(row) for row in db.session.execute(sa.text(sql)).all()]
        for name, sql in queries.items()
    }
