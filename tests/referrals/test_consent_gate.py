"""The consent gate when sending, the audited override, and the printed summary that shows
only what the consent allows."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.consents import record_consent, withdraw_consent
from app.extensions import db
from app.referrals.lifecycle import ReferralStatus as S
from app.referrals.vocab import SharingBasis
from app.timeutil import today
from tests import factories
from tests.conftest import count


def send_url(referral):
    return f"/clients/{referral.client_id}/referrals/{referral.id}/status/sent"


def summary_url(referral):
    return f"/clients/{referral.client_id}/referrals/{referral.id}/summary"


def send(client, referral, **data):
    data.setdefault("on", today().isoformat())
    return client.post(send_url(referral), data=data)


def events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_without_consent_sending_is_refused_and_nothing_changes(as_companion, draft):
    page = as_companion.get(send_url(draft)).get_data(as_text=True)
    assert "Er is geen geldige toestemming." in page
    response = send(as_companion, draft)
    assert response.status_code == 409
    assert "Registreer eerst de toestemming" in response.get_data(as_text=True)
    assert draft.status == S.DRAFT and draft.shared_basis is None and len(draft.changes) == 1


def test_an_override_needs_a_written_reason(as_companion, draft):
    response = send(as_companion, draft, consent_override="y", override_reason="  ")
    assert response.status_code == 422
    assert "Schrijf waarom" in response.get_data(as_text=True)
    assert draft.status == S.DRAFT and events("referral.consent_override") == []


def test_an_override_with_reason_sends_audited_and_shares_the_minimum(as_companion, draft):
    reason = "Mondeling akkoord; opvang moet maandag starten."
    response = send(as_companion, draft, consent_override="y", override_reason=reason)
    assert response.status_code == 302
    assert draft.status == S.SENT and draft.sent_on == today()
    assert draft.shared_basis == SharingBasis.OVERRIDE and draft.override_reason == reason
    assert draft.shared_consent_id is None
    assert draft.shared_fields == ["preferred_name", "domain", "question"]
    [event] = events("referral.consent_override")
    assert event.details["reason"] == reason and event.client_id == draft.client_id
    page = as_companion.get(f"/clients/{draft.client_id}/referrals/{draft.id}")
    assert reason in page.get_data(as_text=True)


def test_a_consent_for_the_domain_opens_the_gate(as_companion, draft, person):
    consent = factories.make_consent(person, domains=["childcare"])
    db.session.commit()
    assert "geldt voor deze doorverwijzing" in as_companion.get(send_url(draft)).get_data(
        as_text=True
    )
    assert send(as_companion, draft).status_code == 302
    assert draft.shared_basis == SharingBasis.CONSENT_DOMAIN
    assert draft.shared_consent_id == consent.id
    assert draft.shared_fields == [
        "preferred_name", "domain", "question", "legal_name", "birth_year",
    ]  # fmt: skip
    assert events("referral.consent_override") == []


def test_a_consent_naming_the_organisation_opens_the_gate(
    as_companion, draft, person, childcare_desk
):
    record_consent(
        person, given_on=today(), explained_in="nl", interpreter_used=False, processing=True,
        domains=["housing"], organisation_ids=[childcare_desk.id], expires_on=None, note=None,
        by=None,
    )  # fmt: skip
    assert send(as_companion, draft).status_code == 302
    assert draft.shared_basis == SharingBasis.CONSENT_ORGANISATION


def test_a_consent_for_another_domain_expired_or_withdrawn_does_not(as_companion, draft, person):
    factories.make_consent(person, domains=["housing"])
    assert send(as_companion, draft).status_code == 409
    factories.make_consent(
        person, domains=["childcare"], given_on=today() - timedelta(days=20),
        expires_on=today() - timedelta(days=1),
    )  # fmt: skip
    assert send(as_companion, draft).status_code == 409
    consent = factories.make_consent(person, domains=["childcare"])
    withdraw_consent(consent, on=today(), reason=None, by=None)
    assert send(as_companion, draft).status_code == 409
    assert draft.status == S.DRAFT


def summary(client, referral) -> str:
    response = client.get(summary_url(referral))
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_summary_shows_the_identity_only_under_consent(as_companion, draft, person):
    draft.question = "Opvang voor twee kinderen."
    db.session.commit()
    page = summary(as_companion, draft)
    assert "Nora" in page and "Opvang voor twee kinderen." in page
    assert "Voorbeeld" not in page and "1990" not in page
    assert "Kinderopvang" in page and "Doorverwijzing naar Lokaal loket kinderopvang" in page
    factories.make_consent(person, domains=["childcare"])
    db.session.commit()
    page = summary(as_companion, draft)
    assert 'data-field="legal_name">Officiële naam: Nora Voorbeeld' in page
    assert "Geboren in 1990" in page
    printed = events("referral.summary_printed")
    assert len(printed) == 2 and printed[-1].details["fields"][-2:] == ["legal_name", "birth_year"]


def test_the_summary_never_shows_notes_and_is_in_dutch_for_an_english_user(
    login, team, draft, person
):
    person.description = "Heeft schulden, praat er niet graag over."
    factories.make_consent(person, domains=["childcare"])
    english = factories.make_user("companion", teams=[team], locale="en")
    page = summary(login(english), draft)
    assert "schulden" not in page
    assert "Over wie gaat het?" in page and "Kan je helpen?" in page


def test_a_consent_withdrawn_after_sending_narrows_the_summary_again(as_companion, draft, person):
    consent = factories.make_consent(person, domains=["childcare"])
    db.session.commit()
    assert send(as_companion, draft).status_code == 302
    withdraw_consent(consent, on=today(), reason="Wil het niet meer", by=None)
    db.session.commit()
    page = summary(as_companion, draft)
    assert "Voorbeeld" not in page and "Nora" in page


def test_the_warm_handover_is_on_the_summary(as_companion, draft, companion):
    draft.warm_handover, draft.handover_on = True, today() + timedelta(days=3)
    db.session.commit()
    page = summary(as_companion, draft)
    assert f"{companion.display_name} komt samen met Nora op" in page
    assert count(AuditEvent, AuditEvent.action == "referral.summary_printed") == 1
