"""Packages plug into each other through app/hooks.py, in an explicit order, and the import
contracts (.importlinter, run by `make lint`) keep the layers and refuse a new circle."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.hooks import ExtensionPoint
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_contributions_are_listed_by_order_then_key_whatever_the_import_order():
    point = ExtensionPoint("example", key=lambda item: item[0])
    point.add(("late", 1), order=30)
    point.add(("b-early", 2), order=10)
    point.add(("a-early", 3), order=10)
    point.add(("late", 99), order=1)  # the same key again: the first one stays
    assert [item[0] for item in point] == ["a-early", "b-early", "late"]
    assert point["late"] == ("late", 1) and "late" in point and point.get("none") is None


def nav_links(html: str) -> list[str]:
    bar = html.split('<ul class="navbar-nav me-auto">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="nav-link[^"]*" href="([^"]+)"', bar)


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "companion",
            ["/", "/organisations/", "/caseload", "/clients", "/dashboard", "/agenda/", "/groups/",
             "/reminders", "/activation/employers"],
        ),
        (
            "lead",
            ["/", "/organisations/", "/clients", "/dashboard", "/agenda/", "/reports/partnership",
             "/groups/", "/reminders", "/activation/employers"],
        ),
        ("buddy", ["/", "/organisations/", "/checkins", "/agenda/", "/groups/"]),
    ],
)  # fmt: skip
def test_the_navigation_bar_keeps_its_order(login, team, role, links):
    user = factories.make_user(role, teams=[team])
    assert nav_links(login(user).get("/").get_data(as_text=True)) == links


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contracts_hold_and_refuse_a_new_circle(tmp_path):
    kept = subprocess.run([LINT_IMPORTS], cwd=ROOT, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout

    shutil.copytree(ROOT / "app", tmp_path / "app", ignore=shutil.ignore_patterns("static"))
    shutil.copy(ROOT / ".importlinter", tmp_path)
    services = tmp_path / "app" / "checkins" / "services.py"
    services.write_text(  # check-ins calling the reminder rule again, as they once did
        services.read_text()
        + "\n\ndef _raise(client_id):\n"
        + "    from app.reminders.rules import checkins\n\n"
        + "    checkins.raise_for(client_id)\n"
    )
    broken = subprocess.run([LINT_IMPORTS], cwd=tmp_path, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "app.checkins is not allowed to import app.reminders" in broken.stdout
    assert "- .checkins -> .reminders" in broken.stdout  # the circle
