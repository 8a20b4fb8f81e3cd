"""Database plumbing: column types, SQLite connection settings and the session class."""

from __future__ import annotations

import enum
import re
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
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
_READ_SNAPSHOT = "gezel_sqlite_read_snapshot"  # connection.info: a deferred transaction


@contextmanager
def write_transaction():
    """Transactions begun inside take SQLite's write lock up front (BEGIN IMMEDIATE), for
    jobs and commands that read and then write (the reminder scan, data generation)."""
    token = _write_transaction.set(True)
    try:
        yield
    finally:
        _write_transaction.reset(token)


# Statements that need SQLite's write lock. A temporary table lives in the connection's own
# temp database and needs no lock on the main one.
_WRITE_STATEMENT = re.compile(
    r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|CREATE(?!\s+TEMP)|DROP|ALTER)\b",
    re.IGNORECASE,
)


_SESSION_SETTING = re.compile(r"^([a-z_]+)=([A-Za-z0-9_.]+)$")


def postgres_engine_options(engine_options: dict, settings: str) -> dict:
    """``engine_options`` with POSTGRES_SESSION_SETTINGS ("name=value" pairs, separated by
    spaces or commas) passed as libpq's startup ``options``: every connection starts with
    them, the scheduler's and the migrations' as well as the web workers', with no statement
    of its own and nothing a rolled-back transaction could undo. A malformed pair stops the
    start with its name; an unknown setting is refused by PostgreSQL on the first connection."""
    options = []
    for pair in settings.replace(",", " ").split():
        match = _SESSION_SETTING.match(pair)
        if match is None:
            raise ValueError(f"POSTGRES_SESSION_SETTINGS: {pair!r} is not name=value")
        options.append(f"-c {match.group(1)}={match.group(2)}")
    if not options:
        return engine_options
    connect_args = dict(engine_options.get("connect_args", {}))
    connect_args["options"] = " ".join(filter(None, [connect_args.get("options"), *options]))
    return {**engine_options, "connect_args": connect_args}


def configure_sqlite(engine: Engine, busy_timeout_ms: int, mmap_bytes: int = 0) -> None:
    """WAL, foreign keys, a busy timeout, NORMAL sync and memory-mapped reads of up to
    ``mmap_bytes`` (SQLITE_MMAP_BYTES) on every SQLite connection, and transactions that never
    fail with "database is locked" when they write.

    pysqlite's own transaction handling is switched off (the documented SQLAlchemy recipe),
    so that SAVEPOINT works and transactions begin the way Gezel chooses:

    - write requests (POST, PUT, PATCH, DELETE) and ``write_transaction()`` blocks begin with
      BEGIN IMMEDIATE: the write lock is taken up front, so concurrent writers queue on the
      busy timeout;
    - everything else begins a plain (deferred) read transaction. SQLite cannot upgrade a read
      transaction to a write when another connection has committed since its snapshot: it
      fails at once with SQLITE_BUSY, without waiting. So right before the first statement
      that writes, such a transaction ends its read snapshot (nothing was written yet) and
      begins again with BEGIN IMMEDIATE, waiting its turn for the lock. Later reads see what
      others committed meanwhile: the READ COMMITTED visibility that PostgreSQL gives anyway.
      The write lock is then held only from the first write to the commit, which is why audit
      events of read requests are written at commit time (see app/audit/services.py).

    A caller that owns a transaction it will roll back (the test suite's outer transaction)
    begins it inside ``write_transaction()``, so it is never restarted.
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
        cursor.execute(f"PRAGMA mmap_size = {max(int(mmap_bytes), 0)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = _write_transaction.get() or (
            has_request_context()
            and request.method in _WRITE_METHODS
            and not g.get("database_busy")  # the busy page is rendered reading only
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        connection.info[_READ_SNAPSHOT] = not immediate

    @event.listens_for(engine, "before_cursor_execute")
    def _before_write(connection, cursor, statement, parameters, context, executemany):
        if not connection.info.get(_READ_SNAPSHOT) or not _WRITE_STATEMENT.match(statement):
            return
        connection.info[_READ_SNAPSHOT] = False
        driver = connection.connection.driver_connection
        driver.execute("COMMIT")  # ends the read snapshot; nothing was written in it
        try:
            driver.execute("BEGIN IMMEDIATE")  # waits its turn for the write lock
        except sqlite3.OperationalError as error:
            driver.execute("BEGIN")  # still inside a transaction, as SQLAlchemy believes
            raise sa.exc.OperationalError(statement, parameters, error) from error

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection):
        connection.info[_READ_SNAPSHOT] = False


def is_lock_timeout(error: BaseException) -> bool:
    """True for SQLite's "database is locked" after the busy timeout ran out: the database was
    busy, the request did nothing wrong (answered with 503 and Retry-After, never a 500)."""
    original = getattr(error, "orig", error)
    return isinstance(original, sqlite3.OperationalError) and "locked" in str(original)


# Tables made by hand in migrations that the models do not describe (SQLite's FTS5 index
# and its shadow tables); autogenerate and the drift test leave them alone.
UNMODELLED_TABLE_PREFIXES = ("client_search",)


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES))
