"""The one place where attendance turns into a contact in the client's file: one contact
of kind group session (reached) per present client, remembered on the registration, so that
saving attendance again adds none. It then counts as a reached contact for the cadence."""

from __future__ import annotations

import logging

from app.contacts.services import ContactInput, record_contact
from app.contacts.vocab import ContactKind, ContactOutcome
from app.errors import DomainError

log = logging.getLogger(__name__)


def record_attendance_contact(registration, *, by) -> None:
    """Give a present client's registration its group-session contact, once."""
    if registration.client_id is None or registration.contact_id is not None:
        return
    session = registration.session
    data = ContactInput(
        kind=ContactKind.GROUP_SESSION,
        outcome=ContactOutcome.REACHED,
        occurred_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        place=session.place,
        domains=[session.domain],
    )
    try:
        contact = record_contact(registration.client, data, by=by)
    except DomainError as refusal:
        # Attendance stands on its own (a closed trajectory, a session before the person's
        # registration): it is kept, just without a contact.
        log.info("no contact for registration %s: %s", registration.id, refusal.message)
        return
    registration.contact_id = contact.id
