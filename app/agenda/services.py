"""Planning appointments, turning one into a contact, and who sees which.

Every query for appointments starts from ``visible_appointments``: the appointments of the
clients in the user's scope (app/clients/scoping.py); a buddy sees only those they take part
in. An appointment outside it is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.agenda.models import Appointment
from app.agenda.vocab import CONTACT_KIND, MAX_MINUTES, MIN_MINUTES, AppointmentKind
from app.audit import services as audit
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import BuddyMatch, Client, ContextMember
from app.clients.scoping import Access, access_level, active_match_clause, scope_clause
from app.contacts.services import ContactInput, record_contact
from app.contacts.vocab import ContactOutcome
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.organisations import services as organisation_services
from app.referrals.models import Referral
from app.timeutil import local_date


@dataclass
class AppointmentInput:
    """What the appointment form gives."""

    kind: AppointmentKind
    starts_at: datetime
    ends_at: datetime
    place: str | None = None
    purpose: str | None = None
    participant_ids: list[int] = field(default_factory=list)
    buddy_id: int | None = None
    organisation_id: int | None = None
    referral_id: int | None = None


def visible_appointments(user: User) -> sa.Select:
    """``select(Appointment)`` of the clients in ``user``'s scope (a buddy: only those they
    take part in), cancelled ones included."""
    stmt = (
        sa.select(Appointment)
        .join(Client, Client.id == Appointment.client_id)
        .where(scope_clause(user))
    )
    if user.role == Role.BUDDY:
        stmt = stmt.where(Appointment.buddy_id == user.id)
    return stmt


def appointment_or_404(appointment_id: int, user: User) -> Appointment:
    """The appointment if ``user`` may see it, else a DomainError 404."""
    appointment = db.session.scalar(
        visible_appointments(user).where(Appointment.id == appointment_id)
    )
    if appointment is None:
        raise DomainError(_("Not found."), 404)
    return appointment


def can_plan(user: User, client: Client) -> bool:
    """Companions and leads of the client's team plan appointments and log them."""
    return access_level(user, client) >= Access.TEAM


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def _check(client: Client, data: AppointmentInput) -> None:
    if client.is_closed:
        raise DomainError(_("The trajectory is closed. Reopen it before planning."), 409)
    try:
        data.kind = AppointmentKind(data.kind)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422, "kind") from None
    if data.starts_at.tzinfo is None or data.ends_at.tzinfo is None:
        raise ValueError("appointment times must be timezone-aware")
    if data.ends_at <= data.starts_at:
        raise DomainError(_("The end must be after the start."), 422, "ends_time")
    minutes = (data.ends_at - data.starts_at).total_seconds() / 60
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DomainError(
            _(
                "An appointment lasts from %(low)d minutes to %(high)d hours.",
                low=MIN_MINUTES,
                high=MAX_MINUTES // 60,
            ),
            422,
            "ends_time",
        )


def _members(client: Client, ids: list[int]) -> list[ContextMember]:
    wanted = set(ids)
    if not wanted:
        return []
    found = list(
        db.session.scalars(
            sa.select(ContextMember).where(
                ContextMember.client_id == client.id, ContextMember.id.in_(wanted)
            )
        )
    )
    if len(found) != len(wanted):
        raise DomainError(_("Choose people from the person's context."), 422, "participants")
    return found


def matched_buddies(client: Client) -> list[User]:
    """The buddies matched to the client now."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(BuddyMatch, BuddyMatch.buddy_id == User.id)
            .where(BuddyMatch.client_id == client.id, active_match_clause())
            .order_by(User.display_name)
        )
    )


def _links(client: Client, data: AppointmentInput) -> dict:
    links = {"buddy_id": None, "organisation_id": None, "referral_id": None}
    if data.buddy_id is not None:
        if data.buddy_id not in {b.id for b in matched_buddies(client)}:
            raise DomainError(_("Choose a buddy matched to this person."), 422, "buddy")
        links["buddy_id"] = data.buddy_id
    if data.organisation_id is not None:
        org = organisation_services.get_organisation(data.organisation_id)
        if org is None or not org.active:
            raise DomainError(_("Choose organisations from the social map."), 422, "organisation")
        links["organisation_id"] = org.id
    if data.referral_id is not None:
        referral = db.session.get(Referral, data.referral_id)
        if referral is None or referral.client_id != client.id:
            raise DomainError(_("Not found."), 404)
        links["referral_id"] = referral.id
    return links


def overlapping(companion: User, starts_at: datetime, ends_at: datetime, *, besides=None):
    """The companion's other live appointments that overlap this time."""
    stmt = sa.select(Appointment).where(
        Appointment.companion_id == companion.id,
        Appointment.cancelled_at.is_(None),
        Appointment.starts_at < ends_at,
        Appointment.ends_at > starts_at,
    )
    if besides is not None:
        stmt = stmt.where(Appointment.id != besides)
    return list(db.session.scalars(stmt.order_by(Appointment.starts_at)))


def in_the_past(data: AppointmentInput) -> bool:
    return data.starts_at < utcnow()


def plan(client: Client, data: AppointmentInput, *, by: User) -> Appointment:
    """Plan an appointment of ``by`` with ``client``. Overlaps and times in the past are
    allowed (the form warns and asks to confirm); what cannot be true is refused."""
    if not can_plan(by, client):
        raise DomainError(_("Not found."), 404)
    _check(client, data)
    members = _members(client, data.participant_ids)
    appointment = Appointment(
        client_id=client.id,
        companion_id=by.id,
        created_by_id=by.id,
        **_links(client, data),
    )
    _apply(appointment, data, members)
    db.session.add(appointment)
    db.session.flush()
    audit.record("appointment.planned", appointment, user=by, client_id=client.id)
    return appointment


def _apply(appointment: Appointment, data: AppointmentInput, members) -> None:
    appointment.kind = data.kind
    appointment.starts_at, appointment.ends_at = data.starts_at, data.ends_at
    appointment.starts_on = local_date(data.starts_at)
    appointment.place = _clean(data.place)
    appointment.purpose = _clean(data.purpose)
    appointment.participants = members


def cancel(appointment: Appointment, *, by: User) -> None:
    """Take an appointment out of the agenda (kept, marked cancelled)."""
    if not can_plan(by, appointment.client):
        raise DomainError(_("Not found."), 404)
    if appointment.contact_id is not None:
        raise DomainError(_("This appointment is already logged as a contact."), 409)
    if appointment.cancelled_at is None:
        appointment.cancelled_at = utcnow()
        audit.record("appointment.cancelled", appointment, user=by, client_id=appointment.client_id)


def can_log(appointment: Appointment) -> bool:
    """It took place (started) and is not logged or cancelled yet."""
    return (
        appointment.contact_id is None
        and appointment.cancelled_at is None
        and appointment.starts_at <= utcnow()
    )


def log_as_contact(appointment: Appointment, outcome: ContactOutcome, *, by: User):
    """One tap: the appointment becomes a contact (reached or not), its kind, time,
    duration, place, context members and organisation filled in, linked to it. A second
    tap returns the same contact."""
    if not can_plan(by, appointment.client):
        raise DomainError(_("Not found."), 404)
    # Two taps at once (two devices): the row lock on PostgreSQL (SQLite's write lock does
    # the same) makes the second one see the contact of the first.
    db.session.refresh(appointment, with_for_update=True)
    if appointment.contact_id is not None and appointment.contact is not None:
        return appointment.contact
    if appointment.cancelled_at is not None:
        raise DomainError(_("This appointment was cancelled."), 409)
    if appointment.starts_at > utcnow():
        raise DomainError(_("This appointment has not started yet."), 409)
    try:
        outcome = ContactOutcome(outcome)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422) from None
    data = ContactInput(
        kind=CONTACT_KIND[appointment.kind],
        outcome=outcome,
        occurred_at=appointment.starts_at,
        duration_minutes=appointment.duration_minutes,
        place=(appointment.place or "")[:120] or None,
        participant_ids=[m.id for m in appointment.participants],
        organisation_ids=[appointment.organisation_id] if appointment.organisation_id else [],
        domains=[appointment.referral.domain] if appointment.referral else [],
    )
    contact = record_contact(appointment.client, data, by=by)
    appointment.contact_id = contact.id
    audit.record(
        "appointment.logged",
        appointment,
        user=by,
        client_id=appointment.client_id,
        details={"contact": contact.id, "outcome": outcome.value},
    )
    return contact


def upcoming_for_client(client: Client, user: User, limit: int = 10) -> list[Appointment]:
    """The client's appointments from today on (and past ones not logged yet)."""
    since = utcnow() - timedelta(days=1)
    return list(
        db.session.scalars(
            visible_appointments(user)
            .where(
                Appointment.client_id == client.id,
                Appointment.cancelled_at.is_(None),
                sa.or_(Appointment.starts_at >= since, Appointment.contact_id.is_(None)),
            )
            .order_by(Appointment.starts_at)
            .limit(limit)
        )
    )


def for_referral(referral: Referral, user: User) -> list[Appointment]:
    return list(
        db.session.scalars(
            visible_appointments(user)
            .where(Appointment.referral_id == referral.id, Appointment.cancelled_at.is_(None))
            .order_by(Appointment.starts_at)
        )
    )
