"""Generated clients for `flask demo generate`: realistic, fictional clients with their
phase histories, challenges and consents, and buddy matches for some of those in a
trajectory. Bulk inserts in batches, so that 20,000 clients take a minute, not an hour."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa

from app.clients.codes import format_code, reserve_numbers
from app.clients.models import (
    BuddyMatch,
    Client,
    ClientChallenge,
    ClientNameKey,
    Consent,
    ConsentScope,
    PhaseChange,
)
from app.clients.search import name_key, name_keys, normalise
from app.clients.vocab import (
    OPEN_PHASES,
    DutchLevel,
    EducationBand,
    ExitOutcome,
    Gender,
    Housing,
    IncomeSource,
    LabourStatus,
    Phase,
    PlaceMet,
    Referrer,
)
from app.database import utcnow
from app.demo.kernel import SHARED_DOMAINS, Context, insert, moment
from app.extensions import db
from app.partnerships.services import prefix_of
from app.reference import REGION_MUNICIPALITIES, Challenge

FIRST_NAMES = [
    "Saled", "Nora", "Jeroen", "Cindy", "Roy", "Amina", "Tesfay", "Marleen", "Olena", "Kevin",
    "Fatima", "Dirk", "Yusuf", "Els", "Marco", "Sara", "Ahmed", "Lotte", "Bram", "Ines",
    "Mehmet", "Julie", "Wout", "Hanna", "Omar", "Lies", "Pieter", "Zainab", "Tom", "Eva",
    "Karim", "An", "Milan", "Noor", "Stijn", "Aylin", "Joris", "Maria", "Youssef", "Griet",
]  # fmt: skip
LANGUAGES = ["nl", "ar", "fr", "en", "ti", "uk"]
BATCH = 1000


def _path(rng: random.Random, registered: date, end: date) -> list[tuple[Phase, date]]:
    """A plausible phase history: forward steps, now and then a relapse, maybe a closure."""
    target = rng.choices(
        [Phase.OUTREACH, Phase.ENGAGEMENT, Phase.TRAJECTORY, Phase.ACTIVATION, Phase.AFTERCARE,
         Phase.CLOSED],
        weights=[18, 22, 25, 15, 8, 12],
    )[0]  # fmt: skip
    path = [(Phase.OUTREACH, registered)]
    day = registered
    steps = (
        OPEN_PHASES[1 : OPEN_PHASES.index(target) + 1]
        if target != Phase.CLOSED
        else (OPEN_PHASES[1 : rng.randint(1, 4)])
    )
    for phase in steps:
        day = min(day + timedelta(days=rng.randint(5, 60)), end)
        path.append((phase, day))
    if target == Phase.CLOSED:
        day = min(day + timedelta(days=rng.randint(5, 90)), end)
        path.append((Phase.CLOSED, day))
    return path


def make_clients(ctx: Context, n_clients: int, progress: Callable[[int], None] | None) -> None:
    rng = ctx.rng
    year = ctx.today.year
    prefixes = {pid: prefix_of(pid) for pid in {team.partnership_id for team in ctx.teams}}
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    for start in range(0, n_clients, BATCH):
        batch = []
        for _ in range(min(BATCH, n_clients - start)):
            team = rng.choice(ctx.teams)
            registered = ctx.today - timedelta(days=rng.randint(0, 730))
            path = _path(rng, registered, ctx.today)
            phase, since = path[-1]
            name = rng.choice(FIRST_NAMES)
            last_name = "Voorbeeld" if rng.random() < 0.6 else None
            closed = phase == Phase.CLOSED
            batch.append({
                "code": None, "preferred_name": name,
                "legal_first_name": name if last_name else None, "legal_last_name": last_name,
                "gender": rng.choice(list(Gender)),
                "birth_year": rng.choice([None, *range(1955, 2006)]),
                "municipality": rng.choice(REGION_MUNICIPALITIES),
                "place_met": rng.choice(list(PlaceMet)), "referrer": rng.choice(list(Referrer)),
                "registered_on": registered, "languages": rng.sample(LANGUAGES, 2),
                "dutch_level": rng.choice(list(DutchLevel)),
                "interpreter_needed": rng.random() < 0.2,
                "housing": rng.choice(list(Housing)), "single_parent": rng.random() < 0.25,
                "children_count": rng.choice([None, 0, 1, 2, 3]),
                "labour_status_at_entry": rng.choice(list(LabourStatus)),
                "income_source_at_entry": rng.choice(list(IncomeSource)),
                "education_band": rng.choice(list(EducationBand)),
                "team_id": team.id,
                "partnership_id": team.partnership_id,
                "primary_companion_id": rng.choice(ctx.companions[team.id]),
                "phase": phase, "phase_since": since,
                "exit_outcome": rng.choice(list(ExitOutcome)) if closed else None,
                "closed_on": since if closed else None,
                "search_text": " ".join(filter(None, (normalise(name), normalise(last_name)))),
                "name_key": name_key(name),
                "legal_name_key": name_key(f"{name} {last_name}") if last_name else None,
                "created_at": utcnow(), "updated_at": utcnow(), "version": 1,
                "_path": path,
            })  # fmt: skip
        paths = [row.pop("_path") for row in batch]
        _number(batch, prefixes, year)
        ids = insert(Client, batch, returning=Client.id)
        changes, challenges, consents = [], [], []
        for client_id, row, path in zip(ids, batch, paths, strict=True):
            previous = None
            for phase, day in path:
                changes.append({
                    "client_id": client_id, "from_phase": previous, "to_phase": phase,
                    "effective_on": day, "changed_by_id": row["primary_companion_id"],
                    "changed_at": moment(day, rng), "without_consent": False,
                    "exit_outcome": row["exit_outcome"] if phase == Phase.CLOSED else None,
                })  # fmt: skip
                previous = phase
            for challenge in rng.sample(list(Challenge), rng.randint(1, 2)):
                challenges.append({"client_id": client_id, "challenge": challenge})
            if row["phase"] != Phase.OUTREACH:
                given = path[1][1] if len(path) > 1 else row["registered_on"]
                consents.append({
                    "client_id": client_id, "given_on": given, "explained_in": row["languages"][0],
                    "interpreter_used": row["interpreter_needed"], "processing": True,
                    "expires_on": given + timedelta(days=365), "created_at": utcnow(),
                })  # fmt: skip
            ctx.clients.append({
                "id": client_id, "team_id": row["team_id"],
                "partnership_id": row["partnership_id"],
                "companion_id": row["primary_companion_id"],
                "phase": row["phase"], "registered_on": row["registered_on"], "path": path,
            })  # fmt: skip
        insert(ClientNameKey, [
            {"client_id": client_id, "team_id": row["team_id"], **key}
            for client_id, row in zip(ids, batch, strict=True) for key in name_keys(row)
        ])  # fmt: skip
        insert(PhaseChange, changes)
        insert(ClientChallenge, challenges)
        consent_ids = insert(Consent, consents, returning=Consent.id)
        insert(ConsentScope, [
            {"consent_id": cid, "domain": domain}
            for cid in consent_ids for domain in rng.sample(SHARED_DOMAINS, 2)
        ])  # fmt: skip
        if sqlite:
            db.session.execute(
                sa.text("INSERT OR REPLACE INTO client_search (rowid, text) VALUES (:id, :text)"),
                [{"id": i, "text": r["search_text"]} for i, r in zip(ids, batch, strict=True)],
            )
        ctx.count("clients", len(ids))
        ctx.count("phase changes", len(changes))
        ctx.count("consents", len(consents))
        if progress:
            progress(len(ids))


def _number(batch: list[dict], prefixes: dict[int, str], year: int) -> None:
    """Give the rows their codes: each partnership's prefix, numbers reserved per prefix
    in one go and handed out in the order of the rows."""
    counts: dict[int, int] = {}
    for row in batch:
        counts[row["partnership_id"]] = counts.get(row["partnership_id"], 0) + 1
    following = {
        pid: reserve_numbers(count, year=year, prefix=prefixes[pid]) - count + 1
        for pid, count in counts.items()
    }
    for row in batch:
        pid = row["partnership_id"]
        row["code"] = format_code(prefixes[pid], year, following[pid])
        following[pid] += 1
        row["search_text"] = f"{normalise(row['code'])} {row['search_text']}"


def make_buddy_matches(ctx: Context) -> None:
    rows, matched = [], []
    for client in ctx.clients:
        if client["phase"] in (Phase.TRAJECTORY, Phase.ACTIVATION) and ctx.rng.random() < 0.3:
            started = max(
                client["registered_on"], ctx.today - timedelta(days=ctx.rng.randint(10, 200))
            )
            client["buddy_id"] = ctx.rng.choice(ctx.buddies[client["team_id"]])
            client["buddy_since"] = started
            rows.append({
                "client_id": client["id"], "buddy_id": client["buddy_id"], "started_on": started,
                "created_at": utcnow(),
            })  # fmt: skip
            matched.append(client)
    for client, match_id in zip(
        matched, insert(BuddyMatch, rows, returning=BuddyMatch.id), strict=True
    ):
        client["match_id"] = match_id  # check-ins refer to their match
    ctx.count("buddy matches", len(rows))
