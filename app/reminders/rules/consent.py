"""A consent past its expiry (or about to expire) while the trajectory goes on."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app import hooks
from app.clients.models import Client, Consent
from app.clients.vocab import Phase
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key
from app.reminders.vocab import Priority


def latest_consents() -> sa.Subquery:
    """(client_id, consent_id) of each client's newest consent — the one that decides its
    status — with a window function, so the database ranks all consents in one pass."""
    ranked = sa.select(
        Consent.client_id,
        Consent.id.label("consent_id"),
        sa.func.row_number()
        .over(partition_by=Consent.client_id, order_by=(Consent.given_on.desc(), Consent.id.desc()))
        .label("rank"),
    ).subquery("ranked_consents")
    return (
        sa.select(ranked.c.client_id, ranked.c.consent_id)
        .where(ranked.c.rank == 1)
        .subquery("latest_consents")
    )


def consent_expiry_candidates(ctx):
    warn_until = ctx.today + timedelta(days=ctx.settings["reminders.consent_warning_days"])
    who = responsible(ctx)
    latest = latest_consents()
    return (
        sa.select(
            who.c.user_id.label("assignee_id"),
            Client.id.label("client_id"),
            Consent.id.label("subject_id"),
            Consent.expires_on.label("due_on"),
            sa.literal(int(Priority.NORMAL)).label("priority"),
            key("consent_expired", Consent.id, who.c.user_id).label("dedupe_key"),
        )
        .select_from(Client)
        .join(latest, latest.c.client_id == Client.id)
        .join(Consent, Consent.id == latest.c.consent_id)
        .join(who, who.c.client_id == Client.id)
        .where(
            Client.phase != Phase.CLOSED,
            Client.merged_into_id.is_(None),
            Consent.withdrawn_on.is_(None),
            Consent.expires_on.is_not(None),
            Consent.expires_on < warn_until,
        )
    )


hooks.reminder_rules.add(
    Rule(
        "consent_expired",
        _l("Consent has expired: renew it"),
        consent_expiry_candidates,
        action=lambda r: ("clients.new_consent", {"client_id": r.client_id}),
        action_label=_l("Record consent"),
    ),
    order=20,
)
