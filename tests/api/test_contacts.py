"""Contacts and check-ins through the API: same rules, exactly once, no sensitive text."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.checkins.models import CheckIn
from app.contacts.models import Contact
from app.extensions import db
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.conftest import count

CONTACT = {
    "kind": "home_visit",
    "outcome": "reached",
    "duration_minutes": 30,
    "domains": ["housing"],
}


@pytest.fixture
def ours(app, team, companion, buddy):
    client = factories.make_client(team, companion, preferred_name="Nora")
    factories.match(client, buddy, started_on=today() - timedelta(days=20))
    db.session.commit()
    return client


def test_log_a_contact_with_notes(api_as, companion, ours):
    api = api_as(companion)
    body = {**CONTACT, "notes": {"team": "Gesprek over huur", "sensitive": "Geheim medisch detail"}}
    response = api.post(f"/api/v1/clients/{ours.id}/contacts", json=body)
    assert response.status_code == 201, response.json
    assert response.json["team_note"] == "Gesprek over huur"
    assert response.json["has_sensitive_note"] is True
    listed = api.get(f"/api/v1/clients/{ours.id}/contacts").json
    assert listed["meta"]["total"] == 1
    assert "Geheim medisch detail" not in str(listed)  # never in a list


def test_same_idempotency_key_returns_the_same_contact(api_as, companion, ours):
    api = api_as(companion)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(f"/api/v1/clients/{ours.id}/contacts", json=CONTACT, headers=key)
    again = api.post(f"/api/v1/clients/{ours.id}/contacts", json=CONTACT, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    assert count(Contact) == 1
    other = api.post(f"/api/v1/clients/{ours.id}/contacts", json=CONTACT)
    assert other.status_code == 201 and count(Contact) == 2


def test_a_key_of_another_user_is_refused(api_as, companion, team, ours):
    colleague = factories.make_user("companion", teams=[team])
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert (
        api_as(companion)
        .post(f"/api/v1/clients/{ours.id}/contacts", json=CONTACT, headers=key)
        .status_code
        == 201
    )
    refused = api_as(colleague).post(
        f"/api/v1/clients/{ours.id}/contacts", json=CONTACT, headers=key
    )
    assert refused.status_code == 422 and count(Contact) == 1


def test_client_registration_is_idempotent(api_as, companion):
    api = api_as(companion)
    key = {"Idempotency-Key": "tablet-" + uuid.uuid4().hex}
    body = {"preferred_name": "Roy", "municipality": "herent", "place_met": "street"}
    first = api.post("/api/v1/clients", json=body, headers=key)
    again = api.post("/api/v1/clients", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["code"] == again.json["code"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_at": "2099-01-01T10:00:00+01:00"}, "occurred_on"),
        ({"duration_minutes": 100000}, "duration_minutes"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"follow_up_on": "2000-01-01"}, "follow_up_on"),
        ({"notes": {"secret": "x"}}, "notes.secret"),
        ({"kind": "telepathy"}, "kind"),
        ({"participant_ids": [999999]}, "participants"),
        ({"occurred_at": "2026-01-01T10:00:00"}, "occurred_at"),  # no time zone
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_stored(api_as, companion, ours, change, field):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts", json={**CONTACT, **change}
    )
    assert 400 <= response.status_code < 500
    assert response.mimetype == "application/problem+json"
    assert field in response.json.get("errors", {}), response.json
    assert count(Contact) == 0


def test_bad_idempotency_key_is_refused(api_as, companion, ours):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts", json=CONTACT, headers={"Idempotency-Key": "short"}
    )
    assert response.status_code == 422 and count(Contact) == 0


@pytest.mark.parametrize("who", ["other_companion", "unmatched_buddy", "matched_buddy", "admin"])
def test_contacts_scoping(api_as, ours, team, other_team, buddy, who):
    user = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "unmatched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "matched_buddy": lambda: buddy,
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    api = api_as(user)
    assert api.get(f"/api/v1/clients/{ours.id}/contacts").status_code == 404
    assert api.post(f"/api/v1/clients/{ours.id}/contacts", json=CONTACT).status_code == 404
    assert count(Contact) == 0


CHECKIN = {"activity": "walk", "duration_minutes": 60, "rating": 4}


def test_buddy_logs_a_check_in_with_a_worry(api_as, buddy, companion, ours):
    api = api_as(buddy)
    body = {
        **CHECKIN,
        "occurred_on": today().isoformat(),
        "worry": True,
        "worry_text": "Slaapt slecht",
    }
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(f"/api/v1/clients/{ours.id}/check-ins", json=body, headers=key)
    again = api.post(f"/api/v1/clients/{ours.id}/check-ins", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert count(CheckIn) == 1
    reminder = db.session.scalar(sa.select(Reminder).where(Reminder.client_id == ours.id))
    assert reminder.assignee_id == companion.id and reminder.priority == 3
    own = api.get(f"/api/v1/clients/{ours.id}/check-ins").json
    assert [c["id"] for c in own["items"]] == [first.json["id"]]
    team_view = api_as(companion).get(f"/api/v1/clients/{ours.id}/check-ins").json
    assert team_view["meta"]["total"] == 1


def test_only_the_matched_buddy_logs_check_ins(api_as, companion, team, ours):
    body = {**CHECKIN, "occurred_on": today().isoformat()}
    assert (
        api_as(companion).post(f"/api/v1/clients/{ours.id}/check-ins", json=body).status_code == 404
    )
    stranger = factories.make_user("buddy", teams=[team])
    assert (
        api_as(stranger).post(f"/api/v1/clients/{ours.id}/check-ins", json=body).status_code == 404
    )
    assert count(CheckIn) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"rating": 9}, "rating"),
        ({"duration_minutes": 99999}, "duration_minutes"),
        ({"worry": True}, "worry_text"),
        ({"activity": "skydiving"}, "activity"),
    ],
)
def test_bad_check_ins_are_refused(api_as, buddy, ours, change, field):
    body = {**CHECKIN, "occurred_on": today().isoformat(), **change}
    response = api_as(buddy).post(f"/api/v1/clients/{ours.id}/check-ins", json=body)
    assert 400 <= response.status_code < 500
    assert field in response.json.get("errors", {}), response.json
    assert count(CheckIn) == 0
