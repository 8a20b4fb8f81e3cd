"""Buddy check-ins: logging them once, worries that reach the companions, volunteer hours."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app import hooks, idempotency
from app.audit import services as audit
from app.auth.vocab import Role
from app.checkins.models import CheckIn
from app.checkins.vocab import RATINGS, Activity
from app.clients.models import BuddyMatch, Client
from app.clients.scoping import active_match_clause, scope_clause, team_scope_clause
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.timeutil import today


@dataclass
class CheckInInput:
    occurred_on: date
    activity: Activity
    duration_minutes: int
    rating: int
    activity_note: str | None = None
    worry: bool = False
    worry_text: str | None = None
    next_meeting_on: date | None = None


def current_match(client: Client, buddy) -> BuddyMatch | None:
    """The buddy's match with this client that is running today."""
    return db.session.scalar(
        sa.select(BuddyMatch).where(
            BuddyMatch.client_id == client.id,
            BuddyMatch.buddy_id == buddy.id,
            active_match_clause(),
        )
    )


def _check(data: CheckInInput, match: BuddyMatch) -> None:
    try:
        data.activity = Activity(data.activity)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422, field="activity") from None
    if data.occurred_on > today():
        raise DomainError(_("A check-in cannot be in the future."), 422, field="occurred_on")
    if data.occurred_on < match.started_on:
        raise DomainError(
            _(
                "Your match started on %(date)s; a check-in cannot be earlier.",
                date=format_date(match.started_on, "medium"),
            ),
            422,
            field="occurred_on",
        )
    limit = current_app.config["CONTACT_MAX_MINUTES"]
    if data.duration_minutes is None or not 0 <= data.duration_minutes <= limit:
        raise DomainError(
            _("Give a duration between 0 and %(max)d minutes.", max=limit),
            422,
            field="duration_minutes",
        )
    if data.rating not in RATINGS:
        raise DomainError(_("Choose how it went, from 1 to 5."), 422, field="rating")
    data.worry_text = (data.worry_text or "").strip() or None
    if data.worry and not data.worry_text:
        raise DomainError(
            _("Write what worries you, so the companion can act on it."), 422, field="worry_text"
        )
    if not data.worry:
        data.worry_text = None
    if data.next_meeting_on is not None and data.next_meeting_on < today():
        raise DomainError(
            _("The next meeting cannot be in the past."), 422, field="next_meeting_on"
        )


def log_checkin(client: Client, data: CheckInInput, *, by, key: str) -> tuple[CheckIn, bool]:
    """Log a check-in by the buddy matched with ``client`` now, once per form ``key``.
    A worry shows at once on the client's page, the caseload and the team list, and raises a
    high-priority reminder for the responsible companion."""
    match = current_match(client, by) if by.role == Role.BUDDY else None
    if match is None or client.merged_into_id is not None:
        raise DomainError(_("Only the matched buddy can log a check-in."), 404)
    if client.is_closed:
        raise DomainError(_("The trajectory is closed."), 409)
    _check(data, match)

    def create() -> CheckIn:
        checkin = CheckIn(
            client_id=client.id,
            buddy_id=by.id,
            match_id=match.id,
            occurred_on=data.occurred_on,
            activity=data.activity,
            activity_note=(data.activity_note or "").strip() or None,
            duration_minutes=data.duration_minutes,
            rating=data.rating,
            worry=bool(data.worry),
            worry_text=data.worry_text,
            next_meeting_on=data.next_meeting_on,
        )
        db.session.add(checkin)
        db.session.flush()
        audit.record("checkin.logged", checkin, user=by, details={"worry": checkin.worry})
        return checkin

    checkin, created = idempotency.once(key, user=by, model=CheckIn, create=create)
    if created:
        hooks.checkin_logged.send(checkin)  # a worry raises its reminder at once (reminders)
    return checkin, created


def acknowledge_worry(checkin: CheckIn, *, by) -> None:
    """A companion or lead of the team has seen the worry: the flag goes down and its
    reminders are done."""
    if not checkin.worry:
        raise DomainError(_("This check-in has no worry."), 409)
    if checkin.worry_acknowledged_at is not None:
        return  # already seen: pressing twice changes nothing
    checkin.worry_acknowledged_at, checkin.worry_acknowledged_by_id = utcnow(), by.id
    audit.record("checkin.worry_acknowledged", checkin, user=by)
    db.session.flush()
    hooks.worry_acknowledged.send(checkin, by=by)  # its reminders are done (reminders)


def open_worries(user=None, *, client_ids=None) -> sa.Select:
    """``select(CheckIn)``: worries not yet acknowledged, on clients whose file ``user`` may
    see (all when ``user`` is None: the reminder scan), oldest first."""
    stmt = sa.select(CheckIn).where(
        CheckIn.worry.is_(True), CheckIn.worry_acknowledged_at.is_(None)
    )
    if user is not None:
        stmt = stmt.where(
            CheckIn.client_id.in_(sa.select(Client.id).where(team_scope_clause(user)))
        )
    if client_ids is not None:
        stmt = stmt.where(CheckIn.client_id.in_(client_ids))
    return stmt.order_by(CheckIn.created_at, CheckIn.id)


def worried_client_ids(client_ids) -> set[int]:
    """Which of these clients have an open worry (one query for a whole list)."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(db.session.scalars(_worried_statement(), {"ids": ids}))


@functools.cache
def _worried_statement() -> sa.Select:
    """``worried_client_ids``' statement, built once (the ids are its parameter)."""
    ids = sa.bindparam("ids", expanding=True)
    stmt = open_worries(client_ids=ids).with_only_columns(CheckIn.client_id).distinct()
    return stmt.order_by(None)


def own_checkins(buddy) -> sa.Select:
    """The buddy's own check-ins, newest first, on clients still visible to them or not."""
    return (
        sa.select(CheckIn)
        .where(CheckIn.buddy_id == buddy.id)
        .order_by(CheckIn.occurred_on.desc(), CheckIn.id.desc())
    )


def volunteer_minutes(buddy) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(CheckIn.duration_minutes), 0)).where(
                CheckIn.buddy_id == buddy.id
            )
        )
    )


def next_meetings(buddy) -> dict[int, date]:
    """Per matched client, the next meeting this buddy planned (today or later)."""
    rows = db.session.execute(
        sa.select(CheckIn.client_id, sa.func.min(CheckIn.next_meeting_on))
        .where(
            CheckIn.buddy_id == buddy.id,
            CheckIn.next_meeting_on >= today(),
            CheckIn.client_id.in_(sa.select(Client.id).where(scope_clause(buddy))),
        )
        .group_by(CheckIn.client_id)
    )
    return dict(rows.all())
