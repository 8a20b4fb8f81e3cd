"""Clients: list and search, read, register, update (with a version; stale writes are 409)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm.exc import StaleDataError

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
    record_id,
    required_text,
    text,
)
from app.audit import services as audit
from app.auth.models import Team
from app.auth.vocab import Role
from app.bounds import MAX_DATE, MAX_SEARCH_LENGTH, MIN_DATE, max_length
from app.clients import services as client_services
from app.clients.consents import ConsentStatus, consent_status
from app.clients.filters import client_filters
from app.clients.matching import search_clients
from app.clients.models import MAX_CHILDREN, Client
from app.clients.scoping import Access, access_level, get_client_or_404, visible_clients
from app.clients.vocab import (
    LANGUAGE_CODES,
    ContactChannel,
    DutchLevel,
    EducationBand,
    ExitOutcome,
    Gender,
    Housing,
    IncomeSource,
    LabourStatus,
    Phase,
    PlaceMet,
    Referrer,
)
from app.errors import DomainError
from app.extensions import db
from app.idempotency import once
from app.reference import Challenge, Municipality
from app.timeutil import today

blp = Blueprint("api_clients", __name__, url_prefix="/api/v1/clients", description="Clients")

LANGUAGE = ma.fields.String(validate=ma.validate.OneOf(LANGUAGE_CODES))
PRACTICAL_FIELDS = ("id", "preferred_name", "contact_channel", "contact_note", "languages")


class ClientSchema(ma.Schema):
    """A client. A buddy receives only the practical fields (id, preferred_name,
    contact_channel, contact_note, languages)."""

    id = ma.fields.Integer(required=True)
    code = ma.fields.String()
    preferred_name = ma.fields.String(required=True)
    description = ma.fields.String(allow_none=True)
    legal_first_name = ma.fields.String(allow_none=True)
    legal_last_name = ma.fields.String(allow_none=True)
    gender = enum(Gender)
    birth_year = ma.fields.Integer(allow_none=True)
    birth_date = ma.fields.Date(allow_none=True)
    municipality = enum(Municipality)
    municipality_other = ma.fields.String(allow_none=True)
    place_met = enum(PlaceMet)
    place_met_detail = ma.fields.String(allow_none=True)
    referrer = enum(Referrer)
    referrer_detail = ma.fields.String(allow_none=True)
    registered_on = ma.fields.Date()
    languages = ma.fields.List(ma.fields.String())
    dutch_level = enum(DutchLevel)
    interpreter_needed = ma.fields.Boolean()
    housing = enum(Housing)
    single_parent = ma.fields.Boolean()
    children_count = ma.fields.Integer(allow_none=True)
    driving_licence = ma.fields.Boolean(allow_none=True)
    can_cycle = ma.fields.Boolean(allow_none=True)
    labour_status_at_entry = enum(LabourStatus)
    income_source_at_entry = enum(IncomeSource)
    education_band = enum(EducationBand)
    contact_channel = enum(ContactChannel)
    contact_note = ma.fields.String(allow_none=True)
    challenges = ma.fields.List(enum(Challenge))
    team_id = ma.fields.Integer()
    primary_companion_id = ma.fields.Integer(allow_none=True)
    phase = enum(Phase)
    phase_since = ma.fields.Date()
    exit_outcome = enum(ExitOutcome, allow_none=True)
    closed_on = ma.fields.Date(allow_none=True)
    consent_status = enum(ConsentStatus)
    version = ma.fields.Integer()


ClientPageSchema = page_schema(ClientSchema, "ClientPage")


class ClientListArgs(PageArgs):
    q = text(
        MAX_SEARCH_LENGTH,
        metadata={
            "description": "Nickname, official name, code or words of the description; "
            "typos, other transliterations, accents and case are forgiven; best first"
        },
    )
    phase = enum(Phase)
    municipality = enum(Municipality)


class ClientCreateSchema(ma.Schema):
    preferred_name = required_text(max_length(Client.preferred_name))
    municipality = enum(Municipality, required=True)
    place_met = enum(PlaceMet, required=True)
    registered_on = day(metadata={"description": "Date met; default today"})
    description = text(max_length(Client.description), allow_none=True)
    place_met_detail = text(max_length(Client.place_met_detail), allow_none=True)
    municipality_other = text(max_length(Client.municipality_other), allow_none=True)
    languages = ma.fields.List(LANGUAGE, validate=ma.validate.Length(max=len(LANGUAGE_CODES)))
    team_id = record_id(
        metadata={"description": "Needed only when the user is in several teams"},
    )


class ClientUpdateSchema(ma.Schema):
    """Profile fields to change; ``version`` must be the version last read."""

    version = record_id(required=True)  # 1..2**31-1, like an id
    preferred_name = ma.fields.String(
        validate=[
            ma.validate.Length(min=1, max=max_length(Client.preferred_name)),
            no_control_characters,
        ]
    )
    description = text(max_length(Client.description), allow_none=True)
    legal_first_name = text(max_length(Client.legal_first_name), allow_none=True)
    legal_last_name = text(max_length(Client.legal_last_name), allow_none=True)
    gender = enum(Gender)
    birth_year = integer(MIN_DATE.year, MAX_DATE.year, allow_none=True)
    birth_date = day(allow_none=True)
    municipality = enum(Municipality)
    municipality_other = text(max_length(Client.municipality_other), allow_none=True)
    place_met = enum(PlaceMet)
    place_met_detail = text(max_length(Client.place_met_detail), allow_none=True)
    referrer = enum(Referrer)
    referrer_detail = text(max_length(Client.referrer_detail), allow_none=True)
    languages = ma.fields.List(LANGUAGE, validate=ma.validate.Length(max=len(LANGUAGE_CODES)))
    dutch_level = enum(DutchLevel)
    interpreter_needed = ma.fields.Boolean()
    housing = enum(Housing)
    single_parent = ma.fields.Boolean()
    children_count = integer(0, MAX_CHILDREN, allow_none=True)
    driving_licence = ma.fields.Boolean(allow_none=True)
    can_cycle = ma.fields.Boolean(allow_none=True)
    labour_status_at_entry = enum(LabourStatus)
    income_source_at_entry = enum(IncomeSource)
    education_band = enum(EducationBand)
    contact_channel = enum(ContactChannel)
    contact_note = text(max_length(Client.contact_note), allow_none=True)
    challenges = ma.fields.List(
        enum(Challenge), validate=ma.validate.Length(max=client_services.MAX_CHALLENGES)
    )


def client_payload(client: Client, level: Access) -> dict:
    if level == Access.PRACTICAL:
        return {name: getattr(client, name) for name in PRACTICAL_FIELDS}
    payload = {
        name: getattr(client, name)
        for name in ClientSchema._declared_fields
        if name != "consent_status"
    }
    payload["consent_status"] = consent_status(client)
    return payload


def _require_team_role():
    if current_user.role not in (Role.COMPANION, Role.LEAD):
        abort(404)


@blp.route("")
class Clients(MethodView):
    @blp.arguments(ClientListArgs, location="query")
    @blp.response(200, ClientPageSchema)
    def get(self, args):
        """Clients you may see (your teams; for a buddy, current matches), newest first."""
        if args.get("q"):
            stmt = search_clients(current_user, args["q"], limit=None)
        else:
            stmt = visible_clients(current_user).order_by(Client.id.desc())
        stmt = stmt.where(
            *client_filters(phase=args.get("phase"), municipality=args.get("municipality"))
        )
        level = Access.PRACTICAL if current_user.role == Role.BUDDY else Access.TEAM

        def payload(client: Client) -> dict:
            g.setdefault("api_client_ids", []).append(client.id)  # audited per client
            return client_payload(client, level)

        return paginate(stmt, args["page"], args["per_page"], transform=payload)

    @blp.arguments(ClientCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, ClientSchema)
    @blp.alt_response(200, schema=ClientSchema, description="Replayed by Idempotency-Key")
    def post(self, data):
        """Register a person met during outreach (companions and leads)."""
        _require_team_role()
        team_id = data.pop("team_id", None)
        teams = current_user.teams
        if team_id is None and len(teams) == 1:
            team = teams[0]
        else:
            team = db.session.get(Team, team_id) if team_id else None
            if team is None or team.id not in current_user.team_ids:
                raise DomainError(_("Choose one of your teams."), 422, "team_id")
        registered_on = data.pop("registered_on", None) or today()
        client, created = once(
            idempotency_key(),
            user=current_user,
            model=Client,
            create=lambda: client_services.register_client(
                registered_on=registered_on, team=team, by=current_user, **data
            ),
        )
        return created_or_replayed(client_payload(client, Access.TEAM), created)


@blp.route("/<int:client_id>")
class ClientItem(MethodView):
    @blp.response(200, ClientSchema)
    def get(self, client_id: int):
        """One client; a buddy gets the practical fields of a current match only."""
        client = get_client_or_404(client_id, need=Access.PRACTICAL)
        audit.record("client.viewed", client, details={"via": "api"})
        return client_payload(client, access_level(current_user, client))

    @blp.arguments(ClientUpdateSchema)
    @blp.response(200, ClientSchema)
    @blp.alt_response(409, description="The client changed since you read it (stale version)")
    def patch(self, data, client_id: int):
        """Change profile fields. Send the ``version`` you read; a stale one answers 409."""
        client = get_client_or_404(client_id)
        if data.pop("version") != client.version:
            raise DomainError(
                _("Someone else changed this in the meantime. Reload and try again."), 409
            )
        challenges = data.pop("challenges", None)
        client_services.update_profile(client, by=current_user, challenges=challenges, **data)
        try:
            db.session.flush()
        except StaleDataError:
            db.session.rollback()
            raise DomainError(
                _("Someone else changed this in the meantime. Reload and try again."), 409
            ) from None
        return client_payload(client, Access.TEAM)
