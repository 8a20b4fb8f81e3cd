"""Generated partnerships for `flask demo generate --partnerships N`: fictional partnerships
with distinct client-code prefixes, each with its own social map (a copy of the base
partnership's map, seeded from the shipped regional list when that is empty), so that the
data of a Flanders-wide installation can be tried and benchmarked.

Without the option everything goes into the installation's first partnership, as before."""

from __future__ import annotations

import itertools
import string

import sqlalchemy as sa

from app.demo.kernel import Context, insert
from app.extensions import db
from app.organisations.models import Organisation, OrganisationDomain, OrganisationMunicipality
from app.organisations.services import seed_social_map
from app.partnerships.context import partnership_context
from app.partnerships.models import Partnership
from app.partnerships.services import create_partnership

# Fictional place names: a tree and a landscape word (Lindeveld, Beukedal, ...).
TREES = ["Linde", "Beuke", "Eike", "Wilge", "Berke", "Esse", "Haze", "Vlier", "Popel", "Ele"]
LANDSCAPES = ["veld", "dal", "broek", "hoven", "rode", "beek", "hem", "kerke"]
# Every partnership's map is its own copy of the base map, under the same names (names are
# unique per partnership, as when each starts from the regional list).
_COPIED = [
    column.key
    for column in Organisation.__table__.columns
    if column.key not in {"id", "partnership_id", "created_at", "updated_at"}
]


def first_partnership_id() -> int | None:
    return db.session.scalar(sa.select(sa.func.min(Partnership.id)))


def _names():
    """Fictional partnership names, in a fixed order, without end."""
    for round_ in itertools.count(1):
        for landscape, tree in itertools.product(LANDSCAPES, TREES):
            suffix = "" if round_ == 1 else f" {round_}"
            yield f"Samenwerkingsverband {tree}{landscape}{suffix}"


def _prefixes():
    """Client-code prefixes GA, GB, ... GZ, GAA, GAB, ... (2 to 6 capitals), without end."""
    for length in range(1, 6):
        for letters in itertools.product(string.ascii_uppercase, repeat=length):
            yield "G" + "".join(letters)


def make_partnerships(ctx: Context, partnerships: int | None) -> None:
    """``partnerships`` new partnerships (names and prefixes not yet taken), or, with None,
    the installation's first one."""
    if partnerships is None:
        first = first_partnership_id()
        ctx.partnerships = [first]
        ctx.new_partnerships = False
        return
    taken_names = {name.lower() for name in db.session.scalars(sa.select(Partnership.name))}
    taken_prefixes = set(db.session.scalars(sa.select(Partnership.code_prefix)))
    names = (name for name in _names() if name.lower() not in taken_names)
    prefixes = (prefix for prefix in _prefixes() if prefix not in taken_prefixes)
    for name, prefix in zip(names, prefixes, strict=False):
        if len(ctx.partnerships) == partnerships:
            break
        ctx.partnerships.append(create_partnership(name, prefix).id)
    ctx.new_partnerships = True
    ctx.count("partnerships", partnerships)


def make_social_maps(ctx: Context) -> None:
    """Every generated partnership gets a copy of the base partnership's social map (the
    installation's first partnership; its map seeded from the shipped list when empty)."""
    base = first_partnership_id()
    with partnership_context(base):
        seed_social_map()  # nothing when the base map has organisations already
    if not ctx.new_partnerships:
        return
    originals = db.session.scalars(
        sa.select(Organisation).where(Organisation.partnership_id == base).order_by(Organisation.id)
    ).all()
    copied = 0
    for partnership_id in ctx.partnerships:
        rows = [
            {**{key: getattr(org, key) for key in _COPIED}, "partnership_id": partnership_id}
            for org in originals
        ]
        ids = insert(Organisation, rows, returning=Organisation.id)
        insert(OrganisationDomain, [
            {"organisation_id": new, "domain": link.domain}
            for new, org in zip(ids, originals, strict=True) for link in org.domain_links
        ])  # fmt: skip
        insert(OrganisationMunicipality, [
            {"organisation_id": new, "municipality": link.municipality}
            for new, org in zip(ids, originals, strict=True) for link in org.municipality_links
        ])  # fmt: skip
        copied += len(ids)
    ctx.count("organisations", copied)
