"""Reading referrals: a client's, a companion's open ones (overdue first) and an
organisation's history. Every query of client data is scoped; none changes anything."""

from __future__ import annotations

import functools
import statistics
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.clients.models import Client
from app.clients.scoping import caseload_clause, team_scope_clause
from app.extensions import db
from app.organisations.models import BY_NAME_ONLY, Organisation
from app.referrals.lifecycle import AWAITING_RESPONSE, OPEN, ReferralStatus
from app.referrals.models import Referral


def overdue_clause(day: date):
    """No answer past the response deadline, or a first appointment passed without outcome."""
    return sa.or_(
        sa.and_(Referral.status.in_(AWAITING_RESPONSE), Referral.response_deadline < day),
        sa.and_(
            Referral.status == ReferralStatus.APPOINTMENT_PLANNED, Referral.appointment_on < day
        ),
    )


def next_date():
    """The date that matters next: the deadline while waiting, else the appointment."""
    return sa.case(
        (Referral.status.in_(AWAITING_RESPONSE), Referral.response_deadline),
        (Referral.status == ReferralStatus.APPOINTMENT_PLANNED, Referral.appointment_on),
        else_=Referral.status_since,
    )


def client_referrals(client: Client) -> list[Referral]:
    """The client's referrals, open ones first, newest first (a client has a handful), each
    with its organisation (by name: its domains and municipalities are not loaded)."""
    return list(db.session.scalars(_client_referrals_statement(), {"client_id": client.id}))


@functools.cache
def _client_referrals_statement() -> sa.Select:
    """``client_referrals``' statement, built once (the client's id is its parameter)."""
    open_first = sa.case((Referral.status.in_(OPEN), 0), else_=1)
    return (
        sa.select(Referral)
        .where(Referral.client_id == sa.bindparam("client_id"))
        .options(joinedload(Referral.organisation).options(*BY_NAME_ONLY))
        .order_by(open_first, Referral.referred_on.desc(), Referral.id.desc())
    )


def my_open_referrals(user, day: date) -> sa.Select:
    """Open referrals of the clients in ``user``'s caseload: overdue first, then by the date
    that matters next."""
    overdue = sa.case((overdue_clause(day), 0), else_=1)
    return (
        sa.select(Referral)
        .join(Client, Client.id == Referral.client_id)
        .where(caseload_clause(user), Referral.status.in_(OPEN))
        .options(contains_eager(Referral.client), selectinload(Referral.organisation))
        .order_by(overdue, next_date(), Referral.id)
    )


def my_counts(user, day: date) -> tuple[int, int]:
    """(open, overdue) referrals of the user's caseload, for the home page."""
    row = db.session.execute(
        sa.select(
            sa.func.count(Referral.id),
            sa.func.count(Referral.id).filter(overdue_clause(day)),
        )
        .join(Client, Client.id == Referral.client_id)
        .where(caseload_clause(user), Referral.status.in_(OPEN))
    ).one()
    return row[0], row[1]


AGE_BUCKETS = (("0–7", 0, 7), ("8–14", 8, 14), ("15–30", 15, 30), (">30", 31, None))


def age_conditions(since, day: date) -> list:
    """For each age bucket, the condition that the date ``since`` is that many days ago."""
    conditions = []
    for _name, low, high in AGE_BUCKETS:
        condition = since <= day - timedelta(days=low)
        if high is not None:
            condition = sa.and_(condition, since >= day - timedelta(days=high))
        conditions.append(condition)
    return conditions


@dataclass(frozen=True)
class OrganisationHistory:
    received: int
    accepted: int
    declined: int
    median_days_to_acceptance: float | None
    open_by_age: dict[str, int]

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted among the referrals answered (accepted or declined)."""
        answered = self.accepted + self.declined
        return self.accepted / answered if answered else None


def organisation_history(org: Organisation, day: date) -> OrganisationHistory:
    """Aggregate numbers over every referral sent to ``org`` (no client data): how many it
    received, accepted and declined, the median days from sending to acceptance, and the
    open ones by age since sending."""
    sent = sa.and_(Referral.organisation_id == org.id, Referral.sent_on.is_not(None))
    age_columns = [
        sa.func.count(Referral.id).filter(Referral.status.in_(OPEN), condition)
        for condition in age_conditions(Referral.sent_on, day)
    ]
    row = db.session.execute(
        sa.select(
            sa.func.count(Referral.id),
            sa.func.count(Referral.id).filter(Referral.accepted_on.is_not(None)),
            sa.func.count(Referral.id).filter(Referral.status == ReferralStatus.DECLINED),
            *age_columns,
        ).where(sent)
    ).one()
    pairs = db.session.execute(
        sa.select(Referral.sent_on, Referral.accepted_on).where(
            sent, Referral.accepted_on.is_not(None)
        )
    ).all()
    days = [(accepted - sent_on).days for sent_on, accepted in pairs]
    return OrganisationHistory(
        received=row[0],
        accepted=row[1],
        declined=row[2],
        median_days_to_acceptance=statistics.median(days) if days else None,
        open_by_age={name: row[3 + n] for n, (name, _low, _high) in enumerate(AGE_BUCKETS)},
    )


def organisation_referrals(org: Organisation, user) -> sa.Select:
    """The referrals to ``org`` of the clients ``user`` may see in full, newest first."""
    return (
        sa.select(Referral)
        .join(Client, Client.id == Referral.client_id)
        .where(Referral.organisation_id == org.id, team_scope_clause(user))
        .options(contains_eager(Referral.client))
        .order_by(Referral.referred_on.desc(), Referral.id.desc())
    )
