"""The installation administrator's pages: the partnerships and their first administrator.
Nobody else reaches them (404, see app/admin/__init__.py); they show no client data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin import bp
from app.admin.forms import PartnershipForm
from app.admin.partnerships import create_with_admin
from app.auth.models import Team, User
from app.extensions import db
from app.forms import submit
from app.partnerships.models import Partnership


@bp.route("/partnerships")
def partnerships():
    teams = sa.select(sa.func.count(Team.id)).where(Team.partnership_id == Partnership.id)
    users = sa.select(sa.func.count(User.id)).where(User.partnership_id == Partnership.id)
    rows = db.session.execute(
        sa.select(
            Partnership,
            teams.scalar_subquery().label("teams"),
            users.scalar_subquery().label("users"),
        ).order_by(Partnership.name)
    ).all()
    return render_template("admin/partnerships.html", rows=rows)


@bp.route("/partnerships/new", methods=["GET", "POST"])
def partnership_new():
    form = PartnershipForm()

    def save():
        created = create_with_admin(
            name=form.name.data,
            code_prefix=form.code_prefix.data,
            admin_username=form.admin_username.data,
            admin_display_name=form.admin_display_name.data,
            admin_email=form.admin_email.data,
            by=current_user,
            regional_list=form.regional_list.data,
        )
        message = _(
            "Partnership %(name)s created. A link to choose a password was e-mailed to %(email)s.",
            name=created.partnership.name,
            email=created.admin.email,
        )
        if not created.link_sent:
            message = _(
                "Partnership %(name)s created, but the e-mail with the link to choose a "
                "password could not be sent to %(email)s: send it again later.",
                name=created.partnership.name,
                email=created.admin.email,
            )
        flash(message, "success" if created.link_sent else "warning")
        if created.organisations:
            flash(
                _(
                    "Its social map starts from the regional list: %(n)d organisations.",
                    n=created.organisations,
                ),
                "success",
            )
        return redirect(url_for("admin.partnerships"))

    response, status = submit(form, save, field="name")
    if response is not None:
        return response
    return render_template("admin/partnership_form.html", form=form), status
