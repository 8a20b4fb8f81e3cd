"""`flask export research FILE.db`: the leads' pseudonymised client export as a typed SQLite
file, with the same rules (no names, no notes), never over an existing file, audited."""

from __future__ import annotations

import re
import sqlite3

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories

NAME = "Zebulon"
LAST_NAME = "Quaxfeldt"
NOTE = "Vertrouwelijk-xyzzy: schulden bij de buurman"


@pytest.fixture
def planted(app):
    north, south = factories.make_team("Noord"), factories.make_team("Zuid")
    factories.make_user("lead", teams=[north], username="leida")
    companion = factories.make_user("companion", teams=[north])
    named = factories.make_client(
        north, companion, preferred_name=NAME, legal_first_name=NAME, legal_last_name=LAST_NAME,
        birth_year=1990, challenges=["housing_newcomers", "mental_health_addiction"],
    )  # fmt: skip
    factories.make_note(named, companion, "sensitive", NOTE)
    factories.make_contact(named, companion, notes={"team": NOTE}, place=NOTE[:20])
    plain = factories.make_client(north, companion)
    other = factories.make_client(south, factories.make_user("companion", teams=[south]))
    db.session.commit()
    return {"named": named, "plain": plain, "other": other}


def _export(runner, path, *extra):
    return runner.invoke(args=["export", "research", str(path), "--lead", "leida", *extra])


def test_the_research_file_is_typed_pseudonymised_and_audited(runner, planted, tmp_path):
    path = tmp_path / "research.db"
    result = _export(runner, path)
    assert result.exit_code == 0, result.output
    assert "2 clients" in result.output

    raw = path.read_bytes()
    for secret in (NAME, LAST_NAME, NOTE, "xyzzy", "Vertrouwelijk", "1990"):
        assert secret.encode() not in raw and secret.lower().encode() not in raw
    with sqlite3.connect(path) as connection:
        types = {row[1]: row[2] for row in connection.execute("PRAGMA table_info(clients)")}
        assert types["code"] == "TEXT" and types["registered"] == "TEXT"
        assert types["challenge_housing_newcomers"] == "INTEGER"
        connection.row_factory = sqlite3.Row
        rows = {r["code"]: r for r in connection.execute("SELECT * FROM clients")}
        assert set(rows) == {planted["named"].code, planted["plain"].code}  # not the other team
        named = rows[planted["named"].code]
        assert re.fullmatch(r"\d{4}-\d{2}", named["registered"]) and named["closed"] is None
        assert named["challenge_housing_newcomers"] == 1
        assert named["challenge_single_parent_transport"] == 0
        assert named["team"] == "Noord" and named["age_band"] != "unknown"
        assert rows[planted["plain"].code]["challenges"] is None
        info = connection.execute("SELECT * FROM export_info").fetchone()
        assert info["clients"] == 2 and re.fullmatch(r"\d{4}-01-01", info["period_start"])
        found = connection.execute(
            "SELECT code FROM clients JOIN clients_fts ON clients_fts.rowid = clients.rowid"
            " WHERE clients_fts MATCH ?",
            ["wonen"],
        ).fetchall()
        assert [tuple(r) for r in found] == [(planted["named"].code,)]
    assert not list(tmp_path.glob(".*partial"))

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.research"))
    assert event.details["rows"] == 2 and event.details["file"] == "research.db"
    assert event.user_id is not None


def test_the_research_file_is_never_overwritten_without_force(runner, planted, tmp_path):
    path = tmp_path / "research.db"
    path.write_bytes(b"earlier work")
    result = _export(runner, path)
    assert result.exit_code != 0 and "--force" in result.output
    assert path.read_bytes() == b"earlier work"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export.research")) == 0  # fmt: skip

    result = _export(runner, path, "--force", "--team", "Noord", "--start", "2024-01-01")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM clients").fetchone() == (2,)
        assert connection.execute("SELECT team, period_start FROM export_info").fetchone() == (
            "Noord", "2024-01-01",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--lead", "nobody"], "No active lead account"),
        (["--team", "Zuid"], "leads no team named"),
        (["--start", "2026-02-30"], "Invalid value"),
        (["--start", "2025-03-01", "--end", "2025-02-01"], "eindigt voor ze begint"),
    ],
)
def test_bad_input_is_refused_clearly(runner, planted, tmp_path, extra, message):
    path = tmp_path / "research.db"
    result = _export(runner, path, *extra)
    assert result.exit_code != 0 and message in result.output, result.output
    assert not path.exists()
