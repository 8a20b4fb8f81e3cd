"""Today's reminders on the home page of companions and leads."""

from __future__ import annotations

from app.extensions import db
from app.main.routes import add_home_panel
from app.reminders import services
from app.reminders.engine import RULES
from app.timeutil import today


def todays_reminders(user) -> dict:
    reminders = db.session.scalars(services.inbox_query(user, due_by=today()).limit(20)).all()
    from app.reminders.routes import action_link

    return {"reminders": reminders, "rules": RULES, "today": today(), "action_link": action_link}


for role in ("companion", "lead"):
    add_home_panel(role, "reminders/_home.html", todays_reminders, first=True)
