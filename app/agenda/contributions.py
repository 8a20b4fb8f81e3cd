"""What the agenda adds to other pages: the navigation entry, a button and a card on the
client page, a card on the referral page (plan the handover), and the reminder for an
appointment not logged as a contact by the next day."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.agenda import services
from app.agenda.models import Appointment
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import Client
from app.clients.scoping import Access
from app.clients.vocab import Phase
from app.hooks import ClientSection, NavItem, ReferralSection
from app.reminders.engine import Rule, key
from app.reminders.vocab import Priority

RULE = "appointment_not_logged"


def client_actions(client, user) -> dict | None:
    return None if client.is_closed else {}


def client_card(client, user) -> dict:
    return {
        "appointments": services.upcoming_for_client(client, user),
        "can_log": services.can_log,
    }


def referral_card(referral, user) -> dict | None:
    """The warm handover's date as an appointment: the one planned, or a button to plan it."""
    if not referral.warm_handover and referral.appointment_on is None:
        return None
    return {"appointments": services.for_referral(referral, user)}


def not_logged_candidates(ctx) -> sa.Select:
    """Appointments of a day before today, neither logged as a contact nor cancelled, for the
    companion who planned them (while active), on an open file."""
    return (
        sa.select(
            Appointment.companion_id.label("assignee_id"),
            Appointment.client_id.label("client_id"),
            Appointment.id.label("subject_id"),
            sa.literal(ctx.today).label("due_on"),
            sa.literal(int(Priority.NORMAL)).label("priority"),
            key(RULE, Appointment.id).label("dedupe_key"),
        )
        .select_from(Appointment)
        .join(Client, Client.id == Appointment.client_id)
        .join(User, User.id == Appointment.companion_id)
        .where(
            Appointment.starts_on < ctx.today,
            Appointment.contact_id.is_(None),
            Appointment.cancelled_at.is_(None),
            User.active.is_(True),
            Client.phase != Phase.CLOSED,
            Client.merged_into_id.is_(None),
        )
    )


hooks.nav_items.add(
    NavItem("agenda.index", _l("Agenda"), frozenset({Role.COMPANION, Role.LEAD, Role.BUDDY})),
    order=85,
)
hooks.client_sections.add(
    ClientSection("actions", "agenda/_client_actions.html", client_actions, Access.TEAM),
    order=40,
)
hooks.client_sections.add(
    ClientSection("body", "agenda/_client_card.html", client_card, Access.TEAM), order=45
)
hooks.referral_sections.add(ReferralSection("agenda/_referral_card.html", referral_card), order=20)
hooks.reminder_rules.add(
    Rule(
        RULE,
        _l("An appointment took place: log it as a contact"),
        not_logged_candidates,
        action=lambda r: ("agenda.detail", {"appointment_id": r.subject_id}),
        action_label=_l("Log the appointment"),
    ),
    order=120,
)
