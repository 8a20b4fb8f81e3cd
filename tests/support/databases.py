"""Throwaway databases for the test suite, on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

BACKEND = os.environ.get("GEZEL_TEST_BACKEND", "sqlite")
DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url() -> sa.engine.URL:
    raw = os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER_URL
    if raw.startswith(("postgres://", "postgresql://")):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    return sa.make_url(raw)


def postgres_reachable(timeout: int = 3) -> tuple[bool, str]:
    url = server_url().set(database="postgres")
    engine = sa.create_engine(url, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True, ""
    except sa.exc.SQLAlchemyError as exc:
        return False, str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    finally:
        engine.dispose()


@contextlib.contextmanager
def throwaway_database(directory: Path) -> Iterator[str]:
    """A new, empty database of the backend under test; dropped afterwards."""
    if BACKEND == "sqlite":
        path = directory / f"gezel-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        return
    name = f"gezel_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin_url = server_url().set(database="postgres")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url().set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
