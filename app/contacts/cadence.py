"""How often a client should be reached, per phase: the one place that knows (DESIGN.md
"Persistent outreach"). Values come from the configuration (``CONTACT_CADENCE_DAYS``); a
later issue makes them admin settings, so nothing else may hard-code them."""

from __future__ import annotations

from flask import current_app

from app.clients.vocab import Phase


def cadence_days(phase: Phase) -> int | None:
    """Days without a reached contact before a client in ``phase`` is overdue; None for a
    closed trajectory, which has no cadence."""
    phase = Phase(phase)
    if phase == Phase.CLOSED:
        return None
    return int(current_app.config["CONTACT_CADENCE_DAYS"][phase.value])


def due_within_days() -> int:
    """A contact is due this many days before the cadence runs out."""
    return int(current_app.config["CONTACT_DUE_WITHIN_DAYS"])
