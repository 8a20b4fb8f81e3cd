"""The social map: organisations by domain and municipality (read only in the API)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.api.common import PageArgs, enum, page_schema, paginate, text
from app.bounds import MAX_SEARCH_LENGTH
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.organisations.services import can_maintain, search_organisations
from app.organisations.vocab import OrganisationType
from app.reference import Domain, Municipality

blp = Blueprint(
    "api_organisations", __name__, url_prefix="/api/v1/organisations",
    description="The social map (sociale kaart)",
)  # fmt: skip


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    type = enum(OrganisationType, required=True)
    domains = ma.fields.List(enum(Domain), required=True)
    covers_whole_region = ma.fields.Boolean(required=True)
    municipalities = ma.fields.List(enum(Municipality), required=True)
    contact_person = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    website = ma.fields.String(allow_none=True)
    sector = ma.fields.String(allow_none=True)
    active = ma.fields.Boolean(required=True)


OrganisationPageSchema = page_schema(OrganisationSchema, "OrganisationPage")


class OrganisationListArgs(PageArgs):
    domain = enum(Domain)
    municipality = enum(Municipality)
    q = text(MAX_SEARCH_LENGTH, metadata={"description": "Words of the name"})


def payload(org: Organisation) -> dict:
    return {name: getattr(org, name) for name in OrganisationSchema._declared_fields}


@blp.route("")
class Organisations(MethodView):
    @blp.arguments(OrganisationListArgs, location="query")
    @blp.response(200, OrganisationPageSchema)
    def get(self, args):
        """Who helps with what where: filter by life domain and municipality."""
        stmt = search_organisations(
            domain=args.get("domain"),
            municipality=args.get("municipality"),
            text=args.get("q"),
            include_inactive=can_maintain(current_user),
        )
        return paginate(stmt, args["page"], args["per_page"], transform=payload)


@blp.route("/<int:organisation_id>")
class OrganisationItem(MethodView):
    @blp.response(200, OrganisationSchema)
    def get(self, organisation_id: int):
        org = organisation_services.get_organisation(organisation_id)
        if org is None or (not org.active and not can_maintain(current_user)):
            abort(404)
        return payload(org)
