"""The last place of a session goes to one person only, even when several companions
register people at the same moment (a row lock on PostgreSQL, one writer at a time on SQLite)."""

from __future__ import annotations

import threading

from app.extensions import db
from app.groups.models import GroupRegistration
from tests import factories
from tests.conftest import count, sign_in
from tests.groups.conftest import plan_session


def test_concurrent_registrations_never_exceed_capacity(fresh_app):
    app = fresh_app()
    with app.app_context():
        team = factories.make_team("Team Noord")
        companions = [factories.make_user("companion", teams=[team]) for _ in range(5)]
        clients = [factories.make_client(team, c) for c in companions]
        session = plan_session(team, companions[0], capacity=2)
        db.session.commit()
        session_id = session.id
        browsers = []
        for companion in companions:
            browser = app.test_client()
            assert sign_in(browser, companion).status_code == 302
            browsers.append(browser)
        client_ids = [c.id for c in clients]
        db.session.remove()

    barrier = threading.Barrier(len(browsers))
    statuses: list[int] = []

    def register(browser, client_id):
        barrier.wait()
        response = browser.post(f"/groups/{session_id}/register", data={"c-client": str(client_id)})
        statuses.append(response.status_code)

    threads = [
        threading.Thread(target=register, args=(browser, client_id))
        for browser, client_id in zip(browsers, client_ids, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302, 302, 409, 409, 409]
    with app.app_context():
        assert count(GroupRegistration, GroupRegistration.session_id == session_id) == 2
