"""A consent past its expiry (or about to expire) while the trajectory goes on."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.clients.models import Client, Consent
from app.clients.vocab import Phase
from app.reminders.assignees import responsible
from app.reminders.engine import Rule, key, register_rule
from app.reminders.models import Priority


def latest_consent_id():
    """The id of each client's newest consent (the one that decides its status)."""
    newest = sa.orm.aliased(Consent)
    return (
        sa.select(newest.id)
        .where(newest.client_id == Client.id)
        .order_by(newest.given_on.desc(), newest.id.desc())
        .limit(1)
        .correlate(Client)
        .scalar_subquery()
    )


def consent_expiry_candidates(ctx):
    warn_until = ctx.today + timedelta(days=ctx.settings["reminders.consent_warning_days"])
    who = responsible()
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
        .join(Consent, Consent.id == latest_consent_id())
        .join(who, who.c.client_id == Client.id)
        .where(
            Client.phase != Phase.CLOSED,
            Client.merged_into_id.is_(None),
            Consent.withdrawn_on.is_(None),
            Consent.expires_on.is_not(None),
            Consent.expires_on < warn_until,
        )
    )


register_rule(
    Rule(
        "consent_expired",
        _l("Consent has expired: renew it"),
        consent_expiry_candidates,
        action=lambda r: ("clients.new_consent", {"client_id": r.client_id}),
        action_label=_l("Record consent"),
    )
)
