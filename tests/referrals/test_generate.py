"""Generated referrals follow the lifecycle: their history replays to their status, dates go
forward and never past today, and the organisation numbers can be computed over them."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo.generate import generate
from app.extensions import db
from app.organisations.models import Organisation
from app.referrals.lifecycle import APPOINTMENT_OUTCOMES, ReferralStatus, replay
from app.referrals.models import Referral, ReferralStatusChange
from app.referrals.queries import organisation_history
from app.timeutil import today


def test_generated_referrals_are_consistent(app):
    counts = generate(120, teams=2, seed=3, scan_reminders=True)
    assert counts["referrals"] > 20
    referrals = db.session.scalars(sa.select(Referral)).all()
    assert {r.status for r in referrals} >= {ReferralStatus.DRAFT, ReferralStatus.SENT}
    for referral in referrals:
        changes = db.session.scalars(
            sa.select(ReferralStatusChange)
            .where(ReferralStatusChange.referral_id == referral.id)
            .order_by(ReferralStatusChange.id)
        ).all()
        assert replay([(c.from_status, c.to_status) for c in changes]) == referral.status
        days = [c.effective_on for c in changes]
        assert days == sorted(days) and days[-1] <= today() and days[0] == referral.referred_on
        assert referral.status_since == days[-1]
        planned = None
        for change in changes:
            if change.appointment_on:
                planned = change.appointment_on
            if change.to_status in APPOINTMENT_OUTCOMES:
                assert change.effective_on >= planned
        sent = [c.effective_on for c in changes if c.to_status == ReferralStatus.SENT]
        assert referral.sent_on == (sent[0] if sent else None)
    busiest = db.session.scalar(
        sa.select(Referral.organisation_id)
        .group_by(Referral.organisation_id)
        .order_by(sa.func.count().desc())
        .limit(1)
    )
    assert organisation_history(db.session.get(Organisation, busiest), today()).received > 0
