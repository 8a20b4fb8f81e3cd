"""The one place where attendance turns into a contact in the client's file: one contact
of kind group session (reached) per present client, remembered on the registration, so that
saving attendance again adds none. It then counts as a reached contact for the cadence."""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from app.contacts.models import Contact
from app.contacts.services import (
    ContactInput,
    record_contact,
    restore_derived_contact,
    withdraw_derived_contact,
)
from app.contacts.vocab import ContactKind, ContactOutcome
from app.errors import DomainError
from app.extensions import db

log = logging.getLogger(__name__)


def record_attendance_contact(registration, *, by) -> None:
    """Give a present client's registration its group-session contact, once (the one it
    had before, when attendance was corrected away and back)."""
    if registration.client_id is None:
        return
    if registration.contact_id is not None:
        contact = db.session.get(Contact, registration.contact_id)
        if contact is not None:
            restore_derived_contact(contact, by=by)
            contact.place = contact.place or registration.session.place
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


def withdraw_attendance_contact(registration, *, by) -> None:
    """Attendance corrected from present to absent or excused: the contact it gave no longer
    counts as reaching the person (soft-deleted, with the reason; restored if marked present
    again)."""
    if registration.contact_id is None:
        return
    contact = db.session.get(Contact, registration.contact_id)
    if contact is not None:
        withdraw_derived_contact(
            contact, by=by, reason=_("Attendance corrected: not present at the group session")
        )
