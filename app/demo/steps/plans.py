"""Synthetic goals for `flask demo generate`: one to four per client who reached the
trajectory, set in the trajectory's first month, each with a status that fits the client's
story (a closed client's goals are achieved or dropped; an open client's may be overdue).
Bulk inserts, like the clients."""

from __future__ import annotations

from datetime import timedelta

from app.clients.vocab import Phase
from app.database import utcnow
from app.demo.kernel import Context, insert, moment
from app.plans.models import Goal
from app.plans.vocab import GoalActor, GoalStatus
from app.reference import Domain

GOALS = {
    Domain.SOCIAL_SKILLS: ["Zelf een afspraak bellen", "Naar een groepssessie gaan"],
    Domain.MENTAL_WELLBEING: ["Een afspraak bij de eerstelijnspsycholoog", "Beter slapen"],
    Domain.ADDICTION: ["Een eerste gesprek bij het CAD", "Minder drinken in het weekend"],
    Domain.SOCIAL_NETWORK: ["Iemand uit de buurt leren kennen", "Bij een vereniging aansluiten"],
    Domain.CHILDCARE: ["Opvang vinden voor de kleinste", "Inschrijven bij het Huis van het Kind"],
    Domain.LANGUAGE: ["Naar de praatgroep gaan", "Inschrijven voor NT2"],
    Domain.WORK: ["Een cv maken", "Inschrijven bij VDAB", "Een dag meelopen bij een werkgever"],
    Domain.HOUSING: ["Inschrijven bij de woonmaatschappij", "De huurachterstand afbetalen"],
    Domain.MOBILITY: ["Fietsles volgen", "Een busabonnement aanvragen"],
    Domain.INCOME_ADMIN: ["Papieren ordenen in een map", "Een afbetalingsplan afspreken"],
}
REASONS = ["Niet meer nodig", "Wil de persoon nu niet", "Verhuisd", "Ander doel gekozen"]
ACTORS = list(GoalActor)
ACTOR_WEIGHTS = [5, 3, 1, 2]


def make_goals(ctx: Context) -> None:
    rng, rows = ctx.rng, []
    for client in ctx.clients:
        phases = dict(client["path"])
        started = phases.get(Phase.TRAJECTORY)
        if started is None:
            continue
        closed = phases.get(Phase.CLOSED)
        end = closed or ctx.today
        for _ in range(rng.randint(1, 4)):
            domain = rng.choice(list(GOALS))
            created = min(started + timedelta(days=rng.randint(0, 30)), end)
            target = created + timedelta(days=rng.randint(14, 150))
            done_on = created + timedelta(days=rng.randint(0, max((end - created).days, 0)))
            draw = rng.random()
            if closed is not None:
                status = GoalStatus.ACHIEVED if draw < 0.65 else GoalStatus.DROPPED
            elif draw < 0.35:
                status = GoalStatus.OPEN  # overdue when its target date has passed
            elif draw < 0.65:
                status = GoalStatus.IN_PROGRESS
            elif draw < 0.9:
                status = GoalStatus.ACHIEVED
            else:
                status = GoalStatus.DROPPED
            status_on = created if status == GoalStatus.OPEN else done_on
            rows.append({
                "client_id": client["id"], "domain": domain,
                "description": rng.choice(GOALS[domain]),
                "actor": rng.choices(ACTORS, weights=ACTOR_WEIGHTS)[0], "partner_id": None,
                "target_date": target if rng.random() < 0.9 else None, "status": status,
                "status_on": status_on,
                "status_note": rng.choice(REASONS) if status == GoalStatus.DROPPED else None,
                "created_by_id": client["companion_id"], "created_at": moment(created, rng),
                "updated_at": utcnow(),
            })  # fmt: skip
    insert(Goal, rows)
    ctx.count("goals", len(rows))
