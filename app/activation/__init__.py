"""Activation: placements with employers, the employer engagement log, aftercare checks."""

from flask import Blueprint

bp = Blueprint("activation", __name__, template_folder="templates")

from app.activation import contributions, routes  # noqa: E402,F401
