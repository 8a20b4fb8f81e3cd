"""The inbox: overdue and today's reminders, done / snooze / dismiss, only one's own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.timeutil import today
from tests import factories


@pytest.fixture
def reminder(app, team, companion):
    client = factories.make_client(team, companion, preferred_name="Nora")
    factories.make_consent(
        client, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=2)
    )
    scan(rules=["consent_expired"])
    db.session.commit()
    return db.session.query(Reminder).one()


def test_home_and_inbox_show_the_reminder(as_companion, reminder):
    home = as_companion.get("/").get_data(as_text=True)
    assert "Vandaag te doen" in home and "Nora" in home
    assert "Toestemming is verlopen" in home
    assert f"/clients/{reminder.client_id}/consents/new" in home  # the action
    assert "data-nav-badge>1<" in home
    inbox = as_companion.get("/reminders").get_data(as_text=True)
    assert "achterstallig sinds" in inbox


def test_done(as_companion, reminder, companion):
    response = as_companion.post(f"/reminders/{reminder.id}/done")
    assert response.status_code == 302
    assert reminder.status == ReminderStatus.DONE and reminder.resolved_by_id == companion.id
    assert as_companion.post(f"/reminders/{reminder.id}/done").status_code == 409


def test_snooze(as_companion, reminder):
    url = f"/reminders/{reminder.id}/snooze"
    past = as_companion.post(url, data={"until": today().isoformat()})
    assert past.status_code == 400
    assert "Stel uit tot een dag na vandaag." in past.get_data(as_text=True)
    assert reminder.status == ReminderStatus.OPEN
    ok = as_companion.post(url, data={"until": (today() + timedelta(days=5)).isoformat()})
    assert ok.status_code == 302
    assert reminder.status == ReminderStatus.SNOOZED
    assert "Nora" not in as_companion.get("/").get_data(as_text=True)


def test_dismiss_needs_a_reason(as_companion, reminder):
    url = f"/reminders/{reminder.id}/dismiss"
    empty = as_companion.post(url, data={"reason": "  "})
    assert empty.status_code == 422
    assert reminder.status == ReminderStatus.OPEN
    ok = as_companion.post(url, data={"reason": "Nieuwe toestemming volgt maandag"})
    assert ok.status_code == 302
    assert reminder.status == ReminderStatus.DISMISSED
    assert reminder.dismiss_reason == "Nieuwe toestemming volgt maandag"


def test_someone_elses_reminder_is_404(login, team, reminder):
    colleague = factories.make_user("companion", teams=[team])
    browser = login(colleague)
    for url in (f"/reminders/{reminder.id}/snooze", f"/reminders/{reminder.id}/dismiss"):
        assert browser.get(url).status_code == 404
    assert browser.post(f"/reminders/{reminder.id}/done").status_code == 404
    assert reminder.status == ReminderStatus.OPEN


def test_a_transferred_client_leaves_the_old_inbox(as_companion, reminder, other_team):
    reminder.client.team = other_team
    db.session.commit()
    assert "Nora" not in as_companion.get("/reminders").get_data(as_text=True)
    assert as_companion.post(f"/reminders/{reminder.id}/done").status_code == 404


def test_buddies_and_admins_have_no_inbox(as_buddy, as_admin):
    assert as_buddy.get("/reminders").status_code == 404
    assert as_admin.get("/reminders").status_code == 404
