"""Only one scheduler is ever active: a file lock beside the SQLite database, or a
PostgreSQL advisory lock held on a dedicated connection. Both are released by the operating
system or the database server when the process dies, so a standby can take over."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import sqlalchemy as sa

# "gezel" as a number: the advisory lock key shared by every scheduler of one database.
ADVISORY_KEY = 0x67657A656C


class FileLock:
    def __init__(self, path: Path):
        self.path = path
        self._handle = None

    def try_acquire(self) -> bool:
        handle = open(self.path, "a+")  # noqa: SIM115 — held open for the process's life
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle
        return True

    def still_held(self) -> bool:
        return self._handle is not None and not self._handle.closed

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


class AdvisoryLock:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._connection = None

    def try_acquire(self) -> bool:
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def still_held(self) -> bool:
        """False when the lock's connection broke (then the lock is gone on the server)."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
            finally:
                self._connection.close()
                self._connection = None


def lock_for(engine: sa.Engine):
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        raise RuntimeError("the scheduler needs a file database or PostgreSQL")
    return FileLock(Path(database + ".scheduler.lock"))
