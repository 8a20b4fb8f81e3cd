"""Taking and restoring backups of Gezel's database.

SQLite: an online copy through SQLite's backup API (``sqlite3.Connection.backup``), taken in
one step, so it is one consistent snapshot even while the app writes (WAL mode). PostgreSQL:
``pg_dump`` in its custom format (a consistent snapshot too), restored with ``pg_restore`` in
one transaction. A restore checks the file first (a backup of this backend, with Gezel's
schema) and refuses to overwrite a database that holds data unless forced: a refused restore
changes nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SQLITE_SUFFIX = ".sqlite3"
PGDUMP_SUFFIX = ".dump"
PREFIX = "gezel-"


class BackupError(Exception):
    """A refusal with a message for the operator; nothing was changed."""


@dataclass(frozen=True)
class Database:
    """The database to back up or restore into, from its SQLAlchemy URL."""

    url: sa.engine.URL

    @classmethod
    def from_url(cls, url: str | sa.engine.URL) -> Database:
        return cls(sa.make_url(url))

    @property
    def backend(self) -> str:
        return self.url.get_backend_name()  # "sqlite" or "postgresql"

    @property
    def sqlite_path(self) -> Path:
        if not self.url.database or self.url.database == ":memory:":
            raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
        return Path(self.url.database)

    @property
    def suffix(self) -> str:
        return SQLITE_SUFFIX if self.backend == "sqlite" else PGDUMP_SUFFIX

    def pg_environment(self) -> dict[str, str]:
        """libpq's variables for pg_dump and pg_restore (the password not on the command
        line, where other users of the machine could read it)."""
        env = dict(os.environ)
        for name, value in (
            ("PGHOST", self.url.host),
            ("PGPORT", self.url.port),
            ("PGUSER", self.url.username),
            ("PGPASSWORD", self.url.password),
            ("PGDATABASE", self.url.database),
        ):
            if value is not None:
                env[name] = str(value)
        return env


def default_name(database: Database, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"{PREFIX}{moment}{database.suffix}"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"'{name}' was not found. Install the PostgreSQL client tools (Debian: "
            f"apt-get install postgresql-client) of the server's major version or newer."
        )
    return path


def create(database: Database, target: Path) -> Path:
    """Write a backup of ``database`` to ``target`` (a file, or a directory for a
    time-stamped file in it); returns the file. Written next to it first, then renamed, so
    a file with the final name is always a complete backup."""
    target = Path(target)
    if target.is_dir():
        target = target / default_name(database)
    if target.exists():
        raise BackupError(f"{target} exists already; choose another name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        if database.backend == "sqlite":
            _sqlite_backup(database.sqlite_path, partial)
        elif database.backend == "postgresql":
            _run(
                [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--file={partial}"],
                database,
            )  # fmt: skip
        else:
            raise BackupError(f"Backups of {database.backend} databases are not supported.")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot
    finally:
        dst.close()
        src.close()


def _run(command: list[str], database: Database) -> None:
    result = subprocess.run(
        command, env=database.pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            f"{Path(command[0]).name} failed: {detail[-1] if detail else result.returncode}"
        )


def check_backup(database: Database, path: Path) -> None:
    """Refuse a file that is not a Gezel backup for this database's backend."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as handle:
        head = handle.read(16)
    if database.backend == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            kind = " (a PostgreSQL dump)" if head.startswith(PGDUMP_MAGIC) else ""
            raise BackupError(f"{path} is not a backup of a SQLite database{kind}.")
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
                if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError(f"{path} is damaged (SQLite's quick check failed).")
                tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a readable SQLite database: {error}.") from None
        if not {"alembic_version", "user"} <= tables:
            raise BackupError(f"{path} is a SQLite database, but not one of Gezel.")
        return
    if not head.startswith(PGDUMP_MAGIC):
        kind = " (a SQLite database)" if head.startswith(SQLITE_MAGIC) else ""
        raise BackupError(
            f"{path} is not a backup made by 'flask backup create' on PostgreSQL "
            f"(pg_dump's custom format){kind}."
        )
    listing = subprocess.run(
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore: it is damaged or incomplete.")
    if "TABLE DATA public alembic_version" not in listing.stdout:
        raise BackupError(f"{path} is a PostgreSQL dump, but not one of Gezel.")


def holds_data(database: Database) -> bool:
    """Does any table (but Alembic's version table) have a row?"""
    if database.backend == "sqlite" and not database.sqlite_path.exists():
        return False
    engine = sa.create_engine(database.url)
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            for table in inspector.get_table_names():
                if table == "alembic_version":
                    continue
                quoted = connection.dialect.identifier_preparer.quote(table)
                if connection.execute(sa.text(f"SELECT 1 FROM {quoted} LIMIT 1")).first():
                    return True
        return False
    finally:
        engine.dispose()


def restore(database: Database, path: Path, *, force: bool = False) -> None:
    """Replace the contents of ``database`` with the backup at ``path``.

    Refused (nothing changed) when the file is not a Gezel backup of this backend, or when
    the database holds data and ``force`` is not given. Stop the app and the scheduler first.
    """
    path = Path(path)
    check_backup(database, path)
    if holds_data(database) and not force:
        raise BackupError(
            "The database is not empty. Restoring replaces everything in it: run again with "
            "--force if that is what you want (take a backup of it first)."
        )
    if database.backend == "sqlite":
        target = database.sqlite_path
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # replaces every page of the target, in one transaction
        finally:
            dst.close()
            src.close()
        return
    _run(
        [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
         "--single-transaction", "--exit-on-error", f"--dbname={database.url.database}",
         str(path)],
        database,
    )  # fmt: skip


def prune(directory: Path, keep: int, suffix: str) -> list[Path]:
    """Remove all but the newest ``keep`` backups (by name: they are time-stamped) of the
    given kind in ``directory``; returns the removed files."""
    backups = sorted(directory.glob(f"{PREFIX}*{suffix}"))
    old = backups[: max(len(backups) - max(keep, 1), 0)]
    for file in old:
        file.unlink()
    return old
