"""What the client timeline is made of: one registered source per kind of event.

A source gives a select of one client's events with the columns ``id``, ``day`` (a date),
``at`` (a UTC timestamp, to order events of the same day) and ``kind`` (a string to filter
on), a loader for the objects of one page, and the template that shows one entry. A new
kind of event is one more source added to ``hooks.timeline_sources``, here or from another
package's ``contributions.py`` (documents add theirs).
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, contains_eager, joinedload, lazyload

from app import hooks
from app.checkins.models import CheckIn
from app.clients.models import Consent, ConsentScope, PhaseChange
from app.contacts.models import Contact, ContactDomain, contact_organisation
from app.contacts.vocab import ContactKind
from app.extensions import db
from app.hooks import TimelineSource
from app.labels import choices_for
from app.measurements.models import Instrument, Measurement
from app.organisations.models import BY_NAME_ONLY, Organisation, by_name_only
from app.referrals.lifecycle import ReferralStatus
from app.referrals.models import Referral, ReferralStatusChange

KIND = sa.String(32)


def _kind(value: str):
    return sa.cast(sa.literal(value), KIND)


def _joined(model, *options, joins=None, order=()) -> dict:
    """A source's objects come with the page's rows, in the same statement; what each
    points to and its few collections (a contact's domains, notes and organisations) are
    joined in. ``load`` does the same apart, for a caller that has only ids. ``joins`` and
    ``order``: see ``TimelineSource``."""

    @functools.cache
    def statement() -> sa.Select:  # built once, on first use: the ids are its parameter
        ids = sa.bindparam("ids", expanding=True)
        stmt = sa.select(model)
        if joins is not None:
            stmt = joins(stmt)
        return stmt.where(model.id.in_(ids)).options(*options).order_by(*order)

    def load(ids: list[int]) -> list:
        return list(db.session.scalars(statement(), {"ids": list(ids)}).unique())

    return {"load": load, "model": model, "options": options, "joins": joins, "order": order}


# A contact's organisations, joined flat (link row, then organisation) and read with
# contains_eager: joinedload nests "(contact_organisation JOIN organisation)" in parentheses,
# and SQLite computed that join for every contact of the installation on each timeline page
# (260 ms with 74,000 such links among 20,000 clients).
_PRESENT = aliased(Organisation, name="present_organisation")


def _contact_links(stmt: sa.Select) -> sa.Select:
    return stmt.outerjoin(
        contact_organisation, contact_organisation.c.contact_id == Contact.id
    ).outerjoin(_PRESENT, _PRESENT.id == contact_organisation.c.organisation_id)


hooks.timeline_sources.add(
    TimelineSource(
        name="contact",
        label=_l("Contacts"),
        events=lambda client_id: sa.select(
            Contact.id.label("id"),
            Contact.occurred_on.label("day"),
            Contact.occurred_at.label("at"),
            sa.cast(Contact.kind, KIND).label("kind"),
        ).where(Contact.client_id == client_id, Contact.deleted_at.is_(None)),
        **_joined(
            Contact,
            joinedload(Contact.author),
            joinedload(Contact.domain_rows),
            joinedload(Contact.notes),
            contains_eager(Contact.organisations.of_type(_PRESENT)).options(
                *by_name_only(_PRESENT)
            ),
            joins=_contact_links,
            order=(_PRESENT.name_key,),  # the relationship's order
        ),
        template="timeline/_contact.html",
        with_rows=True,  # the most common kind: in the page's own statement
        kinds=lambda: choices_for(ContactKind),
        domain_filter=lambda stmt, domain: stmt.where(
            Contact.id.in_(
                sa.select(ContactDomain.contact_id).where(ContactDomain.domain == domain)
            )
        ),
    ),
    order=10,
)

hooks.timeline_sources.add(
    TimelineSource(
        name="checkin",
        label=_l("Buddy check-ins"),
        events=lambda client_id: sa.select(
            CheckIn.id.label("id"),
            CheckIn.occurred_on.label("day"),
            CheckIn.created_at.label("at"),
            _kind("checkin").label("kind"),
        ).where(CheckIn.client_id == client_id),
        **_joined(CheckIn, joinedload(CheckIn.buddy), joinedload(CheckIn.worry_acknowledged_by)),
        template="timeline/_checkin.html",
    ),
    order=20,
)

hooks.timeline_sources.add(
    TimelineSource(
        name="phase",
        label=_l("Phase changes"),
        events=lambda client_id: sa.select(
            PhaseChange.id.label("id"),
            PhaseChange.effective_on.label("day"),
            PhaseChange.changed_at.label("at"),
            sa.cast(PhaseChange.to_phase, KIND).label("kind"),
        ).where(PhaseChange.client_id == client_id),
        **_joined(PhaseChange, joinedload(PhaseChange.changed_by)),
        template="timeline/_phase.html",
    ),
    order=30,
)

hooks.timeline_sources.add(
    TimelineSource(
        name="consent",
        label=_l("Consents"),
        events=lambda client_id: sa.select(
            Consent.id.label("id"),
            Consent.given_on.label("day"),
            Consent.created_at.label("at"),
            _kind("consent").label("kind"),
        ).where(Consent.client_id == client_id),
        **_joined(Consent, joinedload(Consent.scopes), joinedload(Consent.recorded_by)),
        template="timeline/_consent.html",
        domain_filter=lambda stmt, domain: stmt.where(
            Consent.id.in_(sa.select(ConsentScope.consent_id).where(ConsentScope.domain == domain))
        ),
    ),
    order=40,
)

hooks.timeline_sources.add(
    TimelineSource(
        name="measurement",
        label=_l("Self-reliance measurements"),
        events=lambda client_id: sa.select(
            Measurement.id.label("id"),
            Measurement.measured_on.label("day"),
            Measurement.created_at.label("at"),
            sa.cast(Measurement.kind, KIND).label("kind"),
        ).where(Measurement.client_id == client_id),
        **_joined(
            Measurement,
            # The entry names the instrument and counts the scores.
            joinedload(Measurement.instrument).options(
                lazyload(Instrument.domains), lazyload(Instrument.levels)
            ),
            joinedload(Measurement.recorded_by),
            joinedload(Measurement.scores),
        ),
        template="timeline/_measurement.html",
    ),
    order=50,
)

hooks.timeline_sources.add(
    TimelineSource(
        name="referral",
        label=_l("Referrals"),
        # Every move of a referral, from the draft to its outcome; the kind is the new status.
        events=lambda client_id: (
            sa.select(
                ReferralStatusChange.id.label("id"),
                ReferralStatusChange.effective_on.label("day"),
                ReferralStatusChange.at.label("at"),
                sa.cast(ReferralStatusChange.to_status, KIND).label("kind"),
            )
            .join(Referral, Referral.id == ReferralStatusChange.referral_id)
            .where(Referral.client_id == client_id)
        ),
        **_joined(
            ReferralStatusChange,
            joinedload(ReferralStatusChange.referral)
            .joinedload(Referral.organisation)
            .options(*BY_NAME_ONLY),
            joinedload(ReferralStatusChange.by),
        ),
        template="timeline/_referral.html",
        kinds=lambda: choices_for(ReferralStatus),
        domain_filter=lambda stmt, domain: stmt.where(Referral.domain == domain),
    ),
    order=60,
)
