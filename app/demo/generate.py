"""Synthetic data at scale (`flask demo generate --clients N [--partnerships P]`): realistic,
fictional clients with their histories, written with bulk inserts so that 20,000 clients take
a minute, not an hour. Used at small sizes by tests and at 20,000 clients by the benchmark.

Each step takes the generation context and adds one kind of record; the steps run in the
order of `app.demo.steps.STEPS`. Randomness is seeded, so the same N gives the same data.
Only the demo CLI (and tests) import this module: the web app never loads the generators.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import sqlalchemy as sa

from app.demo.kernel import Context
from app.demo.steps import STEPS
from app.demo.steps.clients import make_clients
from app.demo.steps.partnerships import make_partnerships, make_social_maps
from app.demo.steps.staff import make_staff
from app.extensions import db
from app.reminders.engine import scan
from app.timeutil import today

# Clients generated (with every step of their history) before the next ones: what one
# batch builds in Python is released before the next, so memory does not grow with N.
CLIENTS_PER_ROUND = 2000


class GenerateRefused(ValueError):
    """Sizes that cannot be generated (checked before anything is written)."""


def team_count(n_clients: int, teams: int | None, partnerships: int | None) -> int:
    """The number of teams to make: the one asked for, else one per 2,500 clients (at least
    4, and at least one per partnership). Refuses sizes that leave a partnership without a
    team or without clients."""
    if partnerships is not None:
        if partnerships < 1:
            raise GenerateRefused("--partnerships must be at least 1.")
        if partnerships > n_clients:
            raise GenerateRefused(
                f"{partnerships} partnerships need at least {partnerships} clients "
                f"(--clients is {n_clients})."
            )
        if teams is not None and partnerships > teams:
            raise GenerateRefused(
                f"{partnerships} partnerships need at least {partnerships} teams "
                f"(--teams is {teams})."
            )
    return teams or max(4, -(-n_clients // 2500), partnerships or 1)


def generate(
    n_clients: int,
    *,
    teams: int | None = None,
    partnerships: int | None = None,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
    scan_reminders: bool = True,
) -> dict[str, int]:
    """Add ``n_clients`` generated clients (with histories) in ``teams`` new teams (default:
    one per 2,500 clients, at least 4). With ``partnerships`` N, N new partnerships (each
    with its social map and administrator) share the teams and so the clients; without, all
    goes into the installation's first partnership. Flushes; the caller commits. Raises
    GenerateRefused, before writing anything, for sizes that cannot be spread.

    Streams: CLIENTS_PER_ROUND clients at a time go through every step and are written
    before the next ones are made (``progress`` hears of each round), so that 100,000
    clients take no more memory than 2,000."""
    teams = team_count(n_clients, teams, partnerships)
    ctx = Context(rng=random.Random(seed), today=today())
    make_partnerships(ctx, partnerships)
    make_social_maps(ctx)
    make_staff(ctx, teams, n_clients)
    for start in range(0, n_clients, CLIENTS_PER_ROUND):
        size = min(CLIENTS_PER_ROUND, n_clients - start)
        ctx.clients = []  # the previous round's clients are written: let them go
        make_clients(ctx, size, None)
        for _name, step in STEPS:
            step(ctx)
        db.session.flush()
        if start == 0:
            _analyze()  # the next rounds' statements are planned on real figures
        if progress:
            progress(size)
    ctx.clients = []
    _analyze()
    if scan_reminders:
        result = scan()
        ctx.count("reminders", result.open)
    return ctx.counts


def _analyze() -> None:
    # Fresh statistics after a bulk load: without them PostgreSQL plans the scan's joins as
    # nested loops over "1 row" and a 20 ms query takes a minute.
    db.session.execute(sa.text("ANALYZE"))
