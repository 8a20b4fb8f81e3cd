"""The vocabularies of the agenda: what kind of appointment, and which contact it becomes."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.contacts.vocab import ContactKind
from app.labels import register_labels


class AppointmentKind(enum.StrEnum):
    HOME_VISIT = "home_visit"
    ACCOMPANIMENT = "accompaniment"  # going along to a service
    WARM_HANDOVER = "warm_handover"
    OFFICE = "office"
    CALL = "call"
    GROUP_SESSION = "group_session"


register_labels(
    AppointmentKind,
    {
        AppointmentKind.HOME_VISIT: _l("Home visit"),
        AppointmentKind.ACCOMPANIMENT: _l("Going along to a service"),
        AppointmentKind.WARM_HANDOVER: _l("Warm handover"),
        AppointmentKind.OFFICE: _l("At the office"),
        AppointmentKind.CALL: _l("Phone or video call"),
        AppointmentKind.GROUP_SESSION: _l("Group session"),
    },
)

# The kind of contact an appointment becomes once it took place.
CONTACT_KIND = {
    AppointmentKind.HOME_VISIT: ContactKind.HOME_VISIT,
    AppointmentKind.ACCOMPANIMENT: ContactKind.ACCOMPANIMENT,
    AppointmentKind.WARM_HANDOVER: ContactKind.ACCOMPANIMENT,
    AppointmentKind.OFFICE: ContactKind.OFFICE,
    AppointmentKind.CALL: ContactKind.CALL,
    AppointmentKind.GROUP_SESSION: ContactKind.GROUP_SESSION,
}

# An appointment lasts at least this long and at most this long (minutes): a 14-hour home
# visit is a typing error, not a plan.
MIN_MINUTES = 5
MAX_MINUTES = 12 * 60
# What the agenda's week view shows, and how far the iCalendar feed looks back and ahead.
FEED_DAYS_BACK = 30
FEED_DAYS_AHEAD = 365
