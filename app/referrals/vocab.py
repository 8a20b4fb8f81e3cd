"""The vocabularies of referrals: on what basis client data was shared."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class SharingBasis(enum.StrEnum):
    """Why the client's data could be shared when the referral was sent."""

    CONSENT_ORGANISATION = "consent_organisation"  # the consent names this organisation
    CONSENT_DOMAIN = "consent_domain"  # the consent covers the referral's life domain
    OVERRIDE = "override"  # no covering consent: the companion's audited decision


register_labels(
    SharingBasis,
    {
        SharingBasis.CONSENT_ORGANISATION: _l("Consent for this organisation"),
        SharingBasis.CONSENT_DOMAIN: _l("Consent for this life domain"),
        SharingBasis.OVERRIDE: _l("Without covering consent (override)"),
    },
)
