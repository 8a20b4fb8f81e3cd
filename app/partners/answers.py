"""A partner desk answers a referral: the answer moves it through the lifecycle (as the
companion's buttons would), is kept, audited with "partner" as the actor, and raises an item
in the companion's inbox (the reminders). Services flush; the request commits."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app import hooks
from app.audit import services as audit
from app.errors import DomainError
from app.extensions import db
from app.labels import label
from app.partners.models import PartnerAnswer, PartnerLink
from app.partners.vocab import TARGETS, PartnerAnswerKind
from app.referrals import services as referral_services
from app.referrals.lifecycle import ReferralStatus, why_not
from app.referrals.models import Referral
from app.timeutil import today

PLACE_MAX = 200


class AnswerConflict(DomainError):
    """The referral changed since the partner's page was loaded (the companion typed an answer
    meanwhile): 409, in plain words, and nothing changed."""

    def __init__(self, referral: Referral):
        last = referral.changes[-1]
        who = last.by_partner or (last.by.display_name if last.by else _("the companion"))
        super().__init__(
            _(
                "Meanwhile %(who)s recorded something else: the referral is now "
                "\u201c%(status)s\u201d (%(date)s). Your answer was not saved. Look at the "
                "page again and answer from there.",
                who=who,
                status=label(referral.status),
                date=format_date(last.effective_on),
            ),
            409,
        )


def allowed_answers(referral: Referral) -> list[PartnerAnswerKind]:
    """The answers the partner can give now, from the referral's current status."""
    kinds = []
    for kind, target in TARGETS.items():
        if target is None:
            if referral.status == ReferralStatus.APPOINTMENT_PLANNED:
                kinds.append(kind)
        elif why_not(referral.status, target) is None:
            if kind in (PartnerAnswerKind.CAME, PartnerAnswerKind.NO_SHOW) and (
                referral.appointment_on is None or referral.appointment_on > today()
            ):
                continue  # how it went is recorded from the day of the appointment
            kinds.append(kind)
    return kinds


def _place(value: str | None) -> str | None:
    value = " ".join((value or "").split()) or None
    if value is not None and len(value) > PLACE_MAX:
        raise DomainError(_("Use at most %(num)d characters.", num=PLACE_MAX), 422, "place")
    return value


def answer(
    link: PartnerLink,
    kind: PartnerAnswerKind | str,
    *,
    seen_change: int | None,
    reason: str | None = None,
    appointment_on: date | None = None,
    place: str | None = None,
) -> PartnerAnswer:
    """Record the partner's answer on the referral of ``link``. ``seen_change`` is the id of
    the history row the partner's page showed: when the referral moved since, AnswerConflict
    (409). Raises DomainError for an answer the lifecycle refuses (409) or that misses a
    reason or a date (422); nothing is changed then."""
    try:
        kind = PartnerAnswerKind(kind)
    except ValueError:
        raise DomainError(_("Choose one of the answers on the page."), 422) from None
    # The fresh status and history, under a row lock (PostgreSQL): answers one at a time.
    referral = db.session.get(
        Referral, link.referral_id, with_for_update=True, populate_existing=True
    )
    db.session.expire(referral, ["changes"])
    if not referral.changes or referral.changes[-1].id != seen_change:
        raise AnswerConflict(referral)
    target = TARGETS[kind]
    if kind not in allowed_answers(referral):
        if target is None:
            message = _("There is no appointment to confirm.")
        else:
            message = why_not(referral.status, target) or _(
                "Whether the person came can be recorded from the day of the appointment on."
            )
        raise DomainError(message, 409)
    place = _place(place)
    organisation = referral.organisation
    partner = organisation.name + (f" ({organisation.desk_name})" if organisation.desk_name else "")
    change = None
    if target is not None:
        change = referral_services.move(
            referral,
            target,
            by=None,
            reason=reason,
            appointment_on=appointment_on,
            note=_("Place: %(place)s", place=place) if place else None,
            partner=partner,
        )
        if target == ReferralStatus.APPOINTMENT_PLANNED:
            referral.appointment_place = place
    row = PartnerAnswer(
        referral_id=referral.id,
        link_id=link.id,
        change_id=change.id if change else None,
        kind=kind,
        appointment_on=appointment_on if kind == PartnerAnswerKind.APPOINTMENT else None,
        place=place if kind == PartnerAnswerKind.APPOINTMENT else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "partner.answered",
        referral,
        actor="partner",
        details={"link": link.id, "answer": kind.value, "change": row.change_id},
    )
    hooks.partner_answered.send(row, partner=partner)  # to the companion's inbox
    return row
