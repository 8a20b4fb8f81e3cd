"""Start-page panels about access: leads see who in their teams got or lost access lately,
administrators see the changes that wait for their confirmation."""

from __future__ import annotations

from app import hooks
from app.auth import access
from app.hooks import HomePanel

RECENT_DAYS = 30


def access_changes_panel(user) -> dict:
    return {"changes": access.recent_changes_for(user, days=RECENT_DAYS), "days": RECENT_DAYS}


def awaiting_confirmation_panel(user) -> dict:
    if not user.is_admin:
        return {"count": 0}
    changes = [
        change
        for change in access.pending_changes()
        if user.id not in (change.requested_by_id, change.user_id)
    ]
    return {"count": len(changes)}


hooks.home_panels.add(
    HomePanel("auth/_home_access_changes.html", frozenset({"lead"}), access_changes_panel),
    order=20,
)
hooks.home_panels.add(
    HomePanel(
        "auth/_home_awaiting_confirmation.html",
        frozenset({"admin", "lead"}),  # a lead can hold administration rights too
        awaiting_confirmation_panel,
    ),
    order=30,
)
