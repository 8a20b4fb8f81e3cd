"""Fictional demo clients across the eight municipalities, all phases and the three
challenges, matched to the demo accounts so that every role has something to see.
Every official last name is 'Voorbeeld' ('example'): nobody here is a real person."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import Team, User
from app.clients import caseload, consents, services
from app.clients.phases import change_phase
from app.clients.vocab import OPEN_PHASES, ExitOutcome, Phase, Relationship
from app.demo.history import seed_history
from app.demo.plans import seed_demo_plans
from app.demo.referrals import seed_demo_referrals
from app.timeutil import today

# preferred name, municipality, place met, challenges, phase, languages, extra profile
PEOPLE = [
    ("Saled", "haacht", "food_bank", ["housing_newcomers"], Phase.ENGAGEMENT, ["ar", "fr"],
     {"housing": "staying_with_others", "dutch_level": "beginner", "interpreter_needed": True}),
    ("Nora", "tremelo", "school_gate", ["single_parent_transport", "mental_health_addiction"],
     Phase.TRAJECTORY, ["nl"],
     {"single_parent": True, "children_count": 2, "housing": "social_rental"}),
    ("Jeroen", "keerbergen", "ocmw_waiting_room", ["single_parent_transport"], Phase.ACTIVATION,
     ["nl"], {"single_parent": True, "children_count": 1, "driving_licence": False}),
    ("Cindy", "rotselaar", "social_restaurant", ["mental_health_addiction"], Phase.TRAJECTORY,
     ["nl"], {"housing": "private_rental"}),
    ("Roy", "herent", "street", ["mental_health_addiction", "housing_newcomers"], Phase.OUTREACH,
     ["nl", "en"], {"housing": "street"}),
    ("Amina", "kortenberg", "food_bank", ["housing_newcomers"], Phase.OUTREACH, ["so", "en"], {}),
    ("Tesfay", "boortmeerbeek", "station", ["housing_newcomers"], Phase.ENGAGEMENT, ["ti", "am"],
     {"housing": "emergency_housing", "dutch_level": "none"}),
    ("Marleen", "holsbeek", "community_centre", ["mental_health_addiction"], Phase.AFTERCARE,
     ["nl"], {}),
    ("Olena", "haacht", "library", ["housing_newcomers", "single_parent_transport"],
     Phase.TRAJECTORY, ["uk", "ru"], {"single_parent": True, "children_count": 3}),
    ("Kevin", "tremelo", "street", ["mental_health_addiction"], Phase.CLOSED, ["nl"], {}),
    ("Fatima", "rotselaar", "school_gate", ["single_parent_transport"], Phase.ENGAGEMENT,
     ["ar", "nl"], {"single_parent": True, "children_count": 2}),
    ("Dirk", "herent", "ocmw_waiting_room", ["mental_health_addiction"], Phase.ACTIVATION,
     ["nl"], {}),
]  # fmt: skip

OTHER_TEAM_PEOPLE = [
    ("Yusuf", "kortenberg", "food_bank", ["housing_newcomers"], Phase.ENGAGEMENT, ["tr"], {}),
    (
        "Els",
        "holsbeek",
        "social_grocery",
        ["single_parent_transport"],
        Phase.TRAJECTORY,
        ["nl"],
        {},
    ),
    ("Marco", "boortmeerbeek", "street", ["mental_health_addiction"], Phase.OUTREACH, ["it"], {}),
]


def _walk_to(client, target: Phase, *, by: User, started_days_ago: int) -> None:
    """Move a new client through the phases, spreading the changes over the past weeks."""
    path = (
        OPEN_PHASES[: OPEN_PHASES.index(target) + 1] if target != Phase.CLOSED else OPEN_PHASES[:2]
    )
    step_days = max(started_days_ago // (len(path) + 1), 1)
    for number, phase in enumerate(path[1:], start=1):
        change_phase(
            client, phase, by=by, on=client.registered_on + timedelta(days=step_days * number),
            consent_valid=True,
        )  # fmt: skip
    if target == Phase.CLOSED:
        change_phase(
            client, Phase.CLOSED, by=by, on=today() - timedelta(days=3),
            exit_outcome=ExitOutcome.LOST_CONTACT, consent_valid=True,
        )  # fmt: skip


def _seed_people(people, team: Team, companion: User, registrar: User) -> list:
    created = []
    for number, (name, municipality, place, challenges, phase, languages, extra) in enumerate(
        people
    ):
        days_ago = 20 + number * 9
        client = services.register_client(
            preferred_name=name, municipality=municipality, place_met=place,
            registered_on=today() - timedelta(days=days_ago), team=team, by=registrar,
            languages=languages,
        )  # fmt: skip
        client.primary_companion = companion
        services.update_profile(
            client, by=registrar, challenges=challenges, legal_first_name=name,
            legal_last_name="Voorbeeld", birth_year=1975 + (number * 3) % 30, **extra,
        )  # fmt: skip
        if phase not in (Phase.OUTREACH,):
            domains = ["housing", "work", "language"]
            if "single_parent_transport" in challenges:
                domains += ["childcare", "mobility"]
            consents.record_consent(
                client, given_on=client.registered_on + timedelta(days=3),
                explained_in=languages[0], interpreter_used=languages[0] != "nl",
                processing=True, domains=domains, expires_on=None, note=None, by=registrar,
            )  # fmt: skip
        _walk_to(client, phase, by=registrar, started_days_ago=days_ago)
        created.append(client)
    return created


def seed_demo_clients(users: dict[str, User], teams: dict[str, Team]) -> None:
    north, south = teams["north"], teams["south"]
    gezel, colleague, other = users["gezel"], users["greet"], users["zuid"]
    ours = _seed_people(PEOPLE[:8], north, gezel, gezel)
    ours += _seed_people(PEOPLE[8:], north, colleague, colleague)
    theirs = _seed_people(OTHER_TEAM_PEOPLE, south, other, other)
    ours[1].co_companions = [colleague]
    services.add_context_member(
        ours[1], name="Mila", relationship_kind=Relationship.CHILD, birth_year=2018,
        note="Gaat naar school in Tremelo.", by=gezel,
    )  # fmt: skip
    services.add_context_member(
        ours[0], name="Broer van Saled", relationship_kind=Relationship.SIBLING, birth_year=None,
        note="Woont in Leuven, tolkt soms.", by=gezel,
    )  # fmt: skip
    for client in (ours[1], ours[3], ours[8]):
        caseload.match_buddy(
            client, users["buddy"], started_on=today() - timedelta(days=14), note=None, by=gezel
        )
    seed_history({c.preferred_name: c for c in ours}, users)
    seed_demo_plans({c.preferred_name: c for c in ours}, users, north)
    seed_demo_referrals(ours, theirs, users)
