"""Demo referrals in different states: a warm handover to the childcare desk, one overdue,
one sent on an override, one on the waiting list, one declined, a draft, an appointment
without outcome - and one of the other team, for the organisation's numbers."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import User
from app.organisations.services import get_by_name, seed_social_map
from app.referrals import services
from app.referrals.lifecycle import ReferralStatus as S
from app.timeutil import today

# (person, organisation, domain, question, days ago, moves as (status, days ago, extra))
REFERRALS = [
    ("Nora", "Lokaal loket kinderopvang", "childcare",
     "Opvang voor twee kinderen (3 en 6 jaar), drie dagen per week, zodat Nora een "
     "opleiding kan volgen.", 10,
     [(S.SENT, 10, {}), (S.ACCEPTED, 6, {}),
      (S.APPOINTMENT_PLANNED, 6, {"appointment_on": 4})]),
    ("Saled", "CAW Oost-Brabant", "housing",
     "Saled logeert bij vrienden en zoekt een eigen woning; hulp bij inschrijving sociale "
     "huur.", 15, [(S.SENT, 15, {})]),
    ("Cindy", "CGG (centrum geestelijke gezondheidszorg)", "mental_wellbeing",
     "Gesprekken rond somberheid en slapen; Cindy wil graag een vaste begeleider.", 40,
     [(S.SENT, 40, {"consent_override": True, "override_reason":
       "Cindy gaf mondeling akkoord; de schriftelijke toestemming volgt bij het volgende "
       "huisbezoek."}),
      (S.ACCEPTED, 35, {}), (S.APPOINTMENT_PLANNED, 35, {"appointment_on": -30}),
      (S.APPOINTMENT_KEPT, 30, {}), (S.IN_PROGRESS, 28, {})]),
    ("Olena", "Taalcoaching en praatgroepen (vrijwilligers)", "language",
     "Een praatgroep Nederlands overdag, als de kinderen op school zijn.", 12,
     [(S.SENT, 12, {}), (S.WAITING_LIST, 9, {"note": "Nieuwe groep start na de vakantie."})]),
    ("Jeroen", "Minder Mobielen Centrale", "mobility",
     "Vervoer naar de sollicitatietraining in Leuven op dinsdag.", 30,
     [(S.SENT, 30, {}), (S.DECLINED, 25, {"reason": "Jeroen valt niet onder de doelgroep "
                                           "(geen beperkte mobiliteit)."})]),
    ("Tesfay", "Agentschap Integratie en Inburgering - regio Vlaams-Brabant", "language",
     "Inschrijving voor een inburgeringstraject en een cursus Nederlands.", 0, []),
    ("Marleen", "GTB (gespecialiseerde trajectbepaling en -begeleiding)", "work",
     "Begeleiding naar aangepast werk, deeltijds.", 25,
     [(S.SENT, 25, {}), (S.ACCEPTED, 20, {}),
      (S.APPOINTMENT_PLANNED, 20, {"appointment_on": -5})]),
    ("Els", "Huis van het Kind", "childcare",
     "Ondersteuning bij opvoeding en een oppasnetwerk.", 18,
     [(S.SENT, 18, {}), (S.ACCEPTED, 14, {})]),
]  # fmt: skip


def seed_demo_referrals(ours: list, theirs: list, users: dict[str, User]) -> None:
    """Seed the social map when it is empty, then the referrals of REFERRALS whose person
    and organisation exist. Appointment days in ``extra`` count forward from today."""
    seed_social_map()
    from app.demo.desks import seed_demo_desks

    seed_demo_desks()  # so that sending a demo referral e-mails its partner link
    people = {client.preferred_name: client for client in [*ours, *theirs]}
    for name, org_name, domain, question, days_ago, moves in REFERRALS:
        client, organisation = people.get(name), get_by_name(org_name)
        if client is None or organisation is None:
            continue
        by = client.primary_companion
        referral = services.create_referral(
            client, organisation=organisation, domain=domain, question=question,
            referred_on=today() - timedelta(days=days_ago), by=by,
            warm_handover=name == "Nora", handover_on=today() + timedelta(days=4),
        )  # fmt: skip
        for status, moved_days_ago, extra in moves:
            extra = dict(extra)
            if "appointment_on" in extra:
                extra["appointment_on"] = today() + timedelta(days=extra["appointment_on"])
            services.move(
                referral, status, by=by, on=today() - timedelta(days=moved_days_ago), **extra
            )
