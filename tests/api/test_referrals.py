"""Referrals through the API: the same lifecycle, consent gate and scoping as the pages."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from app.referrals.models import Referral
from app.timeutil import today
from tests import factories
from tests.conftest import count

BODY = {"domain": "childcare", "question": "Opvang voor twee kinderen"}


def create(api, person, organisation, **extra):
    return api.post(
        f"/api/v1/clients/{person.id}/referrals",
        json={**BODY, "organisation_id": organisation.id, **extra},
    )


def test_create_send_accept_and_history(api_as, companion, person, childcare_desk):
    factories.make_consent(person, domains=["childcare"])
    db.session.commit()
    api = api_as(companion)
    created = create(api, person, childcare_desk)
    assert created.status_code == 201, created.json
    referral = created.json
    assert referral["status"] == "draft"
    assert referral["response_deadline"] == (today() + timedelta(days=14)).isoformat()
    url = f"/api/v1/clients/{person.id}/referrals/{referral['id']}/moves"
    sent = api.post(url, json={"from_status": "draft", "to": "sent"})
    assert sent.status_code == 200, sent.json
    accepted = api.post(url, json={"from_status": "sent", "to": "accepted"})
    assert accepted.json["status"] == "accepted"
    assert [h["to_status"] for h in accepted.json["history"]] == ["draft", "sent", "accepted"]
    listed = api.get(f"/api/v1/clients/{person.id}/referrals").json
    assert [r["status"] for r in listed["items"]] == ["accepted"]


def test_forbidden_moves_and_stale_moves(api_as, companion, person, childcare_desk):
    db.session.commit()
    api = api_as(companion)
    referral = create(api, person, childcare_desk).json
    url = f"/api/v1/clients/{person.id}/referrals/{referral['id']}/moves"
    skipping = api.post(url, json={"from_status": "draft", "to": "completed"})
    assert skipping.status_code in (409, 422) and skipping.mimetype == "application/problem+json"
    stale = api.post(url, json={"from_status": "sent", "to": "accepted"})
    assert stale.status_code == 409
    declined_without_reason = api.post(url, json={"from_status": "draft", "to": "cancelled"})
    assert declined_without_reason.status_code == 422
    assert "reason" in declined_without_reason.json["errors"]
    assert db.session.get(Referral, referral["id"]).status.value == "draft"


def test_consent_gate_and_audited_override(api_as, companion, person, childcare_desk):
    db.session.commit()
    api = api_as(companion)
    referral = create(api, person, childcare_desk).json
    url = f"/api/v1/clients/{person.id}/referrals/{referral['id']}/moves"
    refused = api.post(url, json={"from_status": "draft", "to": "sent"})
    assert 400 <= refused.status_code < 500
    assert db.session.get(Referral, referral["id"]).status.value == "draft"
    overridden = api.post(
        url,
        json={"from_status": "draft", "to": "sent", "consent_override": True,
              "override_reason": "Mondelinge toestemming, formulier volgt"},
    )  # fmt: skip
    assert overridden.status_code == 200, overridden.json
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "referral.consent_override")
    )


def test_outside_domain_needs_confirmation(api_as, companion, person, housing_company):
    db.session.commit()
    api = api_as(companion)
    warned = create(api, person, housing_company)  # a housing company for childcare
    assert warned.status_code == 409 and count(Referral) == 0
    confirmed = create(api, person, housing_company, confirm_outside_domain=True)
    assert confirmed.status_code == 201


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"response_deadline": (today() - timedelta(days=3)).isoformat()}, "response_deadline"),
        ({"referred_on": (today() + timedelta(days=1)).isoformat()}, "referred_on"),
        ({"warm_handover": True}, "handover_on"),
        ({"organisation_id": 999999}, "organisation_id"),
        ({"question": ""}, "question"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_referrals_are_refused(api_as, companion, person, childcare_desk, extra, field):
    db.session.commit()
    response = create(api_as(companion), person, childcare_desk, **extra)
    assert 400 <= response.status_code < 500
    assert field in response.json.get("errors", {}), response.json
    assert count(Referral) == 0


def test_idempotent_creation(api_as, companion, person, childcare_desk):
    db.session.commit()
    api = api_as(companion)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {**BODY, "organisation_id": childcare_desk.id}
    first = api.post(f"/api/v1/clients/{person.id}/referrals", json=body, headers=key)
    again = api.post(f"/api/v1/clients/{person.id}/referrals", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"] and count(Referral) == 1


@pytest.mark.parametrize("who", ["other_companion", "buddy", "admin"])
def test_scoping(api_as, person, childcare_desk, other_team, team, companion, who):
    from app.referrals import services

    referral = services.create_referral(
        person, organisation=childcare_desk, domain="childcare", question="x",
        referred_on=today(), by=companion,
    )  # fmt: skip
    buddy = factories.make_user("buddy", teams=[team])
    factories.match(person, buddy)
    user = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "buddy": lambda: buddy,
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    db.session.commit()
    api = api_as(user)
    assert api.get(f"/api/v1/clients/{person.id}/referrals").status_code == 404
    assert api.get(f"/api/v1/clients/{person.id}/referrals/{referral.id}").status_code == 404
    moved = api.post(
        f"/api/v1/clients/{person.id}/referrals/{referral.id}/moves",
        json={"from_status": "draft", "to": "cancelled", "reason": "x"},
    )
    assert moved.status_code == 404
    assert create(api, person, childcare_desk).status_code == 404
    assert count(Referral) == 1


def test_a_referral_of_another_client_is_404(api_as, companion, person, childcare_desk, team):
    other = factories.make_client(team, companion)
    referral = create(api_as(companion), person, childcare_desk).json
    db.session.commit()
    response = api_as(companion).get(f"/api/v1/clients/{other.id}/referrals/{referral['id']}")
    assert response.status_code == 404
