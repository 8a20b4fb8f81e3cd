"""Dashboards for leads (their teams) and companions (their own caseload), the partnership
report for the funder, and exports. Every number comes from SQL aggregates in service.py."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__, template_folder="templates")

from app.dashboards import contributions, funder_routes, routes  # noqa: E402,F401
