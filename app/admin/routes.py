"""User and team administration pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import bp
from app.admin.forms import TeamForm, UserForm
from app.auth import services
from app.auth.models import Role, Team, User
from app.extensions import db
from app.forms import submit

PER_PAGE = 50


def _get_or_404(model, object_id: int):
    return db.session.get(model, object_id) or abort(404)


def _team_choices():
    return [
        SelectChoice(t.id, t.name) for t in db.session.scalars(sa.select(Team).order_by(Team.name))
    ]


@bp.route("/users")
def users():
    query = request.args.get("q", "").strip()[:64]
    stmt = sa.select(User).order_by(User.active.desc(), User.display_name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.username).like(like), sa.func.lower(User.display_name).like(like)
            )
        )
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, query=query)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    form.teams.choices = _team_choices()

    def save():
        user, temporary = services.create_user(
            username=form.username.data,
            display_name=form.display_name.data,
            email=form.email.data,
            role=Role(form.role.data),
            can_administer=form.can_administer.data,
            teams=[db.session.get(Team, i) for i in form.teams.data],
            locale=form.locale.data or None,
            by=current_user,
        )
        flash(
            _(
                "Account %(username)s created. Temporary password: %(password)s — hand it "
                "over in person; it must be changed at first sign-in.",
                username=user.username,
                password=temporary,
            ),
            "success",
        )
        return redirect(url_for("admin.users"))

    response, status = submit(form, save, field="username")
    if response is not None:
        return response
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.teams.choices = _team_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.teams.data = user.team_ids
        form.locale.data = user.locale or ""

    def save():
        services.update_user(
            user,
            by=current_user,
            username=form.username.data,
            display_name=form.display_name.data.strip(),
            email=(form.email.data or "").strip() or None,
            role=Role(form.role.data),
            can_administer=form.can_administer.data,
            teams=[db.session.get(Team, i) for i in form.teams.data],
            locale=form.locale.data or None,
        )
        flash(_("Changes saved."), "success")
        return redirect(url_for("admin.users"))

    response, status = submit(form, save, field="username")
    if response is not None:
        return response
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    user = _get_or_404(User, user_id)
    temporary = services.reset_password(user, by=current_user)
    flash(
        _(
            "New temporary password for %(username)s: %(password)s — it must be changed at "
            "the next sign-in.",
            username=user.username,
            password=temporary,
        ),
        "success",
    )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):
    user = _get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    try:
        services.set_active(user, active, by=current_user)
    except services.AuthError as error:
        flash(error.message, "danger")
        form = UserForm(obj=user)
        form.teams.choices = _team_choices()
        form.role.data, form.teams.data = user.role.value, user.team_ids
        return render_template("admin/user_form.html", form=form, user=user), error.status
    flash(_("Account activated.") if active else _("Account deactivated."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/teams")
def teams():
    rows = db.session.execute(
        sa.select(Team, sa.func.count(User.id))
        .outerjoin(Team.members)
        .group_by(Team.id)
        .order_by(Team.name)
    ).all()
    return render_template("admin/teams.html", rows=rows)


@bp.route("/teams/new", methods=["GET", "POST"])
@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
def team_form(team_id: int | None = None):
    team = _get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=team)

    def save():
        if team is None:
            services.create_team(form.name.data, form.description.data, by=current_user)
        else:
            services.update_team(
                team, name=form.name.data, description=form.description.data, by=current_user
            )
        flash(_("Changes saved."), "success")
        return redirect(url_for("admin.teams"))

    response, status = submit(form, save, field="name")
    if response is not None:
        return response
    return render_template("admin/team_form.html", form=form, team=team), status
