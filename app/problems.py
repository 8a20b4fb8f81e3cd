"""Errors as application/problem+json (RFC 9457), with field-level details."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, json

PROBLEM_TYPE = "application/problem+json"


class ProblemSchema(ma.Schema):
    """An error: a short title, the HTTP status, what went wrong, and errors per field."""

    type = ma.fields.String(metadata={"description": "A URI naming the kind of problem"})
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Messages per field (request body or query)"},
    )


def flatten_messages(messages) -> dict[str, list[str]]:
    """webargs/marshmallow messages ({"json": {"name": ["..."]}}) as {"name": ["..."]}."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                walk(name, inner)
        elif isinstance(value, list | tuple):
            if all(isinstance(item, str) for item in value):
                flat.setdefault(prefix or "_", []).extend(value)
            else:
                for index, item in enumerate(value):
                    walk(f"{prefix}.{index}", item)
        else:
            flat.setdefault(prefix or "_", []).append(str(value))

    for location, value in (messages or {}).items():
        # Drop the location level (json/query/path) unless it is the only information.
        if isinstance(value, dict):
            walk("", value)
        else:
            walk(location, value)
    return flat


def problem(
    status: int,
    title: str,
    detail: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict | None = None,
) -> Response:
    body = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = {key: [str(m) for m in messages] for key, messages in errors.items()}
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
