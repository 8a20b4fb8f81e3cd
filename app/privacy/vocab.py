"""The vocabularies of privacy requests: their kind and the decision."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class RequestKind(enum.StrEnum):
    ACCESS = "access"
    ERASURE = "erasure"


class Decision(enum.StrEnum):
    GRANTED = "granted"
    REFUSED = "refused"


register_labels(RequestKind, {RequestKind.ACCESS: _l("Access"), RequestKind.ERASURE: _l("Erasure")})


register_labels(Decision, {Decision.GRANTED: _l("Granted"), Decision.REFUSED: _l("Refused")})
