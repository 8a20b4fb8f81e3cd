"""The partnership is the outermost wall: nothing of partnership B reaches anyone of A
(companion, lead, administrator, privacy officer), and B's settings do not change A's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth import access
from app.auth.models import User
from app.clients.duplicates import find_duplicates
from app.clients.models import Client
from app.clients.vocab import ExitOutcome, Phase
from app.extensions import db
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.settings.registry import SPECS, update_settings
from app.timeutil import today
from tests import factories
from tests.partnerships.conftest import (
    B_OUTREACH_CADENCE,
    CLIENT_NAME,
    leaks,
    organisation_b,
)


def test_client_codes_use_each_partnerships_prefix(side_a, side_b):
    year = today().year
    assert side_a.client.code == f"DL-{year}-0001"
    assert side_b.client.code == f"WL-{year}-0001"  # each prefix counts on its own
    assert side_b.client.partnership_id == side_b.partnership.id


@pytest.mark.parametrize("who", ["companion", "lead", "admin", "officer"])
def test_a_client_of_another_partnership_is_a_404(login, side_a, side_b, who):
    browser = login(getattr(side_a, who))
    client_id = side_b.client.id
    for url in (
        f"/clients/{client_id}",
        f"/clients/{client_id}/edit",
        f"/clients/{client_id}/timeline",
        f"/clients/{client_id}/accesses",
        f"/privacy/files/{client_id}",
        f"/privacy/files/{client_id}/export.json",
    ):
        assert browser.get(url).status_code == 404, url


def test_the_other_partnerships_own_people_still_see_it(login, side_a, side_b):
    page = login(side_b.companion).get(f"/clients/{side_b.client.id}")
    assert page.status_code == 200
    assert login(side_b.officer).get(f"/privacy/files/{side_b.client.id}").status_code == 200


@pytest.mark.parametrize("who", ["companion", "lead"])
def test_search_and_lists_show_nothing_of_another_partnership(login, side_a, side_b, who):
    browser = login(getattr(side_a, who))
    for url in (
        "/",
        "/clients",
        "/clients/search?q=secretwlclient",  # (lower case: the page repeats the query)
        f"/clients/search?q={side_b.client.code.lower()}",
        "/organisations/?q=secret",
        "/reminders",
    ):
        response = browser.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        assert leaks(response.get_data(as_text=True)) == [], url


def test_admin_pages_show_only_the_own_partnership(login, side_a, side_b):
    browser = login(side_a.admin)
    for url in ("/admin/users", "/admin/users?q=secret", "/admin/teams", "/admin/users/new",
                "/admin/settings", "/organisations/", "/organisations/export.csv"):  # fmt: skip
        response = browser.get(url)
        assert response.status_code == 200, url
        assert leaks(response.get_data(as_text=True)) == [], url
    assert browser.get(f"/admin/users/{side_b.companion.id}").status_code == 404
    assert browser.get(f"/admin/teams/{side_b.team.id}").status_code == 404
    assert browser.get(f"/organisations/{organisation_b().id}").status_code == 404
    # B's own administrator sees B's people and map.
    own = login(side_b.admin).get("/admin/users").get_data(as_text=True)
    assert "secret-wl-companion" in own and "companion-a" not in own


def test_a_crafted_team_of_another_partnership_is_refused(login, side_a, side_b):
    browser = login(side_a.admin)
    response = browser.post(
        "/admin/users/new",
        data={"username": "nieuw", "display_name": "Nieuw", "email": "nieuw@example.org",
              "role": "companion", "teams": [str(side_b.team.id)], "locale": ""},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert db.session.scalar(sa.select(User).where(User.username == "nieuw")) is None
    # Moving an account of A into B's team: refused, the account keeps its teams.
    response = browser.post(
        f"/admin/users/{side_a.companion.id}",
        data={"username": "companion-a", "display_name": "A", "email": "",
              "role": "companion", "teams": [str(side_b.team.id)], "locale": ""},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    db.session.refresh(side_a.companion)
    assert side_a.companion.team_ids == [side_a.team.id]


def test_a_client_is_not_transferred_to_another_partnerships_team(login, side_a, side_b):
    browser = login(side_a.lead)
    form = browser.get(f"/clients/{side_a.client.id}/transfer").get_data(as_text=True)
    assert leaks(form) == []
    response = browser.post(
        f"/clients/{side_a.client.id}/transfer",
        data={"team": str(side_b.team.id), "companion": ""},
    )
    assert 400 <= response.status_code < 500
    db.session.refresh(side_a.client)
    assert side_a.client.team_id == side_a.team.id


def outreach_cadence_shown(page: str) -> int:
    [field] = re.findall(r"<input[^>]*name=\"cadence__outreach\"[^>]*>", page)
    return int(re.search(r'value="(\d+)"', field).group(1))


def test_settings_are_per_partnership(login, side_a, side_b):
    page_a = login(side_a.admin).get("/admin/settings").get_data(as_text=True)
    page_b = login(side_b.admin).get("/admin/settings").get_data(as_text=True)
    assert outreach_cadence_shown(page_a) == SPECS["cadence.outreach"].default
    assert outreach_cadence_shown(page_b) == B_OUTREACH_CADENCE
    # A's administrator saves A's settings; B's stay as they were.
    data = {key.replace(".", "__"): spec.default for key, spec in SPECS.items()}
    response = login(side_a.admin).post("/admin/settings", data=data | {"cadence__outreach": 10})
    assert response.status_code == 302
    page_b = login(side_b.admin).get("/admin/settings").get_data(as_text=True)
    assert outreach_cadence_shown(page_b) == B_OUTREACH_CADENCE


def test_reminders_follow_each_partnerships_settings(side_a, side_b):
    """B's outreach cadence (3 days) raises B's reminder; A's client, with the same days
    without contact, waits for A's own cadence (7)."""
    people = {}
    for side in (side_a, side_b):
        person = factories.make_client(
            side.team, side.companion, registered_on=today() - timedelta(days=30)
        )
        factories.make_contact(person, side.companion, days_ago=5)
        people[side.partnership.code_prefix] = person.id
    scan(rules=["no_contact"])
    reminded = set(db.session.scalars(sa.select(Reminder.client_id)))
    assert reminded == {people["WL"]}
    scan(on=today() + timedelta(days=3), rules=["no_contact"])  # 8 days: A's turn too
    reminded = set(db.session.scalars(sa.select(Reminder.client_id)))
    assert reminded == {people["DL"], people["WL"]}
    # A scan for one partnership never resolves the other's reminders.
    assert scan(on=today() + timedelta(days=3), rules=["no_contact"]).resolved == 0


def test_the_privacy_officer_sees_only_the_own_partnership(login, side_a, side_b):
    login(side_b.companion).get(f"/clients/{side_b.client.id}")  # an event in B's trail
    browser = login(side_a.officer)
    # (The export first: the trail then holds A's own searches below, with what they asked.)
    for url in ("/privacy/audit.csv", "/privacy/audit", "/privacy/audit?user=secret-wl-companion",
                f"/privacy/audit?code={side_b.client.code}",
                "/privacy/unusual", "/privacy/retention",
                f"/privacy/requests?code={side_b.client.code}"):  # fmt: skip
        response = browser.get(url)
        assert response.status_code in (200, 400, 404), url
        body = response.get_data(as_text=True)
        for echoed in ("secret-wl-companion", side_b.client.code):  # the filter form repeats it
            body = body.replace(f'value="{echoed}"', "").replace(f"={echoed}", "")
        assert leaks(body) == [], url
    own = login(side_b.officer).get("/privacy/audit").get_data(as_text=True)
    assert side_b.client.code in own


def test_the_duplicate_check_does_not_count_another_partnerships_clients(side_a, side_b):
    """The look-alike warning counts other teams of the partnership, never another's."""
    assert find_duplicates(side_a.companion, preferred_name=CLIENT_NAME).elsewhere == 0
    other_team = factories.make_team("Team A2", partnership=side_a.partnership)
    factories.make_client(other_team, preferred_name=CLIENT_NAME)
    assert find_duplicates(side_a.companion, preferred_name=CLIENT_NAME).elsewhere == 1


def test_retention_follows_each_partnerships_terms(runner, side_a, side_b):
    """B keeps closed files 1 year, A the default 5: a file closed 2 years ago is anonymised
    in B only, by the one scheduled run (here its command)."""
    long_ago = today() - timedelta(days=2 * 366)
    for side in (side_a, side_b):
        side.client.phase, side.client.closed_on = Phase.CLOSED, long_ago
        side.client.exit_outcome = ExitOutcome.OTHER
    update_settings({"retention.other": 1}, by=None, partnership_id=side_b.partnership.id)
    db.session.commit()
    # The preview lists what the run will do, for every partnership or for the one named.
    preview = runner.invoke(args=["retention", "preview"])
    assert preview.exit_code == 0, preview.output
    assert side_b.client.code in preview.output and side_a.client.code not in preview.output
    assert "1 files due" in preview.output
    for prefix, due in (("WL", 1), ("DL", 0)):
        one = runner.invoke(args=["retention", "preview", "--partnership", prefix])
        assert one.exit_code == 0 and f"{due} files due" in one.output, one.output
    unknown = runner.invoke(args=["retention", "preview", "--partnership", "XX"])
    assert unknown.exit_code != 0 and "XX" in unknown.output
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "anonymised 1 files" in result.output
    db.session.expire_all()
    assert db.session.get(Client, side_b.client.id).anonymised_at is not None
    assert db.session.get(Client, side_a.client.id).anonymised_at is None


def test_another_partnerships_access_change_is_a_404(login, side_a, side_b):
    change = access.propose_account(
        by=side_b.admin, email="nieuw@westland.example", username="nieuw-wl",
        display_name="Nieuw WL", role="companion", teams=[side_b.team],
    )  # fmt: skip
    db.session.commit()
    browser = login(side_a.admin)
    assert "nieuw-wl" not in browser.get("/admin/users").get_data(as_text=True)
    for action in ("confirm", "withdraw"):
        assert browser.post(f"/admin/access-changes/{change.id}/{action}").status_code == 404
    db.session.refresh(change)
    assert change.status == "pending"
