"""The daily e-mail digest: per user, counts and client codes only — never names or notes.
Off until MAIL_SERVER is configured; sent at most once a day (a JobRun row guards it)."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

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
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return "skipped: MAIL_SERVER is not set"
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
    messages = []
    for user in users:
        content = digest_for(user)
        if content is None:
            continue
        with force_locale(user.locale or config["BABEL_DEFAULT_LOCALE"]):
            body = render_template(
                "reminders/digest.txt", user=user, base_url=config["BASE_URL"], **content
            )
            messages.append(
                mail.new_message(user.email, _("Gezel: your reminders for today"), body)
            )
    if messages:
        mail.send(messages)
    return f"sent {len(messages)}"
