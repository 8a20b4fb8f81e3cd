"""Persistent outreach rules: no reached contact past the cadence (and the escalation to the
lead at twice the cadence), failed attempts in a row, follow-up dates, quiet buddy matches.
Each with its boundaries, the daylight-saving changes, idempotency and auto-resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.contacts.outreach import OutreachStatus, health
from app.contacts.services import remove_contact
from app.extensions import db
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import Priority, ReminderStatus
from app.settings.registry import update_settings
from app.timeutil import today
from tests import factories

BRUSSELS = ZoneInfo("Europe/Brussels")
OUTREACH_RULES = ["no_contact", "at_risk", "failed_attempts", "follow_up", "buddy_quiet"]


def active(rule=None, **criteria):
    stmt = sa.select(Reminder).where(Reminder.status.in_(("open", "snoozed"))).order_by(Reminder.id)
    if rule:
        stmt = stmt.where(Reminder.rule == rule)
    for name, value in criteria.items():
        stmt = stmt.where(getattr(Reminder, name) == value)
    return db.session.scalars(stmt).all()


@pytest.fixture
def person(team, companion):
    return factories.make_client(team, companion, registered_on=today() - timedelta(days=60))


def days(n: int):
    return today() + timedelta(days=n)


# --- no reached contact for longer than the cadence ---------------------------------------


def test_outreach_cadence_boundary(person, companion):
    factories.make_contact(person, companion)  # reached, today
    assert scan(on=days(7), rules=["no_contact"]).created == 0  # 7 days: still within
    assert scan(on=days(8), rules=["no_contact"]).created == 1
    [reminder] = active("no_contact")
    assert (reminder.client_id, reminder.assignee_id) == (person.id, companion.id)
    assert reminder.due_on == days(8) and reminder.priority == Priority.NORMAL


def test_the_cadence_follows_the_phase(person, companion):
    factories.make_consent(person, given_on=today() - timedelta(days=30))
    for phase in (Phase.ENGAGEMENT, Phase.TRAJECTORY):
        change_phase(
            person, phase, by=companion, on=today() - timedelta(days=30), consent_valid=True
        )
    factories.make_contact(person, companion)
    assert scan(on=days(14), rules=["no_contact"]).created == 0  # trajectory: 14 days
    assert scan(on=days(15), rules=["no_contact"]).created == 1


def test_never_reached_counts_from_the_registration(team, companion):
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=7))
    assert scan(rules=["no_contact"]).created == 0
    assert scan(on=days(1), rules=["no_contact"]).created == 1
    assert active("no_contact")[0].due_on == days(1)
    assert active("no_contact")[0].client_id == person.id


def test_attempts_do_not_count_as_contact(person, companion):
    factories.make_contact(person, companion, days_ago=8)
    factories.make_contact(person, companion, outcome="attempt")
    assert scan(rules=["no_contact"]).created == 1


def test_a_reached_contact_resolves_it_and_the_next_silence_raises_a_new_one(person, companion):
    factories.make_contact(person, companion, days_ago=10)
    scan(rules=["no_contact"])
    [first] = active("no_contact")
    factories.make_contact(person, companion)
    result = scan(rules=["no_contact"])
    assert (result.created, result.resolved, result.open) == (0, 1, 0)
    db.session.refresh(first)
    assert first.status == ReminderStatus.DONE and first.auto_resolved
    assert scan(on=days(8), rules=["no_contact"]).created == 1
    assert active("no_contact")[0].id != first.id


def test_deleting_the_reached_contact_reopens_the_reminder(person, companion, lead):
    factories.make_contact(person, companion, days_ago=10)
    scan(rules=["no_contact"])
    [reminder] = active("no_contact")
    mistake = factories.make_contact(person, companion)
    scan(rules=["no_contact"])
    assert active("no_contact") == []
    remove_contact(mistake, by=lead, reason="Logged on the wrong client")
    assert scan(rules=["no_contact"]).created == 1
    assert [r.id for r in active("no_contact")] == [reminder.id]


def test_a_dismissed_reminder_is_not_raised_again_for_the_same_silence(person, companion):
    from app.reminders.services import dismiss

    factories.make_contact(person, companion, days_ago=10)
    scan(rules=["no_contact"])
    dismiss(active("no_contact")[0], reason="Met on the street, no time to log", by=companion)
    assert scan(rules=["no_contact"]).created == 0
    assert active("no_contact") == []


# --- escalation: at risk of losing contact --------------------------------------------------


def test_escalation_at_twice_the_cadence(person, companion, lead, other_team):
    other_lead = factories.make_user("lead", teams=[other_team])
    factories.make_contact(person, companion)
    scan(on=days(14), rules=["no_contact", "at_risk"])
    assert [r.priority for r in active("no_contact")] == [Priority.NORMAL]
    assert active("at_risk") == []  # 14 days: exactly twice the cadence, not past it
    result = scan(on=days(15), rules=["no_contact", "at_risk"])
    assert result.created == 1 and result.escalated == 1
    [mine] = active("no_contact")
    assert mine.assignee_id == companion.id and mine.priority == Priority.HIGH
    [escalation] = active("at_risk")
    assert escalation.assignee_id == lead.id and escalation.priority == Priority.HIGH
    assert escalation.due_on == days(15)
    assert other_lead.id not in {r.assignee_id for r in active()}


def test_escalation_factor_is_a_setting(person, companion, lead, admin_user):
    factories.make_contact(person, companion)
    update_settings({"reminders.escalation_factor": 3}, by=admin_user)
    assert scan(on=days(15), rules=["at_risk"]).created == 0
    assert scan(on=days(22), rules=["at_risk"]).created == 1


def test_the_reminders_follow_the_outreach_status_of_the_client_file(
    person, companion, lead, admin_user
):
    """One rule: a reminder exactly on the days the client file calls the person overdue or
    at risk (outreach.health), with changed settings too."""
    update_settings({"cadence.outreach": 5, "reminders.escalation_factor": 3}, by=admin_user)
    factories.make_contact(person, companion)
    for n in range(18):
        scan(on=days(n), rules=["no_contact", "at_risk"])
        status = health(person, today(), 0, on=days(n)).status
        past = status in (OutreachStatus.OVERDUE, OutreachStatus.AT_RISK)
        assert bool(active("no_contact")) == past, n
        assert bool(active("at_risk")) == (status == OutreachStatus.AT_RISK), n
    assert health(person, today(), 0, on=days(6)).status == OutreachStatus.OVERDUE
    assert health(person, today(), 0, on=days(16)).status == OutreachStatus.AT_RISK


def test_a_reached_contact_resolves_the_escalation_too(person, companion, lead):
    factories.make_contact(person, companion, days_ago=20)
    scan(rules=["no_contact", "at_risk"])
    assert len(active()) == 2
    factories.make_contact(person, companion)
    assert scan(rules=["no_contact", "at_risk"]).resolved == 2
    assert active() == []


def test_without_a_companion_the_lead_gets_one_reminder_not_two(person, lead):
    person.primary_companion = None
    db.session.flush()
    factories.make_contact(person, lead, days_ago=20)
    scan(rules=["no_contact", "at_risk"])
    assert [(r.rule, r.assignee_id) for r in active()] == [("no_contact", lead.id)]
    assert active()[0].priority == Priority.HIGH


def test_closed_clients_are_not_chased(person, companion):
    factories.make_contact(person, companion, days_ago=40)
    person.phase = Phase.CLOSED
    db.session.flush()
    assert scan(rules=OUTREACH_RULES).created == 0


def test_buddies_never_receive_outreach_reminders(person, companion, buddy, lead):
    factories.match(person, buddy, started_on=today() - timedelta(days=40))
    factories.make_contact(person, companion, days_ago=40)
    scan(rules=OUTREACH_RULES)
    assert active() and buddy.id not in {r.assignee_id for r in active()}


# --- failed attempts in a row --------------------------------------------------------------


def test_three_failed_attempts_in_a_row(person, companion, admin_user):
    factories.make_contact(person, companion, days_ago=5)
    factories.make_contact(person, companion, outcome="attempt", days_ago=3)
    factories.make_contact(person, companion, outcome="attempt", days_ago=2)
    assert scan(rules=["failed_attempts"]).created == 0
    factories.make_contact(person, companion, outcome="attempt", days_ago=1)
    assert scan(rules=["failed_attempts"]).created == 1
    [reminder] = active("failed_attempts")
    assert reminder.due_on == days(-1) and reminder.assignee_id == companion.id
    update_settings({"reminders.failed_attempts": 4}, by=admin_user)
    assert scan(rules=["failed_attempts"]).resolved == 1


def test_a_reached_contact_ends_the_series_of_attempts(person, companion):
    for ago in (4, 3, 2):
        factories.make_contact(person, companion, outcome="attempt", days_ago=ago)
    scan(rules=["failed_attempts"])
    assert len(active("failed_attempts")) == 1
    factories.make_contact(person, companion, days_ago=1)
    assert scan(rules=["failed_attempts"]).resolved == 1
    factories.make_contact(person, companion, outcome="attempt")
    assert scan(rules=["failed_attempts"]).created == 0


# --- follow-up dates -----------------------------------------------------------------------


def test_a_follow_up_date_that_has_come(person, companion):
    contact = factories.make_contact(person, companion, follow_up_on=days(3))
    assert scan(on=days(2), rules=["follow_up"]).created == 0
    assert scan(on=days(3), rules=["follow_up"]).created == 1
    [reminder] = active("follow_up")
    assert reminder.subject_id == contact.id and reminder.due_on == days(3)
    assert scan(on=days(4), rules=["follow_up"]).created == 0  # idempotent


def test_a_later_contact_settles_the_follow_up(person, companion):
    factories.make_contact(person, companion, days_ago=5, follow_up_on=today())
    assert scan(rules=["follow_up"]).created == 1
    factories.make_contact(person, companion, outcome="attempt")
    assert scan(rules=["follow_up"]).resolved == 1


# --- quiet buddy matches -------------------------------------------------------------------


def test_buddy_match_without_check_in(person, companion, buddy):
    factories.match(person, buddy, started_on=today() - timedelta(days=20))
    factories.make_checkin(person, buddy, days_ago=14)
    assert scan(rules=["buddy_quiet"]).created == 0  # 14 days: within
    assert scan(on=days(1), rules=["buddy_quiet"]).created == 1
    [reminder] = active("buddy_quiet")
    assert reminder.assignee_id == companion.id and reminder.due_on == days(1)
    factories.make_checkin(person, buddy)
    assert scan(on=days(1), rules=["buddy_quiet"]).resolved == 1


def test_a_new_match_counts_from_its_start_and_ended_matches_are_quiet(person, buddy):
    factories.match(person, buddy, started_on=today() - timedelta(days=15))
    assert scan(rules=["buddy_quiet"]).created == 1
    other = factories.make_client(person.team, person.primary_companion)
    factories.match(
        other, buddy, started_on=today() - timedelta(days=90), ended_on=today() - timedelta(days=1)
    )
    assert {r.client_id for r in active("buddy_quiet")} == {person.id}
    assert scan(rules=["buddy_quiet"]).created == 0


def test_the_check_in_days_are_a_setting(person, buddy, admin_user):
    factories.match(person, buddy, started_on=today() - timedelta(days=10))
    assert scan(rules=["buddy_quiet"]).created == 0
    update_settings({"reminders.buddy_checkin_days": 7}, by=admin_user)
    assert scan(rules=["buddy_quiet"]).created == 1


# --- the whole scan ------------------------------------------------------------------------


def test_scanning_twice_changes_nothing(person, companion, lead, buddy):
    factories.match(person, buddy, started_on=today() - timedelta(days=40))
    factories.make_contact(person, companion, days_ago=30)
    for ago in (3, 2):
        factories.make_contact(person, companion, outcome="attempt", days_ago=ago)
    factories.make_contact(person, companion, outcome="attempt", follow_up_on=today())
    first = scan()
    assert {r.rule for r in active()} >= set(OUTREACH_RULES)
    second = scan()
    assert (second.created, second.resolved, second.escalated) == (0, 0, 0)
    assert second.open == first.open


# --- calendar days in Brussels, across the daylight-saving changes --------------------------


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("contact_at", "quiet_at", "overdue_at"),
    [
        # Spring forward (29 March 2026): the 7 days end at local midnight, not UTC's.
        (brussels(2026, 3, 28, 23, 30), brussels(2026, 4, 4, 23, 59), brussels(2026, 4, 5, 0, 30)),
        # Fall back (25 October 2026): a 25-hour day in the middle changes nothing.
        (brussels(2026, 10, 24, 23, 30), brussels(2026, 10, 31, 23, 59), brussels(2026, 11, 1, 0, 30)),
        # A contact just after midnight local time (UTC still says the day before).
        (brussels(2026, 3, 29, 0, 15), brussels(2026, 4, 5, 23, 0), brussels(2026, 4, 6, 0, 5)),
    ],
)  # fmt: skip
def test_overdue_by_brussels_calendar_days_around_dst(
    team, companion, contact_at, quiet_at, overdue_at
):
    with time_machine.travel(contact_at.astimezone(UTC) + timedelta(minutes=1), tick=False):
        person = factories.make_client(team, companion, registered_on=contact_at.date())
        factories.make_contact(person, companion, when=contact_at)
    with time_machine.travel(quiet_at.astimezone(UTC), tick=False):
        assert scan(rules=["no_contact"]).created == 0
    with time_machine.travel(overdue_at.astimezone(UTC), tick=False):
        assert scan(rules=["no_contact"]).created == 1
        assert active("no_contact")[0].due_on == overdue_at.date()


# --- what people see -----------------------------------------------------------------------


def test_the_companion_and_the_lead_see_them_in_their_inbox(login, team, companion, lead):
    person = factories.make_client(
        team, companion, preferred_name="Tesfay", registered_on=days(-30)
    )
    factories.make_contact(person, companion, days_ago=15)
    scan(rules=["no_contact", "at_risk"])
    db.session.commit()
    mine = login(companion).get("/reminders").get_data(as_text=True)
    assert "Langer dan de contactfrequentie geen bereikt contact" in mine and "Tesfay" in mine
    assert f"/clients/{person.id}/contacts/new" in mine
    assert "Dreigt uit beeld te raken" not in mine
    theirs = login(lead).get("/reminders").get_data(as_text=True)
    assert "Dreigt uit beeld te raken: bespreek met de trajectgezel" in theirs
    assert f"/clients/{person.id}" in theirs
