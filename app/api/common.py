"""Shared pieces of the API: validators, pagination, standard parameters."""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db

MAX_PER_PAGE = 100


def no_control_characters(value: str) -> None:
    if any(ord(c) < 32 and c not in "\r\n\t" for c in value) or "\x7f" in value:
        raise ma.ValidationError(str(_l("This text contains characters that are not allowed.")))


def text(max_length: int, **kwargs) -> ma.fields.String:
    """A string field with a length limit and no control characters (NUL included)."""
    return ma.fields.String(
        validate=[ma.validate.Length(max=max_length), no_control_characters], **kwargs
    )


def required_text(max_length: int, **kwargs) -> ma.fields.String:
    return ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=max_length), no_control_characters],
        **kwargs,
    )


def enum(enum_class, **kwargs) -> ma.fields.Enum:
    return ma.fields.Enum(enum_class, by_value=True, **kwargs)


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE)
    )


class PageMeta(ma.Schema):
    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    pages = ma.fields.Integer(required=True)


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A schema for one page of items: {"items": [...], "meta": {...}}."""
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "meta": ma.fields.Nested(PageMeta, required=True),
        },
    )


def paginate(stmt: sa.Select, page: int, per_page: int, *, transform=None) -> dict:
    """One page of ``stmt`` (ORM objects) with totals, counted in SQL."""
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if transform is not None:
        items = [transform(item) for item in items]
    return {
        "items": items,
        "meta": {
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": (total + per_page - 1) // per_page,
        },
    }


IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_\\-]{16,80}$"},
    "description": (
        "Send the same key again (after a timeout, say) and the record stored the first time "
        "comes back (status 200) instead of a second one."
    ),
}


def idempotency_key() -> str:
    """The request's Idempotency-Key, or a fresh one (then a repeat is not recognised)."""
    from flask import request

    from app.idempotency import new_key

    return request.headers.get("Idempotency-Key") or new_key()


def created_or_replayed(payload: dict, created: bool):
    """201 for a new record, 200 when an Idempotency-Key replays an earlier one."""
    return payload, 201 if created else 200
