"""The scoping matrix: every role against own team, other team, matched and unmatched
clients, for every client route, list and search. Outside the scope is always a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.clients.models import Client
from app.clients.scoping import visible_clients
from app.extensions import db
from app.timeutil import today
from tests import factories

TEAM_ROUTES = [
    "/clients/{id}/edit",
    "/clients/{id}/phase",
    "/clients/{id}/consents/new",
    "/clients/{id}/context/new",
    "/clients/{id}/companions",
    "/clients/{id}/buddy",
]
LEAD_ROUTES = ["/clients/{id}/transfer", "/clients/{id}/merge"]
ALL_ROUTES = ["/clients/{id}"] + TEAM_ROUTES + LEAD_ROUTES


@pytest.fixture
def world(app, team, other_team):
    """Two teams with one client each, and every kind of user."""
    users = {
        "companion": factories.make_user("companion", teams=[team]),
        "other_companion": factories.make_user("companion", teams=[other_team]),
        "lead": factories.make_user("lead", teams=[team]),
        "other_lead": factories.make_user("lead", teams=[other_team]),
        "matched_buddy": factories.make_user("buddy", teams=[team]),
        "unmatched_buddy": factories.make_user("buddy", teams=[team]),
        "ended_buddy": factories.make_user("buddy", teams=[team]),
        "admin": factories.make_user("admin"),
        "admin_rights_companion": factories.make_user(
            "companion", teams=[other_team], can_administer=True
        ),
    }
    ours = factories.make_client(team, users["companion"], preferred_name="Saled")
    theirs = factories.make_client(other_team, users["other_companion"], preferred_name="Saskia")
    factories.match(ours, users["matched_buddy"])
    factories.match(
        ours,
        users["ended_buddy"],
        started_on=today() - timedelta(days=60),
        ended_on=today() - timedelta(days=1),
    )
    db.session.commit()
    return users, ours, theirs


# (user, client, routes that answer 200; every other client route answers 404)
EXPECTED = [
    ("companion", "ours", ["/clients/{id}"] + TEAM_ROUTES),
    ("companion", "theirs", []),
    ("other_companion", "ours", []),
    ("lead", "ours", ALL_ROUTES),
    ("lead", "theirs", []),
    ("other_lead", "ours", []),
    ("matched_buddy", "ours", ["/clients/{id}"]),
    ("unmatched_buddy", "ours", []),
    ("ended_buddy", "ours", []),
    ("admin", "ours", []),
    ("admin", "theirs", []),
    ("admin_rights_companion", "ours", []),
]


@pytest.mark.parametrize(("who", "which", "allowed"), EXPECTED)
def test_client_routes(world, login, who, which, allowed):
    users, ours, theirs = world
    client = {"ours": ours, "theirs": theirs}[which]
    browser = login(users[who])
    for route in ALL_ROUTES:
        url = route.format(id=client.id)
        expected = 200 if route in allowed else 404
        assert browser.get(url).status_code == expected, (who, url)


@pytest.mark.parametrize("who", ["other_companion", "other_lead", "unmatched_buddy", "admin"])
def test_out_of_scope_posts_are_404_and_change_nothing(world, login, who):
    users, ours, _ = world
    browser = login(users[who])
    before = ours.preferred_name
    posts = {
        f"/clients/{ours.id}/edit": {"preferred_name": "Hacked"},
        f"/clients/{ours.id}/phase": {"phase": "engagement", "on": today().isoformat()},
        f"/clients/{ours.id}/context/new": {"name": "X", "relationship_kind": "friend"},
        f"/clients/{ours.id}/merge": {"other_code": "DL-2026-0001", "confirm": "y"},
    }
    for url, data in posts.items():
        assert browser.post(url, data=data).status_code == 404, url
    assert ours.preferred_name == before
    assert len(ours.phase_changes) == 1 and ours.context_members == []


def test_buddy_sees_only_practical_information(world, login):
    users, ours, _ = world
    factories.make_consent(ours)
    db.session.commit()
    html = login(users["matched_buddy"]).get(f"/clients/{ours.id}").get_data(as_text=True)
    assert "Saled" in html
    assert ours.code not in html
    assert "Toestemming" not in html and "Fasegeschiedenis" not in html


def test_forged_ids_are_404(world, login):
    users, ours, _ = world
    browser = login(users["lead"])
    assert browser.get("/clients/999999").status_code == 404
    assert browser.get(f"/clients/{ours.id}/context/999999").status_code == 404
    assert browser.get(f"/clients/{ours.id}/consents/999999/withdraw").status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("companion", {"Saled"}),
        ("other_companion", {"Saskia"}),
        ("lead", {"Saled"}),
        ("other_lead", {"Saskia"}),
        ("matched_buddy", {"Saled"}),
        ("unmatched_buddy", set()),
        ("ended_buddy", set()),
        ("admin", set()),
    ],
)
def test_lists_and_search_respect_scope(world, login, who, sees):
    users, _, _ = world
    user = users[who]
    assert {c.preferred_name for c in db.session.scalars(visible_clients(user))} == sees
    browser = login(user)
    html = browser.get("/clients/search?q=sa").get_data(as_text=True)
    for name in ("Saled", "Saskia"):
        assert (name in html) == (name in sees), (who, name)
    team_list = browser.get("/clients")
    if user.role.value in ("companion", "lead"):
        for name in ("Saled", "Saskia"):
            assert (name in team_list.get_data(as_text=True)) == (name in sees)
    else:
        assert team_list.status_code == 404


def test_merged_records_leave_every_scope(world):
    users, ours, _ = world
    twin = factories.make_client(ours.team, users["companion"], preferred_name="Twin")
    twin.merged_into_id = ours.id
    db.session.flush()
    visible = db.session.scalars(visible_clients(users["lead"]).where(Client.id == twin.id)).all()
    assert visible == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) >= 3
