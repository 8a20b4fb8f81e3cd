"""A partner link that does not open the referral says why, and shows nothing of it: forged,
expired (frozen clock), revoked by the companion, replaced by a newer link, a referral
withdrawn, or the consent behind it withdrawn - also for a browser that had opened it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.clients.consents import withdraw_consent
from app.extensions import db
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus
from app.timeutil import today
from tests.partners.conftest import deliver, link_in, open_with_code, path_of

REFUSED = 'data-testid="partner-refused"'


def refused(response, status: int, text: str, referral) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert REFUSED in html and text in html
    assert "Nora" not in html and referral.question not in html


def test_a_forged_link_is_not_valid(app, referral):
    partner = app.test_client()
    response = partner.get("/partner/" + "A" * 43)
    refused(response, 404, "Deze link is niet geldig", referral)
    refused(partner.get("/partner/" + "x" * 150), 404, "niet geldig", referral)


def test_the_link_expires_after_partner_link_days(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    days = app.config["PARTNER_LINK_DAYS"]
    start = datetime.now(UTC)
    with time_machine.travel(start + timedelta(days=days - 1), tick=False):
        assert app.test_client().get(path).status_code == 302  # still works
    with time_machine.travel(start + timedelta(days=days, minutes=1), tick=False):
        refused(app.test_client().get(path), 410, "Deze link is verlopen", referral)


def test_an_opened_link_stops_at_expiry_too(smtp_server, app, referral):
    [message] = deliver(smtp_server)
    partner = open_with_code(app, smtp_server, path_of(link_in(message)))
    later = datetime.now(UTC) + timedelta(days=app.config["PARTNER_LINK_DAYS"], hours=1)
    with time_machine.travel(later, tick=False):
        refused(partner.get("/partner/referral"), 410, "verlopen", referral)


def test_the_companion_revokes_the_link(smtp_server, app, referral, person, as_companion):
    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    partner = open_with_code(app, smtp_server, path)
    page = as_companion.get(f"/clients/{person.id}/referrals/{referral.id}")
    assert "Link intrekken" in page.get_data(as_text=True)
    response = as_companion.post(
        f"/clients/{person.id}/referrals/{referral.id}/partner-link/revoke"
    )
    assert response.status_code == 302
    refused(partner.get("/partner/referral"), 410, "ingetrokken door de trajectgezel", referral)
    refused(app.test_client().get(path), 410, "ingetrokken", referral)
    page = as_companion.get(f"/clients/{person.id}/referrals/{referral.id}")
    assert "ingetrokken" in page.get_data(as_text=True)


def test_revocation_holds_on_a_frozen_clock_before_expiry(smtp_server, app, referral, companion):
    """Revoked is revoked, whatever the time: also well within PARTNER_LINK_DAYS."""
    from app.partners import links

    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    with time_machine.travel(datetime.now(UTC) + timedelta(days=1), tick=False):
        for link in links.live_links(referral):
            links.revoke(link, by=companion)
        db.session.commit()
        refused(app.test_client().get(path), 410, "ingetrokken", referral)


def test_a_new_link_replaces_the_old_one(smtp_server, app, referral, person, as_companion):
    [message] = deliver(smtp_server)
    old = path_of(link_in(message))
    response = as_companion.post(f"/clients/{person.id}/referrals/{referral.id}/partner-link/send")
    assert response.status_code == 302
    [again] = deliver(smtp_server)
    refused(app.test_client().get(old), 410, "nieuwere link", referral)
    assert app.test_client().get(path_of(link_in(again))).status_code == 302


def test_another_teams_companion_cannot_touch_the_link(app, referral, person, other_team, login):
    from tests import factories

    stranger = factories.make_user("companion", teams=[other_team])
    client = login(stranger)
    url = f"/clients/{person.id}/referrals/{referral.id}/partner-link/revoke"
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("withdrawn", ["referral", "consent"])
def test_a_withdrawn_referral_or_consent_is_no_longer_available(
    withdrawn, smtp_server, app, referral, companion, consent
):
    [message] = deliver(smtp_server)
    path = path_of(link_in(message))
    partner = open_with_code(app, smtp_server, path)
    if withdrawn == "referral":
        services.move(referral, ReferralStatus.CANCELLED, by=companion, reason="Niet meer nodig")
    else:
        withdraw_consent(consent, on=today(), reason="Wil het niet meer", by=companion)
    db.session.commit()
    refused(partner.get("/partner/referral"), 410, "niet meer beschikbaar", referral)
    refused(app.test_client().get(path), 410, "niet meer beschikbaar", referral)
