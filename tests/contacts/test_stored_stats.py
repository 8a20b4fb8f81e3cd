"""The stored contact statistics (last reached contact, failed attempts since) always equal
what the contacts themselves say: after logging, editing, removing, merging, group sessions,
and after the migration that fills them for an existing database."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app.clients.merge import merge_clients
from app.contacts.models import ClientContactStats
from app.contacts.outreach import computed_stats
from app.contacts.services import ContactInput, change_contact, remove_contact
from app.extensions import db
from app.timeutil import today, zone
from tests import factories


def stored() -> dict[int, tuple]:
    rows = db.session.execute(
        sa.select(
            ClientContactStats.client_id,
            ClientContactStats.last_reached_at,
            ClientContactStats.last_reached_on,
            ClientContactStats.failed_attempts,
            ClientContactStats.last_attempt_on,
        )
    ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def computed() -> dict[int, tuple]:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(computed_stats()).all()}


def at(days_ago: int, hour: int = 10) -> datetime:
    return datetime.combine(today() - timedelta(days=days_ago), time(hour), tzinfo=zone())


def test_logging_contacts_keeps_the_figures(team, companion):
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    assert stored() == {}
    factories.make_contact(person, companion, outcome="attempt", when=at(9))
    assert stored()[person.id][2:] == (1, today() - timedelta(days=9))
    factories.make_contact(person, companion, when=at(5))
    factories.make_contact(person, companion, outcome="attempt", when=at(3))
    factories.make_contact(person, companion, outcome="attempt", when=at(2))
    last_reached_at, last_reached_on, failed, last_attempt_on = stored()[person.id]
    assert last_reached_on == today() - timedelta(days=5)
    assert (failed, last_attempt_on) == (2, today() - timedelta(days=2))
    assert stored() == computed()


def test_editing_and_removing_keep_the_figures(team, companion, lead):
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    reached = factories.make_contact(person, companion, when=at(4))
    factories.make_contact(person, companion, outcome="attempt", when=at(2))
    change_contact(
        reached,
        ContactInput(kind="call", outcome="attempt", occurred_at=at(4), domains=[], notes={}),
        by=companion,
    )
    assert stored()[person.id][1:] == (None, 2, today() - timedelta(days=2))
    assert stored() == computed()
    for contact in list(person_contacts(person)):
        remove_contact(contact, by=lead, reason="Logged on the wrong person")
    assert person.id not in stored() and stored() == computed()


def person_contacts(person):
    from app.contacts.models import Contact

    return db.session.scalars(sa.select(Contact).where(Contact.client_id == person.id)).all()


def test_merging_recomputes_the_survivor(team, companion, lead):
    survivor = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    twin = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.make_contact(survivor, companion, when=at(10))
    factories.make_contact(twin, companion, when=at(3))
    factories.make_contact(twin, companion, outcome="attempt", when=at(1))
    merge_clients(survivor, twin, by=lead)
    assert stored()[survivor.id][1:] == (
        today() - timedelta(days=3),
        1,
        today() - timedelta(days=1),
    )
    assert twin.id not in stored()
    assert stored() == computed()


def test_group_session_attendance_counts_as_a_reached_contact(team, companion):
    from app.groups import services as groups
    from tests.groups.conftest import plan_session

    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.make_contact(person, companion, outcome="attempt", when=at(3))
    session = plan_session(team, companion)
    registration = groups.register_client(session, person, by=companion)
    groups.record_attendance(session, {registration.id: "present"}, by=companion)
    assert stored()[person.id][1:3] == (today(), 0)
    assert stored() == computed()


def test_the_migration_fills_the_figures_of_an_existing_database(fresh_app):
    app = fresh_app()
    with app.app_context():
        team = factories.make_team()
        companion = factories.make_user("companion", teams=[team])
        person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
        factories.make_contact(person, companion, when=at(6))
        factories.make_contact(person, companion, outcome="attempt", when=at(4))
        other = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
        factories.make_contact(other, companion, outcome="attempt", when=at(2))
        db.session.commit()
        expected = stored()
        assert expected == computed() and len(expected) == 2
        db.session.remove()  # no open transaction may hold the tables the migrations change
        downgrade(revision="0012")
        upgrade()
        db.session.remove()
        assert stored() == expected
