"""An organisation's referral history: aggregate numbers for everyone who works with
referrals, and only the referrals of clients the viewer may see."""

from __future__ import annotations

import re
from datetime import timedelta

from app.reference import Domain
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.referrals.queries import organisation_history
from app.timeutil import today
from tests import factories
from tests.referrals.conftest import refer


def sent(client, org, *, by, days_ago: int, **values):
    referral = refer(client, org, by=by, referred_on=today() - timedelta(days=days_ago), **values)
    services.move(
        referral, S.SENT, by=by, on=today() - timedelta(days=days_ago), consent_override=True,
        override_reason="Mondeling akkoord",
    )  # fmt: skip
    return referral


def ago(days: int):
    return today() - timedelta(days=days)


def build_history(team, other_team, companion, org):
    """Six referrals to ``org``: two of another team, one still a draft."""
    mine = factories.make_client(team, companion, registered_on=ago(60), preferred_name="Nora")
    stranger = factories.make_user("companion", teams=[other_team])
    theirs = factories.make_client(
        other_team, stranger, registered_on=ago(60), preferred_name="Yusuf"
    )
    accepted_fast = sent(mine, org, by=companion, days_ago=40)
    services.move(accepted_fast, S.ACCEPTED, by=companion, on=ago(38))  # 2 days
    accepted_slow = sent(theirs, org, by=stranger, days_ago=20)
    services.move(
        accepted_slow, S.APPOINTMENT_PLANNED, by=stranger, on=ago(10), appointment_on=ago(5)
    )  # 10 days, still open (20 days old)
    declined = sent(mine, org, by=companion, days_ago=12)
    services.move(declined, S.DECLINED, by=companion, on=ago(11), reason="Vol")
    sent(mine, org, by=companion, days_ago=3)  # open, 3 days old
    sent(theirs, org, by=stranger, days_ago=31)  # open, 31 days old
    refer(mine, org, by=companion)  # a draft: not received
    return mine, theirs


def test_numbers(app, team, other_team, companion, childcare_desk):
    build_history(team, other_team, companion, childcare_desk)
    history = organisation_history(childcare_desk, today())
    assert history.received == 5
    assert (history.accepted, history.declined) == (2, 1)
    assert history.acceptance_rate == 2 / 3
    assert history.median_days_to_acceptance == 6  # median of 2 and 10
    assert history.open_by_age == {"0–7": 1, "8–14": 0, "15–30": 1, ">30": 2}  # (accepted: open)


def test_bucket_boundaries(app, team, companion, childcare_desk):
    client = factories.make_client(team, companion, registered_on=ago(60))
    for days in (7, 8, 14, 15, 30, 31):
        sent(client, childcare_desk, by=companion, days_ago=days)
    history = organisation_history(childcare_desk, today())
    assert history.open_by_age == {"0–7": 1, "8–14": 2, "15–30": 2, ">30": 1}


def test_an_organisation_without_referrals(app, childcare_desk):
    history = organisation_history(childcare_desk, today())
    assert (history.received, history.acceptance_rate, history.median_days_to_acceptance) == (
        0, None, None,
    )  # fmt: skip


def test_the_page_shows_numbers_and_only_visible_referrals(
    login, team, other_team, companion, childcare_desk, buddy, admin_user
):
    build_history(team, other_team, companion, childcare_desk)
    url = f"/organisations/{childcare_desk.id}"
    page = login(companion).get(url).get_data(as_text=True)
    assert re.search(r'data-stat="received">5<', page)
    assert re.search(r'data-stat="acceptance">67%<', page)
    assert "2 van 3 beantwoord" in page
    assert re.search(r'data-stat="median">6<', page)
    listed = re.findall(r'data-testid="organisation-referrals"(.*?)</section>', page, re.S)[0]
    assert listed.count("Nora") == 4 and "Yusuf" not in listed
    admin_page = login(admin_user).get(url).get_data(as_text=True)
    assert 'data-stat="received">5<' in admin_page and "Nora" not in admin_page
    buddy_page = login(buddy).get(url).get_data(as_text=True)
    assert "data-stat" not in buddy_page


def test_the_median_can_be_a_half_day(app, login, team, companion, childcare_desk):
    client = factories.make_client(team, companion, registered_on=ago(60))
    for days_ago, accepted_after in ((20, 1), (10, 2)):
        referral = sent(client, childcare_desk, by=companion, days_ago=days_ago)
        services.move(referral, S.ACCEPTED, by=companion, on=ago(days_ago - accepted_after))
    page = login(companion).get(f"/organisations/{childcare_desk.id}").get_data(as_text=True)
    assert 'data-stat="median">1,5<' in page


def test_domain_does_not_matter_for_the_history(app, team, companion, housing_company):
    client = factories.make_client(team, companion, registered_on=ago(60))
    sent(client, housing_company, by=companion, days_ago=2, domain=Domain.HOUSING)
    assert organisation_history(housing_company, today()).received == 1
