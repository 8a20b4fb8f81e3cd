"""The kernel of `flask demo generate`: the context that the generation steps share, and the
bulk insert they write with. Never imported by the web app: only the demo CLI loads it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time

import sqlalchemy as sa

from app.auth.models import Team
from app.database import utcnow
from app.extensions import db
from app.reference import Domain
from app.timeutil import zone

# The domains of the generated consents; referrals to other domains need an override.
SHARED_DOMAINS = [Domain.HOUSING, Domain.WORK, Domain.LANGUAGE, Domain.CHILDCARE]


@dataclass
class Context:
    rng: random.Random
    today: date
    # The partnerships the generated teams are spread over (their ids), and whether they were
    # made by this run (--partnerships N) or are the installation's first one.
    partnerships: list[int] = field(default_factory=list)
    new_partnerships: bool = False
    teams: list[Team] = field(default_factory=list)
    companions: dict[int, list[int]] = field(default_factory=dict)  # team id -> user ids
    leads: dict[int, list[int]] = field(default_factory=dict)
    buddies: dict[int, list[int]] = field(default_factory=dict)
    # Per partnership id, its social map as (organisation id, domains), for the referrals.
    organisations: dict[int, list[tuple[int, list]]] = field(default_factory=dict)
    # One entry per generated client: id, team_id, partnership_id, companion_id, phase,
    # registered_on, path
    # ((phase, day) pairs); with a buddy also buddy_id, buddy_since and match_id.
    clients: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, number: int) -> None:
        self.counts[what] = self.counts.get(what, 0) + number


def moment(day: date, rng: random.Random) -> datetime:
    """A plausible working-hours instant on ``day`` in Brussels, as aware UTC."""
    local = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=zone())
    return min(local.astimezone(utcnow().tzinfo), utcnow())


def insert(model, rows: list[dict], *, returning=None):
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
