"""The social map: maintaining organisations, finding who helps with what where, and
importing the map from a CSV file. Services flush; the request (or command) commits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit import services as audit
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.organisations.csv_io import CsvRefused, RowError, read_social_map
from app.organisations.fields import TEXT_FIELDS, FieldError, clean_field, name_key
from app.organisations.models import Organisation, OrganisationDomain, OrganisationMunicipality
from app.organisations.vocab import OrganisationType
from app.partnerships.services import resolve_partnership_id, working_partnership_id
from app.reference import REGION_MUNICIPALITIES, Domain, Municipality

SHIPPED_CSV = Path(__file__).parent / "data" / "social-map-dijleland.csv"
FIELDS = (*TEXT_FIELDS, "type", "domains", "municipalities", "covers_whole_region", "active")
_NEW = {"domains": set(), "municipalities": set(), "covers_whole_region": False, "active": True}


class OrganisationError(DomainError):
    """A refusal whose message can be shown to the user as is (on ``field`` when given)."""

    def __init__(self, message: str, status: int = 422, field: str | None = None):
        super().__init__(message, status, field)


def _flush_unique_name() -> None:
    """Flush; a name taken by a concurrent request in the meantime is a 409, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        raise OrganisationError(
            _("An organisation with that name already exists."), 409, "name"
        ) from None


def can_maintain(user) -> bool:
    """Leads and admins maintain the social map; everyone signed in may search it."""
    return bool(user.is_lead or user.is_admin)


def _current_id() -> int | None:
    """The current partnership; from the command line, an installation's only one."""
    return working_partnership_id()


def ours_clause():
    """The organisations of the current partnership: the social map is per partnership,
    another's organisations are not there."""
    chosen = _current_id()
    return sa.false() if chosen is None else Organisation.partnership_id == chosen


def get_organisation(organisation_id: int | None) -> Organisation | None:
    """The organisation with this id if it is on the current partnership's map, else None."""
    org = db.session.get(Organisation, organisation_id) if organisation_id else None
    if org is None or org.partnership_id is None or org.partnership_id != _current_id():
        return None
    return org


def get_by_name(name: str) -> Organisation | None:
    """The organisation with this name, ignoring case and accents."""
    return db.session.scalar(
        sa.select(Organisation).where(Organisation.name_key == name_key(name), ours_clause())
    )


def _clean(values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Checked, normalised values; ``base`` holds the current values of the fields not given."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    try:
        for name, value in values.items():
            if name in TEXT_FIELDS:
                cleaned[name] = clean_field(name, value)
            elif name == "type":
                [cleaned[name]] = _members(OrganisationType, name, [value])
            elif name == "domains":
                cleaned[name] = _members(Domain, name, value)
            elif name == "municipalities":
                cleaned[name] = _members(Municipality, name, value)
                if not cleaned[name] <= set(REGION_MUNICIPALITIES):
                    raise FieldError(name, _("Choose municipalities of the region."))
            else:
                cleaned[name] = bool(value)
        merged = {**base, **cleaned}
        if merged["covers_whole_region"]:
            cleaned["municipalities"] = set()  # the flag says it all
        elif not merged["municipalities"]:
            raise FieldError("municipalities", _("Choose the whole region or a municipality."))
        if not merged["domains"]:
            raise FieldError("domains", _("Choose at least one life domain."))
    except FieldError as error:
        raise OrganisationError(error.message, field=error.field) from None
    return cleaned


def _members(enum_class, field: str, values) -> set:
    try:
        return {enum_class(value) for value in values}
    except ValueError:
        raise FieldError(field, _("Choose from the list.")) from None


def _current(org: Organisation) -> dict[str, Any]:
    values = {name: getattr(org, name) for name in (*TEXT_FIELDS, "type")}
    values.update(
        domains=set(org.domains),
        municipalities=set(org.municipalities),
        covers_whole_region=org.covers_whole_region,
        active=org.active,
    )
    return values


def _check_name_free(name: str, partnership_id: int, org: Organisation | None) -> None:
    # The name is unique on the partnership's map (see Organisation.name_key); another
    # partnership's map may hold the same name, and is never looked at.
    clash = sa.select(Organisation.id).where(
        Organisation.name_key == name_key(name), Organisation.partnership_id == partnership_id
    )
    if org is not None and org.id is not None:
        clash = clash.where(Organisation.id != org.id)
    if db.session.scalar(clash) is not None:
        raise OrganisationError(
            _("An organisation with that name already exists."), 409, field="name"
        )


def _apply(org: Organisation, cleaned: dict[str, Any]) -> list[str]:
    """Set the cleaned values on ``org``; returns the names of the fields that changed."""
    changed = []
    for name, value in cleaned.items():
        if name == "domains":
            if value != set(org.domains):
                org.domain_links = [link for link in org.domain_links if link.domain in value]
                org.domain_links += [
                    OrganisationDomain(domain=d) for d in sorted(value - set(org.domains))
                ]
                changed.append(name)
        elif name == "municipalities":
            if value != set(org.municipalities):
                links = [link for link in org.municipality_links if link.municipality in value]
                links += [
                    OrganisationMunicipality(municipality=m)
                    for m in sorted(value - set(org.municipalities))
                ]
                org.municipality_links = links
                changed.append(name)
        elif getattr(org, name) != value:
            setattr(org, name, value)
            changed.append(name)
    if "name" in changed:
        org.name_key = name_key(org.name)
    return changed


def _create(values: dict[str, Any]) -> Organisation:
    cleaned = _clean(values, base=_NEW)
    partnership_id = resolve_partnership_id(None)
    _check_name_free(cleaned["name"], partnership_id, None)
    org = Organisation(partnership_id=partnership_id)
    _apply(org, {**_NEW, **cleaned})
    db.session.add(org)
    _flush_unique_name()
    return org


def _update(org: Organisation, values: dict[str, Any]) -> list[str]:
    cleaned = _clean(values, base=_current(org))
    if "name" in cleaned:
        _check_name_free(cleaned["name"], org.partnership_id, org)
    changed = _apply(org, cleaned)
    if changed:
        org.updated_at = utcnow()
        _flush_unique_name()
    return changed


def create_organisation(*, name: str, type: OrganisationType | str, by, **values) -> Organisation:
    """Add an organisation to the social map (audited). Raises OrganisationError for a value
    that breaks a rule (422) or a name already taken (409)."""
    org = _create({"name": name, "type": type, **values})
    audit.record(
        "organisation.created",
        org,
        user=by,
        actor=None if by else "system",
        details={"name": org.name},
    )
    return org


def update_organisation(org: Organisation, *, by, **values) -> list[str]:
    """Change the given fields of ``org`` (audited when something changed); returns the names
    of the fields that changed. Raises OrganisationError like create_organisation."""
    changed = _update(org, values)
    if changed:
        audit.record("organisation.updated", org, user=by, details={"fields": changed})
    return changed


def deactivate_organisation(org: Organisation, *, by) -> bool:
    """Hide ``org`` from searches and new referrals; nothing is deleted. Returns whether it
    changed (audited)."""
    return _set_active(org, False, by=by)


def reactivate_organisation(org: Organisation, *, by) -> bool:
    """Show a deactivated organisation again. Returns whether it changed (audited)."""
    return _set_active(org, True, by=by)


def _set_active(org: Organisation, active: bool, *, by) -> bool:
    if org.active == active:
        return False
    org.active = active
    org.updated_at = utcnow()
    audit.record("organisation.reactivated" if active else "organisation.deactivated", org, user=by)
    return True


# --- Finding organisations -------------------------------------------------------------------


def _serves_clause(domain: Domain | str):
    return Organisation.id.in_(
        sa.select(OrganisationDomain.organisation_id).where(
            OrganisationDomain.domain == Domain(domain)
        )
    )


def _covers_clause(municipality: Municipality | str):
    municipality = Municipality(municipality)
    listed = Organisation.id.in_(
        sa.select(OrganisationMunicipality.organisation_id).where(
            OrganisationMunicipality.municipality == municipality
        )
    )
    if municipality not in REGION_MUNICIPALITIES:
        return listed  # "the whole region" does not reach outside it
    return sa.or_(Organisation.covers_whole_region.is_(True), listed)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_organisations(
    *,
    domain: Domain | str | None = None,
    municipality: Municipality | str | None = None,
    text: str | None = None,
    include_inactive: bool = False,
) -> sa.Select:
    """A query (changes nothing) for the organisations that serve ``domain`` and cover
    ``municipality`` (by name or as part of the whole region) and whose name holds every word
    of ``text`` (case and accents ignored), ordered by name. Active ones only unless
    ``include_inactive``."""
    stmt = sa.select(Organisation).where(ours_clause())
    stmt = stmt.order_by(Organisation.name_key, Organisation.id)
    if not include_inactive:
        stmt = stmt.where(Organisation.active.is_(True))
    if domain:
        stmt = stmt.where(_serves_clause(domain))
    if municipality:
        stmt = stmt.where(_covers_clause(municipality))
    for word in name_key(text or "").split():
        stmt = stmt.where(Organisation.name_key.like(f"%{_escape_like(word)}%", escape="\\"))
    return stmt


def organisations_for_referral(
    domain: Domain | str, municipality: Municipality | str | None = None
) -> list[Organisation]:
    """Active organisations for a referral in ``domain`` for a client in ``municipality``:
    those that serve the domain and cover the municipality first, then those that serve the
    domain elsewhere, then the rest, each by name. Changes nothing."""
    serves_domain = _serves_clause(domain)
    best = sa.and_(serves_domain, _covers_clause(municipality)) if municipality else serves_domain
    rank = sa.case((best, 0), (serves_domain, 1), else_=2)
    stmt = (
        sa.select(Organisation)
        .where(Organisation.active.is_(True), ours_clause())
        .order_by(rank, Organisation.name_key, Organisation.id)
    )
    return list(db.session.scalars(stmt))


def serves(organisation: Organisation, domain: Domain | str) -> bool:
    """Whether the organisation says it serves this life domain (a referral outside it only
    warrants a warning)."""
    return Domain(domain) in organisation.domains


def covers(organisation: Organisation, municipality: Municipality | str) -> bool:
    """Whether the organisation works in this municipality."""
    municipality = Municipality(municipality)
    if organisation.covers_whole_region and municipality in REGION_MUNICIPALITIES:
        return True
    return municipality in organisation.municipalities


# --- Import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


def import_social_map(data: bytes, *, by, filename: str | None = None) -> ImportResult:
    """Import a social-map CSV file: organisations are matched by name (case and accents
    ignored); existing ones are updated with the file's columns, new ones created, none
    deleted. One audit event for the import. Raises CsvRefused, before anything is written,
    for a file with any problem."""
    rows = read_social_map(data)
    existing = {
        org.name_key: org
        for org in db.session.scalars(sa.select(Organisation).where(ours_clause()))
    }
    created = updated = unchanged = 0
    for row in rows:
        org = existing.get(name_key(row.values["name"]))
        try:
            if org is None:
                existing[name_key(row.values["name"])] = _create(row.values)
                created += 1
            elif _update(org, row.values):
                updated += 1
            else:
                unchanged += 1
        except OrganisationError as error:  # the reader checks the same rules; a safety net
            raise CsvRefused(
                _("The file was not imported. Nothing was saved."),
                422,
                [RowError(row.row, error.field or "", error.message)],
            ) from None
    result = ImportResult(created, updated, unchanged)
    audit.record(
        "organisation.imported",
        user=by,
        actor=None if by else "system",
        details={"filename": filename, "rows": len(rows), **result.__dict__},
    )
    return result


def organisation_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Organisation.id)).where(ours_clause()))


def seed_social_map(*, by=None) -> ImportResult | None:
    """Import the shipped (regional) social map of Dijleland+ into the current partnership's
    map when it is empty; None (nothing changed) when organisations exist already. Every
    partnership may start from it: names are unique per map, not over the installation."""
    if organisation_count():
        return None
    return import_social_map(SHIPPED_CSV.read_bytes(), by=by, filename=SHIPPED_CSV.name)
