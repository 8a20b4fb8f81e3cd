"""The referral figures per partner on the dashboard: the referrals sent in the period, how
they were answered, and how fast - from the partner's own answers through Gezel when there
are any, else from what the companion typed. Aggregates over the clients in the viewer's
scope (``q.scope``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.clients.models import Client
from app.extensions import db
from app.hooks import DashboardQuery
from app.i18n import round_half_up
from app.organisations.models import Organisation
from app.partners.models import PartnerAnswer
from app.partners.vocab import PartnerAnswerKind
from app.referrals.lifecycle import OPEN, ReferralStatus
from app.referrals.models import Referral, ReferralStatusChange
from app.tables import Column, Table


def _period_referrals(condition) -> list[sa.Row]:
    """The period's referrals in the scope: id, organisation, sent and accepted on. Read once:
    the medians and the answer timings below are computed from these rows and their answers
    (each query that found them again joined the team's clients to a whole year of every
    team's referrals: at 100,000 clients 5 ms each, four times a page)."""
    return db.session.execute(
        sa.select(Referral.id, Referral.organisation_id, Referral.sent_on, Referral.accepted_on)
        .join(Client, Client.id == Referral.client_id)
        .where(condition)
    ).all()


def _medians(referrals: list[sa.Row]) -> dict[int, float]:
    """The median days from sending to acceptance per organisation (the middle value, or the
    average of the middle two)."""
    days: dict[int, list[int]] = {}
    for _id, org, sent_on, accepted_on in referrals:
        if accepted_on is not None:
            days.setdefault(org, []).append((accepted_on - sent_on).days)
    return {org: float(statistics.median(values)) for org, values in days.items()}


CHUNK = 1000  # referral ids per statement: within either database's parameter limits


def _chunks(ids: list[int]):
    """``ids`` in parts small enough for one statement's parameters on either database."""
    size = CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class _Timing:
    sent_on: date
    answered_on: date | None = None  # the first answer
    via_gezel: bool = False  # that first answer came through the partner link
    partner_answered_on: date | None = None  # the partner's first answer through Gezel
    appointment_on: date | None = None  # the first appointment the companion typed
    partner_appointment_on: date | None = None  # the first one the partner gave


def _timings(referrals: list[sa.Row]) -> dict[int, list[_Timing]]:
    """Per organisation, for each referral sent: when it was first answered and whether
    through Gezel, and its first appointment - from the partner's own answers when there are
    any, else from what the companion typed."""
    timings: dict[int, _Timing] = {}
    orgs: dict[int, int] = {}
    for referral_id, org, sent_on, _accepted_on in referrals:
        timings[referral_id] = _Timing(sent_on)
        orgs[referral_id] = org
    for ids in _chunks(sorted(timings)):  # a referral's rows all come in its own chunk
        changes = db.session.execute(
            sa.select(
                ReferralStatusChange.referral_id,
                ReferralStatusChange.from_status,
                ReferralStatusChange.to_status,
                ReferralStatusChange.effective_on,
                ReferralStatusChange.appointment_on,
                ReferralStatusChange.by_partner,
            )
            .where(ReferralStatusChange.referral_id.in_(ids))
            .order_by(ReferralStatusChange.id)
        )
        for referral_id, source, target, on, appointment_on, partner in changes:
            timing = timings[referral_id]
            answer = source == ReferralStatus.SENT and target != ReferralStatus.CANCELLED
            if answer and timing.answered_on is None:
                timing.answered_on, timing.via_gezel = on, partner is not None
            if appointment_on is not None and timing.appointment_on is None:
                timing.appointment_on = appointment_on
        partner_answers = db.session.execute(
            sa.select(
                PartnerAnswer.referral_id,
                PartnerAnswer.kind,
                PartnerAnswer.answered_on,
                PartnerAnswer.appointment_on,
            )
            .where(PartnerAnswer.referral_id.in_(ids))
            .order_by(PartnerAnswer.id)
        )
        for referral_id, kind, answered_on, appointment_on in partner_answers:
            timing = timings[referral_id]
            if timing.partner_answered_on is None:
                timing.partner_answered_on = answered_on
            if kind == PartnerAnswerKind.APPOINTMENT and timing.partner_appointment_on is None:
                timing.partner_appointment_on = appointment_on
    per_org: dict[int, list[_Timing]] = {}
    for referral_id, timing in timings.items():
        per_org.setdefault(orgs[referral_id], []).append(timing)
    return per_org


def _median_days(timings: list[_Timing], pick) -> float | None:
    days = [(day - t.sent_on).days for t in timings if (day := pick(t)) is not None]
    return float(round_half_up(statistics.median(days), 1)) if days else None


def _figures(timings: list[_Timing]) -> dict:
    answered = [t for t in timings if t.answered_on is not None]
    through_gezel = sum(1 for t in answered if t.via_gezel)
    return {
        "answer_days": _median_days(timings, lambda t: t.partner_answered_on or t.answered_on),
        "appointment_days": _median_days(
            timings, lambda t: t.partner_appointment_on or t.appointment_on
        ),
        "via_gezel": round(100 * through_gezel / len(answered)) if answered else None,
    }


def by_partner(q: DashboardQuery) -> Table:
    condition = sa.and_(q.scope, Referral.sent_on.between(q.start, q.end))
    rows = db.session.execute(
        sa.select(
            Organisation.id,
            Organisation.name,
            sa.func.count(Referral.id),
            sa.func.count(Referral.id).filter(Referral.accepted_on.is_not(None)),
            sa.func.count(Referral.id).filter(Referral.status == ReferralStatus.DECLINED),
            sa.func.count(Referral.id).filter(Referral.status.in_(OPEN)),
        )
        .select_from(Referral)
        .join(Client, Client.id == Referral.client_id)
        .join(Organisation, Organisation.id == Referral.organisation_id)
        .where(condition)
        .group_by(Organisation.id, Organisation.name)
        .order_by(sa.func.count(Referral.id).desc(), Organisation.name)
    ).all()
    referrals = _period_referrals(condition)
    medians = _medians(referrals)
    timings = _timings(referrals)
    table_rows = [
        {"partner": name, "sent": sent, "accepted": accepted, "declined": declined,
         "open": still_open,
         "median": float(round_half_up(medians[org], 1)) if org in medians else None,
         **_figures(timings.get(org, []))}
        for org, name, sent, accepted, declined, still_open in rows
    ]  # fmt: skip
    columns = [
        Column("partner", _l("Partner")),
        Column("sent", _l("Sent"), numeric=True, suppress=True),
        Column("accepted", _l("Accepted"), numeric=True, suppress=True),
        Column("declined", _l("Declined"), numeric=True, suppress=True),
        Column("open", _l("Still open"), numeric=True, suppress=True),
        Column("median", _l("Median days to acceptance"), numeric=True),
        Column("answer_days", _l("Median days to the first answer"), numeric=True),
        Column("appointment_days", _l("Median days to the first appointment"), numeric=True),
        Column("via_gezel", _l("Answers through Gezel (%)"), numeric=True),
    ]
    totals = {"partner": str(_l("Total"))}
    if table_rows:
        totals |= {
            key: sum(r[key] for r in table_rows) for key in ("sent", "accepted", "declined", "open")
        }
        everything = [timing for group in timings.values() for timing in group]
        totals |= _figures(everything)
    return Table(
        "referrals_partner", _l("Referrals sent in the period, by partner"), columns,
        table_rows, None, totals=totals if table_rows else {}, sheet=_l("Referrals per partner"),
        note=_l("The first answer and the first appointment come from the partner's own "
                "answers through Gezel when there are any, else from what the companion typed."),
    )  # fmt: skip
