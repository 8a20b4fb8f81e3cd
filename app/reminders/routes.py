"""The inbox: my reminders, and acting on them."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import hooks
from app.errors import DomainError
from app.extensions import db
from app.forms import submit
from app.redirects import safe_next
from app.reminders import bp, services
from app.reminders.forms import DismissForm, SnoozeForm
from app.reminders.services import action_link
from app.reminders.vocab import INBOX_ROLES, ReminderStatus
from app.timeutil import today


def _require_inbox():
    if current_user.role not in INBOX_ROLES:
        abort(404)


@bp.route("/reminders")
@login_required
def inbox():
    _require_inbox()
    reminders = db.session.scalars(services.inbox_query(current_user)).all()
    snoozed = db.session.scalars(
        services.inbox_query(current_user, status=ReminderStatus.SNOOZED)
    ).all()
    return render_template(
        "reminders/inbox.html",
        reminders=reminders,
        snoozed=snoozed,
        rules=hooks.reminder_rules,
        today=today(),
        action_link=action_link,
        snooze_default=today() + timedelta(days=7),
    )


def _back():
    return redirect(safe_next(request.form.get("next")) or url_for("reminders.inbox"))


def _load(reminder_id: int):
    _require_inbox()
    try:
        return services.get_own_reminder_or_404(reminder_id, current_user)
    except DomainError:
        abort(404)


@bp.route("/reminders/<int:reminder_id>/done", methods=["POST"])
@login_required
def done(reminder_id: int):
    reminder = _load(reminder_id)
    services.mark_done(reminder, by=current_user)
    flash(_("Marked as done."), "success")
    return _back()


@bp.route("/reminders/<int:reminder_id>/snooze", methods=["GET", "POST"])
@login_required
def snooze(reminder_id: int):
    reminder = _load(reminder_id)
    form = SnoozeForm()
    if request.method == "GET":
        form.until.data = today() + timedelta(days=7)

    def save():
        services.snooze(reminder, until=form.until.data, by=current_user)
        flash(_("Snoozed until %(date)s.", date=format_date(form.until.data, "medium")), "success")
        return _back()

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "reminders/act.html",
        form=form,
        reminder=reminder,
        rules=hooks.reminder_rules,
        title=_("Snooze"),
    ), status


@bp.route("/reminders/<int:reminder_id>/dismiss", methods=["GET", "POST"])
@login_required
def dismiss(reminder_id: int):
    reminder = _load(reminder_id)
    form = DismissForm()

    def save():
        services.dismiss(reminder, reason=form.reason.data, by=current_user)
        flash(_("Reminder dismissed."), "success")
        return _back()

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "reminders/act.html",
        form=form,
        reminder=reminder,
        rules=hooks.reminder_rules,
        title=_("Dismiss"),
    ), status
