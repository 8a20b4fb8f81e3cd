"""Contacts with clients (contactmomenten), notes at three levels and who is slipping away."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, template_folder="templates")

from app.contacts import contributions, routes  # noqa: E402,F401
