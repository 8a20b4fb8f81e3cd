"""Persistent outreach: reminder rules, the scan that applies them, and the inbox."""

from flask import Blueprint

bp = Blueprint("reminders", __name__, template_folder="templates")

from app.reminders import (  # noqa: E402,F401
    contributions,
    routes,
    rules,
)
