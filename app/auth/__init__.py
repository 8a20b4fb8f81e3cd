"""Accounts, sign-in and roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from app.auth import account_routes, contributions, routes  # noqa: E402,F401
