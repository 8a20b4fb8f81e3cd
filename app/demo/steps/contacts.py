"""Synthetic contacts and notes for `flask demo generate`: about 20 contacts per client from
the registration to today (or the closure), by the client's companion, of kinds that fit the
phase at the time, mostly reached and now and then only an attempt. The outreach picture of
today is drawn first: most open clients were reached within their phase's cadence, about one
in ten is overdue and a few are at risk, with failed attempts since their last reached
contact, so that the reminders and the outreach-health figures meet a realistic spread.
Notes (mostly with a contact, sensitive ones rare) come along. Bulk inserts, like the
clients."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, timedelta

import sqlalchemy as sa

from app.clients.models import Client
from app.clients.vocab import OPEN_PHASES, Phase
from app.contacts.cadence import at_risk_factor, cadence_days
from app.contacts.models import Contact, ContactDomain, Note
from app.contacts.outreach import refresh_stats
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.demo.kernel import Context, insert, moment
from app.extensions import db
from app.reference import Domain
from app.timeutil import local_date

CLIENTS_PER_BATCH = 1000
# Share of open clients whose last reached contact is past the cadence, and past the at-risk
# threshold (the dashboards' "overdue" and "at risk of losing contact").
OVERDUE_SHARE = 0.10
AT_RISK_SHARE = 0.04

K = ContactKind
KINDS = [K.OUTREACH, K.HOME_VISIT, K.OFFICE, K.CALL, K.MESSAGE, K.ACCOMPANIMENT, K.GROUP_SESSION]
# Per phase at the time of the contact, weights in the order of KINDS: out on the street and
# on the phone early on, at the office and going along to services later.
KIND_WEIGHTS = {
    Phase.OUTREACH: [50, 10, 5, 15, 20, 0, 0],
    Phase.ENGAGEMENT: [25, 20, 15, 20, 15, 5, 0],
    Phase.TRAJECTORY: [5, 15, 25, 20, 10, 20, 5],
    Phase.ACTIVATION: [0, 5, 25, 20, 10, 25, 15],
    Phase.AFTERCARE: [0, 10, 20, 40, 25, 5, 0],
}
KIND_WEIGHTS[Phase.CLOSED] = KIND_WEIGHTS[Phase.AFTERCARE]  # the closing conversation
# The chance that a contact was only an attempt, per phase.
ATTEMPT_CHANCE = {
    Phase.OUTREACH: 0.35,
    Phase.ENGAGEMENT: 0.25,
    Phase.TRAJECTORY: 0.12,
    Phase.ACTIVATION: 0.10,
    Phase.AFTERCARE: 0.20,
    Phase.CLOSED: 0.0,
}
# An accompaniment or a group session that did not happen was a call that was not answered.
ATTEMPT_KIND = {K.ACCOMPANIMENT: K.CALL, K.GROUP_SESSION: K.CALL}
MINUTES = {
    K.OUTREACH: (5, 30), K.HOME_VISIT: (30, 90), K.OFFICE: (20, 60), K.CALL: (5, 30),
    K.MESSAGE: (1, 5), K.ACCOMPANIMENT: (45, 180), K.GROUP_SESSION: (60, 120),
}  # fmt: skip
ATTEMPT_MINUTES = {K.OUTREACH: (5, 20), K.HOME_VISIT: (10, 30), K.CALL: (1, 5)}
OUTREACH_PLACES = ["Voedselbank", "Sociaal restaurant", "Marktplein", "Bibliotheek", "Station"]
SERVICES = ["OCMW", "VDAB", "Woonmaatschappij", "Huisarts", "CAW", "Gemeentehuis"]
PLACES = {K.HOME_VISIT: ["Thuis"], K.OFFICE: ["Kantoor Gezel"], K.GROUP_SESSION: ["Buurthuis"]}
DOMAINS = [d for d in Domain if d != Domain.OTHER]
NEXT_STEPS = [
    "Samen naar het OCMW voor de premie",
    "Papieren voor de huurwaarborg verzamelen",
    "Inschrijven bij de VDAB",
    "Volgende week opnieuw langsgaan",
    "Bellen na de afspraak bij de huisarts",
    "Praatgroep van dinsdag voorstellen",
]
NOTES = {
    NoteLevel.PRACTICAL: [
        "Liefst bellen na de middag.",
        "Afspraak aan het station, ingang kant bushalte.",
        "Neemt de blauwe map met papieren mee.",
        "Bel aan bij de achterdeur, de voorbel werkt niet.",
    ],
    NoteLevel.TEAM: [
        "Gesprek over de huurachterstand; wil een afbetalingsplan bekijken.",
        "Voelt zich beter sinds de praatgroep, meer zin om buiten te komen.",
        "Twijfelt over de opleiding; volgende keer opnieuw bekijken.",
        "Brief van de woonmaatschappij samen gelezen en uitgelegd.",
        "Kinderopvang blijft het knelpunt om te kunnen starten.",
    ],
    NoteLevel.SENSITIVE: [
        "Vertelde over geweld in een vorige relatie; wil er nu niet verder over praten.",
        "Gebruikt opnieuw meer; staat nog niet open voor hulp.",
        "Zorgen over de psychische gezondheid; met akkoord de huisarts ingelicht.",
    ],
}
ATTEMPT_NOTES = [
    "Niet thuis, briefje in de bus gelaten.",
    "Telefoon staat af; morgen opnieuw proberen.",
    "Niet gezien op de vaste plek.",
]


def _phase_on(path: list[tuple[Phase, date]], days: list[date], day: date) -> Phase:
    phase = path[max(bisect_right(days, day) - 1, 0)][0]
    if phase == Phase.CLOSED and len(path) > 1:
        return path[-2][0]  # the closing day's contact belongs to the trajectory that ends
    return phase


def _days_between(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    """``n`` sorted days from ``first`` to ``last`` (both included)."""
    span = (last - first).days
    if n <= 0 or span < 0:
        return []
    return sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(n))


def _plan(ctx: Context, client: dict, cadences: dict, factor: int) -> list[tuple[date, bool]]:
    """(day, reached) of the client's contacts in order: the last reached one placed to give
    today's outreach status, a history before it and the failed attempts since."""
    rng, today = ctx.rng, ctx.today
    start = client["registered_on"]
    closed = client["phase"] == Phase.CLOSED
    end = client["path"][-1][1] if closed else today
    span = (end - start).days
    total = min(rng.randint(18, 30), 1 + round(span / rng.uniform(9, 15)))
    attempts_after = 0
    if closed:
        last = max(start, end - timedelta(days=rng.randint(0, 10)))
    else:
        cadence = cadences[client["phase"]]
        draw = rng.random()
        if draw < AT_RISK_SHARE:
            ago = rng.randint(factor * cadence + 1, (factor + 3) * cadence)
            attempts_after = rng.randint(2, 5)
        elif draw < AT_RISK_SHARE + OVERDUE_SHARE:
            ago = rng.randint(cadence + 1, factor * cadence)
            attempts_after = rng.randint(1, 3)
        else:
            # Within the cadence, more often recently than just before it runs out.
            ago = min(rng.randint(0, cadence - 1), rng.randint(0, cadence - 1))
            attempts_after = 1 if rng.random() < 0.15 else 0
        last = today - timedelta(days=ago)
        if last < start:  # registered too recently to be slipping yet
            last = start + timedelta(days=rng.randint(0, span))
        if last >= today:
            attempts_after = 0
    history = _days_between(rng, start + timedelta(days=1), last - timedelta(days=1), total - 1)
    after = _days_between(rng, last + timedelta(days=1), end, attempts_after)
    first = [(start, True)] if history or last > start else []
    if first:
        history = history[1:]
    return [
        *first,
        *((day, None) for day in history),  # None: reached or not, by the phase's odds
        (last, True),
        *((day, False) for day in after),
    ]


def make_contacts(ctx: Context) -> None:
    rng = ctx.rng
    cadences = {phase: cadence_days(phase) for phase in OPEN_PHASES}
    factor = at_risk_factor()
    for begin in range(0, len(ctx.clients), CLIENTS_PER_BATCH):
        contacts, extras, loose_notes = [], [], []
        end = begin + CLIENTS_PER_BATCH
        for client in ctx.clients[begin:end]:
            path = client["path"]
            days = [day for _phase, day in path]
            focus = rng.sample(DOMAINS, 3)
            plan = _plan(ctx, client, cadences, factor)
            for index, (day, reached) in enumerate(plan):
                phase = _phase_on(path, days, day)
                if reached is None:
                    reached = rng.random() >= ATTEMPT_CHANCE[phase]
                kind = rng.choices(KINDS, weights=KIND_WEIGHTS[phase])[0]
                if not reached:
                    kind = ATTEMPT_KIND.get(kind, kind)
                contacts.append(_contact(rng, client, kind, reached, day))
                following = plan[index + 1][0] if index + 1 < len(plan) else None
                extras.append(_extras(rng, contacts[-1], following, client["phase"], focus))
            for _ in range(rng.choices([0, 1, 2], weights=[60, 30, 10])[0]):
                day = plan[rng.randrange(len(plan))][0]
                level = NoteLevel.SENSITIVE if rng.random() < 0.05 else NoteLevel.TEAM
                body, at = rng.choice(NOTES[level]), moment(day, rng)
                loose_notes.append(
                    _note(client["id"], None, level, body, client["companion_id"], at)
                )
        ids = _insert_contacts(contacts, [c["id"] for c in ctx.clients[begin:end]])
        domains, notes = [], loose_notes
        for contact_id, row, (contact_domains, contact_notes) in zip(
            ids, contacts, extras, strict=True
        ):
            domains += [{"contact_id": contact_id, "domain": d} for d in contact_domains]
            notes += [
                _note(
                    row["client_id"], contact_id, level, body, row["author_id"], row["created_at"]
                )
                for level, body in contact_notes
            ]
        insert(ContactDomain, domains)
        insert(Note, notes)
        ctx.count("contacts", len(ids))
        ctx.count("contact domains", len(domains))
        ctx.count("notes", len(notes))
    # The stored last-reached and failed-attempt figures of these clients, at once.
    ids = [client["id"] for client in ctx.clients]
    if ids:
        refresh_stats(sa.select(Client.id).where(Client.id.between(min(ids), max(ids))))


def _insert_contacts(rows: list[dict], client_ids: list[int]) -> list[int]:
    """Insert the contacts of these (new) clients; return their ids in the order of ``rows``.

    Not RETURNING: with psycopg a multi-row INSERT ... RETURNING of 1,000 rows is parsed
    anew for every page, which made contacts two thirds of the whole generation on
    PostgreSQL. A plain executemany runs the rows in order, so their ids rise in the order of
    ``rows``, and the clients were made in this transaction: no one else has contacts for
    them."""
    insert(Contact, rows)
    ids = list(
        db.session.scalars(
            sa.select(Contact.id).where(Contact.client_id.in_(client_ids)).order_by(Contact.id)
        )
    )
    if len(ids) != len(rows):
        raise RuntimeError("generated clients already had contacts")
    return ids


def _contact(rng: random.Random, client: dict, kind: ContactKind, reached: bool, day: date):
    at = moment(day, rng)
    low_high = MINUTES[kind] if reached else ATTEMPT_MINUTES.get(kind)
    minutes = rng.randint(*low_high) if low_high else None
    if minutes and minutes > 10:
        minutes = 5 * round(minutes / 5)
    if kind == K.OUTREACH:
        place = rng.choice(OUTREACH_PLACES)
    elif kind == K.ACCOMPANIMENT:
        place = rng.choice(SERVICES)
    else:
        place = rng.choice(PLACES[kind]) if kind in PLACES else None
    return {
        "client_id": client["id"], "author_id": client["companion_id"], "kind": kind,
        "outcome": ContactOutcome.REACHED if reached else ContactOutcome.ATTEMPT,
        "occurred_at": at, "occurred_on": local_date(at), "duration_minutes": minutes,
        "place": place, "others_present": None, "next_step": None, "follow_up_on": None,
        "created_at": at, "updated_at": at,
    }  # fmt: skip


def _extras(
    rng: random.Random, row: dict, following: date | None, phase: Phase, focus: list[Domain]
) -> tuple[list[Domain], list[tuple[NoteLevel, str]]]:
    """Fill in the next step and follow-up date of contact ``row`` (``following``: the day
    of the client's next contact); return its domains and its (level, body) notes."""
    reached = row["outcome"] == ContactOutcome.REACHED
    if reached and rng.random() < 0.3:
        row["next_step"] = rng.choice(NEXT_STEPS)
    if following is None:
        # The latest contact of an open file: now and then a follow-up date, which may have
        # come already for someone who is slipping.
        if phase != Phase.CLOSED and rng.random() < 0.25:
            row["follow_up_on"] = row["occurred_on"] + timedelta(days=rng.randint(3, 21))
    elif following > row["occurred_on"] and rng.random() < 0.1:
        row["follow_up_on"] = following  # and the follow-up happened on the day set
    domains: list[Domain] = []
    notes: list[tuple[NoteLevel, str]] = []
    if not reached:
        if rng.random() < 0.1:
            notes.append((NoteLevel.TEAM, rng.choice(ATTEMPT_NOTES)))
        return domains, notes
    for _ in range(rng.choices([0, 1, 2, 3], weights=[25, 40, 25, 10])[0]):
        domain = rng.choice(focus) if rng.random() < 0.7 else rng.choice(DOMAINS)
        if domain not in domains:
            domains.append(domain)
    if rng.random() < 0.45:
        notes.append((NoteLevel.TEAM, rng.choice(NOTES[NoteLevel.TEAM])))
    if rng.random() < 0.15:
        notes.append((NoteLevel.PRACTICAL, rng.choice(NOTES[NoteLevel.PRACTICAL])))
    if rng.random() < 0.02:
        notes.append((NoteLevel.SENSITIVE, rng.choice(NOTES[NoteLevel.SENSITIVE])))
    return domains, notes


def _note(client_id: int, contact_id: int | None, level, body: str, author_id, at) -> dict:
    return {
        "client_id": client_id, "contact_id": contact_id, "level": level, "body": body,
        "author_id": author_id, "created_at": at, "updated_at": at,
    }  # fmt: skip
