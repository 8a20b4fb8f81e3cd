"""Clients through the API: the same scoping, validation and rules as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.clients.models import Client
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count

NEW = {"preferred_name": "Saled", "municipality": "haacht", "place_met": "food_bank"}


@pytest.fixture
def world(app, team, other_team, companion, buddy):
    ours = factories.make_client(team, companion, preferred_name="Nora", contact_note="na 17u")
    theirs = factories.make_client(other_team, preferred_name="Yusuf")
    factories.match(ours, buddy)
    db.session.commit()
    return ours, theirs


@pytest.mark.parametrize(
    ("role", "team_name", "sees_ours"),
    [("companion", "Team Noord", True), ("companion", "Team Zuid", False),
     ("lead", "Team Noord", True), ("lead", "Team Zuid", False), ("admin", None, False)],
)  # fmt: skip
def test_scoping_matrix(world, api_as, team, other_team, role, team_name, sees_ours):
    ours, theirs = world
    teams = {"Team Noord": [team], "Team Zuid": [other_team], None: []}[team_name]
    api = api_as(factories.make_user(role, teams=teams))
    assert api.get(f"/api/v1/clients/{ours.id}").status_code == (200 if sees_ours else 404)
    listed = {c["preferred_name"] for c in api.get("/api/v1/clients").json["items"]}
    assert ("Nora" in listed) == sees_ours
    found = {c["preferred_name"] for c in api.get("/api/v1/clients?q=nora").json["items"]}
    assert ("Nora" in found) == sees_ours


def test_buddy_gets_practical_fields_only(world, api_as, buddy, team):
    ours, theirs = world
    api = api_as(buddy)
    body = api.get(f"/api/v1/clients/{ours.id}").json
    assert set(body) == {"id", "preferred_name", "contact_channel", "contact_note", "languages"}
    assert body["contact_note"] == "na 17u"
    assert [c["id"] for c in api.get("/api/v1/clients").json["items"]] == [ours.id]
    assert api.get(f"/api/v1/clients/{theirs.id}").status_code == 404
    unmatched = api_as(factories.make_user("buddy", teams=[team]))
    assert unmatched.get(f"/api/v1/clients/{ours.id}").status_code == 404
    assert api.post("/api/v1/clients", json=NEW).status_code == 404


def test_register_and_read(api_as, companion):
    api = api_as(companion)
    response = api.post("/api/v1/clients", json={**NEW, "languages": ["ar"]})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["code"].startswith("DL-") and body["phase"] == "outreach"
    assert body["consent_status"] == "none" and body["version"] >= 1
    assert api.get(f"/api/v1/clients/{body['id']}").json["preferred_name"] == "Saled"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW, "municipality": "brussel"}, "municipality"),
        ({**NEW, "preferred_name": ""}, "preferred_name"),
        ({**NEW, "preferred_name": "x" * 81}, "preferred_name"),
        ({**NEW, "preferred_name": "nul\x00byte"}, "preferred_name"),
        ({**NEW, "registered_on": "tomorrow"}, "registered_on"),
        ({**NEW, "registered_on": (today() + timedelta(days=2)).isoformat()}, "registered_on"),
        ({**NEW, "languages": ["klingon"]}, "languages.0"),
        ({**NEW, "unknown": 1}, "unknown"),
        ({**NEW, "preferred_name": 42}, "preferred_name"),
        ({"municipality": "haacht", "place_met": "street"}, "preferred_name"),
    ],
)
def test_bad_input_is_a_problem_and_stores_nothing(api_as, companion, payload, field):
    response = api_as(companion).post("/api/v1/clients", json=payload)
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json
    assert count(Client) == 0


def test_malformed_json_and_huge_bodies(app, api_as, companion):
    api = api_as(companion)
    malformed = api.post(
        "/api/v1/clients", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 400 and malformed.mimetype == "application/problem+json"
    huge = api.post(
        "/api/v1/clients",
        data="x" * (app.config["MAX_CONTENT_LENGTH"] + 10),
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.mimetype == "application/problem+json"
    assert count(Client) == 0


def test_update_with_version_and_stale_write_is_409(world, api_as, companion):
    ours, _ = world
    api = api_as(companion)
    read = api.get(f"/api/v1/clients/{ours.id}").json
    changed = api.patch(
        f"/api/v1/clients/{ours.id}",
        json={
            "version": read["version"],
            "housing": "social_rental",
            "challenges": ["housing_newcomers"],
        },
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["housing"] == "social_rental"
    assert changed.json["version"] > read["version"]
    stale = api.patch(
        f"/api/v1/clients/{ours.id}", json={"version": read["version"], "housing": "street"}
    )
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    assert db.session.get(Client, ours.id).housing.value == "social_rental"
    missing = api.patch(f"/api/v1/clients/{ours.id}", json={"housing": "street"})
    assert missing.status_code == 422 and "version" in missing.json["errors"]


def test_update_refuses_future_birth_dates(world, api_as, companion):
    ours, _ = world
    api = api_as(companion)
    version = api.get(f"/api/v1/clients/{ours.id}").json["version"]
    response = api.patch(
        f"/api/v1/clients/{ours.id}",
        json={"version": version, "birth_date": (today() + timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "birth_date" in response.json["errors"]


def test_huge_ids_are_404(api_as, companion):
    api = api_as(companion)
    assert api.get("/api/v1/clients/99999999999999").status_code == 404
    assert api.get("/api/v1/clients/-1").status_code == 404


def test_pagination(api_as, companion, team):
    for number in range(7):
        factories.make_client(team, companion, preferred_name=f"P{number}")
    db.session.commit()
    body = api_as(companion).get("/api/v1/clients?per_page=3&page=3").json
    assert body["meta"] == {"page": 3, "per_page": 3, "total": 7, "pages": 3}
    assert len(body["items"]) == 1
    assert api_as(companion).get("/api/v1/clients?per_page=1000").status_code == 422
