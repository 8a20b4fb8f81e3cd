"""Referral figures on the dashboard: per partner in the period, and open ones by age, within
the viewer's scope only."""

from __future__ import annotations

from datetime import date, timedelta

from app.dashboards.filters import Filters
from app.dashboards.services import dashboard_query
from app.partners.dashboard import by_partner
from app.referrals import services
from app.referrals.dashboard import open_by_age
from app.referrals.lifecycle import ReferralStatus as S
from app.timeutil import today
from tests import factories
from tests.referrals.conftest import refer


def ago(days: int) -> date:
    return today() - timedelta(days=days)


def sent(client, org, *, by, days_ago, **values):
    referral = refer(client, org, by=by, referred_on=ago(days_ago), **values)
    services.move(
        referral, S.SENT, by=by, on=ago(days_ago), consent_override=True,
        override_reason="Mondeling akkoord",
    )  # fmt: skip
    return referral


def period(days: int = 60) -> Filters:
    return Filters(start=ago(days), end=today())


def build(team, other_team, companion, lead, childcare_desk, housing_company):
    mine = factories.make_client(team, companion, registered_on=ago(90))
    colleague = factories.make_user("companion", teams=[team])
    theirs_in_team = factories.make_client(team, colleague, registered_on=ago(90))
    stranger = factories.make_user("companion", teams=[other_team])
    elsewhere = factories.make_client(other_team, stranger, registered_on=ago(90))
    fast = sent(mine, childcare_desk, by=companion, days_ago=20)
    services.move(fast, S.ACCEPTED, by=companion, on=ago(19))  # 1 day
    slow = sent(theirs_in_team, childcare_desk, by=colleague, days_ago=10)
    services.move(slow, S.ACCEPTED, by=colleague, on=ago(8))  # 2 days
    no = sent(mine, childcare_desk, by=companion, days_ago=5)
    services.move(no, S.DECLINED, by=companion, on=ago(4), reason="Vol")
    sent(mine, housing_company, by=companion, days_ago=40, domain="housing")  # open, 40 days
    sent(mine, childcare_desk, by=companion, days_ago=80)  # before the period, open
    refer(mine, childcare_desk, by=companion)  # draft, 0 days
    sent(elsewhere, childcare_desk, by=stranger, days_ago=3)  # another team


def test_by_partner_for_the_lead(team, other_team, companion, lead, childcare_desk,
                                 housing_company):  # fmt: skip
    build(team, other_team, companion, lead, childcare_desk, housing_company)
    table = by_partner(dashboard_query(lead, period()))
    assert [(r["partner"], r["sent"], r["accepted"], r["declined"], r["open"], r["median"])
            for r in table.rows] == [
        ("Lokaal loket kinderopvang", 3, 2, 1, 2, 1.5),
        ("Woonmaatschappij", 1, 0, 0, 1, None),
    ]  # fmt: skip
    assert table.totals["sent"] == 4


def test_by_partner_for_a_companion_is_their_caseload(team, other_team, companion, lead,
                                                      childcare_desk, housing_company):  # fmt: skip
    build(team, other_team, companion, lead, childcare_desk, housing_company)
    table = by_partner(dashboard_query(companion, period()))
    assert [(r["partner"], r["sent"], r["median"]) for r in table.rows] == [
        ("Lokaal loket kinderopvang", 2, 1.0), ("Woonmaatschappij", 1, None),
    ]  # fmt: skip


def test_open_by_age(team, other_team, companion, lead, childcare_desk, housing_company):
    build(team, other_team, companion, lead, childcare_desk, housing_company)
    table = open_by_age(dashboard_query(lead, period()))
    rows = {r["status"]: r for r in table.rows}
    assert set(rows) == {S.DRAFT, S.SENT, S.ACCEPTED}
    assert (rows[S.DRAFT]["age_0"], rows[S.DRAFT]["total"]) == (1, 1)
    assert (rows[S.SENT]["age_3"], rows[S.SENT]["total"]) == (2, 2)  # 40 and 80 days
    assert (rows[S.ACCEPTED]["age_1"], rows[S.ACCEPTED]["age_2"]) == (1, 1)  # 10 and 20 days
    assert table.chart == "stacked"


def test_the_dashboard_pages_show_them(login, team, other_team, companion, lead, childcare_desk,
                                       housing_company):  # fmt: skip
    build(team, other_team, companion, lead, childcare_desk, housing_company)
    args = f"start={ago(60).isoformat()}&end={today().isoformat()}"
    page = login(lead).get(f"/dashboard/team?section=referrals&{args}").get_data(as_text=True)
    assert 'data-widget="referrals_partner"' in page and 'data-widget="referrals_open"' in page
    assert "Lokaal loket kinderopvang" in page
    csv = login(lead).get(f"/dashboard/team/export/referrals_partner.csv?{args}")
    assert csv.status_code == 200 and "Lokaal loket kinderopvang" in csv.get_data(as_text=True)
    mine = login(companion).get(f"/dashboard/mine?section=referrals&{args}").get_data(as_text=True)
    assert 'data-widget="referrals_open"' in mine
