"""The daily e-mail digest: per user, counts and client codes only — never names or notes.
Queued in the outbox (app/mail.py) at most once a day (a JobRun row guards it)."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from app import mail
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import Client
from app.extensions import db
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from app.scheduler.models import JobRun
from app.timeutil import today

log = logging.getLogger(__name__)
JOB_ID = "daily-digest"


def digest_for(user: User) -> dict | None:
    """What one user's digest says: counts and codes of the clients concerned."""
    day = today()
    rows = db.session.execute(
        sa.select(Reminder.due_on, Reminder.priority, Client.code)
        .join(Client, Client.id == Reminder.client_id)
        .where(
            Reminder.assignee_id == user.id,
            Reminder.status == ReminderStatus.OPEN,
            Reminder.due_on <= day,
        )
        .order_by(Reminder.priority.desc(), Reminder.due_on)
    ).all()
    if not rows:
        return None
    return {
        "overdue": sum(1 for due, _p, _c in rows if due < day),
        "today": sum(1 for due, _p, _c in rows if due == day),
        "urgent": sum(1 for _d, priority, _c in rows if priority >= 3),
        "codes": sorted({code for _d, _p, code in rows}),
    }


def already_sent_today() -> bool:
    return db.session.get(JobRun, (JOB_ID, today())) is not None


def send_daily_digests() -> str:
    """Queue today's digest for every companion and lead with something due; the scheduler's
    mail job sends it (or writes it as a file without MAIL_SERVER)."""
    if already_sent_today():
        return "skipped: already sent today"
    db.session.add(JobRun(job_id=JOB_ID, run_on=today()))
    db.session.flush()
    users = db.session.scalars(
        sa.select(User).where(
            User.active.is_(True),
            User.email.is_not(None),
            User.role.in_([Role.COMPANION, Role.LEAD]),
        )
    ).all()
    queued = 0
    for user in users:
        content = digest_for(user)
        if content is None:
            continue
        mail.queue(
            user.email, "digest", kind="digest", locale=user.locale,
            partnership_id=user.partnership_id, user=user, **content,
        )  # fmt: skip
        queued += 1
    return f"queued {queued}"
