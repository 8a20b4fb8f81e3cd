"""Registering people, completing their profile and their context (likely duplicates:
app/clients/duplicates.py)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.clients.codes import next_client_code
from app.clients.models import Client, ClientChallenge, ContextMember, PhaseChange
from app.clients.vocab import LANGUAGE_CODES, Phase, PlaceMet, Relationship
from app.errors import DomainError
from app.extensions import db
from app.reference import Challenge, Municipality
from app.timeutil import today

MAX_CHALLENGES = 3

# Profile fields a companion may change with update_profile (the rest have their own flows).
PROFILE_FIELDS = {
    "preferred_name", "description", "legal_first_name", "legal_last_name", "gender",
    "birth_year", "birth_date", "municipality", "municipality_other", "place_met",
    "place_met_detail", "referrer", "referrer_detail", "languages", "dutch_level",
    "interpreter_needed", "housing", "single_parent", "children_count", "driving_licence",
    "can_cycle", "labour_status_at_entry", "income_source_at_entry", "education_band",
    "contact_channel", "contact_note",
}  # fmt: skip


def _check_dates(*, birth_year: int | None, birth_date: date | None) -> None:
    this_year = today().year
    if birth_date is not None and birth_date > today():
        raise DomainError(_("The birth date cannot be in the future."), field="birth_date")
    if birth_year is not None and not (this_year - 110 <= birth_year <= this_year):
        raise DomainError(
            _(
                "Give a birth year between %(low)d and %(high)d.",
                low=this_year - 110,
                high=this_year,
            ),
            field="birth_year",
        )
    if birth_date and birth_year and birth_date.year != birth_year:
        raise DomainError(_("The birth year and birth date do not match."), field="birth_year")


def _check_languages(languages: list[str]) -> list[str]:
    unknown = [code for code in languages if code not in LANGUAGE_CODES]
    if unknown:
        raise DomainError(_("Choose languages from the list."), field="languages")
    return list(dict.fromkeys(languages))


def _check_team(user: User, team: Team) -> None:
    if team.id not in user.team_ids or team.partnership_id != user.partnership_id:
        raise DomainError(_("You can only register people for your own team."), 404, field="team")


def register_client(
    *,
    preferred_name: str,
    municipality: Municipality,
    place_met: PlaceMet,
    registered_on: date,
    team: Team,
    by: User,
    description: str | None = None,
    place_met_detail: str | None = None,
    languages: list[str] | None = None,
    municipality_other: str | None = None,
) -> Client:
    """Register a person met during outreach with only what is known; they get a new code,
    start in the outreach phase and, when a companion registers them, that companion is
    their primary companion."""
    _check_team(by, team)
    if registered_on > today():
        raise DomainError(_("The date cannot be in the future."), field="registered_on")
    client = Client(
        code=next_client_code(team.partnership_id),
        preferred_name=preferred_name.strip(),
        description=(description or "").strip() or None,
        municipality=Municipality(municipality),
        municipality_other=(municipality_other or "").strip() or None,
        place_met=PlaceMet(place_met),
        place_met_detail=(place_met_detail or "").strip() or None,
        languages=_check_languages(languages or []),
        registered_on=registered_on,
        team=team,
        partnership_id=team.partnership_id,
        primary_companion=by if by.role == Role.COMPANION else None,
        phase=Phase.OUTREACH,
        phase_since=registered_on,
        created_by_id=by.id,
    )
    db.session.add(client)
    client.phase_changes.append(
        PhaseChange(
            from_phase=None,
            to_phase=Phase.OUTREACH,
            effective_on=registered_on,
            changed_by_id=by.id,
        )
    )
    db.session.flush()
    audit.record("client.created", client, user=by)
    return client


def update_profile(
    client: Client, *, by: User, challenges: list[Challenge] | None = None, **fields
):
    """Change profile fields (see PROFILE_FIELDS) and the challenges; audited with the names of
    the fields that changed (never their values)."""
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    _check_dates(
        birth_year=fields.get("birth_year", client.birth_year),
        birth_date=fields.get("birth_date", client.birth_date),
    )
    if "languages" in fields:
        fields["languages"] = _check_languages(fields["languages"])
    changed = []
    for name, value in fields.items():
        if type(value) is str:  # plain text, not a StrEnum member
            value = value.strip() or None
        if name == "preferred_name" and not value:
            raise DomainError(_("This field is required."), field="preferred_name")
        if getattr(client, name) != value:
            setattr(client, name, value)
            changed.append(name)
    if challenges is not None:
        chosen = list(dict.fromkeys(Challenge(c) for c in challenges))
        if len(chosen) > MAX_CHALLENGES:
            raise DomainError(_("Choose at most three challenges."), field="challenges")
        if set(chosen) != set(client.challenges):
            client.challenge_rows = [ClientChallenge(challenge=c) for c in chosen]
            changed.append("challenges")
    if changed:
        audit.record("client.updated", client, user=by, details={"fields": sorted(changed)})
    return changed


def add_context_member(
    client: Client, *, name: str, relationship_kind: Relationship, birth_year: int | None,
    note: str | None, by: User,
) -> ContextMember:  # fmt: skip
    _check_dates(birth_year=birth_year, birth_date=None)
    member = ContextMember(
        name=name.strip(),
        relationship_kind=Relationship(relationship_kind),
        birth_year=birth_year,
        note=(note or "").strip() or None,
    )
    client.context_members.append(member)
    db.session.flush()
    audit.record("client.context_added", member, user=by, client_id=client.id)
    return member


def update_context_member(member: ContextMember, *, by: User, **fields) -> None:
    _check_dates(birth_year=fields.get("birth_year"), birth_date=None)
    for name in ("name", "relationship_kind", "birth_year", "note"):
        if name in fields:
            value = fields[name]
            setattr(member, name, value.strip() or None if isinstance(value, str) else value)
    if not member.name:
        raise DomainError(_("This field is required."), field="name")
    audit.record("client.context_updated", member, user=by, client_id=member.client_id)


def remove_context_member(member: ContextMember, *, by: User) -> None:
    audit.record("client.context_removed", member, user=by, client_id=member.client_id)
    db.session.delete(member)
