"""Partner links: issuing, checking, revoking, and the one-time code that opens one.

A link is a random token e-mailed to the organisation's referral desk; only its SHA-256 hash
is stored, so a link cannot be forged or read back from the database. It works for
PARTNER_LINK_DAYS, until the companion revokes it, or until a newer link for the referral
replaces it. Opening it asks for a one-time code, e-mailed to the same address (at most
PARTNER_CODES_PER_DAY a day, PARTNER_CODE_TRIES wrong tries each, valid
PARTNER_CODE_MINUTES, used once). The browser that enters the right code holds a key to the
link in its session for PARTNER_SESSION_HOURS. Services flush; the request commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from app import hooks, mail
from app.audit import services as audit
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.partners.models import PartnerLink
from app.partners.vocab import LinkState
from app.referrals import sharing
from app.referrals.lifecycle import ReferralStatus
from app.referrals.models import Referral

PARTNER_LOCALE = "nl"  # the desks of the partnership read Dutch
PATH = "/partner/"


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _config(name: str) -> int:
    return current_app.config[name]


def live_links(referral: Referral) -> list[PartnerLink]:
    """The links of ``referral`` not revoked or replaced (expired ones included)."""
    return list(
        db.session.scalars(
            sa.select(PartnerLink).where(
                PartnerLink.referral_id == referral.id,
                PartnerLink.revoked_at.is_(None),
                PartnerLink.replaced_at.is_(None),
            )
        )
    )


def latest_link(referral: Referral) -> PartnerLink | None:
    return db.session.scalar(
        sa.select(PartnerLink)
        .where(PartnerLink.referral_id == referral.id)
        .order_by(PartnerLink.id.desc())
        .limit(1)
    )


def issue(referral: Referral, *, by, resent: bool = False) -> PartnerLink | None:
    """E-mail a new link for ``referral`` to its organisation's referral desk (queued in the
    outbox); older links stop working. None when the desk has no e-mail address. Audited."""
    email = referral.organisation.desk_email
    if not email:
        return None
    now = utcnow()
    for old in live_links(referral):
        old.replaced_at = now
        old.session_key = old.code_hash = None
    token = secrets.token_urlsafe(32)
    link = PartnerLink(
        referral_id=referral.id,
        token_hash=_hash(token),
        email=email,
        created_at=now,
        expires_at=now + timedelta(days=_config("PARTNER_LINK_DAYS")),
        created_by_id=getattr(by, "id", None),
        resent=resent,
    )
    db.session.add(link)
    db.session.flush()
    companion = referral.created_by or by
    mail.queue(
        email,
        "partner_link",
        kind="partner_link",
        locale=PARTNER_LOCALE,
        partnership_id=referral.client.partnership_id,
        path=PATH + token,
        organisation=referral.organisation,
        companion=companion,
        deadline=referral.response_deadline,
        expires_on=link.expires_at,
        resent=resent,
    )
    audit.record(
        "partner.link_sent",
        referral,
        user=by,
        actor=None if by else "system",
        details={"link": link.id, "resent": resent},
    )
    return link


@hooks.referral_sent.connect
def send_first_link(referral: Referral, *, by, **_) -> PartnerLink | None:
    """On sending the referral: the desk gets its link (when it has an e-mail address)."""
    return issue(referral, by=by)


def revoke(link: PartnerLink, *, by) -> bool:
    """The companion revokes the link: it stops working at once, in every browser."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    link.revoked_by_id = by.id
    link.session_key = link.code_hash = None
    audit.record("partner.link_revoked", link.referral, user=by, details={"link": link.id})
    return True


def available(referral: Referral) -> bool:
    """Whether the partner may still see the referral: it was sent and not withdrawn, and a
    consent it was shared under still holds (a withdrawn consent closes the page)."""
    if referral.status in (ReferralStatus.DRAFT, ReferralStatus.CANCELLED):
        return False
    if referral.client.merged_into_id is not None:
        return False
    if referral.shared_basis in sharing.CONSENTED:
        basis, _consent = sharing.consent_basis(referral)
        return basis is not None
    return referral.shared_basis is not None


def state_of(link: PartnerLink | None, now: datetime | None = None) -> LinkState:
    now = now or utcnow()
    if link is None:
        return LinkState.UNKNOWN
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.replaced_at is not None:
        return LinkState.REPLACED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    if not available(link.referral):
        return LinkState.UNAVAILABLE
    return LinkState.VALID


def find(token: str | None) -> tuple[LinkState, PartnerLink | None]:
    """The link a token names, and whether it opens the referral. Changes nothing."""
    if not token or len(token) > 100:
        return LinkState.UNKNOWN, None
    link = db.session.scalar(sa.select(PartnerLink).where(PartnerLink.token_hash == _hash(token)))
    return state_of(link), link


class CodeRefused(DomainError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message, status, "code")


def send_code(link: PartnerLink) -> None:
    """E-mail a new one-time code for ``link`` to its address (the old one stops working).
    Raises CodeRefused (429) after PARTNER_CODES_PER_DAY codes in 24 hours."""
    now = utcnow()
    if link.codes_window_start is None or now - link.codes_window_start > timedelta(days=1):
        link.codes_window_start = now
        link.codes_sent = 0
    if link.codes_sent >= _config("PARTNER_CODES_PER_DAY"):
        raise CodeRefused(
            _(
                "Too many codes were asked for this link today. Try again tomorrow, or call "
                "the trajectory companion."
            ),
            429,
        )
    code = f"{secrets.randbelow(10**6):06d}"
    link.code_hash = _hash(f"{link.id}:{code}")
    link.code_expires_at = now + timedelta(minutes=_config("PARTNER_CODE_MINUTES"))
    link.code_tries = 0
    link.codes_sent += 1
    if link.first_used_at is None:
        link.first_used_at = now
    mail.queue(
        link.email,
        "partner_code",
        kind="partner_code",
        locale=PARTNER_LOCALE,
        partnership_id=link.referral.client.partnership_id,
        code=code,
        minutes=_config("PARTNER_CODE_MINUTES"),
    )
    audit.record("partner.code_sent", link.referral, actor="partner", details={"link": link.id})


def check_code(link: PartnerLink, code: str | None) -> str:
    """Check the one-time code: right, it is used up and the returned key opens the link in
    this browser; wrong, the try is counted and CodeRefused says what to do."""
    now = utcnow()
    code = "".join((code or "").split())
    if link.code_hash is None or link.code_expires_at is None or link.code_expires_at <= now:
        raise CodeRefused(
            _("This code is no longer valid (used already, or too old). Ask for a new code.")
        )
    if link.code_tries >= _config("PARTNER_CODE_TRIES"):
        raise CodeRefused(_("Too many wrong tries. Ask for a new code."), 429)
    if not hmac.compare_digest(_hash(f"{link.id}:{code}"), link.code_hash):
        link.code_tries += 1
        audit.record(
            "partner.code_refused", link.referral, actor="partner", details={"link": link.id}
        )
        left = _config("PARTNER_CODE_TRIES") - link.code_tries
        if left <= 0:
            link.code_hash = None
            raise CodeRefused(_("Too many wrong tries. Ask for a new code."), 429)
        raise CodeRefused(_("This code is not right. Tries left: %(n)d.", n=left))
    key = secrets.token_urlsafe(24)
    link.code_hash = link.code_expires_at = None
    link.session_key = _hash(key)
    link.verified_at = now
    audit.record("partner.verified", link.referral, actor="partner", details={"link": link.id})
    return key


def opened_link(link_id, key) -> tuple[LinkState, PartnerLink | None]:
    """The link a browser holds the key to (from its session), and its state; UNKNOWN when
    the browser holds none or an old one, or its time is up."""
    if not isinstance(link_id, int) or not isinstance(key, str):
        return LinkState.UNKNOWN, None
    link = db.session.get(PartnerLink, link_id)
    if link is None:
        return LinkState.UNKNOWN, None
    state = state_of(link)
    if state != LinkState.VALID:
        return state, link
    if link.session_key is None or not hmac.compare_digest(_hash(key), link.session_key):
        return LinkState.UNKNOWN, link
    hours = timedelta(hours=_config("PARTNER_SESSION_HOURS"))
    if link.verified_at is None or link.verified_at + hours <= utcnow():
        return LinkState.UNKNOWN, link
    return LinkState.VALID, link
