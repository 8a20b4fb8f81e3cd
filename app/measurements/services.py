"""Recording self-reliance measurements and reading them back: history, deltas, what is due.

Everything is driven by the instrument rows (domains and levels), never by code per
instrument. Services flush; the request commits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, lazyload

from app.audit import services as audit
from app.bounds import max_length
from app.clients.models import Client
from app.clients.vocab import Phase
from app.errors import DomainError
from app.extensions import db
from app.measurements import loader
from app.measurements.models import Instrument, InstrumentDomain, Measurement, MeasurementScore
from app.measurements.vocab import MeasurementKind
from app.partnerships.services import working_partnership_id
from app.settings.registry import get_setting
from app.sqlfunctions import add_months, latest_start
from app.timeutil import today

NOTE_MAX = max_length(MeasurementScore.note)  # a domain's note; the form and the API too


def visible_clause():
    """The instruments of the installation (shared by every partnership) and those of the
    current partnership; another partnership's own instruments are not there."""
    partnership_id = working_partnership_id()
    if partnership_id is None:
        return Instrument.partnership_id.is_(None)
    return sa.or_(Instrument.partnership_id.is_(None), Instrument.partnership_id == partnership_id)


def active_instruments() -> list[Instrument]:
    return list(
        db.session.scalars(
            sa.select(Instrument).where(Instrument.active, visible_clause()).order_by(Instrument.id)
        )
    )


def all_instruments() -> list[Instrument]:
    """Every instrument, the active ones first (domains and levels loaded)."""
    return list(
        db.session.scalars(
            sa.select(Instrument)
            .where(visible_clause())
            .order_by(Instrument.active.desc(), Instrument.id)
        )
    )


def default_instrument() -> Instrument | None:
    """The instrument the dashboards report on: the first active one (the partnership's own
    instrument is loaded first)."""
    return db.session.scalar(
        sa.select(Instrument)
        .where(Instrument.active, visible_clause())
        .order_by(Instrument.id)
        .limit(1)
    )


def get_instrument(code: str | None) -> Instrument | None:
    if not code:
        return None
    return db.session.scalar(sa.select(Instrument).where(Instrument.code == code, visible_clause()))


def add_instrument(data: dict) -> Instrument:
    """Load an instrument from its data (the same loader as the shipped ones); returns it.
    Raises loader.InstrumentDataError for data that does not describe an instrument."""
    loader.load_instrument(db.session.connection(), data)
    db.session.expire_all()
    return get_instrument(data["code"])


def first_instrument_for(client: Client) -> tuple[Instrument | None, date | None]:
    """``instruments_for(client)[0]`` with its domains (not its levels), and the day the
    client was last measured (None: never), in one statement (for the client page)."""
    row = db.session.execute(_first_instrument_statement(), {"client_id": client.id}).first()
    if row is None:
        return None, _last_measured_on(client)
    return row[0], row[1]


@functools.cache
def _first_instrument_statement() -> sa.Select:
    """``first_instrument_for``'s statement, built once (the client's id is its parameter)."""
    client_id = sa.bindparam("client_id")
    used = (
        sa.exists()
        .where(Measurement.client_id == client_id, Measurement.instrument_id == Instrument.id)
        .correlate(Instrument)
    )
    last = (
        sa.select(sa.func.max(Measurement.measured_on))
        .where(Measurement.client_id == client_id)
        .scalar_subquery()
    )
    return (
        sa.select(Instrument, last.label("last_measured_on"))
        .where(sa.or_(Instrument.active, used))
        .order_by(sa.case((used, 0), else_=1), Instrument.id)
        .limit(1)
        .options(joinedload(Instrument.domains), lazyload(Instrument.levels))
    )


def instruments_for(client: Client) -> list[Instrument]:
    """The instruments this client was measured with, then the other active ones."""
    used = (
        sa.exists()
        .where(Measurement.client_id == client.id, Measurement.instrument_id == Instrument.id)
        .correlate(Instrument)
    )
    found = db.session.execute(
        sa.select(Instrument, used.label("used"))
        .where(sa.or_(Instrument.active, used), visible_clause())
        .order_by(Instrument.id)
    ).all()
    return [row[0] for row in sorted(found, key=lambda row: (not row[1], row[0].id))]


def history(client: Client, instrument: Instrument) -> list[Measurement]:
    """The client's measurements with this instrument, oldest first (scores loaded)."""
    return list(
        db.session.scalars(
            sa.select(Measurement)
            .where(Measurement.client_id == client.id, Measurement.instrument_id == instrument.id)
            .order_by(Measurement.measured_on, Measurement.id)
        )
    )


def suggested_kind(client: Client, instrument: Instrument) -> MeasurementKind:
    if client.phase == Phase.CLOSED:
        return MeasurementKind.CLOSURE
    has_any = db.session.scalar(
        sa.select(Measurement.id).where(
            Measurement.client_id == client.id, Measurement.instrument_id == instrument.id
        )
    )
    return MeasurementKind.PERIODIC if has_any else MeasurementKind.INTAKE


def _check(
    client: Client,
    instrument: Instrument,
    *,
    measured_on: date,
    kind: MeasurementKind | str,
    scores: dict[str, Any],
    notes: dict[str, str | None],
    measurement: Measurement | None = None,
) -> tuple[MeasurementKind, list[tuple[InstrumentDomain, int, str | None]]]:
    if not instrument.active:
        raise DomainError(_("This instrument is no longer in use."), 409, field="instrument")
    try:
        kind = MeasurementKind(kind)
    except ValueError:
        raise DomainError(_("Choose the kind of measurement."), 422, field="kind") from None
    if measured_on is None or measured_on > today():
        raise DomainError(_("The date cannot be in the future."), 422, field="measured_on")
    if measured_on < client.registered_on:
        raise DomainError(
            _("The date cannot be before the person was registered."), 422, field="measured_on"
        )
    domains = {domain.code: domain for domain in instrument.domains}
    unknown = sorted(set(scores) - set(domains)) or sorted(set(notes) - set(domains))
    if unknown:
        field = f"score_{unknown[0]}" if unknown[0] in scores else f"note_{unknown[0]}"
        raise DomainError(_("Only the domains of this instrument can be scored."), 422, field=field)
    low, high = instrument.scale
    rows = []
    for code, domain in domains.items():
        raw = scores.get(code)
        note = (notes.get(code) or "").strip() or None
        if raw in (None, ""):
            if note:
                raise DomainError(_("Give a score to go with the note."), 422, f"score_{code}")
            continue
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise DomainError(
                _("Choose a level from %(low)d to %(high)d.", low=low, high=high),
                422,
                field=f"score_{code}",
            )
        if note and len(note) > NOTE_MAX:
            raise DomainError(
                _("At most %(max)d characters.", max=NOTE_MAX), 422, field=f"note_{code}"
            )
        rows.append((domain, raw, note))
    if not rows:
        raise DomainError(_("Score at least one domain."), 422, field="scores")
    if kind == MeasurementKind.INTAKE:
        other_intake = sa.select(Measurement.id).where(
            Measurement.client_id == client.id,
            Measurement.instrument_id == instrument.id,
            Measurement.kind == MeasurementKind.INTAKE,
        )
        if measurement is not None:
            other_intake = other_intake.where(Measurement.id != measurement.id)
        if db.session.scalar(other_intake) is not None:
            raise DomainError(
                _("There is already an intake measurement with this instrument."),
                409,
                field="kind",
            )
    return kind, rows


def record_measurement(
    client: Client,
    instrument: Instrument,
    *,
    measured_on: date,
    kind: MeasurementKind | str,
    scores: dict[str, Any],
    notes: dict[str, str | None] | None = None,
    by,
) -> Measurement:
    """Add a measurement of ``client`` with ``instrument``: a score (and optional note) per
    domain, keyed by domain code; domains left out are not scored. Audited. Raises
    DomainError for a score outside the scale, an unknown domain, an inactive instrument, a
    date in the future or a second intake; nothing is stored then."""
    kind, rows = _check(
        client, instrument, measured_on=measured_on, kind=kind, scores=scores, notes=notes or {}
    )
    measurement = Measurement(
        client_id=client.id,
        instrument=instrument,
        measured_on=measured_on,
        kind=kind,
        recorded_by_id=by.id if by else None,
        scores=[MeasurementScore(domain=d, score=s, note=n) for d, s, n in rows],
    )
    db.session.add(measurement)
    db.session.flush()
    audit.record(
        "measurement.created",
        measurement,
        user=by,
        details={"instrument": instrument.code, "kind": kind.value, "domains": len(rows)},
    )
    return measurement


def update_measurement(
    measurement: Measurement,
    *,
    measured_on: date,
    kind: MeasurementKind | str,
    scores: dict[str, Any],
    notes: dict[str, str | None] | None = None,
    by,
) -> None:
    """Correct a measurement: date, kind, scores and notes (same rules as recording)."""
    client = db.session.get(Client, measurement.client_id)
    kind, rows = _check(
        client,
        measurement.instrument,
        measured_on=measured_on,
        kind=kind,
        scores=scores,
        notes=notes or {},
        measurement=measurement,
    )
    measurement.measured_on, measurement.kind = measured_on, kind
    current = {score.domain_id: score for score in measurement.scores}
    wanted = {domain.id: (score, note) for domain, score, note in rows}
    measurement.scores = [s for s in measurement.scores if s.domain_id in wanted]
    for domain, score, note in rows:
        if domain.id in current:
            current[domain.id].score, current[domain.id].note = score, note
        else:
            measurement.scores.append(MeasurementScore(domain=domain, score=score, note=note))
    db.session.flush()
    audit.record(
        "measurement.updated",
        measurement,
        user=by,
        details={"instrument": measurement.instrument.code, "kind": kind.value},
    )


def deltas_query(instrument_id: int, clients=None, *, until: date | None = None) -> sa.Select:
    """Per client and domain: the first score, the latest score and the change, for one
    instrument, in SQL (the dashboards reuse it). ``clients``: client ids, or a select of
    them (e.g. from the scoping helper); None for every client. ``until``: only measurements
    on or before that day. Columns: client_id, domain_id, first, latest, change,
    measurements (how often the domain was scored)."""
    # One window order (a single sort): the position from the first, and how many there are.
    per_client_domain = (Measurement.client_id, MeasurementScore.domain_id)
    ranked = (
        sa.select(
            Measurement.client_id,
            MeasurementScore.domain_id,
            MeasurementScore.score,
            sa.func.row_number()
            .over(
                partition_by=per_client_domain,
                order_by=(Measurement.measured_on, Measurement.id),
            )
            .label("position"),
            sa.func.count().over(partition_by=per_client_domain).label("scored"),
        )
        .join(Measurement, Measurement.id == MeasurementScore.measurement_id)
        .where(Measurement.instrument_id == instrument_id)
    )
    if clients is not None:
        ranked = ranked.where(Measurement.client_id.in_(clients))
    if until is not None:
        ranked = ranked.where(Measurement.measured_on <= until)
    ranked = ranked.subquery()
    first = sa.func.max(sa.case((ranked.c.position == 1, ranked.c.score)))
    latest = sa.func.max(sa.case((ranked.c.position == ranked.c.scored, ranked.c.score)))
    return sa.select(
        ranked.c.client_id,
        ranked.c.domain_id,
        first.label("first"),
        latest.label("latest"),
        (latest - first).label("change"),
        sa.func.count().label("measurements"),
    ).group_by(ranked.c.client_id, ranked.c.domain_id)


@dataclass(frozen=True)
class DomainDelta:
    domain: InstrumentDomain
    first: int
    latest: int
    change: int
    measurements: int


def client_deltas(client: Client, instrument: Instrument) -> list[DomainDelta]:
    """First, latest and change per scored domain of ``client``, in the instrument's order."""
    rows = db.session.execute(_client_deltas_statement(instrument.id), {"clients": [client.id]})
    by_domain = {row.domain_id: row for row in rows}
    return [
        DomainDelta(domain, row.first, row.latest, row.change, row.measurements)
        for domain in instrument.domains
        if (row := by_domain.get(domain.id)) is not None
    ]


@functools.lru_cache(maxsize=64)
def _client_deltas_statement(instrument_id: int) -> sa.Select:
    """``deltas_query`` for one instrument and the clients given as ``clients``, built once
    per instrument (the same statement as with the list of ids written in)."""
    return deltas_query(instrument_id, sa.bindparam("clients", expanding=True))


def interval_months() -> int:
    """Months between periodic measurements (an admin setting, 3 by default)."""
    return get_setting("reminders.measurement_months")


def due_measurements_query(on: date, months: int | None = None) -> sa.Select:
    """Clients in the trajectory due for a periodic measurement on ``on``: their last
    measurement (any instrument), or their start in the trajectory when that is later, lies
    ``months`` or more ago. Columns client_id, since, due_on; set-based, for the reminder."""
    months = months or interval_months()
    cutoff = latest_start(on, months)  # a client is due when nothing happened after it
    measured_since = sa.exists().where(
        Measurement.client_id == Client.id, Measurement.measured_on > cutoff
    )
    last = (
        sa.select(sa.func.max(Measurement.measured_on))
        .where(Measurement.client_id == Client.id)
        .correlate(Client)
        .scalar_subquery()
    )
    since = sa.func.coalesce(last, Client.phase_since)  # the last is never after the cutoff
    since = sa.case((since > Client.phase_since, since), else_=Client.phase_since)
    return sa.select(
        Client.id.label("client_id"),
        since.label("since"),
        add_months(since, months).label("due_on"),
    ).where(
        Client.phase == Phase.TRAJECTORY,
        Client.merged_into_id.is_(None),
        Client.phase_since <= cutoff,
        sa.not_(measured_since),
    )


@dataclass(frozen=True)
class DueMeasurement:
    client_id: int
    since: date
    due_on: date


def due_periodic_measurements(on: date | None = None, clients=None) -> list[DueMeasurement]:
    """The clients due for a periodic measurement (see due_measurements_query); ``clients``:
    optional client ids, or a select of them, to limit to."""
    due = due_measurements_query(on or today()).subquery()
    stmt = sa.select(due).order_by(due.c.client_id)
    if clients is not None:
        stmt = stmt.where(due.c.client_id.in_(clients))
    return [DueMeasurement(*row) for row in db.session.execute(stmt)]


def next_measurement_due(client: Client) -> date | None:
    """When the next periodic measurement of a client in the trajectory is due."""
    if client.phase != Phase.TRAJECTORY:
        return None
    return next_due_after(client, _last_measured_on(client))


def _last_measured_on(client: Client) -> date | None:
    return db.session.scalar(
        sa.select(sa.func.max(Measurement.measured_on)).where(Measurement.client_id == client.id)
    )


def next_due_after(client: Client, last: date | None) -> date | None:
    """``next_measurement_due`` when the client was last measured on ``last``."""
    if client.phase != Phase.TRAJECTORY:
        return None
    since = max(last, client.phase_since) if last else client.phase_since
    return since + relativedelta(months=interval_months())
