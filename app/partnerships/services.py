"""Creating and finding partnerships."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.errors import DomainError
from app.extensions import db
from app.partnerships.context import current_partnership_id, is_signed_in
from app.partnerships.models import Partnership

PREFIX_PATTERN = re.compile(r"[A-Z]{2,6}")


class PartnershipError(DomainError):
    pass


def all_partnerships(*, active_only: bool = False) -> list[Partnership]:
    stmt = sa.select(Partnership).order_by(Partnership.name)
    if active_only:
        stmt = stmt.where(Partnership.active)
    return list(db.session.scalars(stmt))


def by_prefix(prefix: str) -> Partnership | None:
    return db.session.scalar(
        sa.select(Partnership).where(Partnership.code_prefix == (prefix or "").strip().upper())
    )


def get(partnership_id: int | None) -> Partnership | None:
    return db.session.get(Partnership, partnership_id) if partnership_id is not None else None


def only_partnership_id() -> int | None:
    """The id of the installation's partnership when it has exactly one, else None."""
    ids = db.session.scalars(sa.select(Partnership.id).order_by(Partnership.id).limit(2)).all()
    return ids[0] if len(ids) == 1 else None


def working_partnership_id() -> int | None:
    """The partnership this request or command works in: the one set (a scheduler run), else
    the signed-in user's (None for an installation account: it works in none); without
    anyone signed in (the command line), the installation's only partnership."""
    if is_signed_in():
        return current_partnership_id()
    return only_partnership_id()


def resolve_partnership_id(partnership_id: int | None = None) -> int:
    """The partnership new data belongs to: the one given, else the working one (see
    ``working_partnership_id``). With several and none chosen: refused."""
    chosen = partnership_id if partnership_id is not None else working_partnership_id()
    if chosen is None:
        raise PartnershipError(_("Choose a partnership."), 400, field="partnership")
    return chosen


def validate_prefix(prefix: str, *, exclude_id: int | None = None) -> str:
    prefix = (prefix or "").strip()
    if not PREFIX_PATTERN.fullmatch(prefix):
        raise PartnershipError(
            _("A client-code prefix is 2 to 6 capital letters A to Z, such as DL or WL."),
            400,
            field="code_prefix",
        )
    clash = sa.select(Partnership.id).where(Partnership.code_prefix == prefix)
    if exclude_id is not None:
        clash = clash.where(Partnership.id != exclude_id)
    if db.session.scalar(clash):
        raise PartnershipError(
            _("Another partnership already uses the prefix %(prefix)s.", prefix=prefix),
            409,
            field="code_prefix",
        )
    return prefix


def create_partnership(name: str, code_prefix: str, *, by=None) -> Partnership:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise PartnershipError(_("Give the partnership a name."), 400, field="name")
    prefix = validate_prefix(code_prefix)
    if db.session.scalar(
        sa.select(Partnership.id).where(sa.func.lower(Partnership.name) == name.lower())
    ):
        raise PartnershipError(_("A partnership with that name already exists."), 409, field="name")
    partnership = Partnership(name=name, code_prefix=prefix)
    db.session.add(partnership)
    db.session.flush()
    audit.record(
        "partnership.created",
        partnership,
        user=by,
        actor=None if by else "system",
        details={"name": name, "prefix": prefix},
    )
    return partnership


def prefix_of(partnership_id: int | None) -> str | None:
    if partnership_id is None:
        return None
    return db.session.scalar(
        sa.select(Partnership.code_prefix).where(Partnership.id == partnership_id)
    )
