"""Who is slipping away: days since the last reached contact (calendar days in Brussels),
failed attempts since then, judged against the phase's cadence; one query per list."""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import time_machine

from app.clients.vocab import Phase
from app.contacts.cadence import cadence_days
from app.contacts.outreach import OutreachStatus, health_of, status_for
from app.extensions import db
from app.timeutil import today
from tests import factories

BRUSSELS = ZoneInfo("Europe/Brussels")


def brussels(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture
def person(team, companion):
    client = factories.make_client(team, companion, registered_on=today() - timedelta(days=40))
    db.session.commit()
    return client


def test_reached_versus_attempt_counting(person, companion):
    assert health_of(person).never_reached and health_of(person).days == 40
    factories.make_contact(person, companion, outcome="attempt", days_ago=20)  # before: ignored
    factories.make_contact(person, companion, outcome="reached", days_ago=12)
    factories.make_contact(person, companion, outcome="attempt", days_ago=9)
    factories.make_contact(person, companion, outcome="attempt", days_ago=3, kind="call")
    health = health_of(person)
    assert (health.days, health.failed_attempts) == (12, 2)
    assert health.last_reached_on == today() - timedelta(days=12)
    factories.make_contact(person, companion, outcome="reached", days_ago=1)
    assert (health_of(person).days, health_of(person).failed_attempts) == (1, 0)


def test_attempts_without_any_reached_contact_count_from_registration(person, companion):
    for days in (30, 20, 10):
        factories.make_contact(person, companion, outcome="attempt", days_ago=days)
    health = health_of(person)
    assert health.never_reached and health.days == 40 and health.failed_attempts == 3


@pytest.mark.parametrize(
    ("phase", "days", "status"),
    [
        (Phase.OUTREACH, 0, OutreachStatus.OK),
        (Phase.OUTREACH, 4, OutreachStatus.OK),
        (Phase.OUTREACH, 5, OutreachStatus.DUE),
        (Phase.OUTREACH, 7, OutreachStatus.DUE),
        (Phase.OUTREACH, 8, OutreachStatus.OVERDUE),
        (Phase.OUTREACH, 14, OutreachStatus.OVERDUE),
        (Phase.OUTREACH, 15, OutreachStatus.AT_RISK),
        (Phase.TRAJECTORY, 14, OutreachStatus.DUE),
        (Phase.TRAJECTORY, 15, OutreachStatus.OVERDUE),
        (Phase.ACTIVATION, 43, OutreachStatus.AT_RISK),
        (Phase.AFTERCARE, 27, OutreachStatus.OK),
        (Phase.AFTERCARE, 31, OutreachStatus.OVERDUE),
    ],
)
def test_status_against_the_phase_cadence(app, phase, days, status):
    assert status_for(days, cadence_days(phase)) == status


def test_cadences_and_the_risk_threshold_are_admin_settings(
    as_companion, admin_user, team, companion
):
    from app.settings.registry import update_settings

    assert [cadence_days(p) for p in Phase] == [7, 7, 14, 21, 30, None]
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.make_contact(person, companion, days_ago=11)
    db.session.commit()
    assert 'data-outreach-status="overdue"' in as_companion.get("/caseload").get_data(True)
    update_settings({"cadence.outreach": 5, "reminders.escalation_factor": 2}, by=admin_user)
    db.session.commit()
    assert 'data-outreach-status="at_risk"' in as_companion.get("/caseload").get_data(True)
    update_settings({"reminders.escalation_factor": 3}, by=admin_user)
    db.session.commit()
    assert 'data-outreach-status="overdue"' in as_companion.get("/caseload").get_data(True)


# Calendar days in Brussels, around midnight and the daylight-saving changes of 2026
# (29 March: 02:00 -> 03:00; 25 October: 03:00 -> 02:00). Each case fails with UTC dates or
# with elapsed hours divided by 24.
CALENDAR_CASES = [
    # contact at (local)          now (local)                days since
    (brussels(2026, 6, 10, 0, 30), brussels(2026, 6, 10, 12, 0), 0),  # UTC still says 9 June
    (brussels(2026, 6, 9, 23, 30), brussels(2026, 6, 10, 0, 30), 1),  # one hour, next day
    (brussels(2026, 6, 9, 23, 59), brussels(2026, 6, 9, 23, 59, 59), 0),
    (brussels(2026, 3, 28, 23, 30), brussels(2026, 3, 29, 23, 30), 1),  # a 23-hour day
    (brussels(2026, 3, 29, 1, 30), brussels(2026, 3, 29, 3, 30), 0),  # across the jump
    (brussels(2026, 10, 24, 0, 30), brussels(2026, 10, 25, 23, 45), 1),  # a 25-hour day
    (brussels(2026, 10, 25, 2, 30), brussels(2026, 10, 26, 0, 10), 1),
]


@pytest.mark.parametrize(("contact_at", "now", "days"), CALENDAR_CASES)
def test_days_since_counts_calendar_days_in_brussels(team, companion, contact_at, now, days):
    with time_machine.travel(now.astimezone(UTC), tick=False):
        person = factories.make_client(
            team, companion, registered_on=contact_at.date() - timedelta(days=5)
        )
        contact = factories.make_contact(person, companion, when=contact_at)
        assert contact.occurred_on == contact_at.date()
        assert health_of(person).days == days


def test_the_form_stores_the_local_day_around_midnight(login, team, companion):
    now = brussels(2026, 6, 10, 0, 20)  # 22:20 UTC on 9 June
    with time_machine.travel(now.astimezone(UTC), tick=False):
        person = factories.make_client(team, companion, registered_on=now.date())
        db.session.commit()
        browser = login(companion)
        response = browser.post(
            f"/clients/{person.id}/contacts/new",
            data={
                "form_id": "0f8e7c6a-5b4d-4c3b-9a1f-0e2d3c4b5a69",
                "outcome": "reached", "kind": "outreach",
                "occurred_on": "2026-06-10", "occurred_time": "00:15",
            },
        )  # fmt: skip
        assert response.status_code == 302
        assert health_of(person).days == 0
        caseload = browser.get("/caseload").get_data(as_text=True)
        assert "0 dagen sinds het laatste bereikte contact" in caseload


def names_in_order(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: html.index(f">{n}<"))


def test_caseload_and_team_list_sort_by_days_since_reached_contact(
    as_companion, as_lead, team, companion
):
    long_ago = factories.make_client(team, companion, preferred_name="Anna",
                                     registered_on=today() - timedelta(days=30))  # fmt: skip
    factories.make_contact(long_ago, companion, days_ago=10)
    recent = factories.make_client(team, companion, preferred_name="Bert",
                                   registered_on=today() - timedelta(days=30))  # fmt: skip
    factories.make_contact(recent, companion, days_ago=2)
    factories.make_contact(recent, companion, days_ago=1, outcome="attempt")
    factories.make_client(team, companion, preferred_name="Cas",
                          registered_on=today() - timedelta(days=5))  # fmt: skip
    db.session.commit()
    expected = ["Anna", "Cas", "Bert"]  # 10 days, 5 (never reached), 2
    pages = ((as_companion, "/caseload?sort=contact"), (as_lead, "/clients?sort=contact"))
    for browser, url in pages:
        html = browser.get(url).get_data(as_text=True)
        assert names_in_order(html, expected) == expected, url
    html = as_companion.get("/caseload?sort=contact").get_data(as_text=True)
    anna = html[html.index('data-client="' + long_ago.code) :]
    assert 'data-outreach-status="overdue"' in anna[:200]
    assert "10 dagen sinds het laatste bereikte contact" in html
    assert "1 mislukte poging sindsdien" in html
    assert re.search(r'data-outreach-status="overdue">Te laat<', html)  # colour and text


@contextlib.contextmanager
def statements():
    found = []

    def listener(conn, cursor, statement, *args):
        found.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def test_lists_take_the_same_number_of_queries_for_1_or_20_clients(
    as_companion, as_lead, team, companion
):
    def add_clients(number):
        for _ in range(number):
            client = factories.make_client(
                team, companion, registered_on=today() - timedelta(days=20)
            )
            factories.make_contact(client, companion, days_ago=3)
            factories.make_contact(client, companion, days_ago=1, outcome="attempt")
        db.session.commit()

    def queries(browser, url):
        with statements() as found:
            assert browser.get(url).status_code == 200
        return len(found)

    add_clients(1)
    few = {url: queries(b, url) for b, url in ((as_companion, "/caseload"), (as_lead, "/clients"))}
    add_clients(19)
    many = {url: queries(b, url) for b, url in ((as_companion, "/caseload"), (as_lead, "/clients"))}
    assert many == few


def test_the_statistics_upsert_is_compiled_once(person, companion):
    """Each contact written rewrites its client's statistics with one upsert, which
    SQLAlchemy would compile anew every time (no cache key of its own): it is compiled once,
    and still writes what the contacts say."""
    from sqlalchemy.sql import compiler

    compiled = []
    original = compiler.SQLCompiler.__init__

    def counting(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if "client_contact_stats" in self.string and "ON CONFLICT" in self.string:
            compiled.append(self.string)

    factories.make_contact(person, companion, outcome="attempt", days_ago=5)
    compiler.SQLCompiler.__init__ = counting
    try:
        factories.make_contact(person, companion, outcome="reached", days_ago=3)
        factories.make_contact(person, companion, outcome="attempt", days_ago=1)
    finally:
        compiler.SQLCompiler.__init__ = original
    assert compiled == []  # compiled with the first contact, not again
    health = health_of(person)
    assert (health.days, health.failed_attempts) == (3, 1)
