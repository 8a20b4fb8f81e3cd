"""Database plumbing: column types, SQLite connection settings and the session class."""

from __future__ import annotations

import enum
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import Engine


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC; use as a callable column default."""
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored in UTC that always comes back timezone-aware.

    PostgreSQL keeps the zone (timestamptz); SQLite stores text without one, so values are
    normalised to UTC on the way in and marked UTC on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[enum.Enum], length: int = 32) -> sa.Enum:
    """A Python enum stored as its value in a plain string column (no native DB enum).

    Strings keep migrations simple on both databases; the check constraint is skipped so a
    new member is a code change, not a schema change.
    """
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, but honouring an explicit ``bind``.

    Flask-SQLAlchemy always picks the engine for the model's bind key, which makes it
    impossible to join an outer transaction; the test suite binds each test's session to a
    connection whose transaction is rolled back afterwards.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # type: ignore[override]
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_write_transaction: ContextVar[bool] = ContextVar("write_transaction", default=False)


@contextmanager
def write_transaction():
    """Transactions begun inside take SQLite's write lock up front (BEGIN IMMEDIATE), for
    jobs and commands that read and then write (the reminder scan, data generation)."""
    token = _write_transaction.set(True)
    try:
        yield
    finally:
        _write_transaction.reset(token)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout and NORMAL sync on every SQLite connection.

    pysqlite's own transaction handling is switched off (the documented SQLAlchemy recipe),
    so that SAVEPOINT works and write requests can start with BEGIN IMMEDIATE: taking the
    write lock up front makes concurrent writers queue on the busy timeout instead of failing
    with "database is locked" when a read transaction tries to upgrade.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = _write_transaction.get() or (
            has_request_context() and request.method in _WRITE_METHODS
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite() -> bool:
    return current_app.extensions["sqlalchemy"].engine.dialect.name == "sqlite"


# Tables made by hand in migrations that the models do not describe (SQLite's FTS5 index
# and its shadow tables); autogenerate and the drift test leave them alone.
UNMODELLED_TABLE_PREFIXES = ("client_search",)


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES))
