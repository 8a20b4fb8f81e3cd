"""Attendance at a group session is a reached contact in the client's file, exactly once."""

from __future__ import annotations

import sqlalchemy as sa

from app.contacts.models import Contact
from app.contacts.outreach import health_of
from app.contacts.vocab import ContactKind
from app.extensions import db
from app.groups import services as groups
from tests import factories
from tests.conftest import count
from tests.groups.conftest import plan_session


def test_present_clients_get_one_group_session_contact(app, team, companion):
    from datetime import timedelta

    from app.timeutil import today

    present = factories.make_client(team, companion, registered_on=today() - timedelta(days=20))
    absent = factories.make_client(team, companion, registered_on=today() - timedelta(days=20))
    session = plan_session(team, companion)
    ours = [groups.register_client(session, p, by=companion) for p in (present, absent)]
    marks = {ours[0].id: "present", ours[1].id: "absent"}
    groups.record_attendance(session, marks, by=companion)
    contact = db.session.scalar(sa.select(Contact))
    assert count(Contact) == 1 and contact.client_id == present.id
    assert contact.kind == ContactKind.GROUP_SESSION and contact.reached
    assert contact.occurred_at == session.starts_at and contact.place == session.place
    assert ours[0].contact_id == contact.id
    assert health_of(present).days == 0 and health_of(absent).never_reached
    # Saving the list again, or marking absent and present again, adds nothing.
    groups.record_attendance(session, marks, by=companion)
    groups.record_attendance(session, {ours[0].id: "absent"}, by=companion)
    groups.record_attendance(session, {ours[0].id: "present"}, by=companion)
    assert count(Contact) == 1 and contact.deleted_at is None


def test_attendance_corrected_to_absent_no_longer_reaches_the_person(app, team, companion, lead):
    """A mark of present by mistake must not silence the 'no contact' reminder."""
    from datetime import timedelta

    from app.audit.models import AuditEvent
    from app.reminders.engine import scan
    from app.reminders.models import Reminder
    from app.timeutil import today

    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=20))
    session = plan_session(team, companion)
    registration = groups.register_client(session, person, by=companion)
    groups.record_attendance(session, {registration.id: "present"}, by=companion)
    assert health_of(person).days == 0
    assert scan(rules=["no_contact"]).created == 0
    groups.record_attendance(session, {registration.id: "excused"}, by=lead)
    contact = db.session.get(Contact, registration.contact_id)
    assert contact.is_deleted and "niet aanwezig" in contact.deletion_reason
    assert contact.place is None  # a removed contact keeps no free text
    assert health_of(person).never_reached and health_of(person).days == 20
    assert scan(rules=["no_contact"]).created == 1
    assert count(AuditEvent, AuditEvent.action == "contact.deleted") == 1
    # Present after all: the same contact is back, and the reminder resolves itself.
    groups.record_attendance(session, {registration.id: "present"}, by=companion)
    assert not contact.is_deleted and count(Contact) == 1
    assert contact.place == session.place  # what the session knows comes back
    assert scan(rules=["no_contact"]).resolved == 1
    assert count(Reminder, Reminder.status == "open") == 0


def test_attendance_stands_without_a_contact_when_one_cannot_be(app, team, companion):
    from app.clients.phases import change_phase
    from app.clients.vocab import ExitOutcome, Phase

    closed = factories.make_client(team, companion)
    session = plan_session(team, companion)
    registration = groups.register_client(session, closed, by=companion)
    change_phase(closed, Phase.CLOSED, by=companion, exit_outcome=ExitOutcome.OTHER,
                 consent_valid=True)  # fmt: skip
    assert groups.record_attendance(session, {registration.id: "present"}, by=companion) == 1
    assert registration.contact_id is None and count(Contact) == 0
