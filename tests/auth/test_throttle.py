"""Sign-in throttling slows guessing down without locking the real user out.

The clock is controlled (time-machine): each test travels to a fixed moment and moves on
from there, so the delays are checked to the second.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.audit.models import AuditEvent
from app.auth.models import LoginAttempt
from app.extensions import db
from tests import factories
from tests.conftest import count

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
HOME = "10.0.0.10"  # where the user has signed in before
ATTACKER = "10.6.6.6"
ELSEWHERE = "10.7.7.7"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def attempt(client, user, password=factories.PASSWORD, address=HOME):
    db.session.commit()
    response = client.post(
        "/login",
        data={"username": user.username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    if response.status_code == 302:
        client.post("/logout", environ_base={"REMOTE_ADDR": address})
    return response.status_code


def fail(client, user, times, address=ATTACKER):
    return [attempt(client, user, "wrong password!", address) for _ in range(times)]


def test_throttled_attempts_do_not_extend_the_delay(app, client, companion, clock):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert fail(client, companion, limit) == [401] * limit
    # The next attempt waits 2^5 = 32 seconds after the last failure; trying again meanwhile
    # (even with the right password) is refused, recorded, and changes nothing.
    for _ in range(3):
        clock.shift(10)
        assert attempt(client, companion, address=ELSEWHERE) == 429
    assert count(LoginAttempt, LoginAttempt.succeeded.is_(False)) == limit
    throttled = count(AuditEvent, AuditEvent.action == "auth.sign_in_throttled")
    assert throttled == 3
    clock.shift(3)  # 33 seconds after the last failure
    assert attempt(client, companion, address=ELSEWHERE) == 302


def test_the_delay_grows_with_each_failure_up_to_a_cap(app, client, companion, clock):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    cap = app.config["LOGIN_DELAY_MAX_SECONDS"]
    fail(client, companion, limit)
    for failures in range(limit, limit + 6):
        delay = min(2**failures, cap)
        clock.shift(delay - 1)
        assert attempt(client, companion, "wrong password!") == 429, failures
        clock.shift(1)
        assert attempt(client, companion, "wrong password!") == 401, failures
    assert min(2 ** (limit + 6), cap) == cap  # the last rounds waited the cap, not more
    clock.shift(cap - 1)
    assert attempt(client, companion, address=ELSEWHERE) == 429
    clock.shift(1)
    assert attempt(client, companion, address=ELSEWHERE) == 302


def test_the_message_says_how_long_to_wait(app, client, companion, clock):
    fail(client, companion, app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])
    clock.shift(2)
    response = client.post(
        "/login", data={"username": companion.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.get_data(as_text=True)
    assert "30 seconden" in response.get_data(as_text=True)


def test_the_real_user_gets_in_from_a_known_address_while_an_attacker_hammers(
    app, client, companion, clock
):
    assert attempt(client, companion, address=HOME) == 302  # signed in from home before
    clock.shift(timedelta(days=3))
    attacker = app.test_client()
    statuses = []
    for _ in range(60):
        statuses.append(attempt(attacker, companion, "wrong password!", ATTACKER))
        clock.shift(7)
    assert 429 in statuses
    # From the address with a good history the failures elsewhere do not count.
    assert attempt(client, companion, address=HOME) == 302
    # From an address the account has never used, the delay holds.
    clock.shift(1)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert fail(attacker, companion, limit, "10.6.6.7") == [401] * limit
    assert attempt(app.test_client(), companion, address=ELSEWHERE) == 429


def test_failures_from_the_known_address_still_delay_it(app, client, companion, clock):
    assert attempt(client, companion, address=HOME) == 302
    clock.shift(timedelta(hours=1))
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    assert fail(client, companion, limit, HOME) == [401] * limit
    assert attempt(client, companion, address=HOME) == 429


def test_an_address_is_known_for_a_limited_time(app, client, companion, clock):
    assert attempt(client, companion, address=HOME) == 302
    clock.shift(timedelta(days=app.config["LOGIN_TRUSTED_ADDRESS_DAYS"] + 1))
    fail(client, companion, app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], ATTACKER)
    assert attempt(client, companion, address=HOME) == 429


def test_throttled_attempts_do_not_extend_the_address_window(app, client, companion, clock):
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    try:
        for number in range(3):
            user = factories.make_user("buddy", username=f"someone{number}")
            fail(client, user, 1, ATTACKER)
        window = app.config["LOGIN_WINDOW_MINUTES"] * 60
        for _ in range(10):  # keep trying through the whole window: all throttled
            clock.shift(window // 10 - 1)
            assert attempt(client, companion, address=ATTACKER) == 429
        clock.shift(11)
        assert attempt(client, companion, address=ATTACKER) == 302
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 20
    details = db.session.scalars(
        sa.select(AuditEvent.details).where(AuditEvent.action == "auth.sign_in_throttled")
    ).all()
    assert details and all(d == {"reason": "address"} for d in details)
