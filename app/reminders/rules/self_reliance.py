"""Self-reliance: a periodic measurement every few months in the trajectory (a setting), and
the aftercare checks at 1, 3 and 6 months."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.activation.services import due_aftercare_query
from app.measurements.services import due_measurements_query
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key
from app.reminders.vocab import Priority


def measurement_candidates(ctx):
    due = due_measurements_query(ctx.today, ctx.settings["reminders.measurement_months"])
    due = due.subquery("due_measurements")
    who = responsible(ctx)
    return sa.select(
        who.c.user_id.label("assignee_id"),
        due.c.client_id,
        sa.cast(sa.null(), sa.Integer).label("subject_id"),
        due.c.due_on,
        sa.literal(int(Priority.NORMAL)).label("priority"),
        # The episode is the measurement (or start) it counts from: a new one ends it.
        key("measurement_due", due.c.client_id, due.c.since, who.c.user_id).label("dedupe_key"),
    ).join(who, who.c.client_id == due.c.client_id)


def aftercare_candidates(ctx):
    due = due_aftercare_query(ctx.today).subquery("due_aftercare")
    who = responsible(ctx)
    return sa.select(
        who.c.user_id.label("assignee_id"),
        due.c.client_id,
        due.c.months.label("subject_id"),
        due.c.due_on,
        sa.literal(int(Priority.NORMAL)).label("priority"),
        key(
            "aftercare_check", due.c.client_id, due.c.aftercare_started_on, due.c.months,
            who.c.user_id,
        ).label("dedupe_key"),
    ).join(who, who.c.client_id == due.c.client_id)  # fmt: skip


hooks.reminder_rules.add(
    Rule(
        "measurement_due",
        _l("Time for a self-reliance measurement"),
        measurement_candidates,
        action=lambda r: ("measurements.new", {"client_id": r.client_id}),
        action_label=_l("New measurement"),
    ),
    order=100,
)
hooks.reminder_rules.add(
    Rule(
        "aftercare_check",
        _l("Aftercare check is due"),
        aftercare_candidates,
        action=lambda r: (
            "activation.aftercare_check",
            {"client_id": r.client_id, "months": r.subject_id or 1},
        ),
        action_label=_l("Record check"),
    ),
    order=110,
)
