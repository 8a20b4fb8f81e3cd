"""Synthetic data at scale (`flask demo generate --clients N`): realistic, fictional clients
with their histories, written with bulk inserts so that 20,000 clients take a minute, not an
hour. Used at small sizes by tests and at 20,000 clients by the benchmark.

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
from app.demo.steps.staff import make_staff
from app.extensions import db
from app.reminders.engine import scan
from app.timeutil import today

# Clients generated (with every step of their history) before the next ones: what one
# batch builds in Python is released before the next, so memory does not grow with N.
CLIENTS_PER_ROUND = 2000


def generate(
    n_clients: int,
    *,
    teams: int | None = None,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
    scan_reminders: bool = True,
) -> dict[str, int]:
    """Add ``n_clients`` generated clients (with histories) in ``teams`` new teams (default:
    one per 2,500 clients, at least 4). Flushes; the caller commits.

    Streams: CLIENTS_PER_ROUND clients at a time go through every step and are written
    before the next ones are made (``progress`` hears of each round), so that 100,000
    clients take no more memory than 2,000."""
    ctx = Context(rng=random.Random(seed), today=today())
    teams = teams or max(4, -(-n_clients // 2500))
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
