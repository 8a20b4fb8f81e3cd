"""What the dashboards package adds: its navigation entries and its own widgets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app import hooks
from app.auth.vocab import Role
from app.dashboards.services import (
    caseload_per_companion,
    exit_outcomes,
    funnel,
    reach_per_month,
    time_to_activation,
)
from app.hooks import DashboardWidget, NavItem

hooks.nav_items.add(
    NavItem(
        "dashboards.dashboard_home",
        _l("Dashboard"),
        frozenset({Role.LEAD, Role.COMPANION}),
        prefixes=("dashboards.dashboard",),
    ),
    order=80,
)
hooks.nav_items.add(
    NavItem(
        "dashboards.partnership_report",
        _l("Report"),
        frozenset({Role.LEAD}),
        prefixes=("dashboards.partnership", "dashboards.client_export"),
    ),
    order=85,
)

hooks.nav_items.add(
    NavItem(
        "dashboards.funder_report_page",
        _l("Figures across partnerships"),
        frozenset({Role.FUNDER_REPORTER}),
        prefixes=("dashboards.funder_report",),
    ),
    order=86,
)

for order, widget in (
    (10, DashboardWidget("caseload", lambda q: caseload_per_companion(q.user, q.filters))),
    (20, DashboardWidget("funnel", lambda q: funnel(q.user, q.filters))),
    (
        30,
        DashboardWidget(
            "reach",
            lambda q: reach_per_month(q.user, q.filters, q.options.get("dimension", "place_met")),
        ),
    ),
    (60, DashboardWidget("exits", lambda q: exit_outcomes(q.user, q.filters), "outcomes")),
    (
        70,
        DashboardWidget("activation", lambda q: time_to_activation(q.user, q.filters), "outcomes"),
    ),
):
    hooks.dashboard_widgets.add(widget, order=order)
