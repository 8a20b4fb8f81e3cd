"""`flask socialmap import FILE` and `flask socialmap seed`: the same rules as the web import,
a report on the terminal and a non-zero exit for a bad file."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.organisations import services
from app.organisations.models import Organisation
from tests.conftest import count
from tests.organisations.conftest import make_organisation

SHIPPED = services.SHIPPED_CSV.read_bytes()
HEADER = "name,type,domains,municipalities,website\n"


def test_cli_seed_imports_the_shipped_file_once(runner):
    result = runner.invoke(args=["socialmap", "seed"])
    assert result.exit_code == 0, result.output
    assert "28 created" in result.output
    assert count(Organisation) == 28
    again = runner.invoke(args=["socialmap", "seed"])
    assert again.exit_code == 0 and "nothing seeded" in again.output
    assert count(Organisation) == 28


def test_cli_seed_leaves_an_existing_map_alone(runner):
    make_organisation("Eigen dienst")
    db.session.commit()
    result = runner.invoke(args=["socialmap", "seed"])
    assert result.exit_code == 0 and "nothing seeded" in result.output
    assert count(Organisation) == 1


def test_cli_import(runner, tmp_path):
    good = tmp_path / "kaart.csv"
    good.write_bytes(SHIPPED)
    result = runner.invoke(args=["socialmap", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "28 created, 0 updated, 0 unchanged" in result.output
    again = runner.invoke(args=["socialmap", "import", str(good)])
    assert "0 created, 0 updated, 28 unchanged" in again.output
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "organisation.imported")
    ).first()
    assert event.actor == "system" and event.details["filename"] == "kaart.csv"


def test_cli_import_refuses_a_bad_file_whole(runner, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Goede dienst,other,work,Haacht,\nDienst,castle,work,Leuven,\n")
    result = runner.invoke(args=["socialmap", "import", str(bad)])
    assert result.exit_code != 0
    assert "Row 3, type: Unknown type: castle." in result.output
    assert "Row 3, municipalities: Unknown municipality: Leuven." in result.output
    assert "Nothing was saved" in result.output
    assert count(Organisation) == 0

    latin = tmp_path / "latin.csv"
    # Neither UTF-8 nor Windows-1252 (0x81 is unassigned there).
    latin.write_bytes((HEADER + "Café,other,work,Haacht,\n").encode("latin-1") + b"\x81")
    result = runner.invoke(args=["socialmap", "import", str(latin)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
