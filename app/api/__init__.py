"""The JSON API under /api/v1, described by OpenAPI 3.1 (flask-smorest + marshmallow).

The same services and the same scoping helper as the pages do the work; this package only
translates between JSON and those services.
"""

from __future__ import annotations

import http

from flask import Flask
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from app.api import messages  # noqa: F401  (translated marshmallow messages, before any schema)
from app.converters import MAX_ID, IdConverter
from app.problems import PROBLEM_TYPE, ProblemSchema


class GezelApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        """Document every error response as application/problem+json."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_error_handlers(self):
        """The application's own handlers answer problem+json under /api (app/main/errors)."""


def init_app(app: Flask) -> None:
    from app.api import (
        auth,
        clients,
        contacts,
        docs,
        instruments,
        me,
        measurements,
        notes,
        organisations,
        referrals,
        reminders,
        tokens_cli,
    )
    from app.extensions import csrf

    app.config.setdefault("API_TITLE", "Gezel API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault(
        "API_SPEC_OPTIONS",
        {
            "info": {
                "description": (
                    "Case management for trajectory companions in Dijleland+. Authenticate with "
                    "a personal token (`Authorization: Bearer ...`); the token carries its "
                    "user's role and nothing more. Errors are application/problem+json."
                )
            },
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearerAuth": []}],
        },
    )
    api = GezelApi(app)
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    )
    modules = (
        me, clients, contacts, notes, referrals, measurements, instruments, organisations,
        reminders,
    )  # fmt: skip
    for module in modules:
        csrf.exempt(module.blp)  # checked in auth.py for cookie sessions; tokens need none
        api.register_blueprint(module.blp)
    app.register_blueprint(docs.bp)
    auth.init_app(app)
    from app.auth.cli import users_cli

    users_cli.add_command(tokens_cli.token_cli)  # flask users token create USERNAME
    app.extensions["gezel_api"] = api
