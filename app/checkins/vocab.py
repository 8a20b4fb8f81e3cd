"""The vocabularies of a buddy check-in: what was done and how it went."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class Activity(enum.StrEnum):
    MEETING = "meeting"
    WALK = "walk"
    ACCOMPANIMENT = "accompaniment"
    LEISURE = "leisure"
    PRACTICAL_HELP = "practical_help"
    PHONE = "phone"
    OTHER = "other"


register_labels(
    Activity,
    {
        Activity.MEETING: _l("Coffee or a chat"),
        Activity.WALK: _l("A walk or outing"),
        Activity.ACCOMPANIMENT: _l("Going along to an appointment"),
        Activity.LEISURE: _l("Sport, culture or leisure"),
        Activity.PRACTICAL_HELP: _l("Practical help"),
        Activity.PHONE: _l("Phone call or messages"),
        Activity.OTHER: _l("Something else"),
    },
)


# How it went, 1 to 5.
RATINGS = {
    1: _l("Badly"),
    2: _l("Not so well"),
    3: _l("Okay"),
    4: _l("Well"),
    5: _l("Very well"),
}
