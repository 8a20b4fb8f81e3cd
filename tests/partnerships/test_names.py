"""Names are unique within a partnership, never over the installation: two partnerships each
have a "Team Noord" and each may start its social map from the same regional list. A name
taken in another partnership is neither refused nor mentioned (that would tell one partnership
what another has); a name taken in the own partnership is a 409 with a clear message."""

from __future__ import annotations

import sqlalchemy as sa

from app.auth.models import Team
from app.auth.vocab import Role
from app.extensions import db
from app.organisations.models import Organisation
from app.partnerships.models import Partnership
from tests import factories
from tests.partnerships.conftest import ORGANISATION, TEAM_NAME, leaks, organisation_b
from tests.partnerships.test_installation_admin import new_partnership

TAKEN = "Er bestaat al een team met die naam."
ORGANISATION_TAKEN = "Er bestaat al een organisatie met die naam."


def organisations_of(partnership_id: int) -> dict[str, Organisation]:
    rows = db.session.scalars(
        sa.select(Organisation).where(Organisation.partnership_id == partnership_id)
    )
    return {org.name: org for org in rows}


def test_an_admin_names_a_team_like_another_partnerships_team(login, side_a, side_b):
    browser = login(side_a.admin)
    response = browser.post("/admin/teams/new", data={"name": TEAM_NAME, "description": ""})
    assert response.status_code == 302
    teams = db.session.scalars(sa.select(Team).where(Team.name == TEAM_NAME)).all()
    assert sorted(team.partnership_id for team in teams) == sorted(
        [side_a.partnership.id, side_b.partnership.id]
    )
    listing = browser.get("/admin/teams").get_data(as_text=True)
    assert listing.count(TEAM_NAME) == 1  # A's own, never B's


def test_a_team_name_taken_in_the_own_partnership_is_a_409(login, side_a, side_b):
    browser = login(side_a.admin)
    response = browser.post("/admin/teams/new", data={"name": "team a", "description": ""})
    assert response.status_code == 409
    assert TAKEN in response.get_data(as_text=True)
    renamed = browser.post(
        f"/admin/teams/{side_a.team.id}", data={"name": TEAM_NAME.lower(), "description": ""}
    )
    assert renamed.status_code == 302  # B's name is free in A
    db.session.refresh(side_a.team)
    assert side_a.team.name == TEAM_NAME.lower()


def test_a_lead_adds_an_organisation_named_like_one_on_another_map(login, side_a, side_b):
    data = {"name": ORGANISATION, "type": "employer", "domains": ["work"],
            "municipalities": ["herent"], "sector": "Bouw"}  # fmt: skip
    browser = login(side_a.lead)
    response = browser.post("/organisations/new", data=data)
    assert response.status_code == 302
    ours = organisations_of(side_a.partnership.id)[ORGANISATION]
    assert response.location == f"/organisations/{ours.id}"
    theirs = organisation_b()
    assert theirs.id != ours.id and theirs.type.value == "other" and theirs.sector is None
    again = browser.post("/organisations/new", data=data)
    assert again.status_code == 409
    assert ORGANISATION_TAKEN in again.get_data(as_text=True)


def test_every_partnership_seeds_its_map_from_the_regional_list(runner, side_a, side_b):
    kempen = factories.make_partnership("Kempen", "KP")
    db.session.commit()
    for prefix in ("DL", "KP"):
        result = runner.invoke(args=["socialmap", "seed", "--partnership", prefix])
        assert result.exit_code == 0, result.output
        assert "Social map seeded" in result.output, prefix
    ours = organisations_of(side_a.partnership.id)
    theirs = organisations_of(kempen.id)
    assert len(ours) > 20 and set(ours) == set(theirs)
    assert ORGANISATION not in theirs
    # Each map is its own copy: a change on A's leaves the other as it was.
    name = sorted(ours)[0]
    ours[name].phone = "+32 16 99 99 99"
    db.session.commit()
    db.session.expire_all()
    assert organisations_of(kempen.id)[name].phone != "+32 16 99 99 99"
    # A map with organisations is not seeded again (B has its own planted one).
    for prefix in ("KP", "WL"):
        result = runner.invoke(args=["socialmap", "seed", "--partnership", prefix])
        assert result.exit_code == 0 and "nothing seeded" in result.output
    assert list(organisations_of(side_b.partnership.id)) == [ORGANISATION]


def test_a_new_partnership_may_start_from_the_regional_list(login, app, side_a):
    installation_admin = factories.make_user(Role.INSTALLATION_ADMIN, username="installatie")
    browser = login(installation_admin)
    response = new_partnership(browser, regional_list="y")
    assert response.status_code == 302
    page = browser.get(response.location).get_data(as_text=True)
    kempen = db.session.scalar(sa.select(Partnership).where(Partnership.code_prefix == "KP"))
    seeded = organisations_of(kempen.id)
    assert len(seeded) > 20
    assert f"regionale lijst: {len(seeded)} organisaties" in page
    assert leaks(page) == []
    # Without the box: an empty map.
    response = new_partnership(
        browser, name="Meetjesland", code_prefix="MJ", admin_username="beheer-mj"
    )
    assert response.status_code == 302
    meetjesland = db.session.scalar(sa.select(Partnership).where(Partnership.code_prefix == "MJ"))
    assert organisations_of(meetjesland.id) == {}


def test_the_command_line_creates_a_partnership_with_the_regional_list(runner, side_a):
    result = runner.invoke(
        args=["partnership", "create", "--name", "Kempen", "--prefix", "KP",
              "--admin-username", "beheer-kp", "--admin-email", "beheer@kempen.example",
              "--regional-list"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    kempen = db.session.scalar(sa.select(Partnership).where(Partnership.code_prefix == "KP"))
    count = len(organisations_of(kempen.id))
    assert count > 20
    assert f"Social map started from the regional list: {count} organisations." in result.output
