"""Backups you can restore (issue 16, item 6): `flask backup create` while ten people post
contacts gives one consistent snapshot, `flask backup restore` brings it back into another
database, a database with data is only overwritten with --force, a file that is not a backup
is refused with a clear message and nothing changed; the scheduler's daily backup keeps the
newest BACKUP_KEEP. On both backends (PostgreSQL: pg_dump and pg_restore)."""

from __future__ import annotations

import shutil
import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.contacts.models import Contact
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import build_app
from tests.support.databases import BACKEND, throwaway_database

pytestmark = pytest.mark.slow

if BACKEND == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
    pytest.skip(
        "pg_dump/pg_restore are not installed (apt-get install postgresql-client)",
        allow_module_level=True,
    )

WRITERS = 10
CONTACTS_PER_WRITER = 6
SUFFIX = ".sqlite3" if BACKEND == "sqlite" else ".dump"


def _seed(app) -> list[tuple[str, int]]:
    with app.app_context():
        team = factories.make_team("Back-up")
        pairs = []
        for _ in range(WRITERS):
            companion = factories.make_user("companion", teams=[team])
            person = factories.make_client(
                team, companion, registered_on=today() - timedelta(days=10)
            )
            pairs.append((companion.username, person.id))
        db.session.commit()
        db.session.remove()
        return pairs


def _contact_form(mark: str) -> dict:
    return {
        "form_id": mark, "outcome": "reached", "kind": "outreach",
        "occurred_on": today().isoformat(), "occurred_time": "10:00", "next_step": f"load {mark}",
    }  # fmt: skip


def _stored(app) -> dict:
    """What a restored database holds: the posted contacts, their audit events, users."""
    with app.app_context():
        marks = set(
            db.session.scalars(sa.select(Contact.next_step).where(Contact.next_step.like("load %")))
        )
        logged = db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "contact.logged")
        )
        users = db.session.scalar(sa.select(sa.func.count(User.id)))
        db.session.remove()
        db.engine.dispose()
    return {"marks": marks, "logged": logged, "users": users}


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=list(args))
    with app.app_context():
        db.engine.dispose()
    return result


def test_a_backup_taken_while_ten_people_post_contacts_restores_what_was_acknowledged(
    fresh_app, tmp_path
):
    app = fresh_app()
    pairs = _seed(app)
    acknowledged: list[str] = []
    statuses: list[int] = []
    lock = threading.Lock()
    some_written = threading.Event()
    errors: list[BaseException] = []

    def writer(username: str, client_id: int):
        try:
            browser = app.test_client()
            login = browser.post(
                "/login", data={"username": username, "password": factories.PASSWORD}
            )
            assert login.status_code == 302
            for _ in range(CONTACTS_PER_WRITER):
                mark = str(uuid.uuid4())
                response = browser.post(
                    f"/clients/{client_id}/contacts/new", data=_contact_form(mark)
                )
                with lock:
                    statuses.append(response.status_code)
                    if response.status_code == 302:
                        acknowledged.append(f"load {mark}")
                    if len(acknowledged) >= WRITERS:
                        some_written.set()
        except BaseException as error:
            errors.append(error)
            some_written.set()

    threads = [threading.Thread(target=writer, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    assert some_written.wait(timeout=300)
    with lock:
        before = set(acknowledged)
    during = tmp_path / f"during{SUFFIX}"
    made = _cli(app, "backup", "create", str(during))
    with lock:
        after = set(acknowledged)
    for thread in threads:
        thread.join()
    assert errors == []
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output
    assert set(statuses) == {302}
    assert len(acknowledged) == WRITERS * CONTACTS_PER_WRITER

    with throwaway_database(tmp_path) as url:
        target = build_app(url)
        restored = _cli(target, "backup", "restore", str(during))
        assert restored.exit_code == 0, restored.output
        snapshot = _stored(target)
        # Every write acknowledged before the backup began is in it; nothing that was not
        # (about to be) acknowledged; and each contact with its audit event: one snapshot.
        assert before <= snapshot["marks"] <= set(acknowledged)
        assert len(snapshot["marks"]) <= len(after) + WRITERS  # at most one in flight each
        assert snapshot["logged"] == len(snapshot["marks"])
        assert snapshot["users"] == WRITERS

        final = tmp_path / "final"
        final.mkdir()
        assert _cli(app, "backup", "create", str(final)).exit_code == 0
        (written,) = final.glob(f"gezel-*{SUFFIX}")

        refused = _cli(target, "backup", "restore", str(written))
        assert refused.exit_code == 1
        assert "The database is not empty" in refused.output and "--force" in refused.output
        assert _stored(target) == snapshot  # nothing changed

        forced = _cli(target, "backup", "restore", str(written), "--force")
        assert forced.exit_code == 0, forced.output
        complete = _stored(target)
        assert complete["marks"] == set(acknowledged)
        assert complete["logged"] == WRITERS * CONTACTS_PER_WRITER
        # The restored database works for the app: a writer signs in and sees their client.
        browser = target.test_client()
        username, client_id = pairs[0]
        browser.post("/login", data={"username": username, "password": factories.PASSWORD})
        assert browser.get(f"/clients/{client_id}").status_code == 200
        with target.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(fresh_app, tmp_path):
    app = fresh_app()
    _seed(app)
    before = _stored(app)
    text = tmp_path / "notes.txt"
    text.write_text("not a backup\n" * 10)
    refused = _cli(app, "backup", "restore", str(text), "--force")
    assert refused.exit_code == 1
    assert f"{text} is not a backup" in refused.output
    missing = _cli(app, "backup", "restore", str(tmp_path / "nothing.dump"))
    assert missing.exit_code == 1 and "is not a file" in missing.output

    # A database file of another application (SQLite) or a truncated dump (PostgreSQL).
    other = tmp_path / f"other{SUFFIX}"
    if BACKEND == "sqlite":
        import sqlite3

        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE recipe (name TEXT)")
        expected = "is a SQLite database, but not one of Gezel"
    else:
        good = tmp_path / "good.dump"
        assert _cli(app, "backup", "create", str(good)).exit_code == 0
        other.write_bytes(good.read_bytes()[:200])
        expected = "damaged or incomplete"
    refused = _cli(app, "backup", "restore", str(other), "--force")
    assert refused.exit_code == 1 and expected in refused.output
    assert _stored(app) == before


def test_a_backup_never_overwrites_a_file(fresh_app, tmp_path):
    app = fresh_app()
    existing = tmp_path / f"existing{SUFFIX}"
    existing.write_text("keep me")
    result = _cli(app, "backup", "create", str(existing))
    assert result.exit_code == 1 and "exists already" in result.output
    assert existing.read_text() == "keep me"


def test_the_daily_backup_keeps_the_newest(fresh_app, tmp_path):
    from app.scheduler.runner import run_backup

    directory = tmp_path / "daily"
    app = fresh_app(BACKUP_DIR=str(directory), BACKUP_KEEP=2)
    _seed(app)
    directory.mkdir()
    for day in ("20261201", "20261202", "20261203"):
        (directory / f"gezel-{day}T021500Z{SUFFIX}").write_text("old")
    run_backup(app)
    kept = sorted(p.name for p in directory.iterdir())
    assert len(kept) == 2
    assert kept[0] == f"gezel-20261203T021500Z{SUFFIX}"
    newest = directory / kept[1]
    with throwaway_database(tmp_path) as url:
        target = build_app(url)
        assert _cli(target, "backup", "restore", str(newest)).exit_code == 0
        assert _stored(target)["users"] == WRITERS
