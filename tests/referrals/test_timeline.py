"""Referrals on the client timeline: every move is an entry, filtered by status or domain."""

from __future__ import annotations

from datetime import timedelta

from app.reference import Domain
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.timeline.queries import timeline_page
from app.timeutil import today
from tests import factories
from tests.referrals.conftest import refer


def moved(person, childcare_desk, housing_company, companion):
    factories.make_consent(person, domains=["childcare", "housing"])
    childcare = refer(person, childcare_desk, by=companion, referred_on=today() - timedelta(days=6))
    services.move(childcare, S.SENT, by=companion, on=today() - timedelta(days=6))
    services.move(childcare, S.ACCEPTED, by=companion, on=today() - timedelta(days=2))
    housing = refer(person, housing_company, by=companion, domain=Domain.HOUSING)
    services.move(housing, S.CANCELLED, by=companion, reason="Dubbel ingevoerd")
    return childcare, housing


def test_every_move_is_on_the_timeline(person, childcare_desk, housing_company, companion):
    moved(person, childcare_desk, housing_company, companion)
    _page, entries = timeline_page(person.id, kind="referral")
    assert [(e.obj.to_status, e.day) for e in entries] == [
        (S.CANCELLED, today()), (S.DRAFT, today()), (S.ACCEPTED, today() - timedelta(days=2)),
        (S.SENT, today() - timedelta(days=6)), (S.DRAFT, today() - timedelta(days=6)),
    ]  # fmt: skip
    _page, accepted = timeline_page(person.id, kind="referral:accepted")
    assert [e.obj.to_status for e in accepted] == [S.ACCEPTED]
    _page, housing = timeline_page(person.id, kind="referral", domain=Domain.HOUSING)
    assert {e.obj.referral.domain for e in housing} == {Domain.HOUSING} and len(housing) == 2


def test_the_timeline_page_shows_them(as_companion, person, childcare_desk, housing_company,
                                      companion):  # fmt: skip
    childcare, _housing = moved(person, childcare_desk, housing_company, companion)
    page = as_companion.get(f"/clients/{person.id}/timeline?kind=referral").get_data(as_text=True)
    assert page.count('data-source="referral"') == 5
    assert f"/clients/{person.id}/referrals/{childcare.id}" in page
    assert "Doorverwijzing naar Lokaal loket kinderopvang" in page
    assert "Reden: Dubbel ingevoerd" in page
    client_page = as_companion.get(f"/clients/{person.id}").get_data(as_text=True)
    assert 'data-source="referral"' in client_page  # the timeline card on the client page


def test_another_teams_companion_cannot_see_them(login, other_team, draft, person):
    stranger = factories.make_user("companion", teams=[other_team])
    assert login(stranger).get(f"/clients/{person.id}/timeline").status_code == 404
