"""Referrals of a client: list, read, create a draft, and move it through the lifecycle.

The lifecycle table, the consent gate and every date rule come from app/referrals; a move
names the status the caller last saw (``from_status``), so a stale move answers 409 instead
of overwriting someone else's."""

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
    page_schema,
    paginate,
    record_id,
    required_text,
    text,
)
from app.bounds import max_length
from app.clients.scoping import get_client_or_404
from app.errors import DomainError
from app.idempotency import once
from app.organisations import services as organisation_services
from app.reference import Domain
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus
from app.referrals.models import Referral, ReferralStatusChange
from app.timeutil import today

blp = Blueprint(
    "api_referrals", __name__, url_prefix="/api/v1/clients",
    description="Referrals followed to the end",
)  # fmt: skip


class StatusChangeSchema(ma.Schema):
    from_status = enum(ReferralStatus, allow_none=True)
    to_status = enum(ReferralStatus, required=True)
    effective_on = ma.fields.Date(required=True)
    reason = ma.fields.String(allow_none=True)
    appointment_on = ma.fields.Date(allow_none=True)
    note = ma.fields.String(allow_none=True)
    by_id = ma.fields.Integer(allow_none=True)


class ReferralSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    client_id = ma.fields.Integer(required=True)
    organisation_id = ma.fields.Integer(required=True)
    domain = enum(Domain, required=True)
    question = ma.fields.String(required=True)
    referred_on = ma.fields.Date(required=True)
    response_deadline = ma.fields.Date(required=True)
    warm_handover = ma.fields.Boolean(required=True)
    handover_on = ma.fields.Date(allow_none=True)
    status = enum(ReferralStatus, required=True)
    status_since = ma.fields.Date(required=True)
    appointment_on = ma.fields.Date(allow_none=True)
    sent_on = ma.fields.Date(allow_none=True)
    accepted_on = ma.fields.Date(allow_none=True)
    history = ma.fields.List(ma.fields.Nested(StatusChangeSchema))


class ReferralCreateSchema(ma.Schema):
    organisation_id = record_id(required=True)
    domain = enum(Domain, required=True)
    question = required_text(max_length(Referral.question))
    referred_on = day(metadata={"description": "Default: today"})
    response_deadline = day(metadata={"description": "Default: the admin setting"})
    warm_handover = ma.fields.Boolean(load_default=False)
    handover_on = day(allow_none=True)
    confirm_outside_domain = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "The organisation does not list this domain: refer anyway"},
    )


class MoveSchema(ma.Schema):
    from_status = enum(
        ReferralStatus, required=True,
        metadata={"description": "The status you last saw; another one means someone moved it"},
    )  # fmt: skip
    to = enum(ReferralStatus, required=True)
    on = day(metadata={"description": "Default: today"})
    reason = text(max_length(ReferralStatusChange.reason), allow_none=True)
    appointment_on = day(allow_none=True)
    note = text(max_length(ReferralStatusChange.note), allow_none=True)
    response_deadline = day(allow_none=True)
    consent_override = ma.fields.Boolean(load_default=False)
    override_reason = text(max_length(Referral.override_reason), allow_none=True)


ReferralPageSchema = page_schema(ReferralSchema, "ReferralPage")


def payload(referral: Referral, *, history: bool = False) -> dict:
    body = {
        name: getattr(referral, name)
        for name in ReferralSchema._declared_fields
        if name != "history"
    }
    if history:
        body["history"] = [
            {name: getattr(change, name) for name in StatusChangeSchema._declared_fields}
            for change in referral.changes
        ]
    return body


@blp.route("/<int:client_id>/referrals")
class Referrals(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ReferralPageSchema)
    def get(self, args, client_id: int):
        """The client's referrals, newest first (companions and leads of the team)."""
        client = get_client_or_404(client_id)
        stmt = (
            sa.select(Referral)
            .where(Referral.client_id == client.id)
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
        return paginate(stmt, args["page"], args["per_page"], transform=payload)

    @blp.arguments(ReferralCreateSchema)
    @blp.doc(parameters=[IDEMPOTENCY_HEADER])
    @blp.response(201, ReferralSchema)
    @blp.alt_response(200, schema=ReferralSchema, description="Replayed by Idempotency-Key")
    def post(self, data, client_id: int):
        """Create a draft referral; send it with a move to "sent" (the consent gate)."""
        client = get_client_or_404(client_id)
        organisation = organisation_services.get_organisation(data.pop("organisation_id"))
        if organisation is None:
            raise DomainError(
                _("Choose an organisation from the social map."), 422, "organisation_id"
            )
        data["referred_on"] = data.get("referred_on") or today()
        referral, created = once(
            idempotency_key(),
            user=current_user,
            model=Referral,
            create=lambda: services.create_referral(
                client, organisation=organisation, by=current_user, **data
            ),
        )
        return created_or_replayed(payload(referral, history=True), created)


@blp.route("/<int:client_id>/referrals/<int:referral_id>")
class ReferralItem(MethodView):
    @blp.response(200, ReferralSchema)
    def get(self, client_id: int, referral_id: int):
        """One referral with its full status history."""
        client = get_client_or_404(client_id)
        referral = services.get_for_client_or_404(client, referral_id, history=True)
        return payload(referral, history=True)


@blp.route("/<int:client_id>/referrals/<int:referral_id>/moves")
class ReferralMoves(MethodView):
    @blp.arguments(MoveSchema)
    @blp.response(200, ReferralSchema)
    @blp.alt_response(409, description="The referral moved since you read it")
    def post(self, data, client_id: int, referral_id: int):
        """Move the referral (sent, accepted, declined with a reason, waiting list, first
        appointment with a date, kept, no-show, in progress, completed, dropped, cancelled)."""
        client = get_client_or_404(client_id)
        referral = services.get_for_client_or_404(client, referral_id, lock=True)
        if referral.status != data.pop("from_status"):
            raise DomainError(
                _("Someone else changed this in the meantime. Reload and try again."), 409
            )
        services.move(referral, data.pop("to"), by=current_user, **data)
        return payload(referral, history=True)
