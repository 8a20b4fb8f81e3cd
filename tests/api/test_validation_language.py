"""The API's field validation messages (marshmallow) come in the user's language (issue 20,
item 4): Dutch for a Dutch user, English for an English one; the user's own setting first,
else the request's Accept-Language."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories

BAD_CONTACT = {"outcome": "reached", "duration_minutes": "lang", "mood": "good", "kind": None}


@pytest.fixture
def ours(app, team, companion):
    client = factories.make_client(team, companion, preferred_name="Nora")
    db.session.commit()
    return client


def errors_of(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    return response.json["errors"]


def test_validation_messages_in_dutch_for_a_dutch_request(api_as, companion, ours):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts",
        json=BAD_CONTACT,
        headers={"Accept-Language": "nl-BE,nl;q=0.9"},
    )
    errors = errors_of(response)
    assert errors["kind"] == ["Dit veld mag niet leeg (null) zijn."]
    assert errors["duration_minutes"] == ["Geen geldig geheel getal."]
    assert errors["mood"] == ["Onbekend veld."]


def test_validation_messages_in_english_for_an_english_request(api_as, companion, ours):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts",
        json=BAD_CONTACT,
        headers={"Accept-Language": "en"},
    )
    errors = errors_of(response)
    assert errors["kind"] == ["Field may not be null."]
    assert errors["duration_minutes"] == ["Not a valid integer."]
    assert errors["mood"] == ["Unknown field."]


def test_the_users_language_setting_beats_the_browser(api_as, team, ours):
    english = factories.make_user("companion", teams=[team], locale="en")
    dutch = factories.make_user("companion", teams=[team], locale="nl")
    ours.companion = english
    db.session.commit()
    body = {"outcome": "reached", "kind": "tea_party"}
    url = f"/api/v1/clients/{ours.id}/contacts"
    refused = errors_of(api_as(english).post(url, json=body, headers={"Accept-Language": "nl"}))
    assert refused["kind"][0].startswith("Must be one of: ")
    assert "{choices}" not in refused["kind"][0] and "home_visit" in refused["kind"][0]
    ours.companion = dutch
    db.session.commit()
    refused = errors_of(api_as(dutch).post(url, json=body, headers={"Accept-Language": "en"}))
    assert refused["kind"][0].startswith("Moet een van deze zijn: ")
    assert "home_visit" in refused["kind"][0]


def test_a_missing_field_and_a_too_long_text_in_dutch(api_as, companion, ours):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts",
        json={"outcome": "reached", "place": "x" * 10_000},
        headers={"Accept-Language": "nl"},
    )
    errors = errors_of(response)
    assert errors["kind"] == ["Dit veld is verplicht."]
    assert any(m.startswith("Langer dan de maximumlengte van ") for m in errors["place"])
