"""The referrals dashboard per partner: days to the first answer and to the first appointment
come from the partner's own answers when there are any, and the share of answers that came
through Gezel rather than typed by companions."""

from __future__ import annotations

from datetime import timedelta

from app.dashboards.filters import Filters
from app.dashboards.services import dashboard_query
from app.partners import answers, links
from app.partners.dashboard import by_partner
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.timeutil import today
from tests.referrals.conftest import refer


def ago(days: int):
    return today() - timedelta(days=days)


def test_partner_figures(person, desk, companion, lead, consent):
    _partner_figures(person, desk, companion, lead)


def test_partner_figures_of_many_referrals_read_in_parts(
    person, desk, companion, lead, consent, monkeypatch
):
    """Answers are read for the period's referrals a part at a time (a large team's year
    would exceed a statement's parameters): one referral per part gives the same figures."""
    monkeypatch.setattr("app.partners.dashboard.CHUNK", 1)
    _partner_figures(person, desk, companion, lead)


def _partner_figures(person, desk, companion, lead):
    through_gezel = refer(person, desk, by=companion, referred_on=ago(4))
    services.move(through_gezel, S.SENT, by=companion, on=ago(4))
    link = links.latest_link(through_gezel)
    answers.answer(link, "accepted", seen_change=through_gezel.changes[-1].id)  # 4 days
    answers.answer(  # 7 days after sending
        link, "appointment", seen_change=through_gezel.changes[-1].id,
        appointment_on=today() + timedelta(days=3), place="Loket",
    )  # fmt: skip
    typed = refer(person, desk, by=companion, referred_on=ago(10))
    services.move(typed, S.SENT, by=companion, on=ago(10))
    services.move(typed, S.ACCEPTED, by=companion, on=ago(8))  # 2 days, typed
    services.move(typed, S.APPOINTMENT_PLANNED, by=companion, on=ago(8), appointment_on=ago(1))
    refer_open = refer(person, desk, by=companion, referred_on=ago(1))
    services.move(refer_open, S.SENT, by=companion, on=ago(1))  # no answer yet

    table = by_partner(dashboard_query(lead, Filters(start=ago(30), end=today())))
    [row] = table.rows
    assert (row["answer_days"], row["appointment_days"], row["via_gezel"]) == (3.0, 8.0, 50)
    assert table.totals["via_gezel"] == 50
    assert str(table.columns[-1].label) == "Antwoorden via Gezel (%)"
