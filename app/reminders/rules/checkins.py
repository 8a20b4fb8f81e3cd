"""A buddy's worry: a high-priority reminder for the responsible companion, raised at once
when the check-in is saved and done when a companion or lead acknowledges the worry."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.checkins import services as checkin_services
from app.database import utcnow
from app.extensions import db
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key, raise_now
from app.reminders.models import Reminder
from app.reminders.vocab import ACTIVE_STATUSES, Priority, ReminderStatus

RULE = "buddy_worry"


def worry_candidates(ctx):
    worries = checkin_services.open_worries().order_by(None).subquery("worries")
    who = responsible(ctx)
    return (
        sa.select(
            who.c.user_id.label("assignee_id"),
            worries.c.client_id.label("client_id"),
            worries.c.id.label("subject_id"),
            worries.c.occurred_on.label("due_on"),
            sa.literal(int(Priority.HIGH)).label("priority"),
            key(RULE, worries.c.id, who.c.user_id).label("dedupe_key"),
        )
        .select_from(worries)
        .join(who, who.c.client_id == worries.c.client_id)
    )


hooks.reminder_rules.add(
    Rule(
        RULE,
        _l("A buddy is worried: read it and follow up"),
        worry_candidates,
        action=lambda r: ("clients.show", {"client_id": r.client_id}),
        action_label=_l("Read the worry"),
    ),
    order=10,
)


def raise_for(client_id: int) -> int:
    """Raise the reminder now rather than at the next scan."""
    return raise_now(RULE, client_id)


@hooks.checkin_logged.connect
def _on_checkin_logged(checkin, **_extra) -> None:
    if checkin.worry:
        raise_for(checkin.client_id)


def resolve_for(checkin_id: int, *, by) -> int:
    """The worry was acknowledged: its reminders are done, by that person."""
    return db.session.execute(
        sa.update(Reminder)
        .where(
            Reminder.rule == RULE,
            Reminder.subject_id == checkin_id,
            Reminder.status.in_(ACTIVE_STATUSES),
        )
        .values(status=ReminderStatus.DONE, resolved_at=utcnow(), resolved_by_id=by.id)
        .execution_options(synchronize_session=False)
    ).rowcount


@hooks.worry_acknowledged.connect
def _on_worry_acknowledged(checkin, *, by, **_extra) -> None:
    resolve_for(checkin.id, by=by)
