"""What the agenda shows for a person and a period: their appointments, the group sessions
of their team, the follow-up dates of their caseload and the buddy meetings planned with
their clients (a buddy: their own), and the team's week for a lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for

from app.agenda.models import Appointment
from app.agenda.services import visible_appointments
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.scoping import caseload_clause, scope_clause
from app.contacts.models import Contact
from app.extensions import db
from app.groups.models import GroupSession
from app.groups.services import visible_sessions_clause
from app.timeutil import start_of_local_day, to_local


@dataclass
class Entry:
    """One line of the agenda."""

    source: str  # appointment, group_session, follow_up, buddy_meeting
    day: date
    title: str
    starts_at: datetime | None = None  # local; None for a whole-day entry
    ends_at: datetime | None = None
    place: str | None = None
    url: str | None = None
    appointment: Appointment | None = None


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week ``day`` is in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return start_of_local_day(start), start_of_local_day(end + timedelta(days=1))


def appointments_of(user: User, start: date, end: date) -> list[Appointment]:
    """The live appointments ``user`` plans or takes part in (as the buddy)."""
    low, high = _bounds(start, end)
    return list(
        db.session.scalars(
            visible_appointments(user)
            .where(
                sa.or_(Appointment.companion_id == user.id, Appointment.buddy_id == user.id),
                Appointment.cancelled_at.is_(None),
                Appointment.starts_at >= low,
                Appointment.starts_at < high,
            )
            .order_by(Appointment.starts_at, Appointment.id)
        )
    )


def _followed_clients(user: User):
    """Whose follow-up dates and buddy meetings are on this person's agenda."""
    if user.role == Role.BUDDY:
        return sa.select(Client.id).where(scope_clause(user))
    return sa.select(Client.id).where(caseload_clause(user))


def entries(user: User, start: date, end: date) -> list[Entry]:
    """Everything on ``user``'s agenda from ``start`` to ``end`` (days in Brussels), in order:
    per day the whole-day entries first, then by time."""
    low, high = _bounds(start, end)
    found: list[Entry] = []
    for appointment in appointments_of(user, start, end):
        local = to_local(appointment.starts_at)
        found.append(
            Entry(
                "appointment",
                local.date(),
                appointment.client.preferred_name,
                local,
                to_local(appointment.ends_at),
                appointment.place,
                url_for("agenda.detail", appointment_id=appointment.id),
                appointment,
            )
        )
    sessions = db.session.scalars(
        sa.select(GroupSession).where(
            visible_sessions_clause(user),
            GroupSession.starts_at >= low,
            GroupSession.starts_at < high,
        )
    )
    for session in sessions:
        local = to_local(session.starts_at)
        found.append(
            Entry(
                "group_session",
                local.date(),
                session.title,
                local,
                local + timedelta(minutes=session.duration_minutes),
                session.place,
                url_for("groups.detail", session_id=session.id),
            )
        )
    clients = _followed_clients(user)
    if user.role != Role.BUDDY:
        follow_ups = db.session.execute(
            sa.select(Contact.follow_up_on, Client.id, Client.preferred_name)
            .join(Client, Client.id == Contact.client_id)
            .where(
                Contact.client_id.in_(clients),
                Contact.deleted_at.is_(None),
                Contact.follow_up_on.between(start, end),
            )
            .distinct()
        )
        for day, client_id, name in follow_ups:
            found.append(
                Entry("follow_up", day, name, url=url_for("clients.show", client_id=client_id))
            )
    meetings = sa.select(CheckIn.next_meeting_on, Client.id, Client.preferred_name).join(
        Client, Client.id == CheckIn.client_id
    )
    meetings = meetings.where(
        CheckIn.client_id.in_(clients), CheckIn.next_meeting_on.between(start, end)
    )
    if user.role == Role.BUDDY:
        meetings = meetings.where(CheckIn.buddy_id == user.id)
    for day, client_id, name in db.session.execute(meetings.distinct()):
        found.append(
            Entry("buddy_meeting", day, name, url=url_for("clients.show", client_id=client_id))
        )
    found.sort(key=lambda e: (e.day, e.starts_at is not None, e.starts_at or time.min, e.title))
    return found


def by_day(found: list[Entry], start: date, end: date) -> list[tuple[date, list[Entry]]]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [(day, [e for e in found if e.day == day]) for day in days]


def team_people(lead: User) -> list[User]:
    """The active companions and leads of the teams ``lead`` leads."""
    if lead.role != Role.LEAD or not lead.team_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.teams.any(Team.id.in_(lead.team_ids)),
                User.role.in_((Role.COMPANION, Role.LEAD)),
                User.active.is_(True),
            )
            .order_by(User.display_name)
        )
    )


def team_week(lead: User, start: date, end: date) -> list[tuple[User, dict[date, list]]]:
    """Per person of the lead's teams, per day: their appointments with the team's clients
    (who is where this week)."""
    people = team_people(lead)
    low, high = _bounds(start, end)
    rows = db.session.scalars(
        visible_appointments(lead)
        .where(
            Appointment.companion_id.in_([p.id for p in people]),
            Appointment.cancelled_at.is_(None),
            Appointment.starts_at >= low,
            Appointment.starts_at < high,
        )
        .order_by(Appointment.starts_at)
    ).all()
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    grid = []
    for person in people:
        mine = [a for a in rows if a.companion_id == person.id]
        grid.append(
            (
                person,
                {day: [a for a in mine if to_local(a.starts_at).date() == day] for day in days},
            )
        )
    return grid
