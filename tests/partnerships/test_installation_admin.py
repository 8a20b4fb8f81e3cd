"""The installation administrator creates partnerships and their first administrator, and
sees no client data at all; the same from the command line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.auth.vocab import Role
from app.extensions import db
from app.partnerships.models import Partnership
from tests import factories
from tests.partnerships.conftest import leaks


@pytest.fixture
def installation_admin(app):
    return factories.make_user(Role.INSTALLATION_ADMIN, username="installatie")


def new_partnership(browser, **changes):
    data = {"name": "Kempen", "code_prefix": "KP", "admin_username": "beheer-kp",
            "admin_display_name": "Beheer Kempen", "admin_email": "beheer@kempen.example"}  # fmt: skip
    return browser.post("/admin/partnerships/new", data=data | changes)


def test_an_installation_administrator_has_no_partnership(installation_admin):
    assert installation_admin.partnership_id is None
    assert not installation_admin.is_admin


def test_sees_no_client_data(login, installation_admin, side_a, side_b):
    browser = login(installation_admin)
    for side in (side_a, side_b):
        for url in (f"/clients/{side.client.id}", f"/privacy/files/{side.client.id}"):
            assert browser.get(url).status_code == 404, url
    for url in ("/admin/users", "/admin/teams", "/admin/settings", "/clients/search?q=a",
                "/organisations/export.csv", "/privacy/audit"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    for url in ("/", "/admin/partnerships", "/organisations/?q=secret"):
        response = browser.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert leaks(body) == [], url
        assert side_a.client.code not in body and "Persoon A" not in body
    assert "Westland" in browser.get("/admin/partnerships").get_data(as_text=True)


def test_creates_a_partnership_and_its_first_administrator(login, installation_admin):
    browser = login(installation_admin)
    response = new_partnership(browser)
    assert response.status_code == 302
    partnership = db.session.scalar(sa.select(Partnership).where(Partnership.code_prefix == "KP"))
    admin = db.session.scalar(sa.select(User).where(User.username == "beheer-kp"))
    assert (partnership.name, admin.partnership_id, admin.role) == ("Kempen", partnership.id,
                                                                   Role.ADMIN)  # fmt: skip
    assert admin.active and admin.setup_token_hash is not None  # a set-up link was issued


@pytest.mark.parametrize(
    ("prefix", "status", "message"),
    [
        ("dl", 400, "2 tot 6 hoofdletters"),
        ("D", 400, "2 tot 6 hoofdletters"),
        ("D-L", 400, "2 tot 6 hoofdletters"),
        ("DL", 409, "gebruikt al het prefix DL"),
    ],
)
def test_a_malformed_or_colliding_prefix_is_refused(
    login, installation_admin, prefix, status, message
):
    browser = login(installation_admin)
    response = new_partnership(browser, code_prefix=prefix)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(User).where(User.username == "beheer-kp")) is None
    assert db.session.scalar(sa.select(Partnership).where(Partnership.name == "Kempen")) is None


def test_others_do_not_reach_the_partnership_pages(login, side_a):
    for who in (side_a.admin, side_a.lead, side_a.companion, side_a.officer):
        assert login(who).get("/admin/partnerships").status_code == 404


def test_the_command_line_creates_and_lists_partnerships(runner, app):
    result = runner.invoke(
        args=["partnership", "create", "--name", "Kempen", "--prefix", "KP",
              "--admin-username", "beheer-kp", "--admin-email", "beheer@kempen.example"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    listed = runner.invoke(args=["partnership", "list"])
    assert "KP\tKempen\tactive" in listed.output and "DL\t" in listed.output
    refused = runner.invoke(
        args=["partnership", "create", "--name", "Ander", "--prefix", "KP",
              "--admin-username", "x-kp", "--admin-email", "x@kempen.example"],
    )  # fmt: skip
    assert refused.exit_code != 0 and "KP" in refused.output


def test_users_create_names_the_partnership_when_there_are_several(runner, side_a, side_b):
    result = runner.invoke(args=["users", "create", "nieuw", "--name", "Nieuw"])
    assert result.exit_code != 0 and "--partnership" in result.output
    result = runner.invoke(
        args=["users", "create", "nieuw", "--name", "Nieuw", "--partnership", "WL",
              "--team", side_b.team.name],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "nieuw"))
    assert (user.partnership_id, user.team_ids) == (side_b.partnership.id, [side_b.team.id])
