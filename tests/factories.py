"""Small factories for test data: each returns a flushed object in the current session."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from app.auth import services as auth_services
from app.auth.models import Team, User
from app.auth.vocab import Role
from app.extensions import db
from app.partnerships import services as partnership_services
from app.partnerships.models import Partnership

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def first_partnership():
    """The partnership migration 0027 made (the one a single-partnership installation has)."""
    return db.session.scalar(sa.select(Partnership).order_by(Partnership.id).limit(1))


def make_partnership(name: str, prefix: str):
    return partnership_services.create_partnership(name, prefix)


def make_team(name: str | None = None, *, partnership=None) -> Team:
    partnership = partnership or first_partnership()
    return auth_services.create_team(
        name or f"Team {next(_counter)}", by=None, partnership_id=partnership.id
    )


def make_user(
    role: Role | str = Role.COMPANION,
    *,
    teams: list[Team] | None = None,
    username: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    must_change_password: bool = False,
    active: bool = True,
    can_administer: bool = False,
    locale: str | None = None,
    partnership=None,
) -> User:
    role = Role(role)
    number = next(_counter)
    if role in (Role.INSTALLATION_ADMIN, Role.FUNDER_REPORTER):
        partnership_id = None
    elif partnership is not None:
        partnership_id = partnership.id
    elif teams:
        partnership_id = teams[0].partnership_id
    else:
        partnership_id = first_partnership().id
    user, _ = auth_services.create_user(
        username=username or f"{role.value}{number}",
        display_name=display_name or f"{role.value.title()} {number}",
        role=role,
        teams=teams or [],
        password=password,
        can_administer=can_administer,
        locale=locale,
        partnership_id=partnership_id,
    )
    user.must_change_password = must_change_password
    user.active = active
    db.session.flush()
    return user


def make_client(
    team: Team,
    companion: User | None = None,
    *,
    preferred_name: str | None = None,
    municipality: str = "haacht",
    place_met: str = "food_bank",
    registered_on=None,
    by: User | None = None,
    **profile,
):
    """A registered client (outreach phase); ``profile`` fields are set with update_profile."""
    from app.clients import services as client_services
    from app.timeutil import today

    registrar = by or companion or make_user("lead", teams=[team])
    client = client_services.register_client(
        preferred_name=preferred_name or f"Persoon {next(_counter)}",
        municipality=municipality,
        place_met=place_met,
        registered_on=registered_on or today(),
        team=team,
        by=registrar,
    )
    client.primary_companion = companion
    challenges = profile.pop("challenges", None)
    if profile or challenges:
        client_services.update_profile(client, by=registrar, challenges=challenges, **profile)
    db.session.flush()
    return client


def make_consent(client, *, given_on=None, expires_on=None, domains=("housing",), by=None):
    from datetime import timedelta

    from app.clients.consents import record_consent
    from app.timeutil import today

    given_on = given_on or today()
    return record_consent(
        client,
        given_on=given_on,
        explained_in="nl",
        interpreter_used=False,
        processing=True,
        domains=list(domains),
        expires_on=expires_on if expires_on is not None else given_on + timedelta(days=365),
        note=None,
        by=by,
    )


def match(client, buddy: User, *, started_on=None, ended_on=None):
    from app.clients.models import BuddyMatch
    from app.timeutil import today

    row = BuddyMatch(
        client=client, buddy=buddy, started_on=started_on or today(), ended_on=ended_on
    )
    db.session.add(row)
    db.session.flush()
    return row


def make_contact(
    client, author: User, *, outcome="reached", kind="outreach", when=None, days_ago: int = 0,
    domains=(), notes=None, **fields,
):  # fmt: skip
    """A contact logged through the service; ``when`` (aware) or ``days_ago`` at 10:00."""
    from datetime import datetime, time, timedelta

    from app import idempotency
    from app.contacts.services import ContactInput, log_contact
    from app.contacts.vocab import NoteLevel
    from app.timeutil import today, zone

    if when is None:
        when = datetime.combine(today() - timedelta(days=days_ago), time(10, 0), tzinfo=zone())
    data = ContactInput(
        kind=kind, outcome=outcome, occurred_at=when, domains=list(domains),
        notes={NoteLevel(k): v for k, v in (notes or {}).items()}, **fields,
    )  # fmt: skip
    contact, _ = log_contact(client, data, by=author, key=idempotency.new_key())
    return contact


def make_note(client, author: User, level="team", body="Een notitie"):
    from app.contacts.notes import add_note

    return add_note(client, level=level, body=body, by=author)


def make_checkin(client, buddy: User, *, worry_text=None, days_ago=0, minutes=60, **fields):
    from datetime import timedelta

    from app import idempotency
    from app.checkins.services import CheckInInput, log_checkin
    from app.timeutil import today

    data = CheckInInput(
        occurred_on=today() - timedelta(days=days_ago), activity=fields.pop("activity", "meeting"),
        duration_minutes=minutes, rating=fields.pop("rating", 4), worry=worry_text is not None,
        worry_text=worry_text, **fields,
    )  # fmt: skip
    checkin, _ = log_checkin(client, data, by=buddy, key=idempotency.new_key())
    return checkin
