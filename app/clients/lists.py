"""Lists of clients: my caseload, the team list with filters, search, bulk reassignment."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.auth.routes import safe_next
from app.bounds import int_arg

# Module imports (not names): contacts and check-ins import the client models in turn.
from app.checkins import services as checkin_services
from app.clients import bp
from app.clients import caseload as caseload_services
from app.clients.forms import ReassignForm
from app.clients.matching import find_clients
from app.clients.models import Client, ClientChallenge
from app.clients.routes import require_team_role
from app.clients.scoping import caseload_clause, team_scope_clause, visible_clients
from app.clients.vocab import OPEN_PHASES, Phase
from app.contacts import outreach
from app.errors import DomainError
from app.extensions import db
from app.forms import choices
from app.labels import label
from app.pagination import paginate_rows
from app.plans.services import overdue_counts
from app.reference import Challenge, Municipality
from app.timeutil import today

PER_PAGE = 50
SEARCH_SHOWN = 25  # the best matches; more words narrow it down
PHASE_ORDER = sa.case({p.value: i for i, p in enumerate(Phase)}, value=Client.phase)
# The date of the last reached contact (registration when none), a column that
# with_outreach adds to every list.
LAST_REACHED = sa.literal_column("last_reached_reference")

# Each sort: order_by expressions.
SORTS = {
    "phase": (PHASE_ORDER, Client.preferred_name),
    "name": (sa.func.lower(Client.preferred_name), Client.id),
    "code": (Client.code,),
    "since": (Client.phase_since, Client.id),
    "contact": (LAST_REACHED, Client.id),  # longest without a reached contact first
}


def with_outreach(stmt: sa.Select, scope, sort: str) -> sa.Select:
    """Add each client's last reached contact and failed attempts (one aggregate query for
    the whole list) and apply the sort."""
    stmt, reference = outreach.with_contact_stats(stmt, scope)
    return stmt.add_columns(reference.label(LAST_REACHED.name)).order_by(*SORTS[sort])


def outreach_rows(rows) -> tuple[list[Client], dict[int, object], set[int]]:
    """Clients, their outreach health and which have an open worry, from (client, last
    reached, failed attempts) rows."""
    clients = [row[0] for row in rows]
    health = {row[0].id: outreach.health(row[0], row[1], row[2]) for row in rows}
    return clients, health, checkin_services.worried_client_ids(c.id for c in clients)


def _enum_arg(name: str, enum_class):
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        return enum_class(value)
    except ValueError:
        abort(400)


@bp.route("/caseload")
@login_required
def caseload():
    """Mijn caseload: the clients a companion follows (primary or co-companion)."""
    if current_user.role != Role.COMPANION:
        abort(404)
    sort = request.args.get("sort", "phase")
    if sort not in SORTS:
        abort(400)
    show_closed = request.args.get("closed") == "1"
    stmt = sa.select(Client).where(caseload_clause(current_user))
    if not show_closed:
        stmt = stmt.where(Client.phase != Phase.CLOSED)
    stmt = with_outreach(stmt, caseload_clause(current_user), sort)
    clients, health, worried = outreach_rows(db.session.execute(stmt).all())
    return render_template(
        "clients/caseload.html",
        clients=clients,
        health=health,
        worried=worried,
        sort=sort,
        show_closed=show_closed,
        today=today(),
        overdue=overdue_counts(c.id for c in clients),
    )


@bp.route("/clients")
@login_required
def team_list():
    """Every client of the user's teams, with filters and pagination."""
    require_team_role()
    filters = {
        "phase": _enum_arg("phase", Phase),
        "municipality": _enum_arg("municipality", Municipality),
        "challenge": _enum_arg("challenge", Challenge),
        "companion": int_arg("companion"),
        "team": int_arg("team"),
    }
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        abort(400)
    stmt = visible_clients(current_user)
    if filters["phase"]:
        stmt = stmt.where(Client.phase == filters["phase"])
    elif request.args.get("closed") != "1":
        stmt = stmt.where(Client.phase.in_(OPEN_PHASES))
    if filters["municipality"]:
        stmt = stmt.where(Client.municipality == filters["municipality"])
    if filters["challenge"]:
        stmt = stmt.where(
            Client.id.in_(
                sa.select(ClientChallenge.client_id).where(
                    ClientChallenge.challenge == filters["challenge"]
                )
            )
        )
    if filters["companion"]:
        stmt = stmt.where(Client.primary_companion_id == filters["companion"])
    if filters["team"]:
        stmt = stmt.where(Client.team_id == filters["team"])
    page = paginate_rows(
        with_outreach(stmt, team_scope_clause(current_user), sort), per_page=PER_PAGE
    )
    clients, health, worried = outreach_rows(page.items)
    companions = _team_companions()
    form = None
    if current_user.role == Role.LEAD:
        form = ReassignForm()
        form.companion.choices = choices((u.id, u.display_name) for u in companions)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "clients/team_list.html",
        page=page,
        clients=clients,
        health=health,
        worried=worried,
        filters=filters,
        companions=companions,
        form=form,
        args=args,
        sort=sort,
        today=today(),
        overdue=overdue_counts(c.id for c in clients),
        phase_choices=[(p.value, label(p)) for p in Phase],
        municipality_choices=[(m.value, label(m)) for m in Municipality],
        challenge_choices=[(c.value, label(c)) for c in Challenge],
    )


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
    return redirect(safe_next(request.form.get("back")) or url_for("clients.team_list"))


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
    query = request.args.get("q", "").strip()[:100]
    results = find_clients(current_user, query, limit=SEARCH_SHOWN) if query else []
    return render_template("clients/search.html", query=query, results=results, shown=SEARCH_SHOWN)
