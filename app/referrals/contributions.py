"""What referrals add to other pages: the client page, the companion's home page, an
organisation's page on the social map and the referral widgets of the dashboard."""

from __future__ import annotations

from app import hooks
from app.auth.vocab import Role
from app.clients.scoping import Access
from app.extensions import db
from app.hooks import ClientSection, DashboardWidget, HomePanel, OrganisationSection
from app.referrals import queries
from app.referrals.dashboard import open_by_age
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


hooks.client_sections.add(
    ClientSection("body", "referrals/_client_section.html", client_section, Access.TEAM),
    order=25,
)
hooks.home_panels.add(
    HomePanel("referrals/_home.html", frozenset({"companion"}), home_panel), order=60
)
hooks.organisation_sections.add(
    OrganisationSection("referrals/_organisation_history.html", organisation_history), order=10
)
hooks.dashboard_widgets.add(DashboardWidget("referrals_open", open_by_age, "referrals"), order=45)
