"""The statement every signed-in request runs first (the user, their teams, their browser
session): the teams in name order, a user without teams signed in as well, and on SQLite a
plan that finds the user's memberships by key instead of computing every membership of the
installation on each request."""

from __future__ import annotations

import pytest

from app.auth.login import _USER_AND_SESSION
from app.extensions import db
from tests import factories
from tests.support.databases import BACKEND


def test_a_lead_of_two_teams_sees_both_in_name_order(app, login, team, other_team):
    lead = factories.make_user("lead", teams=[other_team, team], username="lead2")
    page = login(lead).get("/").get_data(as_text=True)
    assert "Team Noord, Team Zuid" in page


def test_an_account_without_teams_is_signed_in(app, login, admin_user):
    assert login(admin_user).get("/healthz").status_code == 200
    assert login(admin_user).get("/").status_code in (200, 302)


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's plan")
def test_the_memberships_are_found_by_key_on_sqlite(app, lead):
    compiled = _USER_AND_SESSION.compile(db.engine)
    values = {"user_id": lead.id, "token": "x", "sid": 1}
    ordered = [values[name] for name in compiled.positiontup]
    raw = db.session.connection().connection.driver_connection
    plan = " | ".join(
        row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + str(compiled), ordered)
    )
    assert "MATERIALIZE" not in plan and "SCAN team_membership" not in plan, plan
    assert "SEARCH team_membership" in plan, plan
