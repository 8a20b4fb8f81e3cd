"""GET /api/v1/me: who the token (or session) belongs to."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from app.api.common import enum
from app.auth.vocab import Role

blp = Blueprint("api_me", __name__, url_prefix="/api/v1/me", description="The current user")


class TeamSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class MeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    username = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    role = enum(Role, required=True)
    is_admin = ma.fields.Boolean(required=True)
    locale = ma.fields.String(allow_none=True)
    teams = ma.fields.List(ma.fields.Nested(TeamSchema), required=True)


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in user: role and teams decide what the other endpoints return."""
        user = current_user
        return {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role,
            "is_admin": user.is_admin,
            "locale": user.locale,
            "teams": [{"id": t.id, "name": t.name} for t in user.teams],
        }
