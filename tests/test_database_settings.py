"""PostgreSQL planner settings for Gezel's own connections (POSTGRES_SESSION_SETTINGS): what
the configuration says is what every connection runs with; a malformed setting stops the
start with its name."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.database import postgres_engine_options
from app.extensions import db
from tests.conftest import build_app
from tests.support.databases import BACKEND


def test_settings_become_startup_options_next_to_existing_ones():
    options = postgres_engine_options(
        {"pool_pre_ping": True, "connect_args": {"options": "-c statement_timeout=5000"}},
        "random_page_cost=1.1, max_parallel_workers_per_gather=0",
    )
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["options"] == (
        "-c statement_timeout=5000 -c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    )


def test_no_settings_leave_the_engine_options_as_they_are():
    original = {"pool_pre_ping": True}
    assert postgres_engine_options(original, "  ") is original


@pytest.mark.parametrize(
    "setting", ["random_page_cost", "random_page_cost=1.1;drop", "a=b c=-d", "x='1'"]
)
def test_a_malformed_setting_is_refused_by_name(setting):
    with pytest.raises(ValueError, match="POSTGRES_SESSION_SETTINGS"):
        postgres_engine_options({}, setting)


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's own settings")
def test_every_connection_runs_with_the_configured_settings(database_url):
    app = build_app(
        database_url,
        POSTGRES_SESSION_SETTINGS="random_page_cost=1.1 max_parallel_workers_per_gather=0",
    )
    with app.app_context():
        show = lambda name: db.session.execute(sa.text(f"SHOW {name}")).scalar()  # noqa: E731
        assert (show("random_page_cost"), show("max_parallel_workers_per_gather")) == ("1.1", "0")
        db.session.rollback()  # a rolled-back transaction does not undo them
        assert show("random_page_cost") == "1.1"
        db.session.remove()
        db.engine.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's own settings")
def test_empty_settings_keep_the_servers_own(database_url):
    plain = sa.create_engine(database_url)  # no startup options: the server's own value
    with plain.connect() as connection:
        servers = connection.execute(sa.text("SHOW random_page_cost")).scalar()
    plain.dispose()
    app = build_app(database_url, POSTGRES_SESSION_SETTINGS="")
    with app.app_context():
        assert db.session.execute(sa.text("SHOW random_page_cost")).scalar() == servers
        db.session.remove()
        db.engine.dispose()


# --- SQLite: memory-mapped reads (SQLITE_MMAP_BYTES) -------------------------------------


def _mmap_size(app) -> int:
    with app.app_context():
        size = db.session.execute(sa.text("PRAGMA mmap_size")).scalar()
        db.session.remove()
        db.engine.dispose()
    return size


def test_sqlite_connections_read_through_a_memory_map_of_the_configured_size(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'gezel.db'}", SQLITE_MMAP_BYTES=64 * 2**20)
    assert _mmap_size(app) == 64 * 2**20


def test_sqlite_memory_map_is_switched_off_with_zero(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'gezel.db'}", SQLITE_MMAP_BYTES=0)
    assert _mmap_size(app) == 0


def test_the_default_memory_map_covers_a_database_of_100000_clients(tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'gezel.db'}")
    assert app.config["SQLITE_MMAP_BYTES"] >= 2 * 2**30
    # SQLite caps the map at its own compile-time maximum; what it grants covers 1.1 GB
    assert _mmap_size(app) >= 1_200_000_000
