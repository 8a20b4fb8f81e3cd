"""Demo data for plans and progress: measurements, goals (one overdue), a placement, a
conversation group with registrations and an employer engagement entry. Fictional, like
the demo clients."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from app.activation import services as activation
from app.auth.models import Team, User
from app.groups import services as groups
from app.measurements import services as measurements
from app.organisations import services as organisations
from app.plans import links
from app.plans import services as plans
from app.timeutil import today, zone

DEMO_EMPLOYER = "Bakkerij Het Zuurdesem (demo)"


def _measure(client, by, instrument, days_ago, kind, scores):
    measurements.record_measurement(
        client, instrument, measured_on=today() - timedelta(days=days_ago), kind=kind,
        scores=scores, by=by,
    )  # fmt: skip


def _goal(client, by, domain, text, actor, days, *, overdue=False):
    """A goal, linked to the client's contacts that touched its domain."""
    served = [c.id for c in links.recent_contacts(client) if domain in c.domains]
    goal = plans.add_goal(
        client, domain=domain, description=text, actor=actor,
        target_date=today() + timedelta(days=days), contacts=served, by=by,
    )  # fmt: skip
    if overdue:  # the service refuses a target date in the past; the demo needs one
        goal.target_date = today() - timedelta(days=days)
    return goal


def _session(team: Team, by: User, days: int, hour: int):
    return groups.create_session(
        team=team, title="Praatgroep Nederlands", domain="language",
        starts_at=datetime.combine(today() + timedelta(days=days), time(hour, 0), zone()),
        duration_minutes=90, place="Bibliotheek Haacht, leeszaal", facilitator=by,
        capacity=8, description="Samen Nederlands oefenen bij een koffie. Iedereen welkom.",
        by=by,
    )  # fmt: skip


def seed_demo_plans(clients: dict[str, object], users: dict[str, User], team: Team) -> None:
    gezel, colleague, buddy = users["gezel"], users["greet"], users["buddy"]
    dijleland = measurements.get_instrument("dijleland")
    nora, jeroen, marleen = clients["Nora"], clients["Jeroen"], clients["Marleen"]

    _measure(nora, gezel, dijleland, 25, "intake",
             {"mobility": 1, "childcare": 2, "mental_wellbeing": 2, "income_admin": 2,
              "social_network": 2, "work": 1})  # fmt: skip
    _measure(nora, gezel, dijleland, 2, "periodic",
             {"mobility": 2, "childcare": 3, "mental_wellbeing": 3, "income_admin": 3,
              "social_network": 2, "work": 2})  # fmt: skip
    _measure(jeroen, gezel, dijleland, 34, "intake",
             {"mobility": 1, "childcare": 2, "work": 2, "income_admin": 3})  # fmt: skip
    _measure(jeroen, gezel, dijleland, 5, "periodic",
             {"mobility": 3, "childcare": 4, "work": 3, "income_admin": 3})  # fmt: skip
    _measure(marleen, gezel, dijleland, 80, "intake",
             {"mental_wellbeing": 1, "addiction": 2, "social_network": 1, "work": 2})  # fmt: skip
    _measure(marleen, gezel, dijleland, 10, "periodic",
             {"mental_wellbeing": 3, "addiction": 4, "social_network": 3, "work": 4})  # fmt: skip

    _goal(nora, gezel, "mobility", "Fietsles volgen bij de fietsschool", "partner", 30)
    _goal(nora, gezel, "childcare", "Opvang voor Mila na school regelen", "companion", 7,
          overdue=True)  # fmt: skip
    _goal(nora, gezel, "social_network", "Eén keer per week naar de praatgroep", "client", 60)
    _goal(jeroen, gezel, "work", "Stage afronden en een gesprek over een contract", "client", 45)

    organisations.seed_social_map()  # the demo employer joins the shipped map, not replaces it
    employer = organisations.create_organisation(
        name=DEMO_EMPLOYER, type="employer", domains=["work"], municipalities=["keerbergen"],
        sector="Voeding", by=None,
    )  # fmt: skip
    activation.add_placement(
        jeroen, organisation=employer, kind="internship",
        started_on=today() - timedelta(days=12), ended_on=today() + timedelta(days=50),
        hours_per_week=19, outcome="ongoing", outcome_note=None, by=gezel,
    )  # fmt: skip
    activation.log_engagement(
        team, organisation=employer, occurred_on=today() - timedelta(days=20),
        kind="info_session", participants="Zaakvoerder, Geert Gezel",
        note="Infosessie over inclusief aanwerven; open voor een stage in de bakkerij.", by=gezel,
    )  # fmt: skip

    today_group = _session(team, gezel, 0, 14)
    _session(team, colleague, 7, 14)
    for name in ("Saled", "Olena", "Tesfay"):
        groups.register_client(today_group, clients[name], by=gezel)
    groups.register_buddy(today_group, buddy, by=gezel)
