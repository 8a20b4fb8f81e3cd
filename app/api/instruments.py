"""Self-reliance measuring instruments: their domains and level labels (read only)."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from app.measurements.models import Instrument, InstrumentDomain, InstrumentLevel
from app.measurements.services import all_instruments

blp = Blueprint(
    "api_instruments", __name__, url_prefix="/api/v1/instruments",
    description="Self-reliance measuring instruments",
)  # fmt: skip


class LevelSchema(ma.Schema):
    score = ma.fields.Integer(required=True)
    label = ma.fields.String(required=True, metadata={"description": "In the request's language"})
    label_nl = ma.fields.String(required=True)
    label_en = ma.fields.String(allow_none=True)


class InstrumentDomainSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "The key of a score"})
    label = ma.fields.String(required=True, metadata={"description": "In the request's language"})
    label_nl = ma.fields.String(required=True)
    label_en = ma.fields.String(allow_none=True)
    position = ma.fields.Integer(required=True)


class InstrumentSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "In the request's language"})
    name_nl = ma.fields.String(required=True)
    name_en = ma.fields.String(allow_none=True)
    version = ma.fields.Integer(required=True)
    active = ma.fields.Boolean(
        required=True, metadata={"description": "Only an active instrument takes new measurements"}
    )
    levels = ma.fields.List(ma.fields.Nested(LevelSchema), required=True)
    domains = ma.fields.List(ma.fields.Nested(InstrumentDomainSchema), required=True)


def _texts(row: InstrumentLevel | InstrumentDomain) -> dict:
    return {"label": row.label, "label_nl": row.label_nl, "label_en": row.label_en}


def instrument_payload(instrument: Instrument) -> dict:
    return {
        "code": instrument.code,
        "name": instrument.name,
        "name_nl": instrument.name_nl,
        "name_en": instrument.name_en,
        "version": instrument.version,
        "active": instrument.active,
        "levels": [{"score": level.score, **_texts(level)} for level in instrument.levels],
        "domains": [
            {"code": domain.code, "position": domain.position, **_texts(domain)}
            for domain in instrument.domains
        ],
    }


@blp.route("")
class Instruments(MethodView):
    @blp.response(200, InstrumentSchema(many=True))
    def get(self):
        """Every instrument, active ones first: the domains to score and the level of each
        score (1 is the lowest)."""
        return [instrument_payload(instrument) for instrument in all_instruments()]
