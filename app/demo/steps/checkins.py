"""Synthetic buddy check-ins for `flask demo generate`: for every client with a buddy, a
check-in by that buddy every one to three weeks since the match started (some matches have
gone quiet for more than two weeks), with an activity, the minutes spent (volunteer hours add
up from these), how it went and now and then a worry, most already acknowledged by the
companion, a few still open. Bulk inserts, like the clients."""

from __future__ import annotations

from datetime import timedelta

from app.checkins.models import CheckIn
from app.checkins.vocab import Activity
from app.demo.kernel import Context, insert, moment

A = Activity
ACTIVITIES = [A.MEETING, A.WALK, A.ACCOMPANIMENT, A.LEISURE, A.PRACTICAL_HELP, A.PHONE, A.OTHER]
ACTIVITY_WEIGHTS = [30, 15, 15, 15, 10, 10, 5]
MINUTES = {
    A.MEETING: (45, 120), A.WALK: (60, 150), A.ACCOMPANIMENT: (60, 180), A.LEISURE: (90, 240),
    A.PRACTICAL_HELP: (60, 180), A.PHONE: (10, 30), A.OTHER: (30, 120),
}  # fmt: skip
NOTES = {
    A.LEISURE: ["Naar de film", "Samen gaan zwemmen", "Bezoek aan het museum"],
    A.PRACTICAL_HELP: ["Kast in elkaar gezet", "Formulier ingevuld", "Verhuisdozen gebracht"],
    A.OTHER: ["Samen gekookt", "Boodschappen gedaan", "Fiets hersteld"],
}
WORRIES = [
    "Zag er moe en somber uit; zegt slecht te slapen.",
    "Heeft een brief over een uithuiszetting gekregen.",
    "Vertelde dat er thuis veel ruzie is.",
    "Had al twee dagen niet gegeten.",
]
RATINGS, RATING_WEIGHTS = [1, 2, 3, 4, 5], [3, 8, 25, 40, 24]
QUIET_SHARE = 0.2  # matches with no check-in for more than 14 days
WORRY_CHANCE = 0.03


def make_checkins(ctx: Context) -> None:
    rng, today, rows = ctx.rng, ctx.today, []
    for client in ctx.clients:
        if "buddy_id" not in client:
            continue
        until = today
        if rng.random() < QUIET_SHARE:
            until = today - timedelta(days=rng.randint(15, 60))
        day = client["buddy_since"] + timedelta(days=rng.randint(0, 10))
        days = []
        while day <= until:
            days.append(day)
            day += timedelta(days=rng.randint(7, 21))
        for index, day in enumerate(days):
            following = days[index + 1] if index + 1 < len(days) else None
            activity = rng.choices(ACTIVITIES, weights=ACTIVITY_WEIGHTS)[0]
            minutes = 5 * round(rng.randint(*MINUTES[activity]) / 5)
            note = rng.choice(NOTES[activity]) if activity in NOTES and rng.random() < 0.6 else None
            rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
            worry = rng.random() < WORRY_CHANCE * (2 if rating <= 2 else 1)
            # A recent worry may still wait for the companion; older ones were read.
            created, acknowledged = moment(day, rng), None
            if worry and ((today - day).days > 10 or rng.random() < 0.5):
                read_on = min(day + timedelta(days=rng.randint(0, 3)), today)
                acknowledged = max(created, moment(read_on, rng))
            if following is None:
                planned = day + timedelta(days=rng.randint(7, 14)) if rng.random() < 0.5 else None
            else:
                planned = following if rng.random() < 0.4 else None
            rows.append({
                "client_id": client["id"], "buddy_id": client["buddy_id"],
                "match_id": client["match_id"], "occurred_on": day, "activity": activity,
                "activity_note": note, "duration_minutes": minutes, "rating": rating,
                "worry": worry, "worry_text": rng.choice(WORRIES) if worry else None,
                "next_meeting_on": planned, "created_at": created,
                "worry_acknowledged_at": acknowledged,
                "worry_acknowledged_by_id": client["companion_id"] if acknowledged else None,
            })  # fmt: skip
    insert(CheckIn, rows)
    ctx.count("check-ins", len(rows))
    ctx.count("worries", sum(row["worry"] for row in rows))
