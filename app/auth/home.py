"""Start-page panels about access: leads see who in their teams got or lost access lately,
administrators see the changes that wait for their confirmation."""

from __future__ import annotations

from app.auth import access
from app.main.routes import add_home_panel

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


add_home_panel("lead", "auth/_home_access_changes.html", access_changes_panel)
for role in ("admin", "lead"):  # a lead can hold administration rights too
    add_home_panel(role, "auth/_home_awaiting_confirmation.html", awaiting_confirmation_panel)
