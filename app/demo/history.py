"""A plausible history for the demo clients: contacts (reached and attempts, some people
overdue against their cadence), notes at each level and buddy check-ins, one with a worry."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app import idempotency
from app.auth.models import User
from app.checkins.services import CheckInInput, log_checkin
from app.contacts.notes import add_note
from app.contacts.services import ContactInput, log_contact
from app.contacts.vocab import NoteLevel
from app.organisations.services import get_by_name
from app.timeutil import today, zone

R, A = "reached", "attempt"

# Per demo client: (days ago, reached or attempt, kind, place, domains, {level: note}).
CONTACTS = {
    "Saled": [
        (18, R, "outreach", "Voedselbank Haacht", ["housing"], {}),
        (12, A, "call", None, [], {"team": "Telefoon staat af; broer belt terug."}),
        (
            4,
            R,
            "home_visit",
            "Bij zijn broer, Leuven",
            ["housing", "income_admin", "language"],
            {
                "team": "Samen de brief van het OCMW overlopen. Wil graag Nederlands leren.",
                "sensitive": "Vertelt dat zijn verblijfsaanvraag nog loopt; angstig voor controle.",
                "practical": "Spreekt Frans en Arabisch; een tolk helpt bij lange gesprekken.",
            },
        ),
    ],
    "Nora": [
        (
            25,
            R,
            "office",
            "Sociaal Huis Tremelo",
            ["childcare", "mobility"],
            {
                "team": "Zoekt opvang voor Mila om een opleiding te kunnen volgen.",
            },
        ),
        (
            13,
            R,
            "accompaniment",
            "Huis van het Kind",
            ["childcare"],
            {
                "team": "Warme overdracht naar het loket kinderopvang gelukt.",
                "practical": "Heeft geen auto; afspraken liefst in Tremelo centrum, na 9u.",
            },
        ),
    ],
    "Jeroen": [
        (30, R, "office", "OCMW Keerbergen", ["work"], {}),
        (6, R, "call", None, ["work", "mobility"], {"team": "Proefdag bij de maatwerkbedrijf."}),
    ],
    "Cindy": [
        (40, R, "outreach", "Sociaal restaurant Rotselaar", ["mental_wellbeing"], {}),
        (
            18,
            R,
            "home_visit",
            "Thuis",
            ["mental_wellbeing", "addiction"],
            {
                "team": "Afspraak bij de eerstelijnspsycholoog gemaakt.",
                "sensitive": "Gebruikt opnieuw meer alcohol sinds het verlies van haar werk.",
                "practical": "Houdt niet van drukke plaatsen; een wandeling werkt beter.",
            },
        ),
        (10, A, "home_visit", "Thuis", [], {"team": "Niet thuis, briefje achtergelaten."}),
        (6, A, "message", None, [], {}),
    ],
    "Roy": [
        (50, R, "outreach", "Station Herent", ["housing"], {}),
        (30, A, "outreach", "Station Herent", [], {}),
        (
            16,
            A,
            "outreach",
            "Nachtopvang Leuven",
            [],
            {"team": "Niet gezien; een vrijwilliger zag hem vorige week."},
        ),
        (9, A, "call", None, [], {}),
    ],  # fmt: skip
    "Amina": [(9, R, "outreach", "Voedselbank Kortenberg", ["language"], {})],
    "Tesfay": [(2, R, "office", "Sociaal Huis Boortmeerbeek", ["housing", "language"], {})],
    "Marleen": [(20, R, "call", None, ["work"], {"team": "Nazorg: werkt nog steeds, tevreden."})],
    "Olena": [
        (
            5,
            R,
            "home_visit",
            "Thuis, Haacht",
            ["childcare", "language"],
            {
                "practical": "Spreekt Oekraïens en wat Engels; de kinderen vertalen soms.",
            },
        ),
    ],
    "Fatima": [
        (8, R, "outreach", "Schoolpoort Rotselaar", ["childcare"], {}),
        (3, A, "call", None, [], {}),
    ],
    "Dirk": [(12, R, "office", "OCMW Herent", ["work", "income_admin"], {})],
}

# Organisations present at some contacts (when the social map is seeded first, as make seed does).
ORGANISATIONS = {("Nora", 13): "Huis van het Kind", ("Dirk", 12): "OCMW Herent",
                 ("Saled", 4): "OCMW Haacht"}  # fmt: skip

# Per demo client the buddy meets: (days ago, activity, minutes, rating, worry, next meeting).
CHECKINS = {
    "Nora": [(10, "walk", 90, 4, None, None), (3, "meeting", 60, 5, None, 4)],
    "Cindy": [
        (
            7,
            "meeting",
            75,
            2,
            "Cindy zegt dat ze haar huur niet meer kan betalen en slecht slaapt.",
            6,
        ),
    ],  # fmt: skip
    "Olena": [(5, "accompaniment", 120, 4, None, None)],
}


def _at(days_ago: int, hour: int) -> datetime:
    return datetime.combine(today() - timedelta(days=days_ago), time(hour, 0), tzinfo=zone())


def seed_history(clients: dict[str, object], users: dict[str, User]) -> None:
    for name, contacts in CONTACTS.items():
        client = clients[name]
        author = client.primary_companion
        for number, (days, outcome, kind, place, domains, notes) in enumerate(contacts):
            organisation = get_by_name(ORGANISATIONS.get((name, days), ""))
            data = ContactInput(
                kind=kind, outcome=outcome, occurred_at=_at(days, 10 + number % 6), place=place,
                domains=domains, duration_minutes=45 if outcome == R else 5,
                organisation_ids=[organisation.id] if organisation else [],
                notes={NoteLevel(level): text for level, text in notes.items()},
            )  # fmt: skip
            log_contact(client, data, by=author, key=idempotency.new_key())
    add_note(
        clients["Cindy"], level="sensitive", by=clients["Cindy"].primary_companion,
        body="Volgt een behandeling bij het CAD; de huisarts is op de hoogte.",
    )  # fmt: skip
    add_note(
        clients["Saled"], level="team", by=clients["Saled"].primary_companion,
        body="Komt graag naar de praatgroep op donderdag in Haacht.",
    )  # fmt: skip
    buddy = users["buddy"]
    for name, checkins in CHECKINS.items():
        for days, activity, minutes, rating, worry, next_in in checkins:
            data = CheckInInput(
                occurred_on=today() - timedelta(days=days), activity=activity,
                duration_minutes=minutes, rating=rating, worry=worry is not None, worry_text=worry,
                next_meeting_on=today() + timedelta(days=next_in) if next_in else None,
            )  # fmt: skip
            log_checkin(clients[name], data, by=buddy, key=idempotency.new_key())
