"""The reminder rules of DESIGN.md, one module per domain they watch."""

from app.reminders.rules import (  # noqa: F401
    checkins,
    consent,
    contacts,
    partner_answers,
    referrals,
    self_reliance,
)
