"""Self-reliance measurements of a client: list and create (with Idempotency-Key).

The measurement service of the pages records them, with the same rules (scale, domains,
inactive instrument, dates, one intake); its refusals come back as problem+json naming the
JSON field: ``scores.<domain>``, ``notes.<domain>``, ``measured_on``, ``kind``, ``instrument``.
Companions and leads of the client's team only; anyone else gets 404.
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from app.api.common import (
    IDEMPOTENCY_HEADER,
    PageArgs,
    created_or_replayed,
    day,
    enum,
    idempotency_key,
    integer,
    no_control_characters,
    page_schema,
    paginate,
)
from app.clients.scoping import get_client_or_404
from app.errors import DomainError
from app.idempotency import KeyRefused, once
from app.measurements import services
from app.measurements.loader import CODE
from app.measurements.models import Instrument, Measurement
from app.measurements.services import NOTE_MAX
from app.measurements.vocab import MeasurementKind

blp = Blueprint(
    "api_measurements", __name__, url_prefix="/api/v1/clients",
    description="Self-reliance measurements of a client",
)  # fmt: skip

MAX_SCORE = 100  # far above any scale; the service checks the instrument's own


def code_field(**kwargs) -> ma.fields.String:
    """An instrument or domain code: lower-case letters, digits, '-' and '_', at most 40."""
    return ma.fields.String(
        validate=[ma.validate.Length(min=1, max=40), ma.validate.Regexp(CODE)], **kwargs
    )


class MeasurementSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    client_id = ma.fields.Integer(required=True)
    instrument = ma.fields.String(required=True, metadata={"description": "Instrument code"})
    measured_on = ma.fields.Date(required=True)
    kind = enum(MeasurementKind, required=True)
    scores = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), required=True,
        metadata={"description": "Score per domain code; a domain left out was not scored"},
    )  # fmt: skip
    notes = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.String(), required=True,
        metadata={"description": "Note per domain code, where there is one"},
    )  # fmt: skip
    recorded_by_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


MeasurementPageSchema = page_schema(MeasurementSchema, "MeasurementPage")


class MeasurementListArgs(PageArgs):
    instrument = code_field(metadata={"description": "Only measurements with this instrument"})


class MeasurementCreateSchema(ma.Schema):
    instrument = code_field(required=True, metadata={"description": "An active instrument"})
    measured_on = day(
        required=True, metadata={"description": "Not in the future, not before registration"}
    )
    kind = enum(MeasurementKind, required=True, metadata={"description": "At most one intake"})
    scores = ma.fields.Dict(
        keys=code_field(),
        values=integer(0, MAX_SCORE, strict=True),
        required=True,
        validate=ma.validate.Length(min=1, max=50),
        metadata={"description": "Score per domain code, a level of the instrument's scale"},
    )  # fmt: skip
    notes = ma.fields.Dict(
        keys=code_field(),
        values=ma.fields.String(
            allow_none=True,
            validate=[ma.validate.Length(max=NOTE_MAX), no_control_characters],
        ),
        validate=ma.validate.Length(max=50),
        metadata={"description": "Optional note per scored domain"},
    )  # fmt: skip


def measurement_payload(measurement: Measurement, codes: dict[tuple[str, int], str]) -> dict:
    """``codes``: instrument and domain codes by id (see _codes)."""
    return {
        "id": measurement.id,
        "client_id": measurement.client_id,
        "instrument": codes[("instrument", measurement.instrument_id)],
        "measured_on": measurement.measured_on,
        "kind": measurement.kind,
        "scores": {codes[("domain", s.domain_id)]: s.score for s in measurement.scores},
        "notes": {codes[("domain", s.domain_id)]: s.note for s in measurement.scores if s.note},
        "recorded_by_id": measurement.recorded_by_id,
        "created_at": measurement.created_at,
    }


def _codes() -> dict[tuple[str, int], str]:
    """Every instrument's and domain's code by id, read once per request (a few rows)."""
    codes = {}
    for instrument in services.all_instruments():
        codes[("instrument", instrument.id)] = instrument.code
        for domain in instrument.domains:
            codes[("domain", domain.id)] = domain.code
    return codes


def _api_field(field: str | None) -> str | None:
    """The service names form fields (score_<code>, note_<code>); the API names JSON ones."""
    for prefix, name in (("score_", "scores"), ("note_", "notes")):
        if field and field.startswith(prefix):
            return f"{name}.{field.removeprefix(prefix)}"
    return field


@blp.route("/<int:client_id>/measurements")
class Measurements(MethodView):
    @blp.arguments(MeasurementListArgs, location="query")
    @blp.response(200, MeasurementPageSchema)
    def get(self, args, client_id: int):
        """The client's measurements, latest first (companions and leads of the team)."""
        client = get_client_or_404(client_id)
        stmt = sa.select(Measurement).where(Measurement.client_id == client.id)
        if args.get("instrument"):
            stmt = stmt.join(Instrument, Instrument.id == Measurement.instrument_id).where(
                Instrument.code == args["instrument"]
            )
        stmt = stmt.order_by(Measurement.measured_on.desc(), Measurement.id.desc())
        codes = _codes()
        return paginate(
            stmt, args["page"], args["per_page"],
            transform=lambda m: measurement_payload(m, codes),
        )  # fmt: skip

    @blp.arguments(MeasurementCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, MeasurementSchema)
    @blp.alt_response(200, schema=MeasurementSchema, description="Replayed by Idempotency-Key")
    @blp.alt_response(409, description="The instrument is no longer in use, or a second intake")
    def post(self, data, client_id: int):
        """Record a measurement: a score (and an optional note) per domain of an active
        instrument, as on the measurement form."""
        client = get_client_or_404(client_id)
        instrument = services.get_instrument(data["instrument"])
        if instrument is None:
            raise DomainError(_("Unknown instrument."), 422, field="instrument")

        def create() -> Measurement:
            return services.record_measurement(
                client, instrument, measured_on=data["measured_on"], kind=data["kind"],
                scores=data["scores"], notes=data.get("notes") or {}, by=current_user,
            )  # fmt: skip

        try:
            measurement, created = once(
                idempotency_key(), user=current_user, model=Measurement, create=create
            )
        except DomainError as error:
            error.field = _api_field(error.field)
            raise
        if measurement.client_id != client.id:
            raise KeyRefused()  # the key stored a measurement of another client
        return created_or_replayed(measurement_payload(measurement, _codes()), created)
