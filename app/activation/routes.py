"""Activation pages: a client's placements and aftercare checks, and the employer log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.activation import bp, services
from app.activation.forms import AftercareCheckForm, EngagementForm, PlacementForm
from app.activation.models import Placement
from app.auth.models import Team
from app.clients.scoping import client_child_or_404, get_client_or_404
from app.clients.vocab import Phase
from app.extensions import db
from app.forms import choices, submit
from app.labels import label
from app.organisations import services as organisation_services
from app.timeutil import today

PER_PAGE = 30


def _organisation_choices():
    organisations = services.employers_first()
    return choices(
        [("", _("— choose —"))] + [(o.id, f"{o.name} ({label(o.type)})") for o in organisations]
    )


@bp.route("/clients/<int:client_id>/activation")
@login_required
def client_view(client_id: int):
    client = get_client_or_404(client_id)
    return render_template(
        "activation/client.html",
        client=client,
        placements=services.placements_of(client),
        schedule=services.aftercare_schedule(client),
        today=today(),
        in_aftercare=client.phase == Phase.AFTERCARE,
    )


@bp.route("/clients/<int:client_id>/placements/new", methods=["GET", "POST"])
@bp.route("/clients/<int:client_id>/placements/<int:placement_id>", methods=["GET", "POST"])
@login_required
def placement_form(client_id: int, placement_id: int | None = None):
    client = get_client_or_404(client_id)
    placement = None
    if placement_id is not None:
        placement = client_child_or_404(Placement, placement_id, client)
    form = PlacementForm(obj=placement)
    form.organisation.choices = _organisation_choices()
    if request.method == "GET":
        if placement is not None:
            form.organisation.data = placement.organisation_id
        else:
            form.started_on.data = today()

    def save():
        values = {
            "organisation": organisation_services.get_organisation(form.organisation.data)
            if form.organisation.data
            else None,
            "kind": form.kind.data,
            "started_on": form.started_on.data,
            "ended_on": form.ended_on.data,
            "hours_per_week": form.hours_per_week.data,
            "outcome": form.outcome.data,
            "outcome_note": form.outcome_note.data,
            "by": current_user,
        }
        if placement is None:
            services.add_placement(client, **values)
        else:
            services.update_placement(placement, **values)
        flash(_("Placement saved."), "success")
        return redirect(url_for("activation.client_view", client_id=client.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "activation/placement_form.html", form=form, client=client, placement=placement
    ), status


@bp.route("/clients/<int:client_id>/aftercare/<int:months>", methods=["GET", "POST"])
@login_required
def aftercare_check(client_id: int, months: int):
    client = get_client_or_404(client_id)
    if months not in services.AFTERCARE_MONTHS:
        abort(404)
    form = AftercareCheckForm()
    if request.method == "GET":
        form.checked_on.data = today()

    def save():
        services.record_aftercare_check(
            client,
            months=months,
            checked_on=form.checked_on.data,
            situation=form.situation.data,
            note=form.note.data,
            by=current_user,
        )
        flash(_("Aftercare check recorded."), "success")
        return redirect(url_for("activation.client_view", client_id=client.id))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template(
        "activation/aftercare_form.html", form=form, client=client, months=months
    ), status


@bp.route("/activation/employers", methods=["GET", "POST"])
@login_required
def employers():
    """The team's log of employer engagement, and a form to add to it."""
    teams = services.engagement_teams(current_user)
    if not teams:
        abort(404)
    form = EngagementForm()
    form.team.choices = choices((t.id, t.name) for t in teams)
    form.organisation.choices = _organisation_choices()
    if request.method == "GET":
        form.occurred_on.data = today()

    def save():
        services.log_engagement(
            db.session.get(Team, form.team.data),
            organisation=organisation_services.get_organisation(form.organisation.data)
            if form.organisation.data
            else None,
            occurred_on=form.occurred_on.data,
            kind=form.kind.data,
            participants=form.participants.data,
            note=form.note.data,
            by=current_user,
        )
        flash(_("Added to the employer log."), "success")
        return redirect(url_for("activation.employers"))

    response, status = submit(form, save)
    if response is not None:
        return response
    page = db.paginate(services.engagements_for(current_user), per_page=PER_PAGE, error_out=False)
    return render_template("activation/employers.html", form=form, page=page), status
