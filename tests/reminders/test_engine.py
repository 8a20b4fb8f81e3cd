"""The scan: idempotent, auto-resolving, and only for people who may see the client.
Exercised with the consent-expiry rule; the other rules have their own tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.clients.consents import record_consent
from app.clients.vocab import Phase
from app.extensions import db
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.timeutil import today
from tests import factories
from tests.support.databases import BACKEND


@pytest.fixture
def expired(app, team, companion):
    client = factories.make_client(team, companion, registered_on=today() - timedelta(days=400))
    factories.make_consent(
        client, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
    )
    factories.make_contact(client, companion)  # reached today: no outreach reminder
    return client


def reminders(**criteria):
    stmt = sa.select(Reminder).order_by(Reminder.id)
    for name, value in criteria.items():
        stmt = stmt.where(getattr(Reminder, name) == value)
    return db.session.scalars(stmt).all()


def test_scan_raises_once_and_is_idempotent(expired, companion):
    first = scan(rules=["consent_expired"])
    assert (first.created, first.resolved, first.open) == (1, 0, 1)
    [reminder] = reminders()
    assert reminder.assignee_id == companion.id and reminder.client_id == expired.id
    assert reminder.due_on == today() - timedelta(days=1)
    second = scan(rules=["consent_expired"])
    assert (second.created, second.resolved, second.open) == (0, 0, 1)
    assert len(reminders()) == 1


def test_condition_clearing_resolves_the_reminder(expired, companion):
    scan(rules=["consent_expired"])
    record_consent(
        expired, given_on=today(), explained_in="nl", interpreter_used=False, processing=True,
        domains=[], expires_on=today() + timedelta(days=365), note=None, by=companion,
    )  # fmt: skip
    result = scan(rules=["consent_expired"])
    assert (result.created, result.resolved, result.open) == (0, 1, 0)
    [reminder] = reminders()
    assert reminder.status == ReminderStatus.DONE and reminder.auto_resolved


def test_boundary_expiry_day_itself_is_still_valid(app, team, companion):
    client = factories.make_client(team, companion)
    factories.make_consent(client, given_on=today() - timedelta(days=30), expires_on=today())
    assert scan(rules=["consent_expired"]).created == 0
    assert scan(on=today() + timedelta(days=1), rules=["consent_expired"]).created == 1


def test_warning_days_setting(app, team, companion, admin_user):
    from app.settings.registry import update_settings

    client = factories.make_client(team, companion)
    factories.make_consent(client, given_on=today(), expires_on=today() + timedelta(days=10))
    assert scan(rules=["consent_expired"]).created == 0
    update_settings({"reminders.consent_warning_days": 14}, by=admin_user)
    assert scan(rules=["consent_expired"]).created == 1


def test_closed_and_merged_clients_get_no_reminders(expired, companion):
    expired.phase = Phase.CLOSED
    db.session.flush()
    assert scan(rules=["consent_expired"]).created == 0


def test_without_a_companion_the_team_leads_are_reminded(expired, lead, other_team):
    outsider_lead = factories.make_user("lead", teams=[other_team])
    expired.primary_companion = None
    db.session.flush()
    scan(rules=["consent_expired"])
    assert [r.assignee_id for r in reminders()] == [lead.id]
    assert outsider_lead.id not in [r.assignee_id for r in reminders()]


def test_a_companion_who_left_the_team_is_not_reminded(expired, companion, lead, other_team):
    companion.teams = [other_team]
    db.session.flush()
    scan(rules=["consent_expired"])
    assert [r.assignee_id for r in reminders()] == [lead.id]


def test_reassignment_moves_the_reminder(expired, companion, team):
    colleague = factories.make_user("companion", teams=[team])
    scan(rules=["consent_expired"])
    expired.primary_companion = colleague
    db.session.flush()
    result = scan(rules=["consent_expired"])
    assert (result.created, result.resolved) == (1, 1)
    assert [r.assignee_id for r in reminders(status=ReminderStatus.OPEN)] == [colleague.id]


def test_done_or_dismissed_reminders_are_not_raised_again(expired, companion):
    from app.reminders.services import dismiss

    scan(rules=["consent_expired"])
    [reminder] = reminders()
    dismiss(reminder, reason="renewal planned next week", by=companion)
    assert scan(rules=["consent_expired"]).created == 0
    assert reminder.status == ReminderStatus.DISMISSED


def test_snoozed_reminders_wake_up(expired, companion):
    from app.reminders.services import snooze

    scan(rules=["consent_expired"])
    [reminder] = reminders()
    snooze(reminder, until=today() + timedelta(days=3), by=companion)
    assert scan(on=today() + timedelta(days=2), rules=["consent_expired"]).woken == 0
    assert scan(on=today() + timedelta(days=3), rules=["consent_expired"]).woken == 1
    db.session.refresh(reminder)
    assert reminder.status == ReminderStatus.OPEN


def test_raise_now_for_one_client(expired, app, team, companion):
    from app.reminders.engine import raise_now

    other = factories.make_client(team, companion)
    factories.make_consent(
        other, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=1)
    )
    assert raise_now("consent_expired", expired.id) == 1
    assert raise_now("consent_expired", expired.id) == 0
    assert [r.client_id for r in reminders()] == [expired.id]


def test_scan_command_prints_the_summary(expired, runner):
    db.session.commit()
    result = runner.invoke(args=["reminders", "scan"])
    assert result.exit_code == 0, result.output
    assert "created 1, resolved 0, open 1" in result.output
    again = runner.invoke(args=["reminders", "scan"])
    assert "created 0, resolved 0, open 1" in again.output
    bad = runner.invoke(args=["reminders", "scan", "--date", "yesterday"])
    assert bad.exit_code != 0


def test_each_episode_has_its_own_key(app, team, companion):
    """Model attributes in a dedupe key are columns, not their names: two clients of one
    companion with an expired consent get a reminder each."""
    for _ in range(2):
        client = factories.make_client(team, companion)
        factories.make_consent(
            client, given_on=today() - timedelta(days=30), expires_on=today() - timedelta(days=1)
        )
    assert scan(rules=["consent_expired"]).created == 2
    assert all("Consent.id" not in r.dedupe_key for r in reminders())


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's JIT")
def test_scan_and_raise_now_run_without_jit(expired, app):
    from app.reminders.engine import raise_now

    def jit() -> str:
        return db.session.scalar(sa.text("SHOW jit"))

    scan(rules=["consent_expired"])
    assert jit() == "off"
    db.session.execute(sa.text("SET LOCAL jit = on"))
    raise_now("consent_expired", expired.id)
    assert jit() == "off"
