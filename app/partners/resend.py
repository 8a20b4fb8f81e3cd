"""The "no answer past the deadline" reminder, partner side: before the companion is asked to
phone the partner, the desk gets its link once more (admin setting
``referrals.partner_resend_days``: how long to wait for the desk after that; 0 turns it off).
The scheduler runs this right before the reminder scan, in the same transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.clients.models import Client
from app.extensions import db
from app.partners.links import available, issue
from app.partners.models import PartnerLink
from app.partnerships.context import partnership_context
from app.partnerships.services import all_partnerships
from app.referrals.lifecycle import AWAITING_RESPONSE
from app.referrals.models import Referral
from app.settings.registry import get_setting
from app.timeutil import today


def live_link_exists():
    return sa.exists().where(
        PartnerLink.referral_id == Referral.id,
        PartnerLink.revoked_at.is_(None),
        PartnerLink.replaced_at.is_(None),
    )


def resent_since(moment: datetime | None = None):
    """A link of the referral was re-sent (after ``moment``, when given)."""
    condition = sa.and_(PartnerLink.referral_id == Referral.id, PartnerLink.resent.is_(True))
    if moment is not None:
        condition = sa.and_(condition, PartnerLink.created_at > moment)
    return sa.exists().where(condition)


def waiting_for_the_desk(now: datetime, days: int):
    """The referral's desk still has time to answer the link (re-sent, or about to be):
    the companion is not asked to phone yet."""
    if not days:
        return sa.false()
    return sa.and_(
        live_link_exists(),
        sa.or_(sa.not_(resent_since()), resent_since(now - timedelta(days=days))),
    )


def resend_overdue_links(on: date | None = None) -> int:
    """Re-send the partner link, once, of every referral awaiting an answer past its deadline
    whose desk had a link that was not revoked, each partnership with its own setting.
    Returns how many were re-sent."""
    sent = 0
    for partnership in all_partnerships():
        with partnership_context(partnership.id):
            sent += _resend_overdue_links(partnership.id, on)
    return sent


def _resend_overdue_links(partnership_id: int, on: date | None) -> int:
    days = get_setting("referrals.partner_resend_days", partnership_id=partnership_id)
    if not days:
        return 0
    day = on or today()
    referrals = db.session.scalars(
        sa.select(Referral)
        .join(Client, Client.id == Referral.client_id)
        .where(
            Client.partnership_id == partnership_id,
            Referral.status.in_(AWAITING_RESPONSE),
            Referral.response_deadline < day,
            live_link_exists(),
            sa.not_(resent_since()),
        )
        .order_by(Referral.id)
    ).all()
    sent = 0
    for referral in referrals:
        if available(referral) and issue(referral, by=None, resent=True) is not None:
            sent += 1
    return sent
