"""Lists of clients across domains: my caseload and the team list, each client with its
outreach health, open worries and overdue goals."""

from flask import Blueprint

bp = Blueprint("clientlists", __name__, template_folder="templates")

from app.clientlists import contributions, routes  # noqa: E402,F401
