"""The companion's inbox: a partner's answer raises a reminder at once (high priority) for the
companion who made the referral, or else the client's responsible people. It stays until
someone marks it done, or for KEEP_DAYS."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.clients.models import Client
from app.extensions import db
from app.partners.models import PartnerAnswer
from app.referrals.models import Referral
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key, raise_now
from app.reminders.models import Reminder
from app.reminders.rules.referrals import maker_can_take_it
from app.reminders.vocab import Priority

RULE = "referral_partner_answer"
KEEP_DAYS = 30


def answer_candidates(ctx) -> sa.CompoundSelect:
    def select(assignee):
        return (
            sa.select(
                assignee.label("assignee_id"),
                Client.id.label("client_id"),
                Referral.id.label("subject_id"),
                PartnerAnswer.answered_on.label("due_on"),
                sa.literal(int(Priority.HIGH)).label("priority"),
                key(RULE, PartnerAnswer.id, assignee).label("dedupe_key"),
            )
            .select_from(PartnerAnswer)
            .join(Referral, Referral.id == PartnerAnswer.referral_id)
            .join(Client, Client.id == Referral.client_id)
            .where(
                PartnerAnswer.answered_on >= ctx.today - timedelta(days=KEEP_DAYS),
                Client.merged_into_id.is_(None),
            )
        )

    who = responsible(ctx)
    by_maker = select(Referral.created_by_id).where(maker_can_take_it())
    by_responsible = (
        select(who.c.user_id)
        .join(who, who.c.client_id == Client.id)
        .where(sa.not_(maker_can_take_it()))
    )
    return sa.union_all(by_maker, by_responsible)


hooks.reminder_rules.add(
    Rule(
        RULE,
        _l("A partner answered a referral through Gezel: read the answer"),
        answer_candidates,
        action=lambda r: (
            "referrals.show",
            {"client_id": r.client_id, "referral_id": r.subject_id},
        ),
        action_label=_l("Open the referral"),
    ),
    order=95,
)


def raise_for(client_id: int) -> int:
    """Put the answer in the inbox now rather than at the next scan."""
    return raise_now(RULE, client_id)


@hooks.partner_answered.connect
def _answered(answer: PartnerAnswer, *, partner: str, **_) -> None:
    raise_for(answer.referral.client_id)
    tell(answer, partner)


def tell(answer: PartnerAnswer, partner: str) -> None:
    """Say on the answer's inbox items who answered what (the inbox shows it)."""
    db.session.execute(
        sa.update(Reminder)
        .where(Reminder.rule == RULE, Reminder.dedupe_key.like(f"{RULE}:{answer.id}:%"))
        .values(details={"partner": partner, "answer": answer.kind.value})
        .execution_options(synchronize_session=False)
    )
