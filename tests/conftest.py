"""Fixtures: an app per test session, an isolated database per test, clients per role.

Each test runs inside a transaction that is rolled back afterwards, so tests never see each
other's data. Requests made with the test client run in their own application context, as in
production, with their own session joined to that transaction.
"""

from __future__ import annotations

import contextlib

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.database import BoundSession, write_transaction
from app.extensions import db
from tests import factories
from tests.support.databases import BACKEND, throwaway_database
from tests.support.smtp import smtp_server  # noqa: F401  (a real SMTP server, as a fixture)


def pytest_report_header(config):
    return f"gezel database backend: {BACKEND}"


class IsolatedClient(FlaskClient):
    """A test client whose requests do not reuse the test's application context (so ``g``,
    the signed-in user and the database session are fresh for every request)."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            response = super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
        if has_app_context() and db.session.registry.has():
            db.session.expire_all()  # see what the request stored
        return response


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        yield url


def build_app(database_url: str, **overrides):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **overrides)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def fresh_app(tmp_path):
    """``fresh_app(**config)``: an app on its own new, migrated database whose data is
    really committed (for CSRF, start-up, concurrency and browser tests)."""
    with contextlib.ExitStack() as stack:

        def _make(**overrides):
            url = stack.enter_context(throwaway_database(tmp_path))
            app = build_app(url, **overrides)
            with app.app_context():
                upgrade()
                db.engine.dispose()
            stack.callback(lambda: _dispose(app))
            return app

        yield _make


def _dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def _app(database_url):
    app = build_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return app


@pytest.fixture
def app(_app):
    with _app.app_context():
        connection = db.engine.connect()
        with write_transaction():  # rolled back at the end: never restarted as a read (SQLite)
            outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "class_": BoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield _app
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def team(app):
    return factories.make_team("Team Noord")


@pytest.fixture
def other_team(app):
    return factories.make_team("Team Zuid")


@pytest.fixture
def admin_user(app):
    return factories.make_user("admin", username="admin1")


@pytest.fixture
def lead(app, team):
    return factories.make_user("lead", teams=[team], username="lead1")


@pytest.fixture
def companion(app, team):
    return factories.make_user("companion", teams=[team], username="gezel1")


@pytest.fixture
def buddy(app, team):
    return factories.make_user("buddy", teams=[team], username="buddy1")


def sign_in(client, user_or_name, password: str = factories.PASSWORD, follow: bool = False):
    username = getattr(user_or_name, "username", user_or_name)
    db.session.commit()  # make the user visible to the request's own session
    return client.post(
        "/login",
        data={"username": username, "password": password},
        follow_redirects=follow,
    )


@pytest.fixture
def login(app):
    """``login(user)`` returns a new test client signed in as ``user``."""

    def _login(user):
        client = app.test_client()
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _login


@pytest.fixture
def as_companion(login, companion):
    return login(companion)


@pytest.fixture
def as_lead(login, lead):
    return login(lead)


@pytest.fixture
def as_buddy(login, buddy):
    return login(buddy)


@pytest.fixture
def as_admin(login, admin_user):
    return login(admin_user)


def count(model, *criteria) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*criteria))
