"""The reminder rules of DESIGN.md, one module per domain they watch."""

from app.reminders.rules import consent, referrals  # noqa: F401
