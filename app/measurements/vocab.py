"""The vocabularies of measurements: what kind of instrument."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class MeasurementKind(enum.StrEnum):
    INTAKE = "intake"
    PERIODIC = "periodic"
    CLOSURE = "closure"


register_labels(
    MeasurementKind,
    {
        MeasurementKind.INTAKE: _l("Intake"),
        MeasurementKind.PERIODIC: _l("Periodic"),
        MeasurementKind.CLOSURE: _l("Closure"),
    },
)
