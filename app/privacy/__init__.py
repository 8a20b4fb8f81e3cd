"""Privacy: who viewed a file, the privacy officer's audit trail, retention and anonymisation,
subject access and erasure (docs/privacy.md)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, template_folder="templates")

from app.privacy import contributions, routes  # noqa: E402,F401
