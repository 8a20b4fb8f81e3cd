"""The scan: apply every rule as set-based SQL, idempotently.

A rule is a function returning a SELECT of candidate reminders (client, assignee, subject,
due date, priority and a dedupe key naming the *episode*). The scan then, per rule:
1. inserts candidates whose dedupe key is new (INSERT ... SELECT ... ON CONFLICT DO NOTHING);
2. reopens reminders it resolved itself whose condition came back;
3. raises the priority of existing active reminders when the candidate's is higher;
4. resolves active reminders of the rule that are no longer candidates (the condition cleared).
Running it twice, or after a crash (the scan is one transaction), changes nothing more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app import hooks
from app.clients.models import Client
from app.database import utcnow
from app.extensions import db
from app.partnerships.context import partnership_context
from app.partnerships.models import Partnership
from app.reminders.models import Reminder
from app.reminders.vocab import ACTIVE_STATUSES, ReminderStatus
from app.settings.registry import all_settings
from app.timeutil import today


@dataclass
class ScanContext:
    today: date
    now: datetime
    settings: dict
    # What several rules of one scan share (computed once, e.g. the outreach state).
    shared: dict = field(default_factory=dict)
    # False when one rule runs for one client (raise_now): nothing is worth materialising.
    share: bool = True
    # The partnership evaluated (with its own settings) and, when the installation has
    # several, ``select(Client.id)`` of its clients: candidates and resolutions stay inside.
    partnership_id: int | None = None
    client_ids: sa.Select | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    label: object  # lazy text for the inbox
    candidates: Callable[[ScanContext], sa.Select]
    # The endpoint (and its arguments) of the action that handles it, for the inbox link.
    action: Callable[[Reminder], tuple[str, dict]] | None = None
    action_label: object = None


@dataclass
class ScanResult:
    created: int = 0
    resolved: int = 0
    escalated: int = 0
    woken: int = 0
    open: int = 0
    per_rule: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)  # per rule, for `flask reminders scan --timing`

    def summary(self) -> str:
        return f"created {self.created}, resolved {self.resolved}, open {self.open}"


def key(*parts) -> sa.ColumnElement:
    """A dedupe key built in SQL from literal strings and columns, joined with ':'."""
    expression = None
    for number, part in enumerate(parts):
        is_column = isinstance(part, sa.ColumnElement) or hasattr(part, "__clause_element__")
        piece = part if is_column else sa.literal(str(part))  # Model.id is a column too
        piece = sa.func.coalesce(sa.cast(piece, sa.String), "-")
        if number:
            expression = expression + sa.literal(":") + piece
        else:
            expression = piece
    return expression


def candidate(*, assignee, client, subject, due_on, priority, dedupe_key) -> sa.Select:
    """The SELECT of a rule's candidates, with the columns named as the scan reads them."""
    if subject is None:
        subject = sa.cast(sa.null(), sa.Integer)
    if isinstance(priority, int):
        priority = sa.literal(int(priority))
    return sa.select(
        assignee.label("assignee_id"),
        client.label("client_id"),
        subject.label("subject_id"),
        due_on.label("due_on"),
        priority.label("priority"),
        dedupe_key.label("dedupe_key"),
    )


def _insert():
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


_COLUMNS = ["assignee_id", "client_id", "rule", "subject_id", "due_on", "priority", "status",
            "dedupe_key", "created_at"]  # fmt: skip


def _insert_candidates(code: str, candidates, ctx: ScanContext) -> int:
    """INSERT the candidates whose dedupe key is new; returns how many were added."""
    c = candidates.c
    rows = sa.select(
        c.assignee_id,
        c.client_id,
        sa.literal(code),
        c.subject_id,
        c.due_on,
        c.priority,
        sa.literal(ReminderStatus.OPEN.value),
        c.dedupe_key,
        sa.literal(ctx.now, type_=Reminder.created_at.type),
    ).where(sa.true())  # fmt: skip  (SQLite needs a WHERE before ON CONFLICT)
    statement = (
        _insert()(Reminder)
        .from_select(_COLUMNS, rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Reminder.id)  # counts what was really inserted, on both databases
    )
    return len(db.session.execute(statement).all())


def temporary_table(name: str, *columns: sa.Column, indexes: tuple[str, ...] = ()) -> sa.Table:
    """A TEMPORARY table: private to the scan's connection, never in the schema or the
    migrations; for results that several statements of a scan read."""
    table = sa.Table(name, sa.MetaData(), *columns, prefixes=["TEMPORARY"])
    for column in indexes:
        sa.Index(f"ix_{name}_{column}", table.c[column])
    return table


def materialise(table: sa.Table, select: sa.Select) -> sa.Table:
    """Fill ``table`` (created when missing, emptied otherwise) with the rows of ``select``."""
    db.session.execute(sa.schema.CreateTable(table, if_not_exists=True))
    for index in table.indexes:
        db.session.execute(sa.schema.CreateIndex(index, if_not_exists=True))
    db.session.execute(sa.delete(table))
    db.session.execute(sa.insert(table).from_select([c.name for c in table.c], select))
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text(f"ANALYZE {table.name}"))  # fresh row counts for the planner
    return table


def shared_table(ctx: ScanContext, table: sa.Table, select: Callable[[], sa.Select]) -> sa.Table:
    """``table`` filled with ``select()`` once per scan, for every rule that reads it."""
    if table.name not in ctx.shared:
        ctx.shared[table.name] = materialise(table, select())
    return ctx.shared[table.name]


# The candidates of one rule, computed once and read by the four statements of apply_rule
# (a rule's query can aggregate every contact: evaluating it four times would cost four times).
_CANDIDATES = temporary_table(
    "reminder_scan_candidates",
    sa.Column("assignee_id", sa.Integer),
    sa.Column("client_id", sa.Integer),
    sa.Column("subject_id", sa.Integer),
    sa.Column("due_on", sa.Date),
    sa.Column("priority", sa.Integer),
    sa.Column("dedupe_key", sa.String(160)),
    indexes=("dedupe_key",),
)


def _fill_scratch(candidates: sa.Select) -> sa.Table:
    source = candidates.subquery("candidates")
    return materialise(_CANDIDATES, sa.select(*(source.c[c.name] for c in _CANDIDATES.c)))


def _rule_candidates(rule: Rule, ctx: ScanContext) -> sa.Select:
    candidates = rule.candidates(ctx)
    if ctx.client_ids is None:
        return candidates
    everyone = candidates.subquery()
    return sa.select(everyone).where(everyone.c.client_id.in_(ctx.client_ids))


def apply_rule(rule: Rule, ctx: ScanContext) -> tuple[int, int, int]:
    candidates = _fill_scratch(_rule_candidates(rule, ctx))
    c = candidates.c
    inserted = _insert_candidates(rule.code, candidates, ctx)
    # A condition that cleared and came back (a reached contact deleted again) reopens the
    # reminder the scan itself closed; what a person closed stays closed.
    reopened = db.session.execute(
        sa.update(Reminder)
        .where(
            Reminder.rule == rule.code,  # the rule's own rows: an index range, not the table
            Reminder.dedupe_key == c.dedupe_key,
            Reminder.status == ReminderStatus.DONE,
            Reminder.resolved_by_id.is_(None),
        )
        .values(status=ReminderStatus.OPEN, resolved_at=None, priority=c.priority)
        .execution_options(synchronize_session=False)
    ).rowcount
    escalated = db.session.execute(
        sa.update(Reminder)
        .where(
            Reminder.rule == rule.code,
            Reminder.dedupe_key == c.dedupe_key,
            Reminder.status.in_(ACTIVE_STATUSES),
            Reminder.priority < c.priority,
        )
        .values(priority=c.priority)
        .execution_options(synchronize_session=False)
    ).rowcount
    within = [] if ctx.client_ids is None else [Reminder.client_id.in_(ctx.client_ids)]
    resolved = db.session.execute(
        sa.update(Reminder)
        .where(
            Reminder.rule == rule.code,
            Reminder.status.in_(ACTIVE_STATUSES),
            Reminder.dedupe_key.not_in(sa.select(c.dedupe_key)),
            *within,
        )
        .values(status=ReminderStatus.DONE, resolved_at=ctx.now, resolved_by_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return inserted + max(reopened, 0), max(resolved, 0), max(escalated, 0)


def _without_jit() -> None:
    """Switch off PostgreSQL's JIT for the rest of this transaction. The rule queries are
    costed high enough over a large data set to trigger it, and compiling them took most of
    the scan (at 100,000 clients 23.6 s of 28 s), far more than running them interpreted."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))


def scan(on: date | None = None, rules: list[str] | None = None) -> ScanResult:
    """Apply the rules (all by default) for day ``on`` (default: today in Brussels), for each
    partnership with its own settings. Flushes; the caller commits (one transaction, so a
    killed scan leaves nothing half done)."""
    _without_jit()
    day, now = on or today(), utcnow()
    result = ScanResult()
    result.woken = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.status == ReminderStatus.SNOOZED, Reminder.snoozed_until <= day)
        .values(status=ReminderStatus.OPEN, snoozed_until=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    partnership_ids = db.session.scalars(sa.select(Partnership.id).order_by(Partnership.id)).all()
    for partnership_id in partnership_ids:
        with partnership_context(partnership_id):
            ctx = ScanContext(
                today=day,
                now=now,
                settings=all_settings(partnership_id=partnership_id),
                partnership_id=partnership_id,
                # One partnership: every client is its own, no filter (the same queries).
                client_ids=None
                if len(partnership_ids) == 1
                else sa.select(Client.id).where(Client.partnership_id == partnership_id),
            )
            for rule in hooks.reminder_rules:
                if rules is not None and rule.code not in rules:
                    continue
                started = time.perf_counter()
                created, resolved, escalated = apply_rule(rule, ctx)
                spent = result.seconds.get(rule.code, 0.0)
                result.seconds[rule.code] = spent + time.perf_counter() - started
                before = result.per_rule.get(rule.code, (0, 0))
                result.per_rule[rule.code] = (before[0] + created, before[1] + resolved)
                result.created += created
                result.resolved += resolved
                result.escalated += escalated
    result.open = db.session.scalar(
        sa.select(sa.func.count(Reminder.id)).where(Reminder.status.in_(ACTIVE_STATUSES))
    )
    db.session.expire_all()
    return result


def raise_now(rule_code: str, client_id: int) -> int:
    """Apply one rule at once for one client (e.g. a buddy's worry) instead of waiting for the
    next scan. Returns how many reminders were created. The rule's query is written for
    everyone and filtered to one client, so its cost estimate can still trigger the JIT."""
    _without_jit()
    partnership_id = db.session.scalar(
        sa.select(Client.partnership_id).where(Client.id == client_id)
    )
    ctx = ScanContext(
        today=today(),
        now=utcnow(),
        settings=all_settings(partnership_id=partnership_id),
        share=False,
        partnership_id=partnership_id,
    )
    everyone = hooks.reminder_rules[rule_code].candidates(ctx).subquery()
    this_client = sa.select(everyone).where(everyone.c.client_id == client_id).subquery()
    return _insert_candidates(rule_code, this_client, ctx)
