"""Self-reliance measurements: instruments as data, measurements per client, progress charts."""

from flask import Blueprint

bp = Blueprint("measurements", __name__, template_folder="templates")

from app.measurements import contributions, routes  # noqa: E402,F401
