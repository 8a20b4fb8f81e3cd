"""Links from a goal to the contacts that served it: only live contacts of the goal's own
client, picked from that client's recent ones. A contact removed later keeps its link (the
goal's history does not change) but is no longer shown or offered."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from app.clients.models import Client
from app.contacts.models import Contact
from app.converters import MAX_ID
from app.errors import DomainError
from app.extensions import db
from app.labels import label
from app.plans.models import Goal

RECENT_CONTACTS = 20


def _live(client: Client):
    return sa.and_(Contact.client_id == client.id, Contact.deleted_at.is_(None))


def recent_contacts(client: Client, goal: Goal | None = None) -> list[Contact]:
    """The client's latest live contacts to pick from, with the ones ``goal`` already links
    (however old), newest first."""
    found = list(
        db.session.scalars(
            sa.select(Contact)
            .where(_live(client))
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(RECENT_CONTACTS)
        )
    )
    if goal is not None:
        listed = {contact.id for contact in found}
        found += [contact for contact in goal.live_contacts if contact.id not in listed]
        found.sort(key=lambda contact: (contact.occurred_at, contact.id), reverse=True)
    return found


def contact_label(contact: Contact) -> str:
    """How a contact is named in a list of choices: date, kind, reached or not, place. Never
    a note."""
    parts = [
        format_date(contact.occurred_on, "medium"),
        label(contact.kind),
        label(contact.outcome),
    ]
    if contact.place:
        parts.append(contact.place)
    return " · ".join(str(part) for part in parts)


def _refused() -> DomainError:
    return DomainError(_("Choose contacts of this person from the list."), 422, field="contacts")


def contacts_to_link(client: Client, ids: Iterable[int]) -> list[Contact]:
    """The live contacts of ``client`` with these ids; refuses (422, field ``contacts``) an id
    that is not one, e.g. a contact of another client or a removed one."""
    wanted = set(ids)
    if not wanted:
        return []
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 < i <= MAX_ID for i in wanted):
        raise _refused()
    found = list(
        db.session.scalars(sa.select(Contact).where(_live(client), Contact.id.in_(wanted)))
    )
    if len(found) != len(wanted):
        raise _refused()
    return found


def link_contacts(goal: Goal, contacts: list[Contact]) -> bool:
    """Make ``contacts`` the goal's shown links (links to removed contacts stay); returns
    whether the links changed."""
    if {c.id for c in contacts} == {c.id for c in goal.live_contacts}:
        return False
    removed = [contact for contact in goal.contacts if contact.deleted_at is not None]
    goal.contacts = removed + contacts
    return True
