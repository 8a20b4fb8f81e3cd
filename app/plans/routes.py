"""A client's action plan: the goals, adding and changing them, and the printable plan."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.clients.scoping import client_child_or_404, get_client_or_404
from app.extensions import db
from app.forms import choices, submit
from app.labels import choices_for
from app.organisations import services as organisation_services
from app.organisations.models import Organisation
from app.plans import bp, links, services
from app.plans.forms import GoalForm, StatusForm
from app.plans.models import Goal
from app.plans.rules import ALLOWED_MOVES, NEEDS_NOTE
from app.plans.vocab import ACTIVE_STATUSES, GoalStatus
from app.timeutil import today


def _partner_choices():
    organisations = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.active, organisation_services.ours_clause())
        .order_by(Organisation.name_key)
    ).all()
    return choices([("", _("— none —"))] + [(o.id, o.name) for o in organisations])


def _plan_url(client):
    return url_for("plans.plan", client_id=client.id)


@bp.route("/clients/<int:client_id>/plan")
@login_required
def plan(client_id: int):
    client = get_client_or_404(client_id)
    return render_template(
        "plans/plan.html",
        client=client,
        goals=services.goals_of(client),
        today=today(),
        moves=ALLOWED_MOVES,
        needs_note=NEEDS_NOTE,
        overdue=services.overdue_counts([client.id]).get(client.id, 0),
    )


@bp.route("/clients/<int:client_id>/plan/goals/new", methods=["GET", "POST"])
@bp.route("/clients/<int:client_id>/plan/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@login_required
def goal_form(client_id: int, goal_id: int | None = None):
    client = get_client_or_404(client_id)
    goal = client_child_or_404(Goal, goal_id, client) if goal_id else None
    form = GoalForm(obj=goal)
    form.partner.choices = _partner_choices()
    form.contacts.choices = choices(
        (c.id, links.contact_label(c)) for c in links.recent_contacts(client, goal)
    )
    form.referrals.choices = choices(
        (r.id, links.referral_label(r)) for r in links.recent_referrals(client, goal)
    )
    if request.method == "GET":
        if goal is not None:
            form.partner.data = goal.partner_id
            form.contacts.data = [c.id for c in goal.live_contacts]
            form.referrals.data = [r.id for r in goal.referrals]
        elif request.args.get("domain"):
            form.domain.data = request.args["domain"]

    def save():
        partner = (
            organisation_services.get_organisation(form.partner.data) if form.partner.data else None
        )
        values = {
            "domain": form.domain.data,
            "description": form.description.data,
            "actor": form.actor.data,
            "target_date": form.target_date.data,
            "partner": partner,
            "contacts": form.contacts.data or [],
            "referrals": form.referrals.data or [],
            "by": current_user,
        }
        if goal is None:
            services.add_goal(client, **values)
        else:
            services.update_goal(goal, **values)
        flash(_("Goal saved."), "success")
        return redirect(_plan_url(client))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template("plans/goal_form.html", form=form, client=client, goal=goal), status


@bp.route("/clients/<int:client_id>/plan/goals/<int:goal_id>/status", methods=["GET", "POST"])
@login_required
def goal_status(client_id: int, goal_id: int):
    client = get_client_or_404(client_id)
    goal = client_child_or_404(Goal, goal_id, client)
    form = StatusForm()
    form.status.choices = choices_for(GoalStatus, list(ALLOWED_MOVES[goal.status]))
    if request.method == "GET" and request.args.get("to"):
        form.status.data = request.args["to"]

    def save():
        services.change_status(goal, form.status.data, note=form.note.data, by=current_user)
        flash(_("Status changed."), "success")
        return redirect(_plan_url(client))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template("plans/status_form.html", form=form, client=client, goal=goal), status


@bp.route("/clients/<int:client_id>/plan/print")
@login_required
def print_plan(client_id: int):
    """The plan for the client, in plain Dutch (English on request), ready to print."""
    client = get_client_or_404(client_id)
    goals = services.goals_of(client)
    language = "en" if request.args.get("lang") == "en" else "nl"
    with force_locale(language):
        return render_template(
            "plans/print.html",
            client=client,
            active=[g for g in goals if g.status in ACTIVE_STATUSES],
            achieved=[g for g in goals if g.status == GoalStatus.ACHIEVED],
            today=today(),
            language=language,
        )
