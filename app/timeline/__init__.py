"""One chronological timeline per client: contacts, check-ins, phase changes, consents."""

from flask import Blueprint

bp = Blueprint("timeline", __name__, template_folder="templates")

from app.timeline import contributions, routes  # noqa: E402,F401
