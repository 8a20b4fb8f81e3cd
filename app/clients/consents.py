"""Informed consent: recording, withdrawal and the plain status shown on the profile."""

from __future__ import annotations

import enum
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.clients import consent_texts, signatures
from app.clients.models import Client, Consent, ConsentScope
from app.clients.vocab import LANGUAGE_CODES
from app.errors import DomainError
from app.extensions import db
from app.labels import register_labels
from app.reference import Domain
from app.timeutil import today


class ConsentStatus(enum.StrEnum):
    NONE = "none"
    GIVEN = "given"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


register_labels(
    ConsentStatus,
    {
        ConsentStatus.NONE: _l("No consent"),
        ConsentStatus.GIVEN: _l("Consent given"),
        ConsentStatus.EXPIRED: _l("Consent expired"),
        ConsentStatus.WITHDRAWN: _l("Consent withdrawn"),
    },
)


def status_of(consent: Consent | None, day: date | None = None) -> ConsentStatus:
    day = day or today()
    if consent is None:
        return ConsentStatus.NONE
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return ConsentStatus.WITHDRAWN
    if consent.expires_on is not None and consent.expires_on < day:
        return ConsentStatus.EXPIRED
    return ConsentStatus.GIVEN


def current_consent(client: Client) -> Consent | None:
    """The most recent consent (by date given); it decides the client's status."""
    return client.consents[0] if client.consents else None


def consent_status(client: Client, day: date | None = None) -> ConsentStatus:
    return status_of(current_consent(client), day)


def valid_consent(client: Client, day: date | None = None) -> Consent | None:
    consent = current_consent(client)
    return consent if status_of(consent, day) == ConsentStatus.GIVEN else None


def covers_domain(consent: Consent | None, domain: Domain) -> bool:
    return consent is not None and domain in consent.shared_domains


def covers(consent: Consent | None, *, organisation_id: int | None, domain: Domain | None) -> bool:
    """Whether this consent allows sharing with that organisation, or for that domain."""
    if consent is None:
        return False
    return (organisation_id is not None and organisation_id in consent.shared_organisation_ids) or (
        domain is not None and domain in consent.shared_domains
    )


def record_consent(
    client: Client,
    *,
    given_on: date,
    explained_in: str,
    interpreter_used: bool,
    processing: bool,
    domains: list[Domain],
    expires_on: date | None,
    note: str | None,
    by,
    organisation_ids: list[int] | None = None,
    signed: bool = False,
    signature: str | None = None,
) -> Consent:
    """Add a consent record; it becomes the client's current consent. The explanation text
    in ``explained_in`` (or Dutch) is stored with it as shown. ``signed``: the person signed
    on the screen, ``signature`` holds the strokes (an empty one is refused, nothing stored);
    else the consent is recorded as given without a signature."""
    if given_on > today():
        raise DomainError(_("The date cannot be in the future."), field="given_on")
    if expires_on is not None and expires_on <= given_on:
        raise DomainError(_("The expiry date must come after the date given."), field="expires_on")
    if explained_in not in LANGUAGE_CODES:
        raise DomainError(_("Choose a language from the list."), field="explained_in")
    if not processing:
        raise DomainError(
            _("Without consent to process data there is nothing to record."), field="processing"
        )
    signature_svg = signatures.svg(signatures.strokes_from(signature)) if signed else None
    text = consent_texts.text_for(explained_in)
    consent = Consent(
        explanation_text=text.text,
        text_language=text.language,
        signature_svg=signature_svg,
        given_on=given_on,
        explained_in=explained_in,
        interpreter_used=interpreter_used,
        processing=processing,
        expires_on=expires_on,
        note=(note or "").strip() or None,
        recorded_by_id=by.id if by else None,
        scopes=[ConsentScope(domain=Domain(d)) for d in dict.fromkeys(domains)]
        + [ConsentScope(organisation_id=o) for o in dict.fromkeys(organisation_ids or [])],
    )
    client.consents.append(consent)
    db.session.flush()
    db.session.expire(client, ["consents"])  # reload in date order: the newest decides
    audit.record(
        "client.consent_recorded",
        client,
        user=by,
        details={
            "domains": [Domain(d).value for d in domains],
            "organisations": list(dict.fromkeys(organisation_ids or [])),
            "expires_on": str(expires_on),
            "signed": signature_svg is not None,
        },
    )
    return consent


def withdraw_consent(consent: Consent, *, on: date, reason: str | None, by) -> None:
    if consent.withdrawn_on is not None:
        raise DomainError(_("This consent was already withdrawn."), 409)
    if on > today():
        raise DomainError(_("The date cannot be in the future."), field="on")
    if on < consent.given_on:
        raise DomainError(_("A consent cannot be withdrawn before it was given."), field="on")
    consent.withdrawn_on = on
    consent.withdrawal_reason = (reason or "").strip() or None
    audit.record(
        "client.consent_withdrawn", consent.client, user=by, details={"consent": consent.id}
    )
