"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.database import include_name
from app.extensions import db
from tests.conftest import build_app
from tests.support.databases import throwaway_database


def schema_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "render_as_batch": True, "include_name": include_name},
        )
        return compare_metadata(context, db.metadata)


def test_migrations_match_models_and_downgrade(tmp_path):
    with throwaway_database(tmp_path) as url:
        app = build_app(url)
        with app.app_context():
            upgrade()
            assert schema_differences(db.engine) == []
            downgrade(revision="base")
            tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert tables == set()
            upgrade()  # and up again from nothing
            assert schema_differences(db.engine) == []
            db.engine.dispose()


def test_sqlite_connections_are_tuned(tmp_path):
    app = build_app(f"sqlite:///{tmp_path}/tuned.db")
    with app.app_context(), db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        assert pragma("synchronous") == 1  # NORMAL
    with app.app_context():
        db.engine.dispose()


def test_notes_removed_before_the_upgrade_lose_their_text(tmp_path):
    """The data migration clears what removals kept until now (app/contacts/removal.py)."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from app.contacts.models import Contact, ContactRevision, Note, NoteRevision
    from app.database import utcnow
    from tests import factories

    with throwaway_database(tmp_path) as url:
        app = build_app(url)
        with app.app_context():
            upgrade()
            team = factories.make_team("Team Oost")
            author = factories.make_user("companion", teams=[team])
            client = factories.make_client(team, author)
            kept = factories.make_note(client, author, "team", "BLIJFT-staan")
            gone = factories.make_note(client, author, "sensitive", "WEG-nu")
            gone.revisions.append(NoteRevision(level=gone.level, body="WEG-vroeger", reason="x"))
            contact = factories.make_contact(
                client, author, place="WEG-plaats", next_step="WEG-stap", notes={"team": "WEG-c"}
            )
            contact.revisions.append(ContactRevision(snapshot={"place": "WEG-oud"}, reason="x"))
            for row in [gone, contact, *contact.notes]:
                row.deleted_at, row.deleted_by_id, row.deletion_reason = utcnow(), author.id, "x"
            db.session.commit()
            ids, author_id = (kept.id, gone.id, contact.id), author.id
            db.session.remove()  # no read transaction (and its snapshot) left open
            config = Migrate(app, db).get_config()  # the revision before this one, whatever
            before = ScriptDirectory.from_config(config).get_revision("0016").down_revision
            downgrade(revision=before)  # the chain becomes when merged
            upgrade()
            bodies = dict(db.session.execute(sa.select(Note.id, Note.body)).all())
            assert bodies[ids[0]] == "BLIJFT-staan"
            assert [body for note_id, body in bodies.items() if note_id != ids[0]] == ["", ""]
            row = db.session.get(Contact, ids[2])
            assert (row.place, row.next_step, row.deleted_by_id) == (None, None, author_id)
            assert db.session.scalar(sa.select(sa.func.count()).select_from(NoteRevision)) == 0
            assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactRevision)) == 0
            db.session.remove()
            db.engine.dispose()


def test_clients_registered_before_the_upgrade_are_found(tmp_path):
    """Migration 0023 fills the name keys of the clients already there (tolerant search)."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from app.clients.matching import find_clients
    from app.clients.models import ClientNameKey
    from tests import factories

    with throwaway_database(tmp_path) as url:
        app = build_app(url)
        with app.app_context():
            upgrade()
            team = factories.make_team("Team Zuid")
            companion = factories.make_user("companion", teams=[team])
            client = factories.make_client(
                team, companion, preferred_name="Tesfay", legal_last_name="Haile",
                description="rode pet",
            )  # fmt: skip
            db.session.commit()
            client_id, companion_id = client.id, companion.id
            db.session.remove()
            config = Migrate(app, db).get_config()
            before = ScriptDirectory.from_config(config).get_revision("0023").down_revision
            downgrade(revision=before)
            upgrade()
            words = db.session.scalars(
                sa.select(ClientNameKey.word).where(ClientNameKey.client_id == client_id)
            ).all()
            assert set(words) == {"tesfay", "haile", "rode", "pet"}
            from app.auth.models import User

            user = db.session.get(User, companion_id)
            with app.test_request_context():
                assert [f.client_id for f in find_clients(user, "Tesfai")] == [client_id]
            db.session.remove()
            db.engine.dispose()
