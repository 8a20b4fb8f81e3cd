"""Many people at once on one database: never a server error, nothing lost, every read audited.

A short version of the mixed load in `make bench` (scripts/bench_mixed_load.py): users read
client pages (each view writes an audit event), timelines, notes and exports, and post contacts,
while the reminder scan runs back to back. On SQLite a read transaction that later writes must
never fail with "database is locked"; on PostgreSQL the same load must pass too.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.api.tokens import create_token
from app.audit.models import AuditEvent
from app.auth.models import User
from app.contacts.models import Contact
from app.database import write_transaction
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.support.databases import BACKEND

pytestmark = pytest.mark.slow

USERS = 8
REQUESTS_PER_USER = 30


def _seed(app):
    with app.app_context():
        team = factories.make_team("Druk")
        lead = factories.make_user("lead", teams=[team])
        companions = [factories.make_user("companion", teams=[team]) for _ in range(USERS)]
        clients = []
        for number in range(USERS * 3):
            companion = companions[number % USERS]
            person = factories.make_client(
                team, companion, registered_on=today() - timedelta(days=30)
            )
            factories.make_contact(person, companion, days_ago=20)
            factories.make_note(person, companion, "sensitive", "Gevoelig verhaal")
            clients.append((companion.username, person.id))
        db.session.commit()
        return lead.username, [c.username for c in companions], clients


def _contact_form(form_id: str) -> dict:
    return {
        "form_id": form_id, "outcome": "reached", "kind": "outreach",
        "occurred_on": today().isoformat(), "occurred_time": "10:00",
        "next_step": f"load {form_id}",
    }  # fmt: skip


def test_mixed_load_with_scans_gives_no_server_error_and_loses_nothing(fresh_app):
    app = fresh_app()
    lead, companions, clients = _seed(app)
    own_clients = {name: [cid for user, cid in clients if user == name] for name in companions}

    statuses: Counter[tuple[str, int]] = Counter()
    acknowledged: list[str] = []
    viewed: Counter[int] = Counter()
    errors: list[BaseException] = []
    lock = threading.Lock()
    done = threading.Event()
    scans = 0

    def user(username: str, seed: int):
        chooser = random.Random(seed)
        browser = app.test_client()
        signed_in = browser.post(
            "/login", data={"username": username, "password": factories.PASSWORD}
        )
        assert signed_in.status_code == 302
        mine = own_clients.get(username) or [cid for _, cid in clients]
        for _ in range(REQUESTS_PER_USER):
            client_id = chooser.choice(mine)
            roll = chooser.random()
            if username == lead:
                kind, path = "export", "/exports/clients.csv"
            elif roll < 0.2:
                form_id = str(uuid.uuid4())
                response = browser.post(
                    f"/clients/{client_id}/contacts/new", data=_contact_form(form_id)
                )
                with lock:
                    statuses["contact post", response.status_code] += 1
                    if response.status_code == 302:
                        acknowledged.append(form_id)
                continue
            elif roll < 0.6:
                kind, path = "client page", f"/clients/{client_id}"
            elif roll < 0.8:
                kind, path = "timeline", f"/clients/{client_id}/timeline"
            else:
                kind, path = "notes", f"/clients/{client_id}/notes"
            response = browser.get(path)
            with lock:
                statuses[kind, response.status_code] += 1
                if kind == "client page" and response.status_code == 200:
                    viewed[client_id] += 1

    def run(target, *args):
        try:
            target(*args)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    def scanner():
        nonlocal scans
        from app.reminders.engine import scan

        while not done.is_set():
            with app.app_context(), write_transaction():
                scan()
                db.session.commit()
                db.session.remove()
            scans += 1
            # Back to back, with the short gap a new `flask reminders scan` process gives:
            # SQLite's lock is not fair, and a writer that takes it again at once starves
            # the others (the scheduler scans every 15 minutes).
            done.wait(0.05)

    scan_thread = threading.Thread(target=run, args=(scanner,))
    scan_thread.start()
    workers = [
        threading.Thread(target=run, args=(user, name, number))
        for number, name in enumerate([*companions, lead])
    ]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    done.set()
    scan_thread.join()

    assert errors == []
    assert scans >= 1
    server_errors = {key: n for key, n in statuses.items() if key[1] >= 500}
    assert server_errors == {}, statuses
    assert {status for _, status in statuses} <= {200, 302}, statuses
    assert sum(statuses.values()) == (USERS + 1) * REQUESTS_PER_USER

    with app.app_context():
        stored = Counter(
            db.session.scalars(
                sa.select(Contact.next_step).where(Contact.next_step.like("load %"))
            ).all()
        )
        assert stored == Counter(f"load {form_id}" for form_id in acknowledged)
        audited = Counter(
            int(object_id)
            for object_id in db.session.scalars(
                sa.select(AuditEvent.object_id).where(AuditEvent.action == "client.viewed")
            )
        )
        assert audited == viewed


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's busy timeout")
def test_a_lock_held_past_the_busy_timeout_is_a_503_with_nothing_saved_and_nothing_shown(
    fresh_app,
):
    app = fresh_app(SQLITE_BUSY_TIMEOUT_MS=200, WTF_CSRF_ENABLED=False)
    _, companions, clients = _seed(app)
    username, client_id = clients[0]
    browser = app.test_client()
    assert (
        browser.post("/login", data={"username": username, "password": factories.PASSWORD})
    ).status_code == 302
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(Contact.id)))

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        _, token = create_token(user, "tablet")
        db.session.commit()

    # Another process holds the write lock (a long import, say) for longer than the timeout.
    holder = sqlite3.connect(sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    holder.isolation_level = None
    holder.execute("BEGIN IMMEDIATE")
    try:
        posted = browser.post(
            f"/clients/{client_id}/contacts/new", data=_contact_form(str(uuid.uuid4()))
        )
        viewed = browser.get(f"/clients/{client_id}")
        # The API audits every use of a token: an answer that could not be audited is withheld.
        api = app.test_client().get(
            f"/api/v1/clients/{client_id}", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert "Tablet" not in api.get_data(as_text=True)

    for response in (posted, viewed):
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert "Er is niets veranderd" in response.get_data(as_text=True)
    # The client page was not shown: its view could not be audited.
    assert "Gevoelig verhaal" not in viewed.get_data(as_text=True)
    assert "Tablet" not in viewed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == before
    # Once the lock is free the same page works and its view is audited.
    assert browser.get(f"/clients/{client_id}").status_code == 200
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "client.viewed")
            )
            == 1
        )
