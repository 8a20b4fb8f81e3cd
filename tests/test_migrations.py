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
