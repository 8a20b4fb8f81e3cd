"""Referrals that stall: no answer past the response deadline, or a first appointment whose
outcome was not recorded a few days after its date.

The reminder goes to the companion who made the referral while they are active and still in
the client's team, else to the client's responsible person. The dedupe key names the
episode - the referral, the history row of its current status and the date that lapsed - so
a referral that stalls again later raises a new reminder.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.models import User, team_membership
from app.auth.vocab import Role
from app.clients.models import Client
from app.clients.vocab import Phase
from app.partners.resend import waiting_for_the_desk
from app.referrals.lifecycle import AWAITING_RESPONSE, ReferralStatus
from app.referrals.models import Referral, ReferralStatusChange
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key
from app.reminders.vocab import Priority


def current_change_id():
    """The history row of each referral's current status (the newest one)."""
    return (
        sa.select(sa.func.max(ReferralStatusChange.id))
        .where(ReferralStatusChange.referral_id == Referral.id)
        .correlate(Referral)
        .scalar_subquery()
    )


def maker_can_take_it():
    """The companion (or lead) who made the referral is active and still in the team."""
    return sa.and_(
        Referral.created_by_id.is_not(None),
        sa.exists().where(
            User.id == Referral.created_by_id,
            User.active.is_(True),
            User.role.in_((Role.COMPANION, Role.LEAD)),
        ),
        sa.exists().where(
            team_membership.c.user_id == Referral.created_by_id,
            team_membership.c.team_id == Client.team_id,
        ),
    )


def _candidates(ctx, code: str, condition, due_on) -> sa.CompoundSelect:
    """The referrals matching ``condition``, each for its maker or else for the client's
    responsible people."""

    def select(assignee):
        return (
            sa.select(
                assignee.label("assignee_id"),
                Client.id.label("client_id"),
                Referral.id.label("subject_id"),
                due_on.label("due_on"),
                sa.literal(int(Priority.NORMAL)).label("priority"),
                key(code, Referral.id, current_change_id(), due_on, assignee).label("dedupe_key"),
            )
            .select_from(Referral)
            .join(Client, Client.id == Referral.client_id)
            .where(condition, Client.phase != Phase.CLOSED, Client.merged_into_id.is_(None))
        )

    who = responsible(ctx)
    by_maker = select(Referral.created_by_id).where(maker_can_take_it())
    by_responsible = (
        select(who.c.user_id)
        .join(who, who.c.client_id == Client.id)
        .where(sa.not_(maker_can_take_it()))
    )
    return sa.union_all(by_maker, by_responsible)


def no_response_candidates(ctx):
    """Past the deadline without an answer - unless the partner link was just re-sent to the
    desk (app/partners/resend.py), which then has a few more days to answer."""
    return _candidates(
        ctx,
        "referral_no_response",
        sa.and_(
            Referral.status.in_(AWAITING_RESPONSE),
            Referral.response_deadline < ctx.today,
            sa.not_(waiting_for_the_desk(ctx.now, ctx.settings["referrals.partner_resend_days"])),
        ),
        Referral.response_deadline,
    )


def appointment_outcome_candidates(ctx):
    grace = ctx.settings["reminders.appointment_grace_days"]
    return _candidates(
        ctx,
        "referral_appointment_outcome",
        sa.and_(
            Referral.status == ReferralStatus.APPOINTMENT_PLANNED,
            Referral.appointment_on < ctx.today - timedelta(days=grace),
        ),
        Referral.appointment_on,
    )


def _to_referral(reminder):
    return "referrals.show", {"client_id": reminder.client_id, "referral_id": reminder.subject_id}


hooks.reminder_rules.add(
    Rule(
        "referral_no_response",
        _l("No answer to a referral past its deadline: call the partner"),
        no_response_candidates,
        action=_to_referral,
        action_label=_l("Open the referral"),
    ),
    order=80,
)
hooks.reminder_rules.add(
    Rule(
        "referral_appointment_outcome",
        _l("First appointment passed: record how it went"),
        appointment_outcome_candidates,
        action=_to_referral,
        action_label=_l("Open the referral"),
    ),
    order=90,
)
