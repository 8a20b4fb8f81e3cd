"""My caseload and the team list: the clients a user follows, each with outreach health,
open worries and overdue goals beside it."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.auth.models import User
from app.auth.vocab import Role
from app.bounds import int_arg
from app.clientlists import bp
from app.clientlists.services import SORTS, outreach_rows, with_outreach
from app.clients import caseload as caseload_services
from app.clients.filters import client_filters
from app.clients.forms import ReassignForm
from app.clients.models import Client
from app.clients.scoping import (
    caseload_clause,
    require_team_role,
    visible_clients,
)
from app.clients.vocab import OPEN_PHASES, Phase
from app.extensions import db
from app.forms import choices
from app.labels import label
from app.pagination import paginate_rows
from app.plans.services import overdue_counts
from app.reference import Challenge, Municipality
from app.timeutil import today

PER_PAGE = 50


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
    stmt = _caseload_statement(caseload_clause(current_user), sort, show_closed)
    clients, health, worried = outreach_rows(db.session.execute(stmt).all())
    return render_template(
        "clientlists/caseload.html",
        clients=clients,
        health=health,
        worried=worried,
        sort=sort,
        show_closed=show_closed,
        today=today(),
        overdue=overdue_counts(c.id for c in clients),
    )


@functools.lru_cache(maxsize=256)
def _caseload_statement(clause, sort: str, show_closed: bool) -> sa.Select:
    """The caseload's statement for one companion's clause (``caseload_clause``: one object
    per companion and teams), sort and choice of closed files, built once: building it and
    its cache key costs some 0.3 ms a page."""
    stmt = sa.select(Client).where(clause)
    if not show_closed:
        stmt = stmt.where(Client.phase != Phase.CLOSED)
    return with_outreach(stmt, sort)


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
    stmt = visible_clients(current_user).where(
        *client_filters(
            phase=filters["phase"],
            municipality=filters["municipality"],
            challenge=filters["challenge"],
            companion_id=filters["companion"],
            team_id=filters["team"],
        )
    )
    if not filters["phase"] and request.args.get("closed") != "1":
        stmt = stmt.where(Client.phase.in_(OPEN_PHASES))
    page = paginate_rows(with_outreach(stmt, sort), per_page=PER_PAGE)
    clients, health, worried = outreach_rows(page.items)
    companions = _team_companions()
    form = None
    if current_user.role == Role.LEAD:
        form = ReassignForm()
        form.companion.choices = choices((u.id, u.display_name) for u in companions)
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "clientlists/team_list.html",
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


def _team_companions() -> list[User]:
    return caseload_services.companions_of_teams(current_user.team_ids)
