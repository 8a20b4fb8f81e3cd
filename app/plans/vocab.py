"""The vocabularies of an action plan: who acts on a goal and where it stands."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class GoalActor(enum.StrEnum):
    CLIENT = "client"
    COMPANION = "companion"
    BUDDY = "buddy"
    PARTNER = "partner"


register_labels(
    GoalActor,
    {
        GoalActor.CLIENT: _l("The client"),
        GoalActor.COMPANION: _l("The companion"),
        GoalActor.BUDDY: _l("The buddy"),
        GoalActor.PARTNER: _l("A partner organisation"),
    },
)


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


register_labels(
    GoalStatus,
    {
        GoalStatus.OPEN: _l("Open"),
        GoalStatus.IN_PROGRESS: _l("In progress"),
        GoalStatus.ACHIEVED: _l("Achieved"),
        GoalStatus.DROPPED: _l("Dropped"),
    },
)


# Goals that still ask for work; only these can be overdue.
ACTIVE_STATUSES = (GoalStatus.OPEN, GoalStatus.IN_PROGRESS)
