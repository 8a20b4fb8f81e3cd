"""The vocabularies of reminders: where a reminder stands and how urgent it is."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.auth.vocab import Role
from app.labels import register_labels


class ReminderStatus(enum.StrEnum):
    OPEN = "open"
    SNOOZED = "snoozed"
    DONE = "done"
    DISMISSED = "dismissed"


ACTIVE_STATUSES = (ReminderStatus.OPEN, ReminderStatus.SNOOZED)


class Priority(enum.IntEnum):
    LOW = 1
    NORMAL = 2
    HIGH = 3


register_labels(
    ReminderStatus,
    {
        ReminderStatus.OPEN: _l("open"),
        ReminderStatus.SNOOZED: _l("snoozed"),
        ReminderStatus.DONE: _l("done"),
        ReminderStatus.DISMISSED: _l("dismissed"),
    },
)


register_labels(
    Priority,
    {Priority.LOW: _l("low"), Priority.NORMAL: _l("normal"), Priority.HIGH: _l("high")},
)


# Who has a reminder inbox.
INBOX_ROLES = frozenset({Role.COMPANION, Role.LEAD})
