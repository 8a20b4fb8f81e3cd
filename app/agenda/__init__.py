"""The agenda: appointments with clients, the companion's day and week, the team's week for
leads, and a private iCalendar feed per user."""

from flask import Blueprint, request
from flask_login import login_required

bp = Blueprint("agenda", __name__, template_folder="templates")

# The calendar feed is read by Outlook or a phone, without a session: its secret address is
# the key (app/agenda/feed.py).
PUBLIC_ENDPOINTS = frozenset({"agenda.ical"})


@bp.before_request
def require_sign_in():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return login_required(lambda: None)()


from app.agenda import contributions, routes  # noqa: E402,F401
