"""The vocabularies of contacts and notes: kinds, reached or attempt, note levels."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class ContactKind(enum.StrEnum):
    OUTREACH = "outreach"
    HOME_VISIT = "home_visit"
    OFFICE = "office"
    CALL = "call"
    MESSAGE = "message"
    ACCOMPANIMENT = "accompaniment"
    GROUP_SESSION = "group_session"


register_labels(
    ContactKind,
    {
        ContactKind.OUTREACH: _l("Outreach at a place"),
        ContactKind.HOME_VISIT: _l("Home visit"),
        ContactKind.OFFICE: _l("At the office"),
        ContactKind.CALL: _l("Phone or video call"),
        ContactKind.MESSAGE: _l("Message"),
        ContactKind.ACCOMPANIMENT: _l("Going along to a service"),
        ContactKind.GROUP_SESSION: _l("Group session"),
    },
)


class ContactOutcome(enum.StrEnum):
    """Whether the person was reached, or it was only an attempt (persistent outreach counts
    both: days since the last reached contact, failed attempts since)."""

    REACHED = "reached"
    ATTEMPT = "attempt"


register_labels(
    ContactOutcome,
    {
        ContactOutcome.REACHED: _l("Reached"),
        ContactOutcome.ATTEMPT: _l("Attempt, not reached"),
    },
)


class NoteLevel(enum.StrEnum):
    """Who may read a note (DESIGN.md "Notes at three levels"); ordered from open to closed."""

    PRACTICAL = "practical"
    TEAM = "team"
    SENSITIVE = "sensitive"

    @property
    def rank(self) -> int:
        return list(NoteLevel).index(self)


register_labels(
    NoteLevel,
    {
        NoteLevel.PRACTICAL: _l("Practical (the buddy reads it too)"),
        NoteLevel.TEAM: _l("Team"),
        NoteLevel.SENSITIVE: _l("Sensitive"),
    },
)
