"""The referral reminder rules: no answer past the deadline, a first appointment without
outcome; their boundaries, who gets them, and a new episode raising a new reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import access as auth_access
from app.extensions import db
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.settings.registry import update_settings
from app.timeutil import today
from tests import factories
from tests.referrals.conftest import refer

NO_RESPONSE = ["referral_no_response"]
OUTCOME = ["referral_appointment_outcome"]


def reminders(rule=None):
    stmt = sa.select(Reminder).order_by(Reminder.id)
    if rule:
        stmt = stmt.where(Reminder.rule == rule)
    return db.session.scalars(stmt).all()


@pytest.fixture
def sent_referral(person, childcare_desk, companion):
    """Sent 14 days ago, so its deadline (14 days) is today."""
    factories.make_consent(person, domains=["childcare"])
    referral = refer(person, childcare_desk, by=companion, referred_on=today() - timedelta(days=14))
    services.move(referral, S.SENT, by=companion, on=today() - timedelta(days=14))
    assert referral.response_deadline == today()
    return referral


def test_no_answer_boundary_the_deadline_day_itself_is_not_late(sent_referral, companion):
    assert scan(rules=NO_RESPONSE).created == 0
    result = scan(on=today() + timedelta(days=1), rules=NO_RESPONSE)
    assert result.created == 1
    [reminder] = reminders()
    assert (reminder.assignee_id, reminder.client_id, reminder.subject_id) == (
        companion.id, sent_referral.client_id, sent_referral.id,
    )  # fmt: skip
    assert reminder.due_on == today()
    assert scan(on=today() + timedelta(days=1), rules=NO_RESPONSE).created == 0  # idempotent


def test_the_waiting_list_counts_as_no_answer_and_acceptance_resolves(sent_referral, companion):
    services.move(sent_referral, S.WAITING_LIST, by=companion)
    later = today() + timedelta(days=1)
    assert scan(on=later, rules=NO_RESPONSE).created == 1
    services.move(sent_referral, S.ACCEPTED, by=companion)
    result = scan(on=later, rules=NO_RESPONSE)
    assert result.resolved == 1
    [reminder] = reminders()
    assert reminder.status == ReminderStatus.DONE and reminder.auto_resolved


def test_a_draft_or_an_extended_deadline_raises_nothing(
    person, childcare_desk, companion, sent_referral
):
    refer(person, childcare_desk, by=companion, referred_on=today() - timedelta(days=20),
          response_deadline=today() - timedelta(days=3))  # fmt: skip
    services.update_details(
        sent_referral, response_deadline=today() + timedelta(days=7), warm_handover=False,
        handover_on=None, by=companion,
    )  # fmt: skip
    assert scan(on=today() + timedelta(days=1), rules=NO_RESPONSE).created == 0


def test_an_extended_deadline_that_lapses_again_is_a_new_episode(sent_referral, companion):
    assert scan(on=today() + timedelta(days=1), rules=NO_RESPONSE).created == 1
    [first] = reminders()
    first.status = ReminderStatus.DISMISSED  # handled by the companion
    services.update_details(
        sent_referral, response_deadline=today() + timedelta(days=5), warm_handover=False,
        handover_on=None, by=companion,
    )  # fmt: skip
    assert scan(on=today() + timedelta(days=1), rules=NO_RESPONSE).created == 0
    assert scan(on=today() + timedelta(days=6), rules=NO_RESPONSE).created == 1
    assert len(reminders()) == 2


def plan(referral, companion, *, days_ago: int):
    services.move(referral, S.ACCEPTED, by=companion)
    return services.move(
        referral, S.APPOINTMENT_PLANNED, by=companion,
        appointment_on=today() - timedelta(days=days_ago),
    )  # fmt: skip


def test_appointment_outcome_boundary_with_grace_days(sent_referral, companion):
    plan(sent_referral, companion, days_ago=2)  # grace 2: date + 2 = today, not yet late
    assert scan(rules=OUTCOME).created == 0
    assert scan(on=today() + timedelta(days=1), rules=OUTCOME).created == 1
    [reminder] = reminders()
    assert reminder.due_on == today() - timedelta(days=2)
    assert reminder.assignee_id == companion.id


def test_the_grace_days_setting(sent_referral, companion, admin_user):
    plan(sent_referral, companion, days_ago=1)
    update_settings({"reminders.appointment_grace_days": 0}, by=admin_user)
    assert scan(rules=OUTCOME).created == 1


def test_a_rescheduled_appointment_is_a_new_episode(sent_referral, companion):
    plan(sent_referral, companion, days_ago=5)
    assert scan(rules=OUTCOME).created == 1
    services.move(sent_referral, S.NO_SHOW, by=companion)
    assert scan(rules=OUTCOME).resolved == 1
    services.move(
        sent_referral, S.APPOINTMENT_PLANNED, by=companion, appointment_on=sent_referral.referred_on
    )
    assert scan(rules=OUTCOME).created == 1
    assert [r.status for r in reminders()] == [ReminderStatus.DONE, ReminderStatus.OPEN]


def test_the_maker_gets_it_while_in_the_team_else_the_responsible_person(
    team, other_team, sent_referral, companion, lead
):
    colleague = factories.make_user("companion", teams=[team])
    sent_referral.client.primary_companion = colleague
    later = today() + timedelta(days=1)
    scan(on=later, rules=NO_RESPONSE)
    assert [r.assignee_id for r in reminders()] == [companion.id]  # the maker
    auth_access.update_user(companion, teams=[other_team], by=None)  # moved to another team
    db.session.flush()
    scan(on=later, rules=NO_RESPONSE)
    active = [r for r in reminders() if r.status == ReminderStatus.OPEN]
    assert [r.assignee_id for r in active] == [colleague.id]  # the primary companion now


def test_an_inactive_maker_without_primary_companion_falls_to_the_leads(
    sent_referral, companion, lead
):
    sent_referral.client.primary_companion = None
    auth_access.set_active(companion, False, by=None)
    db.session.flush()
    scan(on=today() + timedelta(days=1), rules=NO_RESPONSE)
    assert [r.assignee_id for r in reminders()] == [lead.id]


def test_the_inbox_links_to_the_referral(login, sent_referral, companion):
    sent_referral.response_deadline = today() - timedelta(days=1)
    db.session.flush()
    scan(rules=NO_RESPONSE)
    db.session.commit()
    page = login(companion).get("/reminders").get_data(as_text=True)
    assert f"/clients/{sent_referral.client_id}/referrals/{sent_referral.id}" in page
    assert "Geen antwoord op een doorverwijzing" in page


def test_closed_clients_get_no_referral_reminders(sent_referral):
    from app.clients.vocab import Phase

    sent_referral.client.phase = Phase.CLOSED
    db.session.flush()
    assert scan(on=today() + timedelta(days=1), rules=NO_RESPONSE).created == 0
