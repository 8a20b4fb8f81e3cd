"""What a partner desk can answer, and what each answer does to the referral."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels
from app.referrals.lifecycle import ReferralStatus


class PartnerAnswerKind(enum.StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WAITING_LIST = "waiting_list"
    APPOINTMENT = "appointment"  # proposes a first appointment (or moves it)
    CONFIRMED = "confirmed"  # confirms the appointment the companion recorded
    CAME = "came"
    NO_SHOW = "no_show"


register_labels(
    PartnerAnswerKind,
    {
        PartnerAnswerKind.ACCEPTED: _l("accepted the referral"),
        PartnerAnswerKind.DECLINED: _l("declined the referral"),
        PartnerAnswerKind.WAITING_LIST: _l("put the person on the waiting list"),
        PartnerAnswerKind.APPOINTMENT: _l("proposed a first appointment"),
        PartnerAnswerKind.CONFIRMED: _l("confirmed the first appointment"),
        PartnerAnswerKind.CAME: _l("recorded that the person came"),
        PartnerAnswerKind.NO_SHOW: _l("recorded that the person did not come"),
    },
)

# The lifecycle move each answer makes (None: no move, only a message to the companion).
TARGETS: dict[PartnerAnswerKind, ReferralStatus | None] = {
    PartnerAnswerKind.ACCEPTED: ReferralStatus.ACCEPTED,
    PartnerAnswerKind.DECLINED: ReferralStatus.DECLINED,
    PartnerAnswerKind.WAITING_LIST: ReferralStatus.WAITING_LIST,
    PartnerAnswerKind.APPOINTMENT: ReferralStatus.APPOINTMENT_PLANNED,
    PartnerAnswerKind.CONFIRMED: None,
    PartnerAnswerKind.CAME: ReferralStatus.APPOINTMENT_KEPT,
    PartnerAnswerKind.NO_SHOW: ReferralStatus.NO_SHOW,
}


class LinkState(enum.StrEnum):
    """Why a link does (not) open the referral."""

    VALID = "valid"
    UNKNOWN = "unknown"  # forged, mistyped or never issued
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"  # a newer link was sent: only the newest one works
    UNAVAILABLE = "unavailable"  # referral withdrawn, or the consent behind it withdrawn
