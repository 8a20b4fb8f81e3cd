"""From the team list: searching clients and a lead's bulk reassignment."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.auth.vocab import Role
from app.bounds import MAX_SEARCH_LENGTH
from app.clients import bp
from app.clients import caseload as caseload_services
from app.clients.forms import ReassignForm
from app.clients.matching import find_clients
from app.clients.models import Client
from app.clients.scoping import visible_clients
from app.errors import DomainError
from app.extensions import db
from app.forms import choices
from app.redirects import safe_next

SEARCH_SHOWN = 25  # the best matches of a search; more words narrow it down


@bp.route("/clients/reassign", methods=["POST"])
@login_required
def reassign():
    """A lead gives the selected clients to another companion of the team."""
    if current_user.role != Role.LEAD:
        abort(404)
    form = ReassignForm()
    form.companion.choices = choices((u.id, u.display_name) for u in _team_companions())
    if not form.validate_on_submit() or not form.client_ids.data:
        return _refused(_("Select one or more clients and a companion."), 422)
    ids = set(form.client_ids.data)
    clients = db.session.scalars(visible_clients(current_user).where(Client.id.in_(ids))).all()
    if len(clients) != len(ids):
        abort(404)
    try:
        changed = caseload_services.reassign(
            clients, db.session.get(User, form.companion.data), by=current_user
        )
    except DomainError as error:
        return _refused(error.message, error.status)
    flash(_("%(count)d clients reassigned.", count=changed), "success")
    return redirect(safe_next(request.form.get("back")) or url_for("clientlists.team_list"))


def _refused(message: str, status: int):
    title = _("Nothing was changed")
    return render_template("errors/error.html", code=status, title=title, message=message), status


def _team_companions() -> list[User]:
    return caseload_services.companions_of_teams(current_user.team_ids)


@bp.route("/clients/search")
@login_required
def search():
    if current_user.role not in (Role.COMPANION, Role.LEAD, Role.BUDDY):
        abort(404)
    query = request.args.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    results = find_clients(current_user, query, limit=SEARCH_SHOWN) if query else []
    return render_template("clients/search.html", query=query, results=results, shown=SEARCH_SHOWN)
