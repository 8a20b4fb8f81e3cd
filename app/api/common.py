"""Shared pieces of the API: validators, bounded fields, pagination, standard parameters.

Every number and date a client sends goes through ``integer``, ``record_id``, ``day`` or
``moment`` (bounds from app.bounds), so no request can overflow a column or a date.
"""

from __future__ import annotations

from collections.abc import Callable

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.bounds import (
    MAX_DATE,
    MAX_ID,
    MAX_INT,
    MAX_MOMENT,
    MAX_PAGE,
    MAX_PER_PAGE,
    MIN_DATE,
    MIN_MOMENT,
    date_out_of_range,
    out_of_range,
)
from app.extensions import db
from app.idempotency import Key, fingerprint, new_key


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


class InRange(ma.validate.Range):
    """``low <= value <= high``, else a message in the request's language (the OpenAPI
    description shows the bounds, as for any Range)."""

    def __init__(self, low, high, message: Callable[[], str]):
        super().__init__(min=low, max=high)
        self.message = message

    def __call__(self, value):
        if not self.min <= value <= self.max:
            raise ma.ValidationError(self.message())
        return value


def _validators(kwargs: dict, bound: InRange) -> list:
    extra = kwargs.pop("validate", None) or []
    return [bound, *(extra if isinstance(extra, list | tuple) else [extra])]


def integer(low: int = -MAX_INT - 1, high: int = MAX_INT, **kwargs) -> ma.fields.Integer:
    """A whole number in ``low..high`` (by default what a 32-bit column holds)."""
    bound = InRange(low, high, lambda: out_of_range(low, high))
    return ma.fields.Integer(validate=_validators(kwargs, bound), **kwargs)


def record_id(**kwargs) -> ma.fields.Integer:
    """The id of a record: 1..2**31-1."""
    return integer(1, MAX_ID, **kwargs)


def day(**kwargs) -> ma.fields.Date:
    """A date between 1900 and 2100."""
    bound = InRange(MIN_DATE, MAX_DATE, date_out_of_range)
    return ma.fields.Date(validate=_validators(kwargs, bound), **kwargs)


def moment(**kwargs) -> ma.fields.AwareDateTime:
    """A moment with its UTC offset, between 1900 and 2100."""
    bound = InRange(MIN_MOMENT, MAX_MOMENT, date_out_of_range)
    return ma.fields.AwareDateTime(validate=_validators(kwargs, bound), **kwargs)


class PageArgs(ma.Schema):
    page = integer(1, MAX_PAGE, load_default=1)
    per_page = integer(1, MAX_PER_PAGE, load_default=25)


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
        "Send the same request again with the same key (after a timeout, say) and the record "
        "stored the first time comes back (status 200) instead of a second one. The same key "
        "with a different request (another body or path) is refused with 422."
    ),
}


def idempotency_key() -> str:
    """The request's Idempotency-Key, or a fresh one (then a repeat is not recognised), with
    the request's fingerprint: the same key with another request is refused (422)."""
    from flask import request

    body = request.get_json(silent=True)
    return Key(
        request.headers.get("Idempotency-Key") or new_key(),
        fingerprint(request.method, request.path, body),
    )


def created_or_replayed(payload: dict, created: bool):
    """201 for a new record, 200 when an Idempotency-Key replays an earlier one."""
    return payload, 201 if created else 200
