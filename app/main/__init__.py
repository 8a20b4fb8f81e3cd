"""Home pages per role, health check and error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__, template_folder="templates")

from app.main import contributions, routes  # noqa: E402,F401
