"""Who is slipping away: days since the last reached contact and failed attempts since then,
for a whole list of clients in one query, judged against the phase's cadence."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlalchemy.sql.cache_key import CacheKey

from app.clients.models import Client
from app.clients.vocab import OPEN_PHASES, Phase
from app.contacts.cadence import at_risk_factor, cadence_days, due_within_days
from app.contacts.models import ClientContactStats, Contact
from app.contacts.vocab import ContactOutcome
from app.extensions import db
from app.labels import register_labels
from app.sqlfunctions import days_between
from app.timeutil import today


class OutreachStatus(enum.StrEnum):
    OK = "ok"
    DUE = "due"
    OVERDUE = "overdue"  # past the cadence
    AT_RISK = "at_risk"  # past twice the cadence (a setting): at risk of losing contact


register_labels(
    OutreachStatus,
    {
        OutreachStatus.OK: _l("On track"),
        OutreachStatus.DUE: _l("Contact due"),
        OutreachStatus.OVERDUE: _l("Overdue"),
        OutreachStatus.AT_RISK: _l("At risk of losing contact"),
    },
)


def computed_stats(client_ids=None) -> sa.Select:
    """The contact statistics computed from the contacts themselves: per client with live
    contacts (all, or those of ``client_ids``: a list or a SELECT of ids) ``last_reached_at``,
    ``last_reached_on`` (a Brussels date), ``failed_attempts`` since that contact and the date
    of the latest of them (``last_attempt_on``)."""
    live = Contact.deleted_at.is_(None)
    reached = Contact.outcome == ContactOutcome.REACHED
    last = sa.select(
        Contact.client_id.label("client_id"),
        sa.func.max(sa.case((reached, Contact.occurred_at))).label("last_reached_at"),
        sa.func.max(sa.case((reached, Contact.occurred_on))).label("last_reached_on"),
    ).where(live)
    if client_ids is not None:
        last = last.where(Contact.client_id.in_(client_ids))
    last = last.group_by(Contact.client_id).subquery("last_reached")
    attempt = aliased(Contact)
    failed_since = sa.and_(
        attempt.outcome == ContactOutcome.ATTEMPT,
        sa.or_(last.c.last_reached_at.is_(None), attempt.occurred_at > last.c.last_reached_at),
    )
    return (
        sa.select(
            last.c.client_id,
            last.c.last_reached_at,
            last.c.last_reached_on,
            sa.func.coalesce(sa.func.sum(sa.case((failed_since, 1), else_=0)), 0).label(
                "failed_attempts"
            ),
            sa.func.max(sa.case((failed_since, attempt.occurred_on))).label("last_attempt_on"),
        )
        .select_from(last)
        .join(attempt, sa.and_(attempt.client_id == last.c.client_id, attempt.deleted_at.is_(None)))
        .group_by(last.c.client_id, last.c.last_reached_at, last.c.last_reached_on)
    )


_STATS_COLUMNS = ["client_id", "last_reached_at", "last_reached_on", "failed_attempts",
                  "last_attempt_on"]  # fmt: skip


def refresh_stats(client_ids=None, *, added: bool = False) -> None:
    """Recompute the stored statistics of these clients (a list or a SELECT of ids; all when
    None) from their contacts. Every write of a contact calls it for its client, in the same
    transaction, so the stored row never disagrees with the contacts. ``added``: a contact
    was just added to each of them, so each has a row to write (one upsert, no delete)."""
    db.session.flush()
    if isinstance(client_ids, list | tuple | set):
        if client_ids:  # the common case, on every contact written: prepared statements
            _serialise_per_client(client_ids)
            params = {"ids": list(client_ids)}
            if added:
                db.session.execute(_upsert_statement(db.session.get_bind().dialect.name), params)
                return
            delete, insert = _refresh_statements()
            db.session.execute(delete, params)
            db.session.execute(insert, params)
        return
    stale = sa.delete(ClientContactStats)
    if client_ids is not None:
        stale = stale.where(ClientContactStats.client_id.in_(client_ids))
    db.session.execute(stale)
    db.session.execute(
        sa.insert(ClientContactStats).from_select(_STATS_COLUMNS, computed_stats(client_ids))
    )


_STATS_LOCK_SPACE = 4201  # pg_advisory_xact_lock(space, client id): one writer per client


def _serialise_per_client(client_ids) -> None:
    """Two contacts written at once for one client (two tablets) must not both rewrite its row
    from snapshots that miss the other: on PostgreSQL the second waits for the first to
    commit, then recomputes seeing both. SQLite already runs one writer at a time."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for client_id in sorted(set(client_ids)):  # always in the same order: no deadlock
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_STATS_LOCK_SPACE, client_id)))


@functools.cache
def _refresh_statements() -> tuple[sa.Delete, sa.Insert]:
    """Built once: constructing the aggregate costs more than running it for one client."""
    ids = sa.bindparam("ids", expanding=True)
    table = ClientContactStats.__table__  # Core statements: the ids are a parameter, not rows
    return (
        sa.delete(table).where(table.c.client_id.in_(ids)),
        sa.insert(table).from_select(_STATS_COLUMNS, computed_stats(ids)),
    )


@functools.cache
def _upsert_statement(dialect: str) -> sa.Insert:
    """The computed rows written over the stored ones (both databases say ON CONFLICT)."""
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = ClientContactStats.__table__
    insert = dialect_insert(table).from_select(
        _STATS_COLUMNS, computed_stats(sa.bindparam("ids", expanding=True))
    )
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.client_id],
        set_={name: insert.excluded[name] for name in _STATS_COLUMNS if name != "client_id"},
    )
    # SQLAlchemy (2.0) gives no ON CONFLICT statement a cache key, so it compiled this one, an
    # aggregate, again for every contact written (some 0.9 ms, inside the write lock). Built
    # once and never changed, the statement is its own key: compiled once per database, its
    # values (apart from the ids, given at each execution) are those it was built with.
    key = CacheKey((__name__, "stats upsert", dialect), [])
    upsert._generate_cache_key = lambda: key
    return upsert


def contact_stats(client_scope) -> sa.Subquery:
    """Per client in ``client_scope`` (a WHERE clause on Client) with live contacts:
    ``last_reached_on`` (a Brussels date), ``failed_attempts`` since that contact and the date
    of the latest of them (``last_attempt_on``) — read from the stored statistics."""
    stats = ClientContactStats
    return (
        sa.select(
            stats.client_id,
            stats.last_reached_on,
            stats.failed_attempts,
            stats.last_attempt_on,
        )
        .join(Client, Client.id == stats.client_id)
        .where(client_scope)
        .subquery("contact_stats")
    )


def with_contact_stats(stmt: sa.Select) -> tuple[sa.Select, sa.ColumnElement]:
    """Add ``last_reached_on`` and ``failed_attempts`` columns to a ``select(Client)`` (that
    statement is scoped; each of its clients looks up its own row of statistics, by key,
    instead of joining a second scoped copy of the clients: that one made PostgreSQL probe
    the statistics once per client of the team and then hash them onto the list, 9,000
    buffers at 100,000 clients for 2,500 rows); also returns the reference date to sort by
    (registration when nobody was reached yet)."""
    stats = ClientContactStats
    stmt = stmt.add_columns(stats.last_reached_on, stats.failed_attempts).outerjoin(
        stats, stats.client_id == Client.id
    )
    return stmt, sa.func.coalesce(stats.last_reached_on, Client.registered_on)


@dataclass(frozen=True)
class ContactHealth:
    last_reached_on: date | None
    reference_on: date  # the last reached contact, or the registration
    days: int
    failed_attempts: int
    cadence: int | None
    status: OutreachStatus | None  # None for a closed trajectory

    @property
    def never_reached(self) -> bool:
        return self.last_reached_on is None


@dataclass(frozen=True)
class Thresholds:
    """What the health is judged by (the settings of the partnership worked in): read once
    for a whole list rather than again for each of its clients."""

    cadences: dict  # Phase -> days (None for a closed trajectory)
    at_risk_factor: int
    due_within_days: int

    @classmethod
    def now(cls) -> Thresholds:
        return cls(
            cadences={phase: cadence_days(phase) for phase in Phase},
            at_risk_factor=at_risk_factor(),
            due_within_days=due_within_days(),
        )


def status_for(
    days: int, cadence: int | None, thresholds: Thresholds | None = None
) -> OutreachStatus | None:
    if cadence is None:
        return None
    factor = thresholds.at_risk_factor if thresholds else at_risk_factor()
    due_within = thresholds.due_within_days if thresholds else due_within_days()
    if days > factor * cadence:
        return OutreachStatus.AT_RISK
    if days > cadence:
        return OutreachStatus.OVERDUE
    if days >= cadence - due_within:
        return OutreachStatus.DUE
    return OutreachStatus.OK


def days_since_sql(reference, on: date) -> sa.ColumnElement:
    """SQL twin of ``health().days``: whole days from ``reference`` (the last reached contact
    or the registration) to ``on``, never below zero."""
    days = days_between(reference, on)
    return sa.case((days < 0, 0), else_=days)


def cadence_sql(phase=Client.phase) -> sa.ColumnElement:
    """SQL twin of ``cadence_days``: the cadence of each row's phase from the settings (NULL
    for a closed trajectory)."""
    return sa.case({p: cadence_days(p) for p in OPEN_PHASES}, value=phase, else_=sa.null())


def status_sql(days, cadence) -> dict[OutreachStatus, sa.ColumnElement]:
    """SQL twin of ``status_for``: one condition per status, exclusive as there (a client at
    risk is not also overdue); all false when the cadence is NULL."""
    at_risk_after = cadence * at_risk_factor()
    due_from = cadence - due_within_days()
    return {
        OutreachStatus.AT_RISK: days > at_risk_after,
        OutreachStatus.OVERDUE: sa.and_(days > cadence, days <= at_risk_after),
        OutreachStatus.DUE: sa.and_(days >= due_from, days <= cadence),
        OutreachStatus.OK: days < due_from,
    }


def status_conditions(reference, on: date, phase=Client.phase) -> dict:
    """The outreach status of each row, in SQL: ``status_sql`` over the days from
    ``reference`` (the last reached contact, else the registration) to ``on`` and the cadence
    of ``phase``: the reminder rules judge as ``health`` does for one client."""
    return status_sql(days_since_sql(reference, on), cadence_sql(phase))


def past_cadence(status: dict) -> sa.ColumnElement:
    """Overdue or at risk: more days without a reached contact than the phase's cadence."""
    return sa.or_(status[OutreachStatus.OVERDUE], status[OutreachStatus.AT_RISK])


def health(
    client: Client,
    last_reached_on: date | None,
    failed_attempts: int | None,
    *,
    on=None,
    thresholds: Thresholds | None = None,
) -> ContactHealth:
    """Judge one client from the numbers ``contact_stats`` gave (no query); a list passes
    the ``thresholds`` it read once."""
    reference = last_reached_on or client.registered_on
    days = max(((on or today()) - reference).days, 0)
    cadence = thresholds.cadences[client.phase] if thresholds else cadence_days(client.phase)
    return ContactHealth(
        last_reached_on=last_reached_on,
        reference_on=reference,
        days=days,
        failed_attempts=int(failed_attempts or 0),
        cadence=cadence,
        status=status_for(days, cadence, thresholds) if client.phase != Phase.CLOSED else None,
    )


def health_of(client: Client) -> ContactHealth:
    """One client's outreach health (for the client page, which loads the statistics with
    the client; elsewhere one query)."""
    if "contact_stats" not in sa.inspect(client).unloaded:
        row = client.contact_stats
        return health(client, *((row.last_reached_on, row.failed_attempts) if row else (None, 0)))
    stats = contact_stats(Client.id == client.id)
    row = db.session.execute(sa.select(stats.c.last_reached_on, stats.c.failed_attempts)).first()
    return health(client, *(row or (None, 0)))
