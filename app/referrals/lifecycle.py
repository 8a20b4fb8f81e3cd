"""A referral's lifecycle, defined in one place: its states and the moves between them.

    draft -> sent -> accepted | declined (reason) | waiting list | first appointment (date)
    waiting list -> accepted | declined (reason) | first appointment (date)
    accepted -> first appointment (date) | dropped (reason)
    first appointment -> kept | no-show | first appointment again (rescheduled) | dropped
    no-show -> first appointment again (date) | dropped (reason)
    kept -> in progress | completed | dropped (reason)
    in progress -> completed | dropped (reason)
    any open state -> cancelled (reason)

Declined, completed, dropped and cancelled are terminal. This module is pure (no database):
the service that moves a referral asks it whether a move is allowed and what it needs.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l

from app.labels import label, register_labels


class ReferralStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WAITING_LIST = "waiting_list"
    APPOINTMENT_PLANNED = "appointment_planned"
    APPOINTMENT_KEPT = "appointment_kept"
    NO_SHOW = "no_show"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DROPPED = "dropped"
    CANCELLED = "cancelled"


S = ReferralStatus

register_labels(
    ReferralStatus,
    {
        S.DRAFT: _l("Draft"),
        S.SENT: _l("Sent"),
        S.ACCEPTED: _l("Accepted"),
        S.DECLINED: _l("Declined"),
        S.WAITING_LIST: _l("Waiting list"),
        S.APPOINTMENT_PLANNED: _l("First appointment planned"),
        S.APPOINTMENT_KEPT: _l("First appointment kept"),
        S.NO_SHOW: _l("Did not show up"),
        S.IN_PROGRESS: _l("In progress"),
        S.COMPLETED: _l("Completed"),
        S.DROPPED: _l("Dropped"),
        S.CANCELLED: _l("Cancelled"),
    },
)

# What the button that makes each move says.
ACTIONS = {
    S.DRAFT: _l("Draft"),
    S.SENT: _l("Send"),
    S.ACCEPTED: _l("Partner accepted"),
    S.DECLINED: _l("Partner declined"),
    S.WAITING_LIST: _l("On the waiting list"),
    S.APPOINTMENT_PLANNED: _l("Plan the first appointment"),
    S.APPOINTMENT_KEPT: _l("Appointment kept"),
    S.NO_SHOW: _l("Did not show up"),
    S.IN_PROGRESS: _l("Help has started"),
    S.COMPLETED: _l("Completed"),
    S.DROPPED: _l("Dropped out"),
    S.CANCELLED: _l("Cancel the referral"),
}

# The transition table: from each state, the states a referral may move to.
TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.DRAFT: frozenset({S.SENT, S.CANCELLED}),
    S.SENT: frozenset({S.ACCEPTED, S.DECLINED, S.WAITING_LIST, S.APPOINTMENT_PLANNED, S.CANCELLED}),
    S.WAITING_LIST: frozenset({S.ACCEPTED, S.DECLINED, S.APPOINTMENT_PLANNED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.APPOINTMENT_PLANNED, S.DROPPED, S.CANCELLED}),
    S.APPOINTMENT_PLANNED: frozenset(
        {S.APPOINTMENT_PLANNED, S.APPOINTMENT_KEPT, S.NO_SHOW, S.DROPPED, S.CANCELLED}
    ),
    S.NO_SHOW: frozenset({S.APPOINTMENT_PLANNED, S.DROPPED, S.CANCELLED}),
    S.APPOINTMENT_KEPT: frozenset({S.IN_PROGRESS, S.COMPLETED, S.DROPPED, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.DROPPED, S.CANCELLED}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.DROPPED: frozenset(),
    S.CANCELLED: frozenset(),
}

INITIAL = S.DRAFT
TERMINAL = frozenset(status for status, targets in TRANSITIONS.items() if not targets)
OPEN = tuple(status for status in ReferralStatus if status not in TERMINAL)
# Moves into these states need a written reason; into these a date of the appointment.
NEEDS_REASON = frozenset({S.DECLINED, S.DROPPED, S.CANCELLED})
NEEDS_APPOINTMENT_DATE = frozenset({S.APPOINTMENT_PLANNED})
# Waiting for the partner's answer (the response deadline applies).
AWAITING_RESPONSE = (S.SENT, S.WAITING_LIST)
# Reaching one of these from AWAITING_RESPONSE means the partner said yes.
ACCEPTING = frozenset({S.ACCEPTED, S.APPOINTMENT_PLANNED})
# The outcome of a first appointment is recorded on or after its date.
APPOINTMENT_OUTCOMES = frozenset({S.APPOINTMENT_KEPT, S.NO_SHOW})


class MoveRefused(Exception):
    """The lifecycle does not allow this move; ``field`` names what is missing, if anything."""

    def __init__(self, message: str, field: str | None = None, status: int = 409):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def allowed_targets(current: ReferralStatus) -> list[ReferralStatus]:
    """The states ``current`` may move to: the steps forward first (in the order of the
    vocabulary), then doing it again (a new appointment date), then the ways out."""
    order = list(ReferralStatus)
    return sorted(
        TRANSITIONS[current],
        key=lambda status: (status in NEEDS_REASON, status == current, order.index(status)),
    )


def is_terminal(status: ReferralStatus) -> bool:
    return status in TERMINAL


def why_not(current: ReferralStatus, target: ReferralStatus) -> str | None:
    """Why the table forbids ``current`` -> ``target`` (a message for the user), or None."""
    if target in TRANSITIONS[current]:
        return None
    if is_terminal(current):
        return str(
            _l(
                "This referral has the status %(status)s: it cannot change any more.",
                status=label(current),
            )
        )
    return str(
        _l(
            "A referral that is %(current)s cannot become %(target)s. Possible: %(allowed)s.",
            current=label(current),
            target=label(target),
            allowed=", ".join(label(s) for s in allowed_targets(current)),
        )
    )


def check_move(
    current: ReferralStatus,
    target: ReferralStatus,
    *,
    reason: str | None = None,
    appointment_on: date | None = None,
) -> None:
    """Raise MoveRefused unless the table allows ``current`` -> ``target`` with what is given."""
    message = why_not(current, target)
    if message is not None:
        raise MoveRefused(message)
    if target in NEEDS_REASON and not (reason or "").strip():
        raise MoveRefused(str(_l("Give the reason.")), field="reason", status=422)
    if target in NEEDS_APPOINTMENT_DATE and appointment_on is None:
        raise MoveRefused(
            str(_l("Give the date of the first appointment.")), field="appointment_on", status=422
        )


def replay(moves: Iterable[tuple[ReferralStatus | None, ReferralStatus]]) -> ReferralStatus:
    """The state a history of (from, to) moves ends in; raises MoveRefused if any move in it
    is one the table forbids or does not start where the previous one ended."""
    state: ReferralStatus | None = None
    for source, target in moves:
        if source != state:
            raise MoveRefused(f"history broken: {source} after {state}")
        if state is None:
            if target != INITIAL:
                raise MoveRefused(f"a referral starts as {INITIAL}, not {target}")
        elif target not in TRANSITIONS[state]:
            raise MoveRefused(f"forbidden move {state} -> {target}")
        state = target
    if state is None:
        raise MoveRefused("empty history")
    return state
