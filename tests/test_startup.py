"""Start-up rules: production safety, unreachable databases, demo data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.models import User
from app.demo.seed import DEMO_ACCOUNTS
from app.extensions import db
from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS_KEY = "kLpl7l3yrDq0T3Y2R3m3H6O4sXnZ2k3G0b9bU6c1q2E="  # a Fernet key, for the tests only


def test_production_refuses_without_secret_key(fresh_app):
    url = fresh_app().config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app("production", SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=url)


def test_production_refuses_demo_data(fresh_app):
    app = fresh_app()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "seed"])
        assert result.exit_code == 0, result.output
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(SystemExit, match="demo accounts"):
        create_app(
            "production", SECRET_KEY="x" * 32, DOCUMENTS_KEY=DOCUMENTS_KEY,
            SQLALCHEMY_DATABASE_URI=url,
        )  # fmt: skip


def test_production_starts_on_a_clean_database(fresh_app):
    url = fresh_app().config["SQLALCHEMY_DATABASE_URI"]
    app = create_app(
        "production", SECRET_KEY="x" * 32, DOCUMENTS_KEY=DOCUMENTS_KEY, SQLALCHEMY_DATABASE_URI=url
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_without_a_documents_key(fresh_app):
    url = fresh_app().config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(SystemExit, match="DOCUMENTS_KEY is not set"):
        create_app(
            "production", SECRET_KEY="x" * 32, DOCUMENTS_KEY=None, SQLALCHEMY_DATABASE_URI=url
        )


@pytest.mark.parametrize("env", ["production", "development"])
def test_a_documents_key_that_is_not_a_fernet_key_stops_the_start(fresh_app, env):
    url = fresh_app().config["SQLALCHEMY_DATABASE_URI"]
    with pytest.raises(SystemExit, match="DOCUMENTS_KEY is not a valid Fernet key"):
        create_app(env, SECRET_KEY="x" * 32, DOCUMENTS_KEY="geheim", SQLALCHEMY_DATABASE_URI=url)


def test_unreachable_database_is_a_clear_message_not_a_traceback(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "GEZEL_ENV": "development",
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "FLASK_APP": "run.py",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "db", "current"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_seed_creates_the_four_accounts_once(fresh_app):
    app = fresh_app()
    runner = app.test_cli_runner()
    with app.app_context():
        first = runner.invoke(args=["demo", "seed", "--if-empty"])
        assert first.exit_code == 0, first.output
        second = runner.invoke(args=["demo", "seed", "--if-empty"])
        assert "nothing seeded" in second.output
        refused = runner.invoke(args=["demo", "seed"])
        assert refused.exit_code != 0
        usernames = set(db.session.scalars(sa.select(User.username)))
        assert usernames == {account[0] for account in DEMO_ACCOUNTS}
        client = app.test_client()
        for username in usernames:
            response = sign_in(client, username, app.config["DEMO_PASSWORD"])
            assert response.status_code == 302, username
            client.post("/logout")
