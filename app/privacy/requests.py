"""The privacy officer's decisions on one file: legal hold, subject access, erasure.

Each is audited (who, when, which file, the decision; never the content of the file)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.audit import services as audit
from app.auth.models import User
from app.clients.models import Client
from app.errors import DomainError
from app.extensions import db
from app.privacy.anonymise import anonymise
from app.privacy.models import PrivacyRequest
from app.privacy.vocab import Decision, RequestKind
from app.timeutil import today

MAX_TEXT = 1000


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("This field is required."), 422, field)
    if len(value) > MAX_TEXT:
        raise DomainError(_("Keep it under %(n)d characters.", n=MAX_TEXT), 422, field)
    return value or None


def set_legal_hold(client: Client, *, hold: bool, reason: str | None, by: User) -> None:
    """Put a file on legal hold (no anonymisation, no erasure) or lift it."""
    if hold:
        client.legal_hold_reason = _text(reason, "reason", required=True)[:500]
    else:
        client.legal_hold_reason = None
    client.legal_hold = hold
    audit.record("privacy.legal_hold_set" if hold else "privacy.legal_hold_lifted", client, user=by)


def record_access_request(
    client: Client, *, received_on: date | None, reason: str | None, by: User
) -> PrivacyRequest:
    """A subject access request, answered with the export (app/privacy/subject_access.py)."""
    request = PrivacyRequest(
        client_id=client.id, client_code=client.code, kind=RequestKind.ACCESS,
        received_on=received_on or today(), reason=_text(reason, "reason", required=True),
        decision=Decision.GRANTED, handled_by_id=by.id,
    )  # fmt: skip
    db.session.add(request)
    db.session.flush()
    audit.record("privacy.access_request", request, user=by, client_id=client.id)
    return request


def decide_erasure(
    client: Client,
    *,
    received_on: date | None,
    reason: str | None,
    decision: Decision,
    decision_note: str | None,
    by: User,
) -> PrivacyRequest:
    """Record an erasure request with the officer's decision; granted, the file is anonymised
    at once (the retention rules). A file on legal hold cannot be erased."""
    reason = _text(reason, "reason", required=True)
    decision_note = _text(decision_note, "decision_note", required=False)
    if decision == Decision.GRANTED and client.legal_hold:
        raise DomainError(
            _("This file is on legal hold: lift the hold before granting erasure."), 409
        )
    request = PrivacyRequest(
        client_id=client.id, client_code=client.code, kind=RequestKind.ERASURE,
        received_on=received_on or today(), reason=reason, decision=decision,
        decision_note=decision_note, handled_by_id=by.id,
    )  # fmt: skip
    db.session.add(request)
    db.session.flush()
    anonymised = anonymise([client.id]) if decision == Decision.GRANTED else 0
    audit.record(
        "privacy.erasure_request",
        request,
        user=by,
        client_id=client.id,
        details={"decision": decision.value, "anonymised": anonymised},
    )
    return request
