"""Exactly once: a submission key stores one record, also when the same form arrives twice at
the same moment on different connections (the double tap on a slow network)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app import idempotency
from app.contacts.models import Contact
from app.errors import DomainError
from app.extensions import db
from app.idempotency import KeyRefused, SubmissionKey, once
from app.timeutil import today
from tests import factories
from tests.conftest import count


def test_once_returns_the_first_record(app, companion, team):
    person = factories.make_client(team, companion)
    key = idempotency.new_key()
    made = []

    def create():
        made.append(factories.make_note(person, companion, "team", "eenmaal"))
        return made[-1]

    from app.contacts.models import Note

    first, created = once(key, user=companion, model=Note, create=create)
    again, created_again = once(key, user=companion, model=Note, create=create)
    assert (created, created_again) == (True, False)
    assert again is first and len(made) == 1


def test_a_failing_create_keeps_nothing(app, companion, team):
    person = factories.make_client(team, companion)
    key = idempotency.new_key()

    def create():
        factories.make_note(person, companion, "team", "half")
        raise DomainError("nee")

    from app.contacts.models import Note

    with pytest.raises(DomainError):
        once(key, user=companion, model=Note, create=create)
    assert count(SubmissionKey) == 0 and count(Note) == 0
    # The same key can be used once the input is fixed.
    note, created = once(
        key, user=companion, model=Note,
        create=lambda: factories.make_note(person, companion, "team", "heel"),
    )  # fmt: skip
    assert created and note.body == "heel"


@pytest.mark.parametrize("key", [None, "", "kort", "x" * 81, "drop table; --" * 2])
def test_malformed_keys_are_refused(app, companion, key):
    with pytest.raises(KeyRefused):
        once(key, user=companion, model=Contact, create=lambda: None)


def test_a_key_belongs_to_one_user_and_one_kind_of_record(app, companion, team):
    person = factories.make_client(team, companion)
    from app.contacts.models import Note

    key = idempotency.new_key()
    once(key, user=companion, model=Note,
         create=lambda: factories.make_note(person, companion, "team", "a"))  # fmt: skip
    colleague = factories.make_user("companion", teams=[team])
    with pytest.raises(KeyRefused):
        once(key, user=colleague, model=Note, create=lambda: None)
    with pytest.raises(KeyRefused):
        once(key, user=companion, model=Contact, create=lambda: None)


def test_forget_older_than(app, companion, team):
    from app.database import utcnow

    person = factories.make_client(team, companion)
    from app.contacts.models import Note

    once(idempotency.new_key(), user=companion, model=Note,
         create=lambda: factories.make_note(person, companion, "team", "a"))  # fmt: skip
    assert idempotency.forget_older_than(utcnow() - timedelta(days=1)) == 0
    assert idempotency.forget_older_than(utcnow() + timedelta(seconds=1)) == 1


def test_the_scheduler_drops_submission_keys_past_their_retention(app, companion, team):
    import time_machine

    from app.contacts.models import Note
    from app.database import utcnow
    from app.scheduler.runner import build_scheduler, run_key_purge

    class HeldLock:
        def still_held(self):
            return True

    jobs = {job.id: job for job in build_scheduler(app, HeldLock()).get_jobs()}
    assert str(jobs["submission-key-purge"].trigger) == "cron[hour='3', minute='30']"
    assert app.config["SUBMISSION_KEY_DAYS"] == 30
    person = factories.make_client(team, companion)
    keys = {}
    for days_ago in (31, 29):
        with time_machine.travel(utcnow() - timedelta(days=days_ago)):
            keys[days_ago] = idempotency.new_key()
            once(keys[days_ago], user=companion, model=Note,
                 create=lambda: factories.make_note(person, companion, "team", "a"))  # fmt: skip
    db.session.commit()
    run_key_purge(app)
    assert set(db.session.scalars(sa.select(SubmissionKey.key))) == {keys[29]}
    assert count(Note) == 2  # the records stay; only their keys go


@pytest.mark.slow
def test_the_same_form_sent_at_once_from_many_connections_stores_one(fresh_app):
    """Eight simultaneous submissions of one form id, on the backend under test: one
    contact, and every submission answers as a success."""
    app = fresh_app()
    with app.app_context():
        team = factories.make_team("Gelijktijdig")
        companion = factories.make_user("companion", teams=[team])
        person = factories.make_client(team, companion, registered_on=today() - timedelta(days=3))
        db.session.commit()
        username, client_id = companion.username, person.id

    same_form = str(uuid.uuid4())
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    statuses, errors = [], []

    def submit(form_id):
        try:
            browser = app.test_client()
            browser.post("/login", data={"username": username, "password": factories.PASSWORD})
            barrier.wait()
            response = browser.post(
                f"/clients/{client_id}/contacts/new",
                data={"form_id": form_id, "outcome": "reached", "kind": "outreach",
                      "occurred_on": today().isoformat(), "occurred_time": "10:00",
                      "team_note": f"form {form_id}"},
            )  # fmt: skip
            statuses.append(response.status_code)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    forms = [same_form] * 4 + [str(uuid.uuid4()) for _ in range(threads_count - 4)]
    threads = [threading.Thread(target=submit, args=(f,)) for f in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and statuses == [302] * threads_count
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 5
        keys = db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionKey))
        assert keys == 5
        # Five contacts written at once for one client: its stored figures saw all of them.
        from app.contacts.models import ClientContactStats
        from app.contacts.outreach import computed_stats

        stored = db.session.execute(
            sa.select(
                ClientContactStats.client_id, ClientContactStats.last_reached_at,
                ClientContactStats.last_reached_on, ClientContactStats.failed_attempts,
                ClientContactStats.last_attempt_on,
            )
        ).all()  # fmt: skip
        assert [tuple(row) for row in stored] == [
            tuple(row) for row in db.session.execute(computed_stats())
        ]


def test_a_request_key_replays_only_the_request_it_came_with(app, companion, team):
    """An API key carries the fingerprint of its request: the same request replays the
    record, another one with the same key is refused (KeyReused, a 422)."""
    from app.contacts.models import Note

    person = factories.make_client(team, companion)
    plain = idempotency.new_key()
    body = {"kind": "call", "outcome": "reached"}
    same = idempotency.fingerprint("POST", "/api/v1/clients/1/contacts", body)
    assert same == idempotency.fingerprint(
        "post", "/api/v1/clients/1/contacts", dict(reversed(body.items()))
    )
    other = idempotency.fingerprint(
        "POST", "/api/v1/clients/1/contacts", {**body, "kind": "office"}
    )
    made = []

    def create():
        made.append(factories.make_note(person, companion, "team", "eenmaal"))
        return made[-1]

    first, created = once(idempotency.Key(plain, same), user=companion, model=Note, create=create)
    again, created_again = once(
        idempotency.Key(plain, same), user=companion, model=Note, create=create
    )
    assert (created, created_again) == (True, False) and again is first
    with pytest.raises(idempotency.KeyReused) as refused:
        once(idempotency.Key(plain, other), user=companion, model=Note, create=create)
    assert refused.value.status == 422
    assert db.session.scalar(sa.select(SubmissionKey.fingerprint)) == same
    assert len(made) == 1


def test_form_keys_have_no_fingerprint_and_replay_as_before(app, companion, team):
    from app.contacts.models import Note

    person = factories.make_client(team, companion)
    key = idempotency.new_key()
    first, _ = once(key, user=companion, model=Note,
                    create=lambda: factories.make_note(person, companion, "team", "a"))  # fmt: skip
    again, created = once(key, user=companion, model=Note, create=lambda: None)
    assert again is first and not created
    assert db.session.scalar(sa.select(SubmissionKey.fingerprint)) is None
