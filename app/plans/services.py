"""The action plan: adding and changing goals, moving their status, counting overdue goals.
Services flush; the request commits."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased, contains_eager

from app.audit import services as audit
from app.clients.models import Client
from app.contacts.models import Contact
from app.errors import DomainError
from app.extensions import db
from app.organisations.models import BY_NAME_ONLY, Organisation, by_name_only
from app.plans import links
from app.plans.models import Goal, goal_contact, goal_referral
from app.plans.rules import NEEDS_NOTE, can_move, overdue_clause
from app.plans.vocab import ACTIVE_STATUSES, GoalActor, GoalStatus
from app.reference import Domain
from app.referrals.models import Referral
from app.timeutil import today

DESCRIPTION_MAX = 300


def _clean(
    *, domain, description: str | None, actor, partner: Organisation | None, target_date
) -> dict:
    try:
        domain, actor = Domain(domain), GoalActor(actor)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422) from None
    description = (description or "").strip()
    if not description:
        raise DomainError(_("This field is required."), 422, field="description")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(
            _("At most %(max)d characters.", max=DESCRIPTION_MAX), 422, field="description"
        )
    if partner is not None and actor != GoalActor.PARTNER:
        partner = None  # only a partner's goal names an organisation
    return {
        "domain": domain,
        "description": description,
        "actor": actor,
        "partner": partner,
        "target_date": target_date,
    }


def add_goal(
    client: Client,
    *,
    domain: Domain | str,
    description: str,
    actor: GoalActor | str,
    target_date: date | None = None,
    partner: Organisation | None = None,
    contacts: Iterable[int] = (),
    referrals: Iterable[int] = (),
    by,
) -> Goal:
    """Add an open goal to the client's plan, linked to ``contacts`` and ``referrals`` (ids of
    the client's own live contacts and referrals), audited. A target date in the past is
    refused, and so is a contact or referral of another client."""
    values = _clean(
        domain=domain, description=description, actor=actor, partner=partner,
        target_date=target_date,
    )  # fmt: skip
    if target_date is not None and target_date < today():
        raise DomainError(_("The target date cannot be in the past."), 422, field="target_date")
    linked = {
        "contacts": links.contacts_to_link(client, contacts),
        "referrals": links.referrals_to_link(client, referrals),
    }
    goal = Goal(
        client_id=client.id,
        status=GoalStatus.OPEN,
        status_on=today(),
        created_by_id=by.id if by else None,
        **linked,
        **values,
    )
    db.session.add(goal)
    db.session.flush()
    details = {"domain": goal.domain.value}
    details.update({kind: sorted(r.id for r in rows) for kind, rows in linked.items() if rows})
    audit.record("goal.created", goal, user=by, details=details)
    return goal


def update_goal(
    goal: Goal,
    *,
    domain: Domain | str,
    description: str,
    actor: GoalActor | str,
    target_date: date | None = None,
    partner: Organisation | None = None,
    contacts: Iterable[int] | None = None,
    referrals: Iterable[int] | None = None,
    by,
) -> list[str]:
    """Change what the goal is, who acts, by when and which contacts and referrals it links
    (links given as None stay as they are); returns the changed fields (audited). A target
    date may stay in the past, but cannot be moved into it."""
    values = _clean(
        domain=domain, description=description, actor=actor, partner=partner,
        target_date=target_date,
    )  # fmt: skip
    if target_date is not None and target_date != goal.target_date and target_date < today():
        raise DomainError(_("The target date cannot be in the past."), 422, field="target_date")
    client = db.session.get(Client, goal.client_id)
    contacts = None if contacts is None else links.contacts_to_link(client, contacts)
    referrals = None if referrals is None else links.referrals_to_link(client, referrals)
    changed = [name for name, value in values.items() if getattr(goal, name) != value]
    for name in changed:
        setattr(goal, name, values[name])
    if contacts is not None and links.link_contacts(goal, contacts):
        changed.append("contacts")
    if referrals is not None and links.link_referrals(goal, referrals):
        changed.append("referrals")
    if changed:
        db.session.flush()
        audit.record("goal.updated", goal, user=by, details={"fields": sorted(changed)})
    return changed


def change_status(goal: Goal, status: GoalStatus | str, *, note: str | None = None, by) -> None:
    """Move the goal to ``status`` when the rules allow it (see app/plans/rules.py); dropping
    needs a reason. Audited."""
    try:
        status = GoalStatus(status)
    except ValueError:
        raise DomainError(_("Choose from the list."), 422, field="status") from None
    if not can_move(goal.status, status):
        raise DomainError(_("A goal cannot move from this status to that one."), 409, "status")
    note = (note or "").strip() or None
    if status in NEEDS_NOTE and not note:
        raise DomainError(_("Give a reason for dropping the goal."), 422, field="note")
    if note and len(note) > 300:
        raise DomainError(_("At most %(max)d characters.", max=300), 422, field="note")
    previous = goal.status
    goal.status, goal.status_on, goal.status_note = status, today(), note
    db.session.flush()
    audit.record(
        "goal.status_changed",
        goal,
        user=by,
        details={"from": previous.value, "to": status.value},
    )


def goals_of(client: Client) -> list[Goal]:
    """The client's goals: active ones first (by target date), then achieved and dropped,
    with their partner, linked contacts and referrals loaded, in one statement (a goal has
    few links; an organisation is shown by its name only)."""
    return list(db.session.scalars(_goals_of_statement(), {"client_id": client.id}).unique())


@functools.cache
def _goals_of_statement() -> sa.Select:
    """``goals_of``'s statement, built once (on first use, when the mappers are complete).

    The links are joined flat (goal, link row, contact or referral) and read with
    ``contains_eager``: ``joinedload`` nests a link table and its target in parentheses, and
    SQLite computed that nested join for every referral of the installation before joining
    it to the client's goals (5 ms at 100,000 clients, growing with the database)."""
    active_first = sa.case((Goal.status.in_(ACTIVE_STATUSES), 0), else_=1)
    referral_organisation = aliased(Organisation)
    return (
        sa.select(Goal)
        .outerjoin(Organisation, Organisation.id == Goal.partner_id)
        .outerjoin(goal_contact, goal_contact.c.goal_id == Goal.id)
        .outerjoin(Contact, Contact.id == goal_contact.c.contact_id)
        .outerjoin(goal_referral, goal_referral.c.goal_id == Goal.id)
        .outerjoin(Referral, Referral.id == goal_referral.c.referral_id)
        .outerjoin(referral_organisation, referral_organisation.id == Referral.organisation_id)
        .options(
            contains_eager(Goal.partner).options(*BY_NAME_ONLY),
            contains_eager(Goal.contacts),
            contains_eager(Goal.referrals)
            .contains_eager(Referral.organisation.of_type(referral_organisation))
            .options(*by_name_only(referral_organisation)),
        )
        .where(Goal.client_id == sa.bindparam("client_id"))
        .order_by(
            active_first,
            Goal.target_date.is_(None),
            Goal.target_date,
            Goal.id,
            # the relationships' own order
            Contact.occurred_at.desc(),
            Contact.id.desc(),
            Referral.referred_on.desc(),
            Referral.id.desc(),
        )
    )


def overdue_counts(client_ids, on: date | None = None) -> dict[int, int]:
    """{client id: number of overdue goals} for the given clients, in one aggregate query;
    clients without overdue goals are left out."""
    ids = list(client_ids)
    if not ids:
        return {}
    rows = db.session.execute(_overdue_counts_statement(), {"ids": ids, "on": on or today()})
    return dict(rows.all())


@functools.cache
def _overdue_counts_statement() -> sa.Select:
    """``overdue_counts``' statement, built once (the ids and the day are its parameters)."""
    return (
        sa.select(Goal.client_id, sa.func.count())
        .where(
            Goal.client_id.in_(sa.bindparam("ids", expanding=True)),
            overdue_clause(sa.bindparam("on")),
        )
        .group_by(Goal.client_id)
    )
