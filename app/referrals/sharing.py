"""The consent gate: what of a client may be shared with the partner of a referral.

A referral is sent on the basis of a valid consent that names the organisation or covers the
referral's life domain, or - without one - on the companion's override with a written
reason, which is audited. With a covering consent the partner may learn who the person
officially is; otherwise only the preferred name, the life domain and the question.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.audit import services as audit
from app.clients.consents import covers, valid_consent
from app.clients.models import Consent
from app.errors import DomainError
from app.referrals.models import Referral
from app.referrals.vocab import SharingBasis

MINIMUM_FIELDS = ("preferred_name", "domain", "question")
IDENTITY_FIELDS = ("legal_name", "birth_year")
CONSENTED = (SharingBasis.CONSENT_ORGANISATION, SharingBasis.CONSENT_DOMAIN)
FIELD_LABELS = {
    "preferred_name": _l("preferred name"),
    "domain": _l("life domain"),
    "question": _l("the question"),
    "legal_name": _l("official name"),
    "birth_year": _l("birth year"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


class OverrideNeeded(DomainError):
    def __init__(self):
        super().__init__(
            _(
                "There is no valid consent that covers this organisation or life domain. "
                "Record the consent first, or confirm that you send it anyway and write why."
            ),
            409,
            field="consent_override",
        )


def consent_basis(referral: Referral) -> tuple[SharingBasis | None, Consent | None]:
    """The client's valid consent and how it covers this referral (organisation first), or
    (None, None) when it does not. Changes nothing."""
    consent = valid_consent(referral.client)
    if consent is None:
        return None, None
    if covers(consent, organisation_id=referral.organisation_id, domain=None):
        return SharingBasis.CONSENT_ORGANISATION, consent
    if covers(consent, organisation_id=None, domain=referral.domain):
        return SharingBasis.CONSENT_DOMAIN, consent
    return None, None


def fields_for(basis: SharingBasis | None) -> list[str]:
    """What may be shared on this basis: the minimum, plus the identity under a consent."""
    return [*MINIMUM_FIELDS, *(IDENTITY_FIELDS if basis in CONSENTED else ())]


def summary_fields(referral: Referral) -> list[str]:
    """What the printed summary may show now: what the current consent allows (a consent
    withdrawn since sending narrows it again)."""
    basis, _consent = consent_basis(referral)
    return fields_for(basis)


def pass_gate(referral: Referral, *, override: bool, override_reason: str | None, by) -> None:
    """Record on ``referral`` what is shared and why, for sending it; raises OverrideNeeded
    (409) without a covering consent and an override, or a 422 for an override without a
    reason. An override is audited with its reason."""
    basis, consent = consent_basis(referral)
    reason = None
    if basis is None:
        if not override:
            raise OverrideNeeded()
        reason = (override_reason or "").strip()
        if not reason:
            raise DomainError(
                _("Write why you send it without a covering consent."), 422, "override_reason"
            )
        basis = SharingBasis.OVERRIDE
        audit.record(
            "referral.consent_override",
            referral,
            user=by,
            details={
                "reason": reason,
                "organisation": referral.organisation_id,
                "domain": referral.domain.value,
            },
        )
    referral.shared_basis = basis
    referral.shared_consent_id = consent.id if consent else None
    referral.shared_fields = fields_for(basis)
    referral.override_reason = reason
