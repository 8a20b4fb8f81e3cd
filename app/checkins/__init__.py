"""Buddy check-ins, the buddy's home and worries that reach the companions."""

from flask import Blueprint

bp = Blueprint("checkins", __name__, template_folder="templates")

from app.checkins import contributions, routes  # noqa: E402,F401
