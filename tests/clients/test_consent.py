"""Consent: recording, withdrawal, expiry and the plain status on the profile."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.consents import (
    ConsentStatus,
    consent_status,
    covers_domain,
    valid_consent,
    withdraw_consent,
)
from app.clients.models import Consent
from app.errors import DomainError
from app.extensions import db
from app.reference import Domain
from app.timeutil import today
from tests import factories
from tests.conftest import count


@pytest.fixture
def client(app, team, companion):
    return factories.make_client(team, companion)


def test_no_consent(client):
    assert consent_status(client) == ConsentStatus.NONE
    assert valid_consent(client) is None


def test_given_expired_withdrawn(client, companion):
    consent = factories.make_consent(client, domains=["housing", "childcare"])
    assert consent_status(client) == ConsentStatus.GIVEN
    assert covers_domain(valid_consent(client), Domain.CHILDCARE)
    assert not covers_domain(valid_consent(client), Domain.WORK)
    assert consent_status(client, today() + timedelta(days=366)) == ConsentStatus.EXPIRED
    withdraw_consent(consent, on=today(), reason="wil niet meer", by=companion)
    assert consent_status(client) == ConsentStatus.WITHDRAWN
    assert valid_consent(client) is None


def test_newest_consent_decides(client):
    factories.make_consent(
        client, given_on=today() - timedelta(days=400), expires_on=today() - timedelta(days=35)
    )
    assert consent_status(client) == ConsentStatus.EXPIRED
    factories.make_consent(client, given_on=today() - timedelta(days=2))
    assert consent_status(client) == ConsentStatus.GIVEN


def test_expiry_is_inclusive(client):
    factories.make_consent(client, given_on=today() - timedelta(days=10), expires_on=today())
    assert consent_status(client) == ConsentStatus.GIVEN
    assert consent_status(client, today() + timedelta(days=1)) == ConsentStatus.EXPIRED


def test_record_consent_through_the_page(as_companion, client):
    db.session.commit()
    page = as_companion.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Geen toestemming" in page
    response = as_companion.post(
        f"/clients/{client.id}/consents/new",
        data={
            "given_on": today().isoformat(),
            "explained_in": "ar",
            "interpreter_used": "y",
            "processing": "y",
            "domains": ["housing", "language"],
            "expires_on": (today() + timedelta(days=365)).isoformat(),
            "signature_method": "none",
        },
    )
    assert response.status_code == 302
    consent = db.session.scalar(sa.select(Consent))
    assert consent.interpreter_used and consent.explained_in == "ar"
    assert consent.signature_svg is None and consent.text_language == "ar"
    assert consent.shared_domains == [Domain.LANGUAGE, Domain.HOUSING]
    page = as_companion.get(f"/clients/{client.id}").get_data(as_text=True)
    assert 'data-consent-status="given"' in page and "Arabisch" in page
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "client.consent_recorded")
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"given_on": (today() + timedelta(days=1)).isoformat()}, "niet in de toekomst"),
        ({"expires_on": (today() - timedelta(days=1)).isoformat()}, "moet na de datum"),
        ({"explained_in": "klingon"}, "Ongeldige keuze"),
        ({"processing": ""}, "Zonder toestemming"),
        ({"domains": ["space"]}, "ongeldige keuze voor dit veld"),
    ],
)
def test_bad_consent_input_is_refused(as_companion, client, overrides, message):
    db.session.commit()
    data = {
        "given_on": today().isoformat(),
        "explained_in": "nl",
        "processing": "y",
        "expires_on": (today() + timedelta(days=30)).isoformat(),
        "signature_method": "none",
        **overrides,
    }
    data = {k: v for k, v in data.items() if v != ""}
    response = as_companion.post(f"/clients/{client.id}/consents/new", data=data)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert count(Consent) == 0


def test_withdrawal_through_the_page(as_companion, client):
    consent = factories.make_consent(client)
    db.session.commit()
    url = f"/clients/{client.id}/consents/{consent.id}/withdraw"
    response = as_companion.post(url, data={"on": today().isoformat(), "reason": "verhuisd"})
    assert response.status_code == 302
    assert consent.withdrawn_on == today()
    again = as_companion.post(url, data={"on": today().isoformat()})
    assert again.status_code == 409


def test_withdrawal_before_given_is_refused(client, companion):
    consent = factories.make_consent(client)
    with pytest.raises(DomainError):
        withdraw_consent(consent, on=today() - timedelta(days=1), reason=None, by=companion)


def test_consent_can_name_organisations(as_companion, client):
    from app.clients.consents import covers
    from app.organisations.services import create_organisation

    desk = create_organisation(
        name="Loket kinderopvang", type="childcare_desk", domains=["childcare"],
        covers_whole_region=True, by=None,
    )  # fmt: skip
    other = create_organisation(
        name="CAD", type="addiction_centre", domains=["addiction"], covers_whole_region=True,
        by=None,
    )  # fmt: skip
    db.session.commit()
    response = as_companion.post(
        f"/clients/{client.id}/consents/new",
        data={
            "given_on": today().isoformat(),
            "explained_in": "nl",
            "processing": "y",
            "domains": ["housing"],
            "organisations": [str(desk.id)],
            "expires_on": (today() + timedelta(days=365)).isoformat(),
            "signature_method": "none",
        },
    )
    assert response.status_code == 302
    consent = valid_consent(client)
    assert covers(consent, organisation_id=desk.id, domain=None)
    assert covers(consent, organisation_id=other.id, domain=Domain.HOUSING)
    assert not covers(consent, organisation_id=other.id, domain=Domain.ADDICTION)
    page = as_companion.get(f"/clients/{client.id}").get_data(as_text=True)
    assert "Loket kinderopvang" in page
    forged = as_companion.post(
        f"/clients/{client.id}/consents/new",
        data={"given_on": today().isoformat(), "explained_in": "nl", "processing": "y",
              "organisations": ["999999"], "signature_method": "none"},
    )  # fmt: skip
    assert forged.status_code == 422
