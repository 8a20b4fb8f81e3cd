"""What referrals add to other pages: the client page, the companion's home page and an
organisation's page on the social map."""

from __future__ import annotations

from app.auth.models import Role
from app.clients.sections import add_client_section
from app.extensions import db
from app.main.routes import add_home_panel
from app.referrals import queries
from app.timeutil import today

ORGANISATION_PAGE_SIZE = 20


def client_section(client, user) -> dict:
    return {"referrals": queries.client_referrals(client), "today": today()}


def home_panel(user) -> dict:
    open_count, overdue = queries.my_counts(user, today())
    return {"open": open_count, "overdue": overdue}


def organisation_history(org, user) -> dict | None:
    """For an organisation's page: aggregate numbers (no client data) for the people who
    work with referrals, and the referrals of the clients this user may see in full.
    None for buddies, who never see referrals."""
    if not (user.role in (Role.COMPANION, Role.LEAD) or user.is_admin):
        return None
    day = today()
    page = db.paginate(
        queries.organisation_referrals(org, user),
        per_page=ORGANISATION_PAGE_SIZE,
        error_out=False,
    )
    return {
        "history": queries.organisation_history(org, day),
        "buckets": queries.AGE_BUCKETS,
        "page": page,
        "today": day,
    }


add_client_section("body", "referrals/_client_section.html", client_section, order=25)
add_home_panel("companion", "referrals/_home.html", home_panel)
