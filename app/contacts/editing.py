"""Who may change or remove a contact or a note, and how (the edit window).

The author edits freely for ``CONTACT_EDIT_DAYS`` days after recording it; after that, and
for a lead of the team at any time, a change is a correction: it needs a reason and keeps the
previous version. Removal is a soft delete by the author or a lead, with a reason.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from flask import current_app

from app.clients.models import Client
from app.clients.scoping import Access, access_level, is_lead_of
from app.database import utcnow


class EditMode(enum.StrEnum):
    EDIT = "edit"
    CORRECT = "correct"


def edit_window() -> timedelta:
    return timedelta(days=current_app.config["CONTACT_EDIT_DAYS"])


def within_edit_window(created_at: datetime, *, now: datetime | None = None) -> bool:
    return (now or utcnow()) - created_at < edit_window()


def edit_mode(user, client: Client, author_id: int | None, created_at: datetime) -> EditMode | None:
    """How ``user`` may change a record: a plain edit, a correction, or not at all (None)."""
    if access_level(user, client) < Access.TEAM:
        return None
    if user.id == author_id and within_edit_window(created_at):
        return EditMode.EDIT
    if user.id == author_id or is_lead_of(user, client):
        return EditMode.CORRECT
    return None


def can_remove(user, client: Client, author_id: int | None) -> bool:
    if access_level(user, client) < Access.TEAM:
        return False
    return user.id == author_id or is_lead_of(user, client)
