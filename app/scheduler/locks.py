"""Only one scheduler is ever active: a file lock beside the SQLite database, or a
PostgreSQL advisory lock held on a dedicated connection. Both are released by the operating
system or the database server when the process dies, so a standby can take over.

The holder names itself: its host (NODE_NAME, the host name by default) and process id, in
the lock file or as the ``application_name`` of the lock's PostgreSQL connection, so that
``current_holder`` (``flask scheduler status``) can tell which of several hosts is active.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import sqlalchemy as sa

# "gezel" as a number: the advisory lock key shared by every scheduler of one database.
ADVISORY_KEY = 0x67657A656C
# The application_name of the lock's connection starts with this, then the holder.
APPLICATION_PREFIX = "gezel-scheduler "
# A host that vanishes (power, network) holds the advisory lock until the server notices its
# connection is dead: with these TCP keepalives within about a minute, not the operating
# system's default two hours. Settings of the lock's own session; no effect over a Unix socket.
KEEPALIVES = {"tcp_keepalives_idle": 30, "tcp_keepalives_interval": 10, "tcp_keepalives_count": 3}


def holder_identity(node: str) -> str:
    """Who holds the lock: the host (or NODE_NAME) and this process."""
    return f"{node} pid {os.getpid()}"


class FileLock:
    def __init__(self, path: Path, holder: str):
        self.path = path
        self.holder = holder
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
        handle.write(f"{self.holder}\n")
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

    def current_holder(self) -> str | None:
        """The holder written in the lock file while someone holds the lock, else None."""
        if not self.path.exists():
            return None
        with open(self.path) as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return handle.read().strip() or None  # held by another process
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return self.holder if self.still_held() else None


def _discard(connection: sa.Connection) -> None:
    """Close the lock's connection for good (not back into the pool)."""
    connection.invalidate()
    connection.close()


class AdvisoryLock:
    def __init__(self, engine: sa.Engine, holder: str):
        self.engine = engine
        self.holder = holder
        self._connection = None

    def try_acquire(self) -> bool:
        # The session is named before it takes the lock, so the holder is never unnamed, and
        # it watches its peer (KEEPALIVES). It never goes back into the pool: it carries them.
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        name = (APPLICATION_PREFIX + self.holder).encode()[:63].decode(errors="ignore")
        settings = {"application_name": name, **{k: str(v) for k, v in KEEPALIVES.items()}}
        try:
            for setting, value in settings.items():
                connection.execute(
                    sa.text("SELECT set_config(:setting, :value, false)"),
                    {"setting": setting, "value": value},
                )
            got = connection.execute(
                sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            ).scalar()
        except BaseException:
            _discard(connection)
            raise
        if not got:
            _discard(connection)
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
                _discard(self._connection)
                self._connection = None

    def current_holder(self) -> str | None:
        """The holder named by the session that holds the lock in this database, or None."""
        with self.engine.connect() as connection:
            name = connection.execute(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l"
                    " JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted"
                    " AND l.database = (SELECT oid FROM pg_database"
                    "                   WHERE datname = current_database())"
                    " AND l.classid = CAST(:high AS oid) AND l.objid = CAST(:low AS oid)"
                    " AND l.objsubid = 1"
                ),
                {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF},
            ).scalar()
        if name is None:
            return None
        return name.removeprefix(APPLICATION_PREFIX) or "unknown"


def lock_for(engine: sa.Engine, holder: str):
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, holder)
    database = engine.url.database
    if not database or database == ":memory:":
        raise RuntimeError("the scheduler needs a file database or PostgreSQL")
    return FileLock(Path(database + ".scheduler.lock"), holder)
