"""Recording audit events: one helper used by every domain."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEvent
from app.extensions import db


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
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session: ``action`` on ``obj`` by ``user`` (default: the
    signed-in user). ``client_id`` ties the event to a client's file; it is taken from
    ``obj.client_id`` or a client object when not given."""
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
    db.session.add(event)
    return event
