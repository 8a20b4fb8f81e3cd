"""Links from a goal to the contacts and referrals that served it: only records of the goal's
own client, picked from that client's recent ones. A contact removed later keeps its link
(the goal's history does not change) but is no longer shown or offered."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.clients.models import Client
from app.contacts.models import Contact
from app.converters import MAX_ID
from app.errors import DomainError
from app.extensions import db
from app.labels import label
from app.plans.models import Goal
from app.referrals.models import Referral

RECENT = 20  # how many of a client's latest contacts and referrals the goal form offers


def _newest_first(records: list, goal_links: list, key) -> list:
    """``records`` plus the goal's own links that are not among them, newest first."""
    listed = {record.id for record in records}
    records += [record for record in goal_links if record.id not in listed]
    records.sort(key=key, reverse=True)
    return records


def recent_contacts(client: Client, goal: Goal | None = None) -> list[Contact]:
    """The client's latest live contacts to pick from, with the ones ``goal`` already links
    (however old), newest first."""
    found = list(
        db.session.scalars(
            sa.select(Contact)
            .where(Contact.client_id == client.id, Contact.deleted_at.is_(None))
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
            .limit(RECENT)
        )
    )
    linked = goal.live_contacts if goal is not None else []
    return _newest_first(found, linked, key=lambda c: (c.occurred_at, c.id))


def recent_referrals(client: Client, goal: Goal | None = None) -> list[Referral]:
    """The client's latest referrals to pick from, with the ones ``goal`` already links,
    newest first (organisations loaded)."""
    found = list(
        db.session.scalars(
            sa.select(Referral)
            .options(selectinload(Referral.organisation))
            .where(Referral.client_id == client.id)
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
            .limit(RECENT)
        )
    )
    linked = goal.referrals if goal is not None else []
    return _newest_first(found, linked, key=lambda r: (r.referred_on, r.id))


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


def referral_label(referral: Referral) -> str:
    """How a referral is named in a list of choices: date, organisation, domain, status.
    Never the question."""
    parts = [
        format_date(referral.referred_on, "medium"),
        referral.organisation.name,
        label(referral.domain),
        label(referral.status),
    ]
    return " · ".join(str(part) for part in parts)


def _of_client(model, client: Client, ids: Iterable[int], field: str, message: str, *live):
    """The ``model`` records of ``client`` with these ids; refuses (422 on ``field``) an id
    that is not one, e.g. a record of another client."""
    wanted = set(ids)
    if not wanted:
        return []
    if any(isinstance(i, bool) or not isinstance(i, int) or not 0 < i <= MAX_ID for i in wanted):
        raise DomainError(message, 422, field=field)
    found = list(
        db.session.scalars(
            sa.select(model).where(model.client_id == client.id, model.id.in_(wanted), *live)
        )
    )
    if len(found) != len(wanted):
        raise DomainError(message, 422, field=field)
    return found


def contacts_to_link(client: Client, ids: Iterable[int]) -> list[Contact]:
    """The live contacts of ``client`` with these ids (a removed one is refused too)."""
    message = _("Choose contacts of this person from the list.")
    return _of_client(Contact, client, ids, "contacts", message, Contact.deleted_at.is_(None))


def referrals_to_link(client: Client, ids: Iterable[int]) -> list[Referral]:
    """The referrals of ``client`` with these ids."""
    message = _("Choose referrals of this person from the list.")
    return _of_client(Referral, client, ids, "referrals", message)


def link_contacts(goal: Goal, contacts: list[Contact]) -> bool:
    """Make ``contacts`` the goal's shown links (links to removed contacts stay); returns
    whether the links changed."""
    if {c.id for c in contacts} == {c.id for c in goal.live_contacts}:
        return False
    removed = [contact for contact in goal.contacts if contact.deleted_at is not None]
    goal.contacts = removed + contacts
    return True


def link_referrals(goal: Goal, referrals: list[Referral]) -> bool:
    """Make ``referrals`` the goal's links; returns whether they changed."""
    if {r.id for r in referrals} == {r.id for r in goal.referrals}:
        return False
    goal.referrals = referrals
    return True
