"""An Idempotency-Key replays only the request it was sent with (issue 13, item 7): the same
key with another body is refused with 422 problem+json, as the IETF Idempotency-Key draft
says, so a tablet that reuses a key never loses its second contact silently."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.checkins.models import CheckIn
from app.clients.models import Client
from app.contacts.models import Contact
from app.extensions import db
from app.measurements.models import Measurement
from app.referrals.models import Referral
from app.timeutil import today
from tests import factories
from tests.conftest import count

REUSED = "Idempotency-Key hergebruikt voor een ander verzoek"


@pytest.fixture
def ours(app, team, companion, buddy):
    client = factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=30)
    )
    factories.match(client, buddy, started_on=today() - timedelta(days=20))
    db.session.commit()
    return client


def key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def assert_reused(response):
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == REUSED


def test_a_key_reused_for_another_contact_is_refused(api_as, companion, ours):
    api = api_as(companion)
    headers = key()
    url = f"/api/v1/clients/{ours.id}/contacts"
    first = api.post(url, json={"kind": "home_visit", "outcome": "reached"}, headers=headers)
    assert first.status_code == 201
    second = api.post(url, json={"kind": "call", "outcome": "attempt"}, headers=headers)
    assert_reused(second)
    assert count(Contact) == 1
    # A true retry still gets the stored contact, also with the keys in another order.
    retry = api.post(url, json={"outcome": "reached", "kind": "home_visit"}, headers=headers)
    assert retry.status_code == 200 and retry.json["id"] == first.json["id"]


def test_a_key_reused_for_another_client_is_refused(api_as, companion, team, ours):
    other = factories.make_client(team, companion)
    db.session.commit()
    api = api_as(companion)
    headers = key()
    body = {"kind": "home_visit", "outcome": "reached"}
    assert (
        api.post(f"/api/v1/clients/{ours.id}/contacts", json=body, headers=headers).status_code
        == 201
    )
    assert_reused(api.post(f"/api/v1/clients/{other.id}/contacts", json=body, headers=headers))
    assert count(Contact) == 1


def test_every_creation_refuses_a_reused_key(
    api_as, companion, buddy, ours, childcare_desk, housing_company
):
    """Check-ins, clients, referrals and measurements: first 201, same body 200, other 422."""
    mobility = {"instrument": "dijleland", "measured_on": today().isoformat(), "kind": "intake"}
    cases = [
        (buddy, f"/api/v1/clients/{ours.id}/check-ins", CheckIn,
         {"occurred_on": today().isoformat(), "activity": "meeting", "duration_minutes": 60,
          "rating": 4},
         {"duration_minutes": 90}),
        (companion, "/api/v1/clients", Client,
         {"preferred_name": "Roy", "municipality": "herent", "place_met": "street"},
         {"preferred_name": "Ray"}),
        (companion, f"/api/v1/clients/{ours.id}/referrals", Referral,
         {"organisation_id": childcare_desk.id, "domain": "childcare", "question": "Opvang"},
         {"organisation_id": housing_company.id, "domain": "housing"}),
        (companion, f"/api/v1/clients/{ours.id}/measurements", Measurement,
         {**mobility, "scores": {"mobility": 2}},
         {"scores": {"mobility": 3}}),
    ]  # fmt: skip
    for user, url, model, body, change in cases:
        api, headers = api_as(user), key()
        before = count(model)
        first = api.post(url, json=body, headers=headers)
        assert first.status_code == 201, (url, first.json)
        assert api.post(url, json=body, headers=headers).status_code == 200, url
        assert_reused(api.post(url, json={**body, **change}, headers=headers))
        assert count(model) == before + 1, url
