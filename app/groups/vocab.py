"""The vocabularies of group activities: attendance."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class Attendance(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


register_labels(
    Attendance,
    {
        Attendance.PRESENT: _l("Present"),
        Attendance.ABSENT: _l("Absent"),
        Attendance.EXCUSED: _l("Excused"),
    },
)
