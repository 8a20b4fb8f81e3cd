"""Synthetic data at scale (`flask demo generate --clients N`): realistic, fictional clients
with their histories, written with bulk inserts so that 20,000 clients take a minute, not an
hour. Used at small sizes by tests and at 20,000 clients by the benchmark.

Each step takes the generation context and adds one kind of record; later domains add a step
to STEPS. Randomness is seeded, so the same N gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from app.auth.models import Role, Team, User, team_membership
from app.auth.passwords import hash_password
from app.clients.codes import format_code, reserve_numbers
from app.clients.models import (
    BuddyMatch,
    Client,
    ClientChallenge,
    Consent,
    ConsentScope,
    PhaseChange,
)
from app.clients.search import name_key, normalise
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
from app.extensions import db
from app.reference import REGION_MUNICIPALITIES, Challenge, Domain
from app.timeutil import today, zone

FIRST_NAMES = [
    "Saled", "Nora", "Jeroen", "Cindy", "Roy", "Amina", "Tesfay", "Marleen", "Olena", "Kevin",
    "Fatima", "Dirk", "Yusuf", "Els", "Marco", "Sara", "Ahmed", "Lotte", "Bram", "Ines",
    "Mehmet", "Julie", "Wout", "Hanna", "Omar", "Lies", "Pieter", "Zainab", "Tom", "Eva",
    "Karim", "An", "Milan", "Noor", "Stijn", "Aylin", "Joris", "Maria", "Youssef", "Griet",
]  # fmt: skip
LANGUAGES = ["nl", "ar", "fr", "en", "ti", "uk"]
SHARED_DOMAINS = [Domain.HOUSING, Domain.WORK, Domain.LANGUAGE, Domain.CHILDCARE]
BATCH = 1000
GENERATED_TEAM_PREFIX = "Team gegenereerd"


@dataclass
class Context:
    rng: random.Random
    today: date
    teams: list[Team] = field(default_factory=list)
    companions: dict[int, list[int]] = field(default_factory=dict)  # team id -> user ids
    leads: dict[int, list[int]] = field(default_factory=dict)
    buddies: dict[int, list[int]] = field(default_factory=dict)
    # One entry per generated client: id, team_id, companion_id, phase, registered_on, path
    # ((phase, day) pairs); with a buddy also buddy_id, buddy_since and match_id.
    clients: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, number: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


def moment(day: date, rng: random.Random) -> datetime:
    """A plausible working-hours instant on ``day`` in Brussels, as aware UTC."""
    local = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=zone())
    return min(local.astimezone(utcnow().tzinfo), utcnow())


def _insert(model, rows: list[dict], *, returning=None):
    """Insert ``rows`` (dicts with the same keys) in as few statements as the driver allows;
    with ``returning``, the generated values in the order of ``rows``."""
    if not rows:
        return []
    # render_nulls: by default the ORM leaves None values out of a row, so rows with a None
    # in different places become separate statements, and with RETURNING the results are
    # spliced together row by row, which is quadratic: minutes instead of seconds.
    stmt = sa.insert(model).execution_options(render_nulls=True)
    if returning is None:
        db.session.execute(stmt, rows)
        return []
    result = db.session.execute(stmt.returning(returning, sort_by_parameter_order=True), rows)
    return list(result.scalars())


CLIENTS_PER_COMPANION = 60  # a realistic caseload


def make_staff(ctx: Context, teams: int, n_clients: int) -> None:
    """Teams with a lead, enough companions for caseloads of about 60 and half as many
    buddies (password DEMO_PASSWORD)."""
    companions = max(6, -(-n_clients // (teams * CLIENTS_PER_COMPANION)))
    password = hash_password(current_app.config["DEMO_PASSWORD"])
    existing = db.session.scalar(
        sa.select(sa.func.count(Team.id)).where(Team.name.like(f"{GENERATED_TEAM_PREFIX}%"))
    )
    for number in range(existing + 1, existing + teams + 1):
        team = Team(name=f"{GENERATED_TEAM_PREFIX} {number}")
        db.session.add(team)
        db.session.flush()
        ctx.teams.append(team)
        staff = [
            ("lead", Role.LEAD, 1),
            ("gezel", Role.COMPANION, companions),
            ("buddy", Role.BUDDY, max(3, companions // 2)),
        ]
        for prefix, role, how_many in staff:
            rows = [
                {
                    "username": f"gen{number}-{prefix}{index}",
                    "display_name": f"{prefix.title()} {index} (team {number})",
                    "role": role,
                    "password_hash": password,
                    "must_change_password": False,
                    "active": True,
                    "is_demo": True,
                    "can_administer": False,
                    "session_token": f"gen-{number}-{prefix}-{index}-{ctx.rng.random()}",
                    "created_at": utcnow(),
                }
                for index in range(1, how_many + 1)
            ]
            ids = _insert(User, rows, returning=User.id)
            db.session.execute(
                sa.insert(team_membership), [{"user_id": i, "team_id": team.id} for i in ids]
            )
            target = {Role.LEAD: ctx.leads, Role.COMPANION: ctx.companions, Role.BUDDY: ctx.buddies}
            target[role][team.id] = ids
    ctx.count("teams", teams)


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
    prefix = current_app.config["CLIENT_CODE_PREFIX"]
    year = ctx.today.year
    first_number = reserve_numbers(n_clients, year=year) - n_clients + 1
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    for start in range(0, n_clients, BATCH):
        batch = []
        for number in range(first_number + start, first_number + min(start + BATCH, n_clients)):
            team = rng.choice(ctx.teams)
            registered = ctx.today - timedelta(days=rng.randint(0, 730))
            path = _path(rng, registered, ctx.today)
            phase, since = path[-1]
            name = rng.choice(FIRST_NAMES)
            code = format_code(prefix, year, number)
            last_name = "Voorbeeld" if rng.random() < 0.6 else None
            closed = phase == Phase.CLOSED
            batch.append({
                "code": code, "preferred_name": name,
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
                "primary_companion_id": rng.choice(ctx.companions[team.id]),
                "phase": phase, "phase_since": since,
                "exit_outcome": rng.choice(list(ExitOutcome)) if closed else None,
                "closed_on": since if closed else None,
                "search_text": " ".join(
                    filter(None, (normalise(code), normalise(name), normalise(last_name)))
                ),
                "name_key": name_key(name),
                "legal_name_key": name_key(f"{name} {last_name}") if last_name else None,
                "created_at": utcnow(), "updated_at": utcnow(), "version": 1,
                "_path": path,
            })  # fmt: skip
        paths = [row.pop("_path") for row in batch]
        ids = _insert(Client, batch, returning=Client.id)
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
                "companion_id": row["primary_companion_id"],
                "phase": row["phase"], "registered_on": row["registered_on"], "path": path,
            })  # fmt: skip
        _insert(PhaseChange, changes)
        _insert(ClientChallenge, challenges)
        consent_ids = _insert(Consent, consents, returning=Consent.id)
        _insert(ConsentScope, [
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
        matched, _insert(BuddyMatch, rows, returning=BuddyMatch.id), strict=True
    ):
        client["match_id"] = match_id  # check-ins refer to their match
    ctx.count("buddy matches", len(rows))


# Later domains append their own steps: (name, function(ctx)).
STEPS: list[tuple[str, Callable[[Context], None]]] = [("buddy matches", make_buddy_matches)]


def generate(
    n_clients: int,
    *,
    teams: int | None = None,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
    scan_reminders: bool = True,
) -> dict[str, int]:
    """Add ``n_clients`` generated clients (with histories) in ``teams`` new teams (default:
    one per 2,500 clients, at least 4). Flushes; the caller commits."""
    ctx = Context(rng=random.Random(seed), today=today())
    teams = teams or max(4, -(-n_clients // 2500))
    make_staff(ctx, teams, n_clients)
    make_clients(ctx, n_clients, progress)
    for _name, step in STEPS:
        step(ctx)
    db.session.flush()
    # Fresh statistics after a bulk load: without them PostgreSQL plans the scan's joins as
    # nested loops over "1 row" and a 20 ms query takes a minute.
    db.session.execute(sa.text("ANALYZE"))
    if scan_reminders:
        from app.reminders.engine import scan

        result = scan()
        ctx.count("reminders", result.open)
    return ctx.counts
