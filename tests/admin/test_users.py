"""User and team administration: who may reach it, and what it changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.extensions import db
from tests import factories
from tests.conftest import count, sign_in
from tests.support.forms import field_errors

ADMIN_URLS = ["/admin/users", "/admin/users/new", "/admin/teams", "/admin/teams/new"]


@pytest.mark.parametrize("role", ["lead", "companion", "buddy"])
@pytest.mark.parametrize("url", ADMIN_URLS)
def test_non_admins_get_404(login, team, role, url):
    user = factories.make_user(role, teams=[team])
    assert login(user).get(url).status_code == 404


def test_admin_pages_need_sign_in(client):
    assert client.get("/admin/users").status_code == 302


def test_lead_with_admin_rights_reaches_admin(login, team):
    lead = factories.make_user("lead", teams=[team], can_administer=True)
    assert login(lead).get("/admin/users").status_code == 200


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_admin_reaches_admin_pages(as_admin, url):
    assert as_admin.get(url).status_code == 200


def test_create_user_waits_for_confirmation(as_admin, admin_user, team):
    response = as_admin.post(
        "/admin/users/new",
        data={
            "username": "NieuweGezel",
            "display_name": "Nina Nieuw",
            "email": "nina@example.org",
            "role": "companion",
            "teams": [str(team.id)],
            "locale": "",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Account nieuwegezel aangemaakt" in html
    user = db.session.scalar(sa.select(User).where(User.username == "nieuwegezel"))
    assert user.role == Role.COMPANION
    assert not user.active and user.must_change_password  # see test_setup_links.py
    assert [t.name for t in user.teams] == [team.name]
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "user.created", AuditEvent.object_id == str(user.id)
        )
    )
    assert event.user_id == admin_user.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "display_name": "X"}, "Dit veld is verplicht."),
        ({"username": "ok-name", "display_name": "X" * 200}, "Veld mag niet langer zijn dan 120"),
        ({"username": "bad name!", "display_name": "X"}, "Een gebruikersnaam heeft 2 tot 64"),
        (
            {"username": "ok-name", "display_name": "X", "email": "not-an-email"},
            "geldig e-mailadres",
        ),
        ({"username": "ok-name", "display_name": "X", "role": "emperor"}, "Ongeldige keuze"),
    ],
)
def test_create_user_bad_input(as_admin, data, message):
    before = count(User)
    payload = {"role": "companion", "locale": "", **data}
    response = as_admin.post("/admin/users/new", data=payload)
    assert 400 <= response.status_code < 500
    assert count(User) == before
    assert message in response.get_data(as_text=True)
    # The field keeps what was typed.
    if data.get("display_name") == "X":
        assert 'value="X"' in response.get_data(as_text=True)


def test_duplicate_username_is_refused(as_admin, companion):
    response = as_admin.post(
        "/admin/users/new",
        data={"username": companion.username, "display_name": "Dup", "role": "buddy", "locale": ""},
    )
    assert response.status_code == 409
    assert "Die gebruikersnaam is al in gebruik." in response.get_data(as_text=True)


def test_edit_user_changes_name_and_language_at_once(as_admin, companion):
    response = as_admin.post(
        f"/admin/users/{companion.id}",
        data={
            "username": companion.username,
            "display_name": "Renamed",
            "role": companion.role.value,
            "teams": [str(i) for i in companion.team_ids],
            "locale": "en",
        },
    )
    assert response.status_code == 302
    assert companion.display_name == "Renamed"
    assert companion.locale == "en"
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "user.updated", AuditEvent.object_id == str(companion.id)
        )
    )
    assert set(event.details["fields"]) == {"display_name", "locale"}


def test_unknown_user_is_404(as_admin):
    assert as_admin.get("/admin/users/999999").status_code == 404


def test_deactivate_ends_access_at_once(as_admin, client, companion):
    as_admin.post(f"/admin/users/{companion.id}/active", data={"active": "0"})
    assert not companion.active
    assert sign_in(client, companion).status_code == 401
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == str(companion.id))
    ).all()
    assert "user.deactivated" in actions  # reactivating: see test_access.py


def test_admin_cannot_deactivate_themselves(as_admin, admin_user):
    response = as_admin.post(f"/admin/users/{admin_user.id}/active", data={"active": "0"})
    assert response.status_code == 400
    assert admin_user.active


def test_teams_create_and_rename(as_admin):
    response = as_admin.post(
        "/admin/teams/new", data={"name": "Team Oost", "description": "Haacht"}
    )
    assert response.status_code == 302
    team = db.session.scalar(sa.select(Team).where(Team.name == "Team Oost"))
    assert team.description == "Haacht"
    duplicate = as_admin.post("/admin/teams/new", data={"name": "team oost"})
    assert duplicate.status_code == 409
    response = as_admin.post(f"/admin/teams/{team.id}", data={"name": "Team Oost-Brabant"})
    assert response.status_code == 302
    assert team.name == "Team Oost-Brabant"


def test_user_list_search(as_admin, companion, buddy):
    html = as_admin.get("/admin/users?q=buddy").get_data(as_text=True)
    assert buddy.display_name in html
    assert companion.display_name not in html


def test_cli_creates_user(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "cli-user",
            "--name",
            "Cli User",
            "--role",
            "lead",
            "--team",
            "CLI",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Temporary password" in result.output
    user = db.session.scalar(sa.select(User).where(User.username == "cli-user"))
    assert user.role == Role.LEAD and user.must_change_password
    assert [t.name for t in user.teams] == ["CLI"]


def test_cli_refuses_bad_username(runner):
    result = runner.invoke(args=["users", "create", "Bad Name!", "--name", "X"])
    assert result.exit_code != 0
    assert "username" in result.output.lower() or "gebruikersnaam" in result.output.lower()


def test_account_refusals_are_shown_on_the_username_field(as_admin, companion, team, login):
    taken = as_admin.post(
        "/admin/users/new",
        data={"username": companion.username, "display_name": "Dup", "role": "buddy", "locale": ""},
    )
    assert taken.status_code == 409
    html = taken.get_data(as_text=True)
    assert field_errors(html, "username") == ["Die gebruikersnaam is al in gebruik."]
    # A refusal that names no field lands there too.
    lead = factories.make_user("lead", teams=[team], can_administer=True)
    own = login(lead).post(
        f"/admin/users/{lead.id}",
        data={
            "username": lead.username,
            "display_name": lead.display_name,
            "role": "lead",
            "teams": [str(team.id)],
            "locale": "",
        },
    )
    assert own.status_code == 403
    html = own.get_data(as_text=True)
    assert field_errors(html, "username") == [
        "Je kan je eigen rol, teams of beheerrechten niet wijzigen. "
        "Vraag het aan een andere beheerder."
    ]
    assert lead.can_administer


def test_a_team_name_clash_is_shown_on_the_name_field(as_admin, team):
    response = as_admin.post("/admin/teams/new", data={"name": team.name.upper()})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert field_errors(html, "name") == ["Er bestaat al een team met die naam."]
