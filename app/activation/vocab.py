"""The vocabularies of activation: placements, their outcomes, employer engagement and aftercare."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class PlacementKind(enum.StrEnum):
    INTERNSHIP = "internship"
    IBO = "ibo"
    TWE = "twe"
    ART60 = "art60"
    JOB = "job"
    VOLUNTEERING = "volunteering"
    TRAINING = "training"


register_labels(
    PlacementKind,
    {
        PlacementKind.INTERNSHIP: _l("Internship"),
        PlacementKind.IBO: _l("IBO (in-company training)"),
        PlacementKind.TWE: _l("Temporary work experience (TWE)"),
        PlacementKind.ART60: _l("Art. 60"),
        PlacementKind.JOB: _l("Job"),
        PlacementKind.VOLUNTEERING: _l("Volunteering"),
        PlacementKind.TRAINING: _l("Training"),
    },
)


class PlacementOutcome(enum.StrEnum):
    ONGOING = "ongoing"
    COMPLETED = "completed"
    CONTINUED_IN_JOB = "continued_in_job"
    STOPPED_BY_CLIENT = "stopped_by_client"
    STOPPED_BY_EMPLOYER = "stopped_by_employer"
    OTHER = "other"


register_labels(
    PlacementOutcome,
    {
        PlacementOutcome.ONGOING: _l("Ongoing"),
        PlacementOutcome.COMPLETED: _l("Completed"),
        PlacementOutcome.CONTINUED_IN_JOB: _l("Continued in a job"),
        PlacementOutcome.STOPPED_BY_CLIENT: _l("Stopped by the client"),
        PlacementOutcome.STOPPED_BY_EMPLOYER: _l("Stopped by the employer"),
        PlacementOutcome.OTHER: _l("Other"),
    },
)


class EngagementKind(enum.StrEnum):
    VISIT = "visit"
    INFO_SESSION = "info_session"
    JOB_CARVING = "job_carving"
    OTHER = "other"


register_labels(
    EngagementKind,
    {
        EngagementKind.VISIT: _l("Visit"),
        EngagementKind.INFO_SESSION: _l("Information session on inclusive hiring"),
        EngagementKind.JOB_CARVING: _l("Job carving"),
        EngagementKind.OTHER: _l("Other"),
    },
)


class AftercareSituation(enum.StrEnum):
    WORK = "work"
    TRAINING = "training"
    OTHER = "other"


register_labels(
    AftercareSituation,
    {
        AftercareSituation.WORK: _l("Still in work"),
        AftercareSituation.TRAINING: _l("Still in training"),
        AftercareSituation.OTHER: _l("Not in work or training"),
    },
)
