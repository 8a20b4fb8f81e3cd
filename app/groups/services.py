"""Group sessions: planning them, registering clients and buddies within capacity, taking
attendance. Services flush; the request commits."""

from __future__ import annotations

import functools
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from app.audit import services as audit
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients.models import Client
from app.clients.scoping import visible_clients
from app.errors import DomainError
from app.extensions import db
from app.groups.contacts import record_attendance_contact, withdraw_attendance_contact
from app.groups.models import GroupRegistration, GroupSession
from app.groups.vocab import Attendance
from app.reference import Domain
from app.timeutil import local_date, start_of_local_day, today

MAX_CAPACITY = 200
MANAGERS = (Role.COMPANION, Role.LEAD)


def can_manage(user: User, session: GroupSession) -> bool:
    """Companions and leads of the session's team plan it, register people, take attendance."""
    return user.role in MANAGERS and session.team_id in user.team_ids


def visible_sessions_clause(user: User):
    """Sessions this user may see: their teams' (companions, leads), or those a buddy is
    registered for."""
    if user.role in MANAGERS and user.team_ids:
        return GroupSession.team_id.in_(user.team_ids)
    if user.role == Role.BUDDY:
        registered = sa.select(GroupRegistration.session_id).where(
            GroupRegistration.buddy_id == user.id
        )
        return GroupSession.id.in_(registered)
    return sa.false()


def sessions_for(user: User, *, upcoming: bool = True) -> sa.Select:
    """The sessions ``user`` may see, upcoming ones (from the start of today in Brussels)
    soonest first, or past ones latest first."""
    start = start_of_local_day(today())
    stmt = sa.select(GroupSession).where(visible_sessions_clause(user))
    if upcoming:
        return stmt.where(GroupSession.starts_at >= start).order_by(GroupSession.starts_at)
    return stmt.where(GroupSession.starts_at < start).order_by(GroupSession.starts_at.desc())


def registration_counts(session_ids) -> dict[int, int]:
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(GroupRegistration.session_id, sa.func.count())
        .where(GroupRegistration.session_id.in_(ids))
        .group_by(GroupRegistration.session_id)
    )
    return dict(rows.all())


def _clean(*, team: Team, title, domain, starts_at, duration_minutes, place, facilitator,
           capacity, description, by) -> dict:  # fmt: skip
    if by.role not in MANAGERS or team.id not in by.team_ids:
        raise DomainError(_("You can only plan sessions for your own team."), 404, field="team")
    title, place = (title or "").strip(), (place or "").strip()
    if not title:
        raise DomainError(_("This field is required."), 422, field="title")
    if not place:
        raise DomainError(_("This field is required."), 422, field="place")
    try:
        domain = Domain(domain)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422, field="domain") from None
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise DomainError(_("Give a date and a time."), 422, field="starts_on")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            _("Give a number of places from 1 to %(max)d.", max=MAX_CAPACITY), 422, "capacity"
        )
    if not isinstance(duration_minutes, int) or not 15 <= duration_minutes <= 600:
        raise DomainError(_("Give a duration from 15 to 600 minutes."), 422, "duration_minutes")
    if facilitator is not None and (
        facilitator.role not in MANAGERS or team.id not in facilitator.team_ids
    ):
        raise DomainError(
            _("Choose a companion or lead of the team as facilitator."), 422, "facilitator"
        )
    return {
        "team_id": team.id,
        "title": title,
        "domain": domain,
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "place": place,
        "facilitator_id": facilitator.id if facilitator else None,
        "capacity": capacity,
        "description": (description or "").strip() or None,
    }


def create_session(*, by: User, **values) -> GroupSession:
    """Plan a group session for one of the user's teams (audited)."""
    session = GroupSession(created_by_id=by.id, **_clean(by=by, **values))
    db.session.add(session)
    db.session.flush()
    audit.record("group.created", session, user=by, details={"title": session.title})
    return session


def update_session(session: GroupSession, *, by: User, **values) -> None:
    """Change a session; the capacity cannot drop below the people already registered."""
    cleaned = _clean(by=by, **values)
    registered = registration_counts([session.id]).get(session.id, 0)
    if cleaned["capacity"] < registered:
        raise DomainError(
            _("%(count)d people are registered already; give at least that many places.",
              count=registered),
            409,
            field="capacity",
        )  # fmt: skip
    for name, value in cleaned.items():
        setattr(session, name, value)
    db.session.flush()
    audit.record("group.updated", session, user=by)


def _lock_and_count(session: GroupSession) -> int:
    """Lock the session row (PostgreSQL; SQLite writes one at a time already) and count its
    registrations, so two people cannot both take the last place."""
    db.session.execute(
        sa.select(GroupSession.id).where(GroupSession.id == session.id).with_for_update()
    )
    return db.session.scalar(
        sa.select(sa.func.count()).where(GroupRegistration.session_id == session.id)
    )


def _register(session: GroupSession, *, by: User, **person) -> GroupRegistration:
    if not can_manage(by, session):
        raise DomainError(_("Only the session's team can register people."), 404)
    if local_date(session.starts_at) < today():
        raise DomainError(_("This session is over; registering is closed."), 409)
    taken = _lock_and_count(session)
    duplicate = sa.select(GroupRegistration.id).where(
        GroupRegistration.session_id == session.id,
        *(getattr(GroupRegistration, name) == value for name, value in person.items()),
    )
    if db.session.scalar(duplicate) is not None:
        raise DomainError(_("This person is already registered."), 409)
    if taken >= session.capacity:
        raise DomainError(
            _("The session is full (places: %(capacity)d). Nobody else can register.",
              capacity=session.capacity),
            409,
        )  # fmt: skip
    registration = GroupRegistration(session_id=session.id, registered_by_id=by.id, **person)
    db.session.add(registration)
    db.session.flush()
    return registration


def register_client(session: GroupSession, client: Client, *, by: User) -> GroupRegistration:
    """Register a client the user may see (and who is not closed), within capacity."""
    visible = db.session.scalar(
        visible_clients(by).where(Client.id == client.id).with_only_columns(Client.id)
    )
    if visible is None:
        raise DomainError(_("Choose a person from the list."), 404, field="client")
    if client.is_closed:
        raise DomainError(_("The trajectory is closed."), 409, field="client")
    registration = _register(session, by=by, client_id=client.id)
    audit.record("group.client_registered", registration, user=by, client_id=client.id)
    return registration


def register_buddy(session: GroupSession, buddy: User, *, by: User) -> GroupRegistration:
    """Register an active buddy of the session's team, within capacity."""
    if buddy.role != Role.BUDDY or not buddy.active or session.team_id not in buddy.team_ids:
        raise DomainError(_("Choose a buddy of the team."), 422, field="buddy")
    registration = _register(session, by=by, buddy_id=buddy.id)
    audit.record("group.buddy_registered", registration, user=by)
    return registration


def unregister(registration: GroupRegistration, *, by: User) -> None:
    """Take someone off the list, as long as no attendance was recorded for them."""
    if not can_manage(by, registration.session):
        raise DomainError(_("Only the session's team can change registrations."), 404)
    if registration.attendance is not None:
        raise DomainError(_("Attendance is recorded for this person already."), 409)
    audit.record("group.unregistered", registration, user=by)
    db.session.delete(registration)
    db.session.flush()


def record_attendance(
    session: GroupSession, marks: dict[int, Attendance | str | None], *, by: User
) -> int:
    """Set present / absent / excused per registration id. Every present client gets
    exactly one contact of kind group session (saving again adds none). Marks for people
    who are not registered refuse the whole list. Returns how many marks changed."""
    if not can_manage(by, session):
        raise DomainError(_("Only the session's team can take attendance."), 404)
    if local_date(session.starts_at) > today():
        raise DomainError(_("Attendance can be taken from the day of the session."), 409)
    registrations = {r.id: r for r in session.registrations}
    strangers = set(marks) - set(registrations)
    if strangers:
        raise DomainError(_("Attendance can only be recorded for registered people."), 422)
    try:
        cleaned = {rid: Attendance(mark) if mark else None for rid, mark in marks.items()}
    except ValueError:
        raise DomainError(_("Choose present, absent or excused."), 422) from None
    changed = 0
    for registration_id, mark in cleaned.items():
        registration = registrations[registration_id]
        if mark is None or registration.attendance == mark:
            continue
        registration.attendance, registration.attendance_by_id = mark, by.id
        changed += 1
        if registration.client_id is not None and mark == Attendance.PRESENT:
            record_attendance_contact(registration, by=by)
        elif registration.client_id is not None:
            withdraw_attendance_contact(registration, by=by)
        audit.record(
            "group.attendance_recorded",
            registration,
            user=by,
            client_id=registration.client_id,
            details={"attendance": mark.value},
        )
    db.session.flush()
    return changed


def client_sessions(client: Client, *, since: date | None = None) -> list[GroupRegistration]:
    """The client's registrations, latest session first."""
    params = {"client_id": client.id}
    if since is not None:
        params["since"] = start_of_local_day(since)
    return list(db.session.scalars(_client_sessions_statement(since is not None), params))


@functools.cache
def _client_sessions_statement(since: bool) -> sa.Select:
    """``client_sessions``' statement (with ``since`` or without), built once."""
    stmt = (
        sa.select(GroupRegistration)
        .join(GroupSession)
        .options(contains_eager(GroupRegistration.session))
        .where(GroupRegistration.client_id == sa.bindparam("client_id"))
        .order_by(GroupSession.starts_at.desc())
    )
    if since:
        stmt = stmt.where(GroupSession.starts_at >= sa.bindparam("since"))
    return stmt
