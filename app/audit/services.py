"""Recording audit events: one helper used by every domain.

An event belongs to the request's transaction: it is stored when that transaction commits and
dropped when it rolls back, like the change it records. Events of read requests (GET, HEAD:
a client page viewed, a sensitive note read, an export) are added to the session only when the
transaction commits, not when they are recorded: the first write of a read request takes
SQLite's write lock (app/database.py), and holding it while the page renders would make every
other writer wait. Nothing is shown unaudited: the request's commit in ``after_request`` runs
before the response leaves, and a failed commit fails the response.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, SessionTransaction

from app.audit.models import AuditEvent, audit_event_client
from app.extensions import db

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_HELD = "gezel_audit_held"  # session.info: events of a read request, added at commit


def request_address() -> str | None:
    """The client's address as the app sees it (ProxyFix applies X-Forwarded-For when set)."""
    if not has_request_context():
        return None
    return (request.remote_addr or "")[:64] or None


def record(
    action: str,
    obj: Any = None,
    *,
    user: Any = None,
    actor: str | None = None,
    client_id: int | None = None,
    client_ids: Iterable[int] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session: ``action`` on ``obj`` by ``user`` (default: the
    signed-in user). ``client_id`` ties the event to a client's file; it is taken from
    ``obj.client_id`` or a client object when not given. ``client_ids`` are the files an
    event about many concerns (an export, an API list): linked in ``audit_event_client``."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    if obj is not None and getattr(obj, "id", 0) is None:
        db.session.flush()  # the event names the object by id
    if obj is not None and client_id is None:
        client_id = getattr(obj, "client_id", None)
        if client_id is None and obj.__class__.__name__ == "Client":
            client_id = obj.id
    event = AuditEvent(
        user_id=getattr(user, "id", None),
        actor=actor or getattr(user, "username", None),
        action=action,
        object_type=obj.__class__.__name__ if obj is not None else None,
        object_id=str(obj.id) if getattr(obj, "id", None) is not None else None,
        client_id=client_id,
        address=request_address(),
        details=details,
    )
    if client_ids is not None:
        event.linked_client_ids = sorted(set(client_ids) - {client_id})
    if has_request_context() and request.method in _READ_METHODS:
        db.session.info.setdefault(_HELD, []).append(event)
    else:
        db.session.add(event)
        _link_clients(db.session, [event])
    return event


def _link_clients(session: Session, events: list[AuditEvent]) -> None:
    """One multi-row insert per event that concerns many clients (cheap for large exports)."""
    linked = [e for e in events if getattr(e, "linked_client_ids", None)]
    if not linked:
        return
    session.flush()
    for event in linked:
        session.execute(
            sa.insert(audit_event_client),
            [{"event_id": event.id, "client_id": cid} for cid in event.linked_client_ids],
        )
        event.linked_client_ids = []


def concerning(client_id: int):
    """A clause for the events that concern this client: its own, and those linking it."""
    linked = sa.select(audit_event_client.c.event_id).where(
        audit_event_client.c.client_id == client_id
    )
    return sa.or_(AuditEvent.client_id == client_id, AuditEvent.id.in_(linked))


_COLUMNS = ("user_id", "actor", "action", "object_type", "object_id", "client_id", "address")


@sa_event.listens_for(Session, "before_commit")
def _add_held_events(session: Session) -> None:
    held = session.info.pop(_HELD, None)
    if not held:
        return
    linked = [e for e in held if getattr(e, "linked_client_ids", None)]
    plain = [e for e in held if not getattr(e, "linked_client_ids", None)]
    if plain:  # one statement for all (a page view with sensitive notes records several)
        session.execute(
            sa.insert(AuditEvent),
            [{**{c: getattr(e, c) for c in _COLUMNS}, "details": e.details} for e in plain],
        )
    if linked:  # their ids name them in audit_event_client
        session.add_all(linked)
        _link_clients(session, linked)


@sa_event.listens_for(Session, "after_soft_rollback")
def _drop_held_events(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(_HELD, None)
