"""What reminders add to other pages: the inbox entry in the navigation bar (with the count
of reminders due) and today's reminders, first on the home page of companions and leads."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.extensions import db
from app.hooks import HomePanel, NavItem
from app.reminders import services
from app.reminders.services import action_link
from app.reminders.vocab import INBOX_ROLES
from app.timeutil import today


def todays_reminders(user) -> dict:
    reminders = db.session.scalars(services.inbox_query(user, due_by=today()).limit(20)).all()
    return {
        "reminders": reminders,
        "rules": hooks.reminder_rules,
        "today": today(),
        "action_link": action_link,
    }


hooks.nav_items.add(
    NavItem(
        "reminders.inbox",
        _l("Reminders"),
        INBOX_ROLES,
        badge=lambda user: services.due_count(user) or None,
    ),
    order=100,
)
hooks.home_panels.add(
    HomePanel("reminders/_home.html", frozenset({"companion", "lead"}), todays_reminders),
    order=10,
)
