"""Making a referral and moving it through its lifecycle. Services flush; the request commits.

``move`` is the one function that changes a referral's status: it asks the lifecycle table,
writes the history row and keeps the status on the referral in step.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app import hooks
from app.audit import services as audit
from app.clients.models import Client
from app.clients.scoping import client_child_query
from app.errors import DomainError
from app.extensions import db
from app.labels import label
from app.organisations.models import Organisation
from app.organisations.services import serves
from app.reference import Domain
from app.referrals import sharing
from app.referrals.lifecycle import (
    ACCEPTING,
    APPOINTMENT_OUTCOMES,
    AWAITING_RESPONSE,
    INITIAL,
    NEEDS_APPOINTMENT_DATE,
    NEEDS_REASON,
    MoveRefused,
    ReferralStatus,
    check_move,
)
from app.referrals.models import Referral, ReferralStatusChange
from app.settings.registry import get_setting
from app.timeutil import today


class OutsideDomain(DomainError):
    """The organisation does not list the life domain: a warning the user confirms."""

    def __init__(self, organisation: Organisation, domain: Domain):
        super().__init__(
            _(
                "%(organisation)s does not list %(domain)s among its life domains. Check the "
                "choice, or confirm that you refer there anyway.",
                organisation=organisation.name,
                domain=label(domain),
            ),
            409,
            field="confirm_outside_domain",
        )


def _text(value: str | None, limit: int, field: str, *, required: bool = False) -> str | None:
    value = (value or "").strip() or None
    if required and value is None:
        raise DomainError(_("This field is required."), 422, field)
    if value is not None and len(value) > limit:
        raise DomainError(_("Use at most %(num)d characters.", num=limit), 422, field)
    return value


def default_deadline(referred_on: date) -> date:
    """The response deadline when none is given: the admin setting, in days."""
    return referred_on + timedelta(days=get_setting("referrals.response_days"))


def _check_deadline(deadline: date, start: date, *, sending: bool = False) -> None:
    if deadline < start:
        message = (
            _("The response deadline cannot be before the day it is sent.")
            if sending
            else _("The response deadline cannot be before the referral date.")
        )
        raise DomainError(message, 422, "response_deadline")


def _check_handover(warm_handover: bool, handover_on: date | None, referred_on: date) -> None:
    if not warm_handover:
        return
    if handover_on is None:
        raise DomainError(
            _("Give the date you go along with the person (warm handover)."), 422, "handover_on"
        )
    if handover_on < referred_on:
        raise DomainError(
            _("The warm handover cannot be before the referral date."), 422, "handover_on"
        )


def create_referral(
    client: Client,
    *,
    organisation: Organisation,
    domain: Domain | str,
    question: str,
    referred_on: date,
    response_deadline: date | None = None,
    warm_handover: bool = False,
    handover_on: date | None = None,
    confirm_outside_domain: bool = False,
    by,
) -> Referral:
    """Add a draft referral of ``client`` to ``organisation`` for ``domain`` (audited).
    Raises DomainError for a rule it breaks, and OutsideDomain (409) - nothing saved - when
    the organisation does not serve the domain and that was not confirmed."""
    domain = Domain(domain)
    if client.is_closed:
        raise DomainError(_("The trajectory is closed: reopen it to refer the person."), 409)
    if not organisation.active:
        raise DomainError(_("This organisation is no longer active."), 422, "organisation")
    question = _text(question, 1000, "question", required=True)
    if referred_on > today():
        raise DomainError(_("The date cannot be in the future."), 422, "referred_on")
    if referred_on < client.registered_on:
        raise DomainError(
            _("The referral cannot be before the person was registered."), 422, "referred_on"
        )
    deadline = response_deadline or default_deadline(referred_on)
    _check_deadline(deadline, referred_on)
    _check_handover(warm_handover, handover_on, referred_on)
    outside = not serves(organisation, domain)
    if outside and not confirm_outside_domain:
        raise OutsideDomain(organisation, domain)

    referral = Referral(
        client=client,
        organisation=organisation,
        domain=domain,
        question=question,
        referred_on=referred_on,
        response_deadline=deadline,
        warm_handover=warm_handover,
        handover_on=handover_on if warm_handover else None,
        status=INITIAL,
        status_since=referred_on,
        created_by_id=by.id if by else None,
    )
    referral.changes.append(
        ReferralStatusChange(
            from_status=None,
            to_status=INITIAL,
            effective_on=referred_on,
            by_id=referral.created_by_id,
        )
    )
    db.session.add(referral)
    db.session.flush()
    audit.record(
        "referral.created",
        referral,
        user=by,
        details={
            "organisation": organisation.id,
            "domain": domain.value,
            "warm_handover": warm_handover,
            "outside_domain": outside,
        },
    )
    return referral


def update_details(
    referral: Referral,
    *,
    response_deadline: date,
    warm_handover: bool,
    handover_on: date | None,
    question: str | None = None,
    by,
) -> list[str]:
    """Change the deadline and the warm handover of an open referral, and its question while
    it is a draft (after sending, the partner has it). Returns the changed fields (audited)."""
    if not referral.is_open:
        raise DomainError(_("This referral is closed: it cannot change any more."), 409)
    _check_deadline(response_deadline, referral.referred_on)
    _check_handover(warm_handover, handover_on, referral.referred_on)
    values = {
        "response_deadline": response_deadline,
        "warm_handover": warm_handover,
        "handover_on": handover_on if warm_handover else None,
    }
    if referral.status == ReferralStatus.DRAFT and question is not None:
        values["question"] = _text(question, 1000, "question", required=True)
    changed = [name for name, value in values.items() if getattr(referral, name) != value]
    for name in changed:
        setattr(referral, name, values[name])
    if changed:
        audit.record("referral.updated", referral, user=by, details={"fields": changed})
    return changed


def move(
    referral: Referral,
    target: ReferralStatus | str,
    *,
    by,
    on: date | None = None,
    reason: str | None = None,
    appointment_on: date | None = None,
    note: str | None = None,
    response_deadline: date | None = None,
    consent_override: bool = False,
    override_reason: str | None = None,
    partner: str | None = None,
) -> ReferralStatusChange:
    """Move ``referral`` to ``target``: record the history row, keep the status (and the
    dates it implies) on the referral in step, and audit it. Raises DomainError (nothing
    changed) for a move the lifecycle forbids, a missing reason or date, or - when sending -
    a missing consent without an override.

    ``partner`` names the partner's desk when it made the move through its link (then ``by``
    is None and the audit actor is "partner"). Sending a referral to an organisation whose
    referral desk has an e-mail address e-mails the desk a partner link (app/partners)."""
    target = ReferralStatus(target)
    current = referral.status
    try:
        check_move(current, target, reason=reason, appointment_on=appointment_on)
    except MoveRefused as refusal:
        raise DomainError(refusal.message, refusal.status, refusal.field) from None
    on = on or today()
    if on > today():
        raise DomainError(_("The date cannot be in the future."), 422, "on")
    if on < referral.status_since:
        raise DomainError(
            _(
                "The date cannot be before the last change (%(date)s).",
                date=format_date(referral.status_since),
            ),
            422,
            "on",
        )
    reason = _text(reason, 500, "reason") if target in NEEDS_REASON else None
    note = _text(note, 1000, "note")
    if target in NEEDS_APPOINTMENT_DATE:
        if appointment_on < referral.referred_on:
            raise DomainError(
                _("The appointment cannot be before the referral date."), 422, "appointment_on"
            )
    else:
        appointment_on = None
    if target in APPOINTMENT_OUTCOMES and referral.appointment_on and on < referral.appointment_on:
        raise DomainError(
            _(
                "The appointment is on %(date)s: record how it went from that day on.",
                date=format_date(referral.appointment_on),
            ),
            422,
            "on",
        )
    if target == ReferralStatus.SENT:
        deadline = response_deadline or referral.response_deadline
        if response_deadline is None and deadline < on:
            deadline = default_deadline(on)  # a draft kept past its deadline: from sending
        _check_deadline(deadline, on, sending=True)
        sharing.pass_gate(
            referral, override=consent_override, override_reason=override_reason, by=by
        )
        referral.response_deadline = deadline
        referral.sent_on = on

    change = ReferralStatusChange(
        from_status=current,
        to_status=target,
        effective_on=on,
        by_id=by.id if by else None,
        reason=reason,
        appointment_on=appointment_on,
        note=note,
        by_partner=partner,
    )
    referral.changes.append(change)
    referral.status = target
    referral.status_since = on
    if appointment_on is not None:
        referral.appointment_on = appointment_on
    if current in AWAITING_RESPONSE and target in ACCEPTING and referral.accepted_on is None:
        referral.accepted_on = on
    db.session.flush()
    audit.record(
        "referral.moved",
        referral,
        user=by,
        actor="partner" if partner else None,
        details={"from": current.value, "to": target.value, "change": change.id},
    )
    if target == ReferralStatus.SENT:
        hooks.referral_sent.send(referral, by=by)  # the partner desk gets its link
    return change


def get_for_client_or_404(
    client: Client, referral_id: int, *, lock: bool = False, history: bool = False
) -> Referral:
    """The referral with this id if it belongs to ``client`` (already scoped), else 404.
    ``lock`` takes a row lock (PostgreSQL), so two people recording a move at the same time
    are applied one after the other against the fresh status. ``history`` loads the history
    rows and who made them in one go."""
    stmt = client_child_query(Referral, referral_id, client)
    if history:
        stmt = stmt.options(
            selectinload(Referral.changes).selectinload(ReferralStatusChange.by),
            selectinload(Referral.created_by),
        )
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    referral = db.session.scalar(stmt)
    if referral is None:
        raise DomainError(_("not found"), 404)
    return referral
