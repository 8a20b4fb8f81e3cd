"""The action plan: goals per life domain, overdue goals, and a printable plan for the client."""

from flask import Blueprint

bp = Blueprint("plans", __name__, template_folder="templates")

from app.plans import contributions, routes  # noqa: E402,F401
