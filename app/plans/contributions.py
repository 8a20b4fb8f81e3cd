"""The action-plan section of the client page: open goals, what is overdue."""

from __future__ import annotations

from app import hooks
from app.clients.scoping import Access
from app.hooks import ClientSection
from app.plans import services
from app.plans.vocab import ACTIVE_STATUSES
from app.timeutil import today


def plan_section(client, user) -> dict:
    goals = services.goals_of(client)
    on = today()
    return {
        "active": [g for g in goals if g.status in ACTIVE_STATUSES],
        "finished": sum(1 for g in goals if g.status not in ACTIVE_STATUSES),
        "overdue": sum(1 for g in goals if g.is_overdue(on)),
        "today": on,
    }


hooks.client_sections.add(
    ClientSection("body", "plans/_section.html", plan_section, Access.TEAM), order=20
)
