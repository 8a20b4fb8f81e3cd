"""How often a client should be reached, per phase, and when they are at risk of being lost:
the numbers live in the admin settings (app.settings.registry, defaults from DESIGN.md), so
nothing here or elsewhere hard-codes them."""

from __future__ import annotations

from flask import current_app

from app.clients.vocab import Phase
from app.settings import registry


def cadence_days(phase: Phase) -> int | None:
    """Days without a reached contact before a client in ``phase`` is overdue; None for a
    closed trajectory, which has no cadence."""
    phase = Phase(phase)
    if phase == Phase.CLOSED:
        return None
    return int(registry.get_setting(f"cadence.{phase.value}"))


def at_risk_factor() -> int:
    """Past this many times the cadence a client is at risk of losing contact (the same
    threshold at which reminders escalate to the lead)."""
    return int(registry.get_setting("reminders.escalation_factor"))


def failed_attempts_limit() -> int:
    """This many failed attempts in a row (since the last reached contact) suggest trying
    another channel or place."""
    return int(registry.get_setting("reminders.failed_attempts"))


def due_within_days() -> int:
    """A contact is due this many days before the cadence runs out."""
    return int(current_app.config["CONTACT_DUE_WITHIN_DAYS"])
