"""Referral pages over HTTP: making one from the client page (with the organisation filter
and the outside-domain warning), moving it, the lists, and who may see any of it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.reference import Domain, Municipality
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.referrals.models import Referral, ReferralStatusChange
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.organisations.conftest import make_organisation
from tests.referrals.conftest import refer


def text(response) -> str:
    return response.get_data(as_text=True)


def new_url(client, domain=None):
    return f"/clients/{client.id}/referrals/new" + (f"?domain={domain}" if domain else "")


def test_the_client_page_lists_referrals_and_offers_to_refer(as_companion, draft, person):
    page = text(as_companion.get(f"/clients/{person.id}"))
    assert 'data-testid="client-referrals"' in page
    assert "Lokaal loket kinderopvang" in page
    assert f'href="{new_url(person)}"' in page
    assert "Opvang voor twee kinderen" not in page  # the question stays on the referral page


def test_organisations_offered_by_domain_and_municipality(as_companion, person, childcare_desk):
    make_organisation("OCMW Haacht", domains=[Domain.CHILDCARE, Domain.HOUSING])
    make_organisation(
        "OCMW Tremelo", domains=[Domain.CHILDCARE], municipalities=[Municipality.TREMELO]
    )
    make_organisation("Fietsschool", domains=[Domain.MOBILITY], covers_whole_region=True)
    make_organisation("Gesloten loket", domains=[Domain.CHILDCARE], active=False)
    factories.make_consent(person)  # (irrelevant to the choice)
    response = as_companion.get(new_url(person))
    assert response.status_code == 200 and 'name="organisation"' not in text(response)
    page = text(as_companion.get(new_url(person, "childcare")))
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', page, re.S)
    names = [(label, re.findall(r">([^<]+)</option>", options)) for label, options in groups]
    assert '<option selected value="">Kies een organisatie</option><optgroup' in page
    assert names == [
        ("Kinderopvang in Haacht", ["Lokaal loket kinderopvang", "OCMW Haacht"]),
        ("Kinderopvang, elders", ["OCMW Tremelo"]),
        ("Andere organisaties", ["Fietsschool"]),
    ]
    assert "Gesloten loket" not in page


def form_data(org, **values):
    data = {
        "domain": "childcare",
        "organisation": str(org.id),
        "question": "Opvang voor twee kinderen.",
        "referred_on": today().isoformat(),
        "response_deadline": (today() + timedelta(days=14)).isoformat(),
    }
    data.update(values)
    return data


def test_refer_with_a_warm_handover(as_companion, person, childcare_desk):
    handover = (today() + timedelta(days=4)).isoformat()
    response = as_companion.post(
        new_url(person), data=form_data(childcare_desk, warm_handover="y", handover_on=handover)
    )
    assert response.status_code == 302
    referral = Referral.query.one()
    assert response.headers["Location"] == f"/clients/{person.id}/referrals/{referral.id}"
    assert referral.warm_handover and referral.handover_on.isoformat() == handover
    assert referral.status == S.DRAFT


@pytest.mark.parametrize(
    ("values", "field_message"),
    [
        ({"response_deadline": (today() - timedelta(days=1)).isoformat()}, "antwoordtermijn"),
        ({"warm_handover": "y"}, "met de persoon meegaat"),
        ({"question": "   "}, "Dit veld is verplicht"),
        ({"referred_on": "31-02-2026"}, "datum"),
        ({"organisation": "999999"}, "keuze"),
        ({"organisation": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_nothing_is_saved(
    as_companion, person, childcare_desk, values, field_message
):
    response = as_companion.post(new_url(person), data=form_data(childcare_desk, **values))
    assert response.status_code == 422
    assert field_message.lower() in text(response).lower()
    assert count(Referral) == 0 and count(AuditEvent, AuditEvent.action == "referral.created") == 0


def test_a_bad_domain_is_refused(as_companion, person, childcare_desk):
    response = as_companion.post(new_url(person), data=form_data(childcare_desk, domain="moon"))
    assert response.status_code == 422 and count(Referral) == 0
    assert as_companion.get(new_url(person, "moon")).status_code == 200  # just asks again


def test_outside_the_domain_warns_then_saves_when_confirmed(as_companion, person, housing_company):
    first = as_companion.post(new_url(person), data=form_data(housing_company))
    assert first.status_code == 409
    assert 'data-testid="outside-domain"' in text(first)
    assert "Opvang voor twee kinderen." in text(first)  # what was typed stays
    assert count(Referral) == 0
    second = as_companion.post(
        new_url(person), data=form_data(housing_company, confirm_outside_domain="y")
    )
    assert second.status_code == 302
    assert Referral.query.one().organisation_id == housing_company.id
    page = text(as_companion.get(second.headers["Location"]))
    assert "niet bij de levensdomeinen van de organisatie" in page


def move_url(referral, target):
    return f"/clients/{referral.client_id}/referrals/{referral.id}/status/{target}"


def test_moves_over_http_and_a_forbidden_one(as_companion, draft, person):
    factories.make_consent(person, domains=["childcare"])
    day = today().isoformat()
    assert as_companion.post(move_url(draft, "sent"), data={"on": day}).status_code == 302
    forbidden = as_companion.post(move_url(draft, "completed"), data={"on": day})
    assert forbidden.status_code == 409
    assert "kan niet" in text(forbidden) and "Mogelijk" in text(forbidden)
    assert as_companion.get(move_url(draft, "completed")).status_code == 409
    assert as_companion.get(move_url(draft, "flying")).status_code == 404
    no_reason = as_companion.post(move_url(draft, "declined"), data={"on": day, "reason": ""})
    assert no_reason.status_code == 422 and "Geef de reden" in text(no_reason)
    no_date = as_companion.post(move_url(draft, "appointment_planned"), data={"on": day})
    assert no_date.status_code == 422
    ok = as_companion.post(move_url(draft, "declined"), data={"on": day, "reason": "Groep zit vol"})
    assert ok.status_code == 302
    assert [c.to_status for c in draft.changes] == [S.DRAFT, S.SENT, S.DECLINED]
    assert draft.changes[-1].reason == "Groep zit vol"
    assert count(ReferralStatusChange) == 3


def test_my_referrals_are_open_ones_of_my_caseload_overdue_first(
    as_companion, team, companion, person, childcare_desk, housing_company
):
    factories.make_consent(person, domains=["childcare", "housing"])
    fresh = refer(person, childcare_desk, by=companion)
    late = refer(
        person, housing_company, by=companion, domain=Domain.HOUSING,
        referred_on=today() - timedelta(days=20), response_deadline=today() - timedelta(days=2),
    )  # fmt: skip
    services.move(late, S.SENT, by=companion, on=today() - timedelta(days=20))
    done = refer(person, childcare_desk, by=companion)
    services.move(done, S.CANCELLED, by=companion, reason="Dubbel")
    colleague = factories.make_user("companion", teams=[team])
    theirs = factories.make_client(team, colleague)
    refer(theirs, childcare_desk, by=colleague)
    page = text(as_companion.get("/referrals/mine"))
    shown = re.findall(r'data-referral="(\d+)"', page)
    assert shown == [str(late.id), str(fresh.id)]
    assert "te laat" in page
    home = text(as_companion.get("/"))
    assert "2 open doorverwijzingen" in home and "1 te laat" in home


def test_a_buddy_or_admin_has_no_referral_list(login, buddy, admin_user):
    assert login(buddy).get("/referrals/mine").status_code == 404
    assert login(admin_user).get("/referrals/mine").status_code == 404


def referral_urls(referral) -> list[tuple[str, str]]:
    base = f"/clients/{referral.client_id}/referrals"
    return [
        ("get", f"{base}/new"),
        ("get", f"{base}/new?domain=childcare"),
        ("post", f"{base}/new"),
        ("get", f"{base}/{referral.id}"),
        ("get", f"{base}/{referral.id}/status/sent"),
        ("post", f"{base}/{referral.id}/status/cancelled"),
        ("get", f"{base}/{referral.id}/edit"),
        ("post", f"{base}/{referral.id}/edit"),
        ("get", f"{base}/{referral.id}/summary"),
    ]


def test_outsiders_get_404_everywhere(login, draft, other_team, buddy, admin_user, person):
    stranger = factories.make_user("companion", teams=[other_team])
    outsiders = [stranger, buddy, admin_user]
    factories.match(person, buddy)  # even a matched buddy never sees referrals
    for user in outsiders:
        client = login(user)
        for method, url in referral_urls(draft):
            response = getattr(client, method)(url, data={"reason": "x", "on": "2026-01-01"})
            assert response.status_code == 404, (user.username, url)
        page = text(client.get(f"/organisations/{draft.organisation_id}"))
        assert "Nora" not in page
    assert draft.status == S.DRAFT and count(Referral) == 1


def test_a_referral_under_another_clients_url_is_404(as_companion, team, companion, draft):
    other = factories.make_client(team, companion)
    for method, url in referral_urls(draft)[3:]:
        url = url.replace(f"/clients/{draft.client_id}/", f"/clients/{other.id}/")
        response = getattr(as_companion, method)(url, data={"reason": "x"})
        assert response.status_code == 404, url


def test_the_lead_of_the_team_may_follow_referrals(as_lead, draft):
    assert as_lead.get(f"/clients/{draft.client_id}/referrals/{draft.id}").status_code == 200


def test_change_the_details_of_an_open_referral(as_companion, draft, person):
    url = f"/clients/{person.id}/referrals/{draft.id}/edit"
    assert 'name="question"' in text(as_companion.get(url))
    later = (today() + timedelta(days=3)).isoformat()
    bad = as_companion.post(
        url, data={"question": "Nieuwe vraag", "response_deadline": later, "warm_handover": "y"}
    )
    assert bad.status_code == 422 and draft.question != "Nieuwe vraag"
    ok = as_companion.post(
        url,
        data={
            "question": "Nieuwe vraag", "response_deadline": later, "warm_handover": "y",
            "handover_on": later,
        },
    )  # fmt: skip
    assert ok.status_code == 302
    assert (draft.question, draft.handover_on.isoformat()) == ("Nieuwe vraag", later)
    services.move(draft, S.SENT, by=draft.created_by, consent_override=True, override_reason="x")
    assert 'name="question"' not in text(as_companion.get(url))  # the partner has it now
    services.move(draft, S.CANCELLED, by=draft.created_by, reason="Verhuisd")
    assert as_companion.get(url).status_code == 404


def test_sending_with_a_deadline_before_today_is_refused(as_companion, draft):
    response = as_companion.post(
        move_url(draft, "sent"),
        data={
            "on": today().isoformat(), "consent_override": "y", "override_reason": "Dringend",
            "response_deadline": (today() - timedelta(days=1)).isoformat(),
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "antwoordtermijn kan niet voor de dag van versturen" in text(response)
    assert draft.status == S.DRAFT and count(AuditEvent, AuditEvent.action.like("referral.%")) == 1
