"""The buddy logs check-ins and sees their history; the team acknowledges worries."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import idempotency
from app.auth.vocab import Role
from app.checkins import bp
from app.checkins import services as checkin_services
from app.checkins.forms import CheckInForm
from app.checkins.models import CheckIn
from app.clients.models import Client
from app.clients.scoping import Access, client_child_or_404, get_client_or_404, scope_clause
from app.errors import DomainError
from app.extensions import db
from app.forms import submit
from app.pagination import paginate_rows
from app.timeutil import today


def require_buddy() -> None:
    if current_user.role != Role.BUDDY:
        abort(404)


@bp.route("/clients/<int:client_id>/checkins/new", methods=["GET", "POST"])
@login_required
def new(client_id: int):
    require_buddy()
    client = get_client_or_404(client_id, need=Access.PRACTICAL)
    form = CheckInForm()
    if request.method == "GET":
        form.form_id.data = idempotency.new_key()
        form.occurred_on.data = today()

    def save():
        try:
            checkin, _created = checkin_services.log_checkin(
                client, form.to_input(), by=current_user, key=form.form_id.data
            )
        except idempotency.KeyRefused:
            form.form_id.data = idempotency.new_key()  # the form is sent again with a new key
            raise
        if checkin.worry:
            flash(_("Check-in saved. The companion sees your worry now."), "success")
        else:
            flash(_("Check-in saved. Thank you!"), "success")
        return redirect(url_for("main.home"))

    response, status = submit(form, save)
    if response is not None:
        return response
    return render_template("checkins/form.html", form=form, client=client), status


@bp.route("/checkins")
@login_required
def history():
    """The buddy's own check-ins and volunteer hours."""
    require_buddy()
    page = paginate_rows(checkin_services.own_checkins(current_user), per_page=25)
    visible = dict(
        db.session.execute(
            sa.select(Client.id, Client.preferred_name).where(scope_clause(current_user))
        ).all()
    )
    return render_template(
        "checkins/history.html",
        page=page,
        checkins=[row[0] for row in page.items],
        visible=visible,
        minutes=checkin_services.volunteer_minutes(current_user),
    )


@bp.route("/clients/<int:client_id>/checkins/<int:checkin_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(client_id: int, checkin_id: int):
    """A companion or lead has seen a buddy's worry."""
    client = get_client_or_404(client_id)
    checkin = client_child_or_404(CheckIn, checkin_id, client)
    try:
        checkin_services.acknowledge_worry(checkin, by=current_user)
    except DomainError as error:
        abort(error.status)
    flash(_("The worry is marked as seen."), "success")
    return redirect(url_for("clients.show", client_id=client.id))
