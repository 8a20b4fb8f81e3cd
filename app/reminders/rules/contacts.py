"""Persistent outreach: nobody is silently lost.

- no reached contact for longer than the phase's cadence -> the responsible companion; past
  the escalation factor times the cadence the reminder turns high priority and the team's
  leads get one too ("at risk of losing contact");
- several failed attempts in a row -> "try another channel or place";
- a follow-up date, set on a contact, that has come;
- a buddy match without a check-in for too long.

Each episode's dedupe key names the date it counts from (the last reached contact, or the
registration; the last check-in, or the start of the match), so a reached contact closes the
episode and the next silence raises a new reminder. Cadences and thresholds are settings.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from app import hooks
from app.checkins.models import CheckIn
from app.clients.models import BuddyMatch, Client
from app.clients.vocab import Phase
from app.contacts import outreach
from app.contacts.cadence import at_risk_factor, failed_attempts_limit
from app.contacts.models import Contact
from app.contacts.outreach import OutreachStatus
from app.reminders.assignees import responsible, team_leads
from app.reminders.engine import (
    Rule,
    ScanContext,
    candidate,
    key,
    materialise,
    temporary_table,
)
from app.reminders.vocab import Priority
from app.sqlfunctions import add_days

_OPEN_CLIENT = sa.and_(Client.phase != Phase.CLOSED, Client.merged_into_id.is_(None))


_STATE = temporary_table(
    "reminder_scan_outreach",
    sa.Column("client_id", sa.Integer, primary_key=True),
    sa.Column("reference_on", sa.Date),
    sa.Column("cadence", sa.Integer),
    sa.Column("failed_attempts", sa.Integer),
    sa.Column("last_attempt_on", sa.Date),
    sa.Column("overdue", sa.Boolean),
    sa.Column("at_risk", sa.Boolean),
)


def _outreach_state(ctx: ScanContext) -> sa.Table:
    """Per open client: the date silence counts from (``reference_on``: the last reached
    contact, else the registration), the phase's cadence, failed attempts since, the date of
    the last of those, and whether the client is overdue or at risk on ``ctx.today``.
    Computed once per scan (it aggregates every contact) and read by three rules."""
    if "outreach_state" not in ctx.shared:
        ctx.shared["outreach_state"] = materialise(_STATE, _outreach_state_query(ctx))
    return ctx.shared["outreach_state"]


def _outreach_state_query(ctx: ScanContext) -> sa.Select:
    """The outreach status as the client page and the dashboard judge it
    (``outreach.status_conditions``): overdue is past the cadence, at risk is past the
    escalation factor times the cadence."""
    stats = outreach.contact_stats(_OPEN_CLIENT)
    reference = sa.func.coalesce(stats.c.last_reached_on, Client.registered_on)
    status = outreach.status_conditions(reference, ctx.today)
    return (
        sa.select(
            Client.id.label("client_id"),
            reference.label("reference_on"),
            outreach.cadence_sql(Client.phase).label("cadence"),
            sa.func.coalesce(stats.c.failed_attempts, 0).label("failed_attempts"),
            stats.c.last_attempt_on,
            outreach.past_cadence(status).label("overdue"),
            status[OutreachStatus.AT_RISK].label("at_risk"),
        )
        .select_from(Client)
        .outerjoin(stats, stats.c.client_id == Client.id)
        .where(_OPEN_CLIENT)
    )


def _for_responsible(ctx: ScanContext, rule: str, *, due_on, priority, condition) -> sa.Select:
    """Open clients matching ``condition`` (on the outreach state), for the responsible
    person; the episode counts from the state's reference date."""
    state = _outreach_state(ctx)
    who = responsible(ctx)
    return (
        candidate(
            assignee=who.c.user_id,
            client=state.c.client_id,
            subject=None,
            due_on=due_on(state),
            priority=priority(state),
            dedupe_key=key(rule, state.c.client_id, state.c.reference_on, who.c.user_id),
        )
        .select_from(state)
        .join(who, who.c.client_id == state.c.client_id)
        .where(condition(state))
    )


def no_contact_candidates(ctx: ScanContext) -> sa.Select:
    return _for_responsible(
        ctx,
        "no_contact",
        due_on=lambda state: add_days(state.c.reference_on, state.c.cadence + 1),
        priority=lambda state: sa.case(
            (state.c.at_risk, int(Priority.HIGH)), else_=int(Priority.NORMAL)
        ),
        condition=lambda state: state.c.overdue,
    )


def failed_attempts_candidates(ctx: ScanContext) -> sa.Select:
    threshold = failed_attempts_limit()
    return _for_responsible(
        ctx,
        "failed_attempts",
        due_on=lambda state: state.c.last_attempt_on,
        priority=lambda state: Priority.NORMAL,
        condition=lambda state: state.c.failed_attempts >= threshold,
    )


def at_risk_candidates(ctx: ScanContext) -> sa.Select:
    """The escalation: every lead of the client's team, unless that lead already gets the
    companion's reminder (a client without a companion)."""
    state = _outreach_state(ctx)
    leads = team_leads(ctx)
    who = responsible(ctx)
    factor = at_risk_factor()
    already_responsible = sa.exists().where(
        who.c.client_id == leads.c.client_id, who.c.user_id == leads.c.user_id
    )
    return (
        candidate(
            assignee=leads.c.user_id,
            client=state.c.client_id,
            subject=None,
            due_on=add_days(state.c.reference_on, state.c.cadence * factor + 1),
            priority=Priority.HIGH,
            dedupe_key=key("at_risk", state.c.client_id, state.c.reference_on, leads.c.user_id),
        )
        .select_from(state)
        .join(leads, leads.c.client_id == state.c.client_id)
        .where(state.c.at_risk, sa.not_(already_responsible))
    )


def follow_up_candidates(ctx: ScanContext) -> sa.Select:
    """A live contact's follow-up date has come and nobody contacted the client since that
    contact (a later contact carries its own follow-up, if any): the follow-up of the client's
    latest live contact. Driven from the open clients, one index probe each for that contact,
    rather than from every follow-up ever written with a probe for a later contact each."""
    latest = aliased(Contact)
    who = responsible(ctx)
    latest_at = (
        sa.select(sa.func.max(latest.occurred_at))
        .where(latest.client_id == Client.id, latest.deleted_at.is_(None))
        .scalar_subquery()
    )
    return (
        candidate(
            assignee=who.c.user_id,
            client=Contact.client_id,
            subject=Contact.id,
            due_on=Contact.follow_up_on,
            priority=Priority.NORMAL,
            dedupe_key=key("follow_up", Contact.id, Contact.follow_up_on, who.c.user_id),
        )
        .select_from(Client)
        .join(Contact, sa.and_(Contact.client_id == Client.id, Contact.occurred_at == latest_at))
        .join(who, who.c.client_id == Client.id)
        .where(
            _OPEN_CLIENT,
            Contact.deleted_at.is_(None),
            Contact.follow_up_on.is_not(None),
            Contact.follow_up_on <= ctx.today,
        )
    )


def buddy_quiet_candidates(ctx: ScanContext) -> sa.Select:
    """A running buddy match whose last check-in (or its start) is longer ago than the
    setting: the companion checks in with the buddy."""
    days = int(ctx.settings["reminders.buddy_checkin_days"])
    last_checkin = (
        sa.select(CheckIn.match_id, sa.func.max(CheckIn.occurred_on).label("last_on"))
        .where(CheckIn.match_id.is_not(None))
        .group_by(CheckIn.match_id)
        .subquery("last_checkins")
    )
    since = sa.func.coalesce(last_checkin.c.last_on, BuddyMatch.started_on)
    who = responsible(ctx)
    return (
        candidate(
            assignee=who.c.user_id,
            client=BuddyMatch.client_id,
            subject=BuddyMatch.id,
            due_on=add_days(since, days + 1),
            priority=Priority.NORMAL,
            dedupe_key=key("buddy_quiet", BuddyMatch.id, since, who.c.user_id),
        )
        .select_from(BuddyMatch)
        .join(Client, Client.id == BuddyMatch.client_id)
        .outerjoin(last_checkin, last_checkin.c.match_id == BuddyMatch.id)
        .join(who, who.c.client_id == BuddyMatch.client_id)
        .where(
            _OPEN_CLIENT,
            BuddyMatch.started_on <= ctx.today,
            sa.or_(BuddyMatch.ended_on.is_(None), BuddyMatch.ended_on > ctx.today),
            since < ctx.today - timedelta(days=days),
        )
    )


def _log_contact(reminder):
    return ("contacts.new", {"client_id": reminder.client_id})


hooks.reminder_rules.add(
    Rule(
        "no_contact",
        _l("No reached contact for longer than the cadence"),
        no_contact_candidates,
        action=_log_contact,
        action_label=_l("Log a contact"),
    ),
    order=30,
)
hooks.reminder_rules.add(
    Rule(
        "at_risk",
        _l("At risk of losing contact: see with the companion"),
        at_risk_candidates,
        action=lambda r: ("clients.show", {"client_id": r.client_id}),
        action_label=_l("Open the file"),
    ),
    order=40,
)
hooks.reminder_rules.add(
    Rule(
        "failed_attempts",
        _l("Several failed attempts in a row: try another channel or place"),
        failed_attempts_candidates,
        action=_log_contact,
        action_label=_l("Log a contact"),
    ),
    order=50,
)
hooks.reminder_rules.add(
    Rule(
        "follow_up",
        _l("A follow-up date has come"),
        follow_up_candidates,
        action=_log_contact,
        action_label=_l("Log a contact"),
    ),
    order=60,
)
hooks.reminder_rules.add(
    Rule(
        "buddy_quiet",
        _l("No buddy check-in for a while: check in with the buddy"),
        buddy_quiet_candidates,
        action=lambda r: ("clients.show", {"client_id": r.client_id}),
        action_label=_l("Open the file"),
    ),
    order=70,
)
