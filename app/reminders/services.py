"""Acting on reminders: done, snooze, dismiss — only by their assignee."""

from __future__ import annotations

import functools
from datetime import date

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _

from app import hooks
from app.audit import services as audit
from app.clients.models import Client
from app.clients.scoping import scope_clause
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.reminders.models import Reminder
from app.reminders.vocab import ACTIVE_STATUSES, ReminderStatus
from app.timeutil import today


def get_own_reminder_or_404(reminder_id: int, user) -> Reminder:
    """A reminder of this user about a client they may still see; anything else is 404."""
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.assignee_id != user.id:
        raise DomainError(_("This reminder does not exist or is not yours."), 404)
    visible = db.session.scalar(
        sa.select(Client.id).where(Client.id == reminder.client_id, scope_clause(user))
    )
    if not visible:
        raise DomainError(_("This reminder does not exist or is not yours."), 404)
    return reminder


def _check_active(reminder: Reminder) -> None:
    if reminder.status not in ACTIVE_STATUSES:
        raise DomainError(_("This reminder was already handled."), 409)


def mark_done(reminder: Reminder, *, by) -> None:
    _check_active(reminder)
    reminder.status = ReminderStatus.DONE
    reminder.resolved_at = utcnow()
    reminder.resolved_by_id = by.id
    audit.record("reminder.done", reminder, user=by, client_id=reminder.client_id)


def snooze(reminder: Reminder, *, until: date, by) -> None:
    _check_active(reminder)
    if until <= today():
        raise DomainError(_("Snooze until a day after today."), field="until")
    if (until - today()).days > 90:
        raise DomainError(_("Snooze for at most 90 days."), field="until")
    reminder.status = ReminderStatus.SNOOZED
    reminder.snoozed_until = until
    audit.record(
        "reminder.snoozed", reminder, user=by, client_id=reminder.client_id,
        details={"until": until.isoformat()},
    )  # fmt: skip


def dismiss(reminder: Reminder, *, reason: str, by) -> None:
    _check_active(reminder)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason to dismiss a reminder."), field="reason")
    reminder.status = ReminderStatus.DISMISSED
    reminder.dismiss_reason = reason[:500]
    reminder.resolved_at = utcnow()
    reminder.resolved_by_id = by.id
    audit.record("reminder.dismissed", reminder, user=by, client_id=reminder.client_id)


def _mine(user, status=ReminderStatus.OPEN):
    return _assigned(user.id, scope_clause(user), status)


def _assigned(assignee, scope, status=ReminderStatus.OPEN):
    """Reminders of ``assignee`` (an id, or a parameter) with ``status`` about clients in
    ``scope`` (a clause of the scoping helper)."""
    return sa.and_(Reminder.assignee_id == assignee, Reminder.status == status, scope)


def inbox_query(user, *, due_by: date | None = None, status=ReminderStatus.OPEN) -> sa.Select:
    """The user's reminders about clients they may see, most urgent first."""
    stmt = (
        sa.select(Reminder)
        .join(Client, Client.id == Reminder.client_id)
        .where(_mine(user, status))
        .options(sa.orm.contains_eager(Reminder.client))
        .order_by(Reminder.priority.desc(), Reminder.due_on, Reminder.id)
    )
    if due_by is not None:
        stmt = stmt.where(Reminder.due_on <= due_by)
    return stmt


def due_count(user) -> int:
    """How many open reminders are due today or earlier (the navigation badge)."""
    return db.session.scalar(
        _due_count_statement(scope_clause(user)), {"assignee_id": user.id, "due_by": today()}
    )


@functools.lru_cache(maxsize=256)
def _due_count_statement(scope) -> sa.Select:
    """``due_count``'s statement for one scope (a clause of the scoping helper, the same
    object for the same teams: app/clients/scoping.py), built once: every page shows the
    badge. The user and the day are its parameters."""
    return (
        sa.select(sa.func.count(Reminder.id))
        .join(Client, Client.id == Reminder.client_id)
        .where(
            _assigned(sa.bindparam("assignee_id"), scope),
            Reminder.due_on <= sa.bindparam("due_by"),
        )
    )


def action_link(reminder) -> tuple[str | None, object]:
    """The URL and label of what a reminder asks for, as its rule declares (none when the
    rule is gone or has no action)."""
    rule = hooks.reminder_rules.get(reminder.rule)
    if rule is None or rule.action is None:
        return None, None
    endpoint, values = rule.action(reminder)
    return url_for(endpoint, **values), rule.action_label
