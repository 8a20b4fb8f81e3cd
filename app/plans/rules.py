"""The rules of a goal, in one place: which status moves are allowed, and what is overdue."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.plans.models import Goal
from app.plans.vocab import ACTIVE_STATUSES, GoalStatus

S = GoalStatus

# From each status, where a goal may go. Achieved and dropped goals can be taken up again.
ALLOWED_MOVES: dict[GoalStatus, tuple[GoalStatus, ...]] = {
    S.OPEN: (S.IN_PROGRESS, S.ACHIEVED, S.DROPPED),
    S.IN_PROGRESS: (S.ACHIEVED, S.OPEN, S.DROPPED),
    S.ACHIEVED: (S.IN_PROGRESS,),
    S.DROPPED: (S.OPEN,),
}

# Moves that need a reason in the note.
NEEDS_NOTE = {S.DROPPED}


def can_move(current: GoalStatus, target: GoalStatus) -> bool:
    return target in ALLOWED_MOVES[current]


def overdue_clause(on: date):
    """Goals still open or in progress whose target date has passed (before ``on``)."""
    return sa.and_(
        Goal.status.in_(ACTIVE_STATUSES),
        Goal.target_date.is_not(None),
        Goal.target_date < on,
    )
