"""Synthetic measurements for `flask demo generate`, with the default instrument: an intake
for every client past outreach, a periodic one for most of those who reached the trajectory,
a closure measurement for about half of the closed clients who had an intake. Later scores
drift from the earlier ones, mostly upwards. Bulk inserts, like the clients."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.clients.vocab import Phase
from app.database import utcnow
from app.demo.kernel import Context, insert
from app.measurements.models import Measurement, MeasurementScore
from app.measurements.services import default_instrument
from app.measurements.vocab import MeasurementKind
from app.partnerships.context import partnership_context

DRIFT = [-1, 0, 0, 1, 1, 1, 2]


def _after(rng: random.Random, day: date, days: tuple[int, int], until: date) -> date | None:
    """A day ``days`` (from, to) after ``day``, no later than ``until``; None when there is
    no room."""
    start = day + timedelta(days=days[0])
    if start > until:
        return None
    return start + timedelta(days=rng.randint(0, min(days[1] - days[0], (until - start).days)))


def _next_phase_on(path, phase: Phase, default: date) -> date:
    """The day the client left ``phase`` (the next change), or ``default``."""
    days = [day for (p, _d), (_n, day) in zip(path, path[1:], strict=False) if p == phase]
    return days[0] if days else default


def make_measurements(ctx: Context) -> None:
    # The partnership's default instrument (a generated partnership has none of its own:
    # the installation's standard one, the same for every generated partnership).
    with partnership_context(ctx.partnerships[0]):
        instrument = default_instrument()
    if instrument is None:
        return
    rng = ctx.rng
    low, high = instrument.scale
    domain_ids = [domain.id for domain in instrument.domains]
    measurements, scores = [], []

    def measure(client: dict, day: date, kind: MeasurementKind, values: dict[int, int]) -> None:
        measurements.append({
            "client_id": client["id"], "instrument_id": instrument.id, "measured_on": day,
            "kind": kind, "recorded_by_id": client["companion_id"],
            "created_at": utcnow(), "updated_at": utcnow(),
        })  # fmt: skip
        scores.append(dict(values))

    def drifted(values: dict[int, int]) -> dict[int, int]:
        return {d: min(high, max(low, s + rng.choice(DRIFT))) for d, s in values.items()}

    for client in ctx.clients:
        path = client["path"]
        phases = dict(path)
        engaged = phases.get(Phase.ENGAGEMENT)
        if engaged is None:
            continue
        end = phases.get(Phase.CLOSED, ctx.today)
        intake_on = _after(rng, engaged, (0, 21), _next_phase_on(path, Phase.ENGAGEMENT, end))
        scored = rng.sample(domain_ids, min(len(domain_ids), rng.randint(4, 7)))
        values = {domain_id: rng.randint(low, high - 1) for domain_id in scored}
        measure(client, intake_on, MeasurementKind.INTAKE, values)
        last_on = intake_on
        started = phases.get(Phase.TRAJECTORY)
        if started is not None and rng.random() < 0.7:
            periodic_on = _after(rng, max(started, intake_on), (30, 120), end)
            if periodic_on is not None and periodic_on > intake_on:
                values = drifted(values)
                measure(client, periodic_on, MeasurementKind.PERIODIC, values)
                last_on = periodic_on
        closed = phases.get(Phase.CLOSED)
        if closed is not None and closed > last_on and rng.random() < 0.5:
            measure(client, closed, MeasurementKind.CLOSURE, drifted(values))
    ids = insert(Measurement, measurements, returning=Measurement.id)
    rows = [
        {"measurement_id": measurement_id, "domain_id": domain_id, "score": score}
        for measurement_id, values in zip(ids, scores, strict=True)
        for domain_id, score in values.items()
    ]
    insert(MeasurementScore, rows)
    ctx.count("measurements", len(ids))
    ctx.count("measurement scores", len(rows))
