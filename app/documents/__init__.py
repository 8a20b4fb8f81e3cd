"""Documents on the client file: scans and photos (consents, letters, contracts), encrypted at
rest, at a note level, with audited reads."""

from flask import Blueprint

bp = Blueprint("documents", __name__, template_folder="templates")

from app.documents import contributions, routes  # noqa: E402,F401
