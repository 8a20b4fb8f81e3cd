"""The reminder rules of this issue: a periodic measurement in the trajectory and the
aftercare checks; raised once, resolved when the measurement or check is recorded."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.activation.services import record_aftercare_check
from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.extensions import db
from app.measurements.services import get_instrument, record_measurement
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.timeutil import today
from tests import factories


def _client_in(phase_path, team, companion, days_ago):
    start = today() - timedelta(days=days_ago)
    client = factories.make_client(team, companion, registered_on=start)
    factories.make_consent(client, given_on=start)
    for phase in phase_path:
        change_phase(client, phase, by=companion, on=start, consent_valid=True)
    return client


def _active(rule):
    return db.session.scalars(
        sa.select(Reminder).where(Reminder.rule == rule, Reminder.status == ReminderStatus.OPEN)
    ).all()


def test_measurement_reminder_after_three_months_in_the_trajectory(app, team, companion):
    client = _client_in([Phase.ENGAGEMENT, Phase.TRAJECTORY], team, companion, 100)
    fresh = _client_in([Phase.ENGAGEMENT, Phase.TRAJECTORY], team, companion, 20)
    assert scan(rules=["measurement_due"]).created == 1
    [reminder] = _active("measurement_due")
    assert (reminder.client_id, reminder.assignee_id) == (client.id, companion.id)
    assert scan(rules=["measurement_due"]).created == 0  # idempotent
    record_measurement(
        client, get_instrument("dijleland"), measured_on=today(), kind="intake",
        scores={"housing": 2}, by=companion,
    )  # fmt: skip
    result = scan(rules=["measurement_due"])
    assert (result.created, result.resolved) == (0, 1)
    assert fresh.id not in {r.client_id for r in _active("measurement_due")}


def test_aftercare_reminders_resolve_when_checked(app, team, companion):
    path = [Phase.ENGAGEMENT, Phase.TRAJECTORY, Phase.ACTIVATION, Phase.AFTERCARE]
    client = _client_in(path, team, companion, 40)
    assert scan(rules=["aftercare_check"]).created == 1
    [reminder] = _active("aftercare_check")
    assert reminder.subject_id == 1 and reminder.client_id == client.id
    record_aftercare_check(
        client, months=1, checked_on=today(), situation="work", note=None, by=companion
    )
    assert scan(rules=["aftercare_check"]).resolved == 1
    assert _active("aftercare_check") == []
