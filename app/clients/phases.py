"""The trajectory's phases and the moves between them, defined in one place.

- forward: one phase at a time (outreach -> engagement -> trajectory -> activation -> aftercare);
- back (relapse): to any earlier open phase, with a reason;
- close: from any open phase, with an exit outcome and a date;
- reopen: from closed to an open phase, with a reason.
Moving into the trajectory (or later) without a valid consent needs an explicit confirmation
and is audited. Every change is recorded with date, user and note.
"""

from __future__ import annotations

import enum
from datetime import date

from flask_babel import gettext as _

from app.audit import services as audit
from app.clients.models import Client, PhaseChange
from app.clients.vocab import OPEN_PHASES, ExitOutcome, Phase
from app.errors import DomainError
from app.timeutil import today

NEEDS_CONSENT = {Phase.TRAJECTORY, Phase.ACTIVATION, Phase.AFTERCARE}


class Move(enum.StrEnum):
    FORWARD = "forward"
    BACK = "back"
    CLOSE = "close"
    REOPEN = "reopen"


class ConsentConfirmationNeeded(DomainError):
    def __init__(self):
        super().__init__(
            _(
                "There is no valid consent. Record the consent first, or confirm that you "
                "move on without it."
            ),
            409,
            field="confirm_without_consent",
        )


def classify(current: Phase, target: Phase) -> Move | None:
    """The kind of move from ``current`` to ``target``, or None when it is not allowed."""
    if current == target:
        return None
    if target == Phase.CLOSED:
        return Move.CLOSE
    if current == Phase.CLOSED:
        return Move.REOPEN
    here, there = OPEN_PHASES.index(current), OPEN_PHASES.index(target)
    if there == here + 1:
        return Move.FORWARD
    if there < here:
        return Move.BACK
    return None


def allowed_targets(current: Phase) -> dict[Phase, Move]:
    return {p: m for p in Phase if (m := classify(current, p)) is not None}


def change_phase(
    client: Client,
    target: Phase,
    *,
    by,
    on: date | None = None,
    note: str | None = None,
    reason: str | None = None,
    exit_outcome: ExitOutcome | None = None,
    confirm_without_consent: bool = False,
    consent_valid: bool,
) -> PhaseChange:
    """Move ``client`` to ``target`` and record the change; raises DomainError when the
    rules refuse it (nothing is changed then)."""
    move = classify(client.phase, target)
    if move is None:
        if client.phase == target:
            raise DomainError(_("The person is already in this phase."), 409)
        raise DomainError(
            _("Move forward one phase at a time; going back is always possible."), field="phase"
        )
    on = on or today()
    if on > today():
        raise DomainError(_("The date cannot be in the future."), field="on")
    if on < client.phase_since:
        raise DomainError(
            _("The date cannot be before the start of the current phase."), field="on"
        )
    reason = (reason or "").strip() or None
    if move in (Move.BACK, Move.REOPEN) and not reason:
        raise DomainError(_("Give a reason for going back or reopening."), field="reason")
    if move == Move.CLOSE and exit_outcome is None:
        raise DomainError(
            _("Choose the exit outcome to close the trajectory."), field="exit_outcome"
        )
    without_consent = target in NEEDS_CONSENT and not consent_valid
    if without_consent and not confirm_without_consent:
        raise ConsentConfirmationNeeded()

    change = PhaseChange(
        from_phase=client.phase,
        to_phase=target,
        effective_on=on,
        note=(note or "").strip() or None,
        reason=reason,
        exit_outcome=exit_outcome if move == Move.CLOSE else None,
        without_consent=without_consent,
        changed_by_id=by.id if by else None,
    )
    client.phase_changes.append(change)
    client.phase = target
    client.phase_since = on
    if move == Move.CLOSE:
        client.exit_outcome, client.closed_on = exit_outcome, on
    elif move == Move.REOPEN:
        client.exit_outcome, client.closed_on = None, None
    audit.record(
        "client.phase_changed",
        client,
        user=by,
        details={"from": change.from_phase.value, "to": target.value, "move": move.value},
    )
    if without_consent:
        audit.record("client.phase_without_consent", client, user=by, details={"to": target.value})
    return change
