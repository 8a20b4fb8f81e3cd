"""Clients and their trajectories: registration, profile, phases, context, consent, caseloads."""

from flask import Blueprint

bp = Blueprint("clients", __name__, template_folder="templates")

from app.clients import contributions, routes  # noqa: E402,F401
