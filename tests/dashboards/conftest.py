"""Known fixture data for the dashboards: every expected number is computed in the tests
from this definition, independently of the dashboard service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from app.clients.phases import change_phase
from app.clients.vocab import ExitOutcome, Phase
from app.extensions import db
from app.timeutil import today
from tests import factories


@dataclass
class Person:
    name: str
    team: str
    companion: str | None
    municipality: str
    registered_days_ago: int
    path: list  # [(phase, days_after_registration), ...]
    gender: str = "unknown"
    birth_year: int | None = None
    education: str = "unknown"
    challenges: tuple = ()
    exit_outcome: str | None = None


PEOPLE = [
    Person("A1", "A", "c1", "haacht", 200, [("engagement", 10), ("trajectory", 30), ("activation", 80)],
           "female", 1990, "lower_secondary", ("single_parent_transport",)),
    Person("A2", "A", "c1", "haacht", 150, [("engagement", 5), ("trajectory", 20)], "male", 1980,
           "upper_secondary", ("housing_newcomers",)),
    Person("A3", "A", "c1", "tremelo", 100, [("engagement", 5)], "female", 2001, "higher",
           ("housing_newcomers", "mental_health_addiction")),
    Person("A4", "A", "c2", "tremelo", 90, [("engagement", 3), ("trajectory", 10), ("activation", 40),
           ("closed", 60)], "male", 1970, "none_or_primary", ("mental_health_addiction",),
           "regular_work"),
    Person("A5", "A", "c2", "herent", 60, [("closed", 20)], "x", None, "unknown", (), "lost_contact"),
    Person("A6", "A", None, "herent", 30, [], "unknown", 1999),
    Person("A7", "A", "c2", "haacht", 20, [("engagement", 2)], "female", 1985, "higher",
           ("single_parent_transport",)),
    Person("B1", "B", "c3", "haacht", 100, [("engagement", 5), ("trajectory", 10)], "female", 1990),
    Person("B2", "B", "c3", "kortenberg", 50, [], "male", 1995),
]  # fmt: skip


@pytest.fixture
def world(app):
    teams = {"A": factories.make_team("Team A"), "B": factories.make_team("Team B")}
    users = {
        "lead": factories.make_user("lead", teams=[teams["A"]], username="leada"),
        "lead_b": factories.make_user("lead", teams=[teams["B"]], username="leadb"),
        "c1": factories.make_user("companion", teams=[teams["A"]], username="c1", display_name="Cee Een"),
        "c2": factories.make_user("companion", teams=[teams["A"]], username="c2", display_name="Cee Twee"),
        "c3": factories.make_user("companion", teams=[teams["B"]], username="c3", display_name="Cee Drie"),
    }  # fmt: skip
    clients = {}
    for person in PEOPLE:
        registered = today() - timedelta(days=person.registered_days_ago)
        client = factories.make_client(
            teams[person.team],
            users.get(person.companion) if person.companion else None,
            preferred_name=person.name,
            municipality=person.municipality,
            registered_on=registered,
            by=users["lead" if person.team == "A" else "lead_b"],
            gender=person.gender,
            birth_year=person.birth_year,
            education_band=person.education,
            challenges=list(person.challenges) or None,
        )
        for phase, after in person.path:
            change_phase(
                client, Phase(phase), by=users["lead"], on=registered + timedelta(days=after),
                consent_valid=True,
                exit_outcome=ExitOutcome(person.exit_outcome) if phase == "closed" else None,
            )  # fmt: skip
        clients[person.name] = client
    db.session.commit()
    return teams, users, clients


def current_phase(person: Person) -> str:
    return person.path[-1][0] if person.path else "outreach"


def period(days: int = 365) -> dict:
    end = today()
    return {"start": (end - timedelta(days=days)).isoformat(), "end": end.isoformat()}


def in_period(person: Person, after: int, args: dict) -> bool:
    day = today() - timedelta(days=person.registered_days_ago) + timedelta(days=after)
    return date.fromisoformat(args["start"]) <= day <= date.fromisoformat(args["end"])
