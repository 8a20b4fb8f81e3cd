"""Separate admin powers: nobody changes their own access, giving access needs a second
administrator, taking it away is immediate, and every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from app.audit.models import AuditEvent
from app.auth.models import AccessChange
from app.auth.vocab import AccessChangeStatus, Role
from app.extensions import db
from tests import factories
from tests.conftest import sign_in

OWN = "Je kan je eigen rol, teams of beheerrechten niet wijzigen"


@pytest.fixture
def second_admin(app):
    return factories.make_user("admin", username="admin2", display_name="Bert Beheer")


@pytest.fixture
def as_second_admin(login, second_admin):
    return login(second_admin)


def edit(browser, user, **changes):
    db.session.commit()  # what the test changed, for the request to see
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email or "",
        "role": user.role.value,
        "teams": [str(i) for i in user.team_ids],
        "locale": user.locale or "",
        **({"can_administer": "y"} if user.can_administer else {}),
    }
    data.update(changes)
    if data.get("can_administer") is False:
        del data["can_administer"]
    return browser.post(f"/admin/users/{user.id}", data=data)


def events(action, user=None):
    criteria = [AuditEvent.action == action]
    if user is not None:
        criteria.append(AuditEvent.object_id == str(user.id))
    return db.session.scalars(sa.select(AuditEvent).where(*criteria).order_by(AuditEvent.id)).all()


def pending(user):
    return db.session.scalar(
        sa.select(AccessChange).where(
            AccessChange.user_id == user.id, AccessChange.status == AccessChangeStatus.PENDING
        )
    )


def test_an_admin_cannot_make_themselves_a_lead(as_admin, admin_user, team):
    response = edit(as_admin, admin_user, role="lead", teams=[str(team.id)])
    assert response.status_code == 403
    assert OWN in response.get_data(as_text=True)
    assert admin_user.role == Role.ADMIN and admin_user.teams == []
    assert pending(admin_user) is None


@pytest.mark.parametrize(
    "change", [{"teams": []}, {"role": "companion"}, {"can_administer": False}]
)
def test_a_lead_with_admin_rights_cannot_change_their_own_access(login, team, change):
    lead = factories.make_user("lead", teams=[team], can_administer=True)
    response = edit(login(lead), lead, **change)
    assert response.status_code == 403
    assert OWN in response.get_data(as_text=True)
    assert lead.role == Role.LEAD and lead.team_ids == [team.id] and lead.can_administer


def test_own_name_and_language_can_still_change(as_admin, admin_user):
    assert edit(as_admin, admin_user, display_name="Ada B.", locale="en").status_code == 302
    assert admin_user.display_name == "Ada B." and admin_user.locale == "en"


def test_giving_client_access_waits_for_a_second_administrator(
    as_admin, admin_user, as_second_admin, second_admin, companion, team, other_team
):
    response = edit(as_admin, companion, role="lead", teams=[str(team.id), str(other_team.id)])
    assert response.status_code == 302
    page = as_admin.get(response.location).get_data(as_text=True)
    assert "wacht op de bevestiging van een tweede beheerder" in page
    # Nothing changed yet.
    assert companion.role == Role.COMPANION and companion.team_ids == [team.id]
    change = pending(companion)
    assert change.role == Role.LEAD and change.add_team_ids == [other_team.id]
    assert change.requested_by_id == admin_user.id

    # The requester cannot confirm their own request.
    refused = as_admin.post(f"/admin/access-changes/{change.id}/confirm")
    assert refused.status_code == 403
    assert "een andere beheerder bevestigt" in refused.get_data(as_text=True)
    assert companion.role == Role.COMPANION

    # The second administrator sees it on the users page and confirms it.
    users_page = as_second_admin.get("/admin/users").get_data(as_text=True)
    assert "Wacht op bevestiging" in users_page and companion.display_name in users_page
    assert as_second_admin.post(f"/admin/access-changes/{change.id}/confirm").status_code == 302
    assert companion.role == Role.LEAD
    assert set(companion.team_ids) == {team.id, other_team.id}
    assert change.status == AccessChangeStatus.CONFIRMED
    assert change.decided_by_id == second_admin.id

    [role_changed] = events("user.role_changed", companion)
    assert role_changed.details["old"] == "companion" and role_changed.details["new"] == "lead"
    assert role_changed.details["requested_by"] == admin_user.username
    assert role_changed.details["confirmed_by"] == second_admin.username
    [teams_changed] = events("user.teams_changed", companion)
    assert teams_changed.details["added"] == [other_team.name]
    assert teams_changed.details["old"] == [team.name]
    assert [e.user_id for e in events("user.access_requested", companion)] == [admin_user.id]
    assert [e.user_id for e in events("user.access_confirmed", companion)] == [second_admin.id]


def test_the_account_concerned_cannot_confirm(login, as_admin, team, other_team):
    lead = factories.make_user("lead", teams=[team], can_administer=True)
    assert edit(as_admin, lead, teams=[str(team.id), str(other_team.id)]).status_code == 302
    change = pending(lead)
    refused = login(lead).post(f"/admin/access-changes/{change.id}/confirm")
    assert refused.status_code == 403
    assert lead.team_ids == [team.id]


def test_the_requester_withdraws_and_another_admin_declines(
    as_admin, as_second_admin, companion, buddy, other_team
):
    edit(as_admin, companion, teams=[str(t) for t in companion.team_ids + [other_team.id]])
    first = pending(companion)
    assert as_second_admin.post(f"/admin/access-changes/{first.id}/withdraw").status_code == 302
    assert first.status == AccessChangeStatus.DECLINED
    edit(as_admin, buddy, role="companion")
    second = pending(buddy)
    assert as_admin.post(f"/admin/access-changes/{second.id}/withdraw").status_code == 302
    assert second.status == AccessChangeStatus.WITHDRAWN
    assert buddy.role == Role.BUDDY and companion.team_ids != [other_team.id]
    assert events("user.access_declined", companion) and events("user.access_withdrawn", buddy)
    # A decided change cannot be confirmed any more.
    assert as_second_admin.post(f"/admin/access-changes/{second.id}/confirm").status_code == 409


def test_one_pending_change_per_account(as_admin, companion, other_team):
    assert edit(as_admin, companion, role="lead").status_code == 302
    again = edit(as_admin, companion, teams=[str(other_team.id)] + [str(companion.team_ids[0])])
    assert again.status_code == 409
    assert "wacht al op bevestiging" in again.get_data(as_text=True)


def test_taking_access_away_is_immediate_and_audited(as_admin, admin_user, team, other_team):
    lead = factories.make_user("lead", teams=[team, other_team], can_administer=True)
    response = edit(as_admin, lead, role="companion", teams=[str(team.id)], can_administer=False)
    assert response.status_code == 302
    assert lead.role == Role.COMPANION and lead.team_ids == [team.id]
    assert not lead.can_administer
    assert pending(lead) is None
    [role] = events("user.role_changed", lead)
    assert (role.details["old"], role.details["new"]) == ("lead", "companion")
    assert role.details["confirmed_by"] is None and role.user_id == admin_user.id
    [teams] = events("user.teams_changed", lead)
    assert teams.details["removed"] == [other_team.name]
    [admin_right] = events("user.admin_right_changed", lead)
    assert (admin_right.details["old"], admin_right.details["new"]) == (True, False)


def test_giving_admin_rights_or_another_email_address_waits_too(as_admin, companion):
    assert edit(as_admin, companion, can_administer="y").status_code == 302
    assert not companion.can_administer
    assert pending(companion).grant_admin


def test_an_email_change_of_an_account_waits(as_admin, companion):
    companion.email = "gezel@example.org"
    assert edit(as_admin, companion, email="someone-else@example.org").status_code == 302
    assert companion.email == "gezel@example.org"
    assert pending(companion).email == "someone-else@example.org"


def test_reactivating_an_account_waits(as_admin, as_second_admin, companion, client):
    as_admin.post(f"/admin/users/{companion.id}/active", data={"active": "0"})
    assert not companion.active  # deactivating is immediate
    response = as_admin.post(f"/admin/users/{companion.id}/active", data={"active": "1"})
    assert response.status_code == 302
    assert not companion.active
    change = pending(companion)
    assert change.activate
    as_second_admin.post(f"/admin/access-changes/{change.id}/confirm")
    assert companion.active
    assert sign_in(client, companion).status_code == 302


def test_new_accounts_need_an_email_address(as_admin, team):
    response = as_admin.post(
        "/admin/users/new",
        data={"username": "zonder", "display_name": "Z", "role": "buddy", "locale": ""},
    )
    assert response.status_code == 400
    assert "heeft een e-mailadres nodig" in response.get_data(as_text=True)


def test_the_operator_cli_still_creates_accounts_at_once(runner):
    result = runner.invoke(
        args=["users", "create", "eerste", "--name", "Eerste", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    assert "Temporary password" in result.output


def test_the_lead_sees_access_changes_of_their_teams(
    as_admin, admin_user, as_second_admin, login, lead, companion, team, other_team
):
    as_lead = login(lead)
    elsewhere = factories.make_user("companion", teams=[other_team], display_name="Zeno Zuid")
    edit(as_admin, companion, role="lead")
    assert "Teamcoach" not in as_lead.get("/").get_data(as_text=True).split("access-changes")[1]
    as_second_admin.post(f"/admin/access-changes/{pending(companion).id}/confirm")
    edit(as_admin, elsewhere, role="buddy")  # lowering: at once, but not in the lead's teams

    panel = as_lead.get("/").get_data(as_text=True).split('data-testid="access-changes"')[1]
    assert companion.display_name in panel
    assert "Rol: Trajectgezel → Teamcoach" in panel
    assert admin_user.display_name in panel and "Bert Beheer" in panel  # asked, confirmed
    assert "Zeno Zuid" not in panel

    # Someone who leaves the team is reported too.
    edit(as_admin, companion, teams=[])
    panel = as_lead.get("/").get_data(as_text=True).split('data-testid="access-changes"')[1]
    assert f"Teams weggenomen: {team.name}" in panel

    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        panel = login(lead).get("/").get_data(as_text=True)
    assert "Geen wijzigingen in toegang." in panel


def test_administrators_see_what_awaits_their_confirmation(as_admin, as_second_admin, companion):
    edit(as_admin, companion, role="lead")
    assert 'data-testid="awaiting-confirmation"' in as_second_admin.get("/").get_data(as_text=True)
    assert 'data-testid="awaiting-confirmation"' not in as_admin.get("/").get_data(as_text=True)
