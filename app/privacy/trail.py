"""Reading the audit trail: who viewed one file, the whole trail with filters (the privacy
officer), and unusual access. Nothing here shows note text or a client's name: an event
carries ids, codes and counts, and the few details that could hold free text are left out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.models import AuditEvent
from app.audit.services import concerning
from app.auth.models import User, team_membership
from app.bounds import date_arg
from app.clients.models import Client
from app.errors import DomainError
from app.extensions import db
from app.partnerships.context import current_partnership_id
from app.partnerships.services import only_partnership_id
from app.settings.registry import get_setting
from app.spreadsheets import CsvConvention, write_csv
from app.timeutil import local_date, start_of_local_day, to_local, today

# Reads of a file (through the web or the API) and of its sensitive notes.
FILE_READS = ("client.viewed", "api.request")
SENSITIVE_READ = "note.sensitive_read"
# Details never shown from the trail: they may hold free text about a client.
HIDDEN_DETAIL_KEYS = frozenset({"reason", "note", "body", "text", "name", "question"})


def shown_details(details: dict | None) -> str:
    """The details of an event as ``key: value`` pairs, without any free text."""
    if not details:
        return ""
    parts = []
    for key in sorted(details):
        if key in HIDDEN_DETAIL_KEYS or key == "args":
            continue
        value = details[key]
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def who_viewed(client: Client) -> sa.Select:
    """Every event concerning this file, newest first: reads through the web and the API,
    sensitive notes read, exports that contained it, and changes."""
    return (
        sa.select(AuditEvent)
        .where(concerning(client.id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )


@dataclass
class TrailFilters:
    username: str = ""
    code: str = ""
    action: str = ""
    start: date | None = None
    end: date | None = None
    client_id: int | None = None  # the client of ``code``, when there is one

    def as_args(self) -> dict:
        args = {"user": self.username, "code": self.code, "action": self.action}
        args["start"] = self.start.isoformat() if self.start else ""
        args["end"] = self.end.isoformat() if self.end else ""
        return {k: v for k, v in args.items() if v}


def parse_trail_filters(args) -> TrailFilters:
    f = TrailFilters(
        username=(args.get("user") or "").strip()[:64],
        code=(args.get("code") or "").strip().upper()[:24],
        action=(args.get("action") or "").strip()[:64],
        start=date_arg("start", args=args),
        end=date_arg("end", args=args),
    )
    if f.start and f.end and f.end < f.start:
        raise DomainError(_("The period ends before it starts."), 400, "end")
    return f


def _ours():
    """Events of the current partnership: about one of its clients, or by one of its
    accounts (another partnership's events are not in the trail). Events of nobody about
    no client (a sign-in with an unknown name, the command line) are the installation's:
    shown when it has this one partnership only."""
    partnership_id = current_partnership_id()
    if partnership_id is None:
        return sa.false()
    accounts = sa.select(User.id).where(User.partnership_id == partnership_id)
    ours = [
        Client.partnership_id == partnership_id,
        sa.and_(AuditEvent.client_id.is_(None), AuditEvent.user_id.in_(accounts)),
    ]
    if only_partnership_id() == partnership_id:
        ours.append(sa.and_(AuditEvent.client_id.is_(None), AuditEvent.user_id.is_(None)))
    return sa.or_(*ours)


def trail(f: TrailFilters) -> sa.Select:
    """``select(AuditEvent, Client.code)`` with the filters, newest first: the events of the
    current partnership (about its clients, or done by its accounts)."""
    stmt = sa.select(AuditEvent, Client.code).outerjoin(Client, Client.id == AuditEvent.client_id)
    stmt = stmt.where(_ours())
    if f.username:
        stmt = stmt.where(AuditEvent.actor == f.username)
    if f.code:
        client_id = db.session.scalar(
            sa.select(Client.id).where(
                sa.func.upper(Client.code) == f.code,
                Client.partnership_id == current_partnership_id(),
            )
        )
        f.client_id = client_id
        stmt = stmt.where(concerning(client_id) if client_id else sa.false())
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.start:
        stmt = stmt.where(AuditEvent.at >= start_of_local_day(f.start))
    if f.end:
        stmt = stmt.where(AuditEvent.at < start_of_local_day(f.end + timedelta(days=1)))
    return stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by("action")))


CSV_HEADER = ("at", "user", "action", "client_code", "object", "address", "details")


def trail_csv(f: TrailFilters, convention: CsvConvention) -> str:
    """The filtered trail as CSV in ``convention`` (text that would run as a formula is
    guarded). Times: in the user's convention as Brussels time "2026-09-01 14:03:05", which
    spreadsheets read as a date and time; in the plain format ISO 8601 with the offset."""

    def rows():
        yield CSV_HEADER
        result = db.session.execute(trail(f).execution_options(yield_per=1000))
        for event, code in result:
            obj = f"{event.object_type}:{event.object_id}" if event.object_type else ""
            at = (
                to_local(event.at).replace(tzinfo=None)
                if convention.local
                else event.at.isoformat()
            )
            yield [
                convention.value(value)
                for value in (
                    at, event.actor or "", event.action, code or "", obj,
                    event.address or "", shown_details(event.details),
                )
            ]  # fmt: skip

    return write_csv(rows(), convention)


# Unusual access.


@dataclass
class Unusual:
    day: date
    user_id: int | None
    actor: str | None
    kind: str  # "other_team_files" or "sensitive_notes"
    count: int
    limit: int


def unusual_access(start: date, end: date) -> list[Unusual]:
    """Per user and day: more than N files of clients of a team the user is not in opened
    (through the web or the API), or more than M sensitive notes read (N, M: settings)."""
    since, until = start_of_local_day(start), start_of_local_day(end + timedelta(days=1))
    in_period = sa.and_(AuditEvent.at >= since, AuditEvent.at < until)
    own_team = (
        sa.select(team_membership.c.user_id)
        .where(
            team_membership.c.user_id == AuditEvent.user_id,
            team_membership.c.team_id == Client.team_id,
        )
        .exists()
    )
    files: dict[tuple, set] = defaultdict(set)
    names: dict[int | None, str | None] = {}
    rows = db.session.execute(
        sa.select(AuditEvent.user_id, AuditEvent.actor, AuditEvent.at, AuditEvent.client_id)
        .join(Client, Client.id == AuditEvent.client_id)
        .where(in_period, AuditEvent.action.in_(FILE_READS), AuditEvent.user_id.is_not(None))
        .where(~own_team, Client.partnership_id == current_partnership_id())
    )
    for user_id, actor, at, client_id in rows:
        files[(user_id, local_date(at))].add(client_id)
        names[user_id] = actor
    notes: dict[tuple, int] = defaultdict(int)
    rows = db.session.execute(
        sa.select(AuditEvent.user_id, AuditEvent.actor, AuditEvent.at)
        .join(Client, Client.id == AuditEvent.client_id)
        .where(
            in_period,
            AuditEvent.action == SENSITIVE_READ,
            Client.partnership_id == current_partnership_id(),
        )
    )
    for user_id, actor, at in rows:
        notes[(user_id, local_date(at))] += 1
        names[user_id] = actor
    n, m = get_setting("privacy.other_team_files"), get_setting("privacy.sensitive_notes")
    found = [
        Unusual(day, uid, names[uid], "other_team_files", len(ids), n)
        for (uid, day), ids in files.items()
        if len(ids) > n
    ]
    found += [
        Unusual(day, uid, names[uid], "sensitive_notes", count, m)
        for (uid, day), count in notes.items()
        if count > m
    ]
    return sorted(found, key=lambda u: (u.day, u.actor or ""), reverse=True)


def default_period() -> tuple[date, date]:
    end = today()
    return end - timedelta(days=30), end


def user_named(username: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(
            User.username == username, User.partnership_id == current_partnership_id()
        )
    )
