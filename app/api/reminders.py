"""My reminders: list, done, snooze."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app import hooks
from app.api.common import (
    PageArgs,
    day,
    enum,
    page_schema,
    paginate,
)
from app.auth.vocab import Role
from app.reminders import services
from app.reminders.vocab import ReminderStatus

blp = Blueprint(
    "api_reminders", __name__, url_prefix="/api/v1/reminders", description="My reminders"
)


class ReminderSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    rule = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    client_id = ma.fields.Integer(required=True)
    client_code = ma.fields.String(required=True)
    due_on = ma.fields.Date(required=True)
    priority = ma.fields.Integer(required=True, metadata={"description": "1 low, 2 normal, 3 high"})
    status = enum(ReminderStatus, required=True)
    snoozed_until = ma.fields.Date(allow_none=True)


ReminderPageSchema = page_schema(ReminderSchema, "ReminderPage")


class ReminderListArgs(PageArgs):
    status = enum(ReminderStatus, load_default=ReminderStatus.OPEN)


class SnoozeSchema(ma.Schema):
    until = day(required=True)


def payload(reminder) -> dict:
    rule = hooks.reminder_rules.get(reminder.rule)
    return {
        "id": reminder.id,
        "rule": reminder.rule,
        "title": str(rule.label) if rule else reminder.rule,
        "client_id": reminder.client_id,
        "client_code": reminder.client.code,
        "due_on": reminder.due_on,
        "priority": reminder.priority,
        "status": reminder.status,
        "snoozed_until": reminder.snoozed_until,
    }


def _require_inbox():
    if current_user.role not in (Role.COMPANION, Role.LEAD):
        abort(404)


@blp.route("")
class Reminders(MethodView):
    @blp.arguments(ReminderListArgs, location="query")
    @blp.response(200, ReminderPageSchema)
    def get(self, args):
        """My reminders, most urgent first (open by default)."""
        _require_inbox()
        stmt = services.inbox_query(current_user, status=args["status"])
        return paginate(stmt, args["page"], args["per_page"], transform=payload)


@blp.route("/<int:reminder_id>/done")
class ReminderDone(MethodView):
    @blp.response(200, ReminderSchema)
    def post(self, reminder_id: int):
        _require_inbox()
        reminder = services.get_own_reminder_or_404(reminder_id, current_user)
        services.mark_done(reminder, by=current_user)
        return payload(reminder)


@blp.route("/<int:reminder_id>/snooze")
class ReminderSnooze(MethodView):
    @blp.arguments(SnoozeSchema)
    @blp.response(200, ReminderSchema)
    def post(self, data, reminder_id: int):
        _require_inbox()
        reminder = services.get_own_reminder_or_404(reminder_id, current_user)
        services.snooze(reminder, until=data["until"], by=current_user)
        return payload(reminder)
