"""The reminder rules of DESIGN.md, one module per domain they watch."""

from app.reminders.rules import (
    consent,  # noqa: F401
    referrals,  # noqa: F401
    self_reliance,  # noqa: F401
)
