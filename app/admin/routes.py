"""User and team administration pages."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.admin import bp
from app.admin.forms import TeamForm, UserForm, field_name, settings_form
from app.auth import access, services, setup_links, twofactor
from app.auth.models import AccessChange, Team, User
from app.auth.vocab import Role
from app.extensions import db
from app.forms import submit
from app.mail import mail_configured, outbox_counts, outbox_page
from app.mail.models import OutboxMessage, OutboxStatus
from app.settings.registry import SPECS, update_settings

PER_PAGE = 50


def _get_or_404(model, object_id: int):
    """The account, team or access change with this id, if it is of the administrator's own
    partnership: another partnership's is a 404, as if it did not exist."""
    row = db.session.get(model, object_id)
    owner = row.user if isinstance(row, AccessChange) else row
    if row is None or owner.partnership_id != current_user.partnership_id:
        abort(404)
    return row


def _ours(model):
    return model.partnership_id == current_user.partnership_id


def _team_choices():
    return [
        SelectChoice(t.id, t.name)
        for t in db.session.scalars(sa.select(Team).where(_ours(Team)).order_by(Team.name))
    ]


def _teams_by_id(ids) -> list[Team]:
    """The chosen teams, all of the administrator's partnership (another's is a 404)."""
    teams = [db.session.get(Team, i) for i in ids]
    services.check_same_partnership(current_user.partnership_id, teams)
    return teams


def _users_page(status: int = 200):
    query = request.args.get("q", "").strip()[:64]
    stmt = sa.select(User).where(_ours(User)).order_by(User.active.desc(), User.display_name)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.username).like(like), sa.func.lower(User.display_name).like(like)
            )
        )
    page = db.paginate(stmt, per_page=PER_PAGE, error_out=False)
    changes = access.pending_changes()
    return render_template(
        "admin/users.html",
        page=page,
        query=query,
        changes=changes,
        describe=access.describe_change,
    ), status


@bp.route("/users")
def users():
    return _users_page()


def _awaiting_flash() -> None:
    flash(
        _(
            "Giving access waits for the confirmation of a second administrator: it takes "
            "effect once another administrator confirms it on the users page."
        ),
        "info",
    )


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    form.teams.choices = _team_choices()

    def save():
        change = access.propose_account(
            username=form.username.data,
            display_name=form.display_name.data,
            email=form.email.data,
            role=Role(form.role.data),
            can_administer=form.can_administer.data,
            teams=_teams_by_id(form.teams.data),
            locale=form.locale.data or None,
            by=current_user,
            partnership_id=current_user.partnership_id,
        )
        flash(
            _(
                "Account %(username)s created. It becomes active when a second administrator "
                "confirms it; then a link to choose a password is e-mailed to %(email)s.",
                username=change.user.username,
                email=change.user.email,
            ),
            "success",
        )
        return redirect(url_for("admin.users"))

    response, status = submit(form, save, field="username")
    services.explain_another_partnerships_team(form.teams, current_user.partnership_id)
    if response is not None:
        return response
    return render_template("admin/user_form.html", form=form, user=None), status


def _user_page(user: User, form: UserForm | None = None, status: int = 200):
    if form is None:
        form = UserForm(obj=user)
        form.role.data, form.teams.data = user.role.value, user.team_ids
        form.locale.data = user.locale or ""
    form.teams.choices = _team_choices()
    change = access.pending_for(user)
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        change=change,
        describe=access.describe_change,
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _get_or_404(User, user_id)
    form = UserForm(obj=user)
    form.teams.choices = _team_choices()
    if request.method == "GET":
        return _user_page(user)

    def save():
        access.update_user(
            user,
            by=current_user,
            username=form.username.data,
            display_name=form.display_name.data.strip(),
            locale=form.locale.data or None,
        )
        change = access.change_access(
            user,
            by=current_user,
            email=form.email.data,
            role=Role(form.role.data),
            can_administer=form.can_administer.data,
            teams=_teams_by_id(form.teams.data),
        )
        flash(_("Changes saved."), "success")
        if change is not None:
            _awaiting_flash()
        return redirect(url_for("admin.edit_user", user_id=user.id))

    response, status = submit(form, save, field="username")
    services.explain_another_partnerships_team(form.teams, current_user.partnership_id)
    if response is not None:
        return response
    return _user_page(user, form, status)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    """A link to choose a new password goes to the user's own e-mail address: no
    administrator ever sees a password of another account."""
    user = _get_or_404(User, user_id)
    try:
        sent = setup_links.reset(user, by=current_user)
    except services.AuthError as error:
        flash(error.message, "danger")
        return _user_page(user, status=error.status)
    if sent:
        flash(
            _(
                "A link to choose a new password was e-mailed to %(email)s. The old password "
                "no longer works.",
                email=user.email,
            ),
            "success",
        )
    else:
        _link_not_sent(user)
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
def reset_two_factor(user_id: int):
    """The user lost their phone and recovery codes: they enrol again at their next sign-in."""
    user = _get_or_404(User, user_id)
    try:
        twofactor.reset(user, by=current_user._get_current_object())
    except services.AuthError as error:
        flash(error.message, "danger")
        return _user_page(user, status=error.status)
    flash(_("Two-factor sign-in is reset; every session of this account ended."), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _link_not_sent(user: User) -> None:
    flash(
        _(
            "The link to choose a password could not be e-mailed: e-mail is not configured or "
            "the mail server did not answer. The server operator can print a link with "
            "'flask users setup-link %(username)s' and hand it over.",
            username=user.username,
        ),
        "warning",
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):
    user = _get_or_404(User, user_id)
    active = request.form.get("active") == "1"
    try:
        change = access.set_active(user, active, by=current_user)
    except services.AuthError as error:
        flash(error.message, "danger")
        return _user_page(user, status=error.status)
    if change is not None:
        _awaiting_flash()
    else:
        flash(_("Account activated.") if active else _("Account deactivated."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/access-changes/<int:change_id>/confirm", methods=["POST"])
def confirm_access_change(change_id: int):
    change = _get_or_404(AccessChange, change_id)
    try:
        access.confirm(change, by=current_user)
    except services.AuthError as error:
        flash(error.message, "danger")
        return _users_page(error.status)
    flash(_("Change confirmed: it applies now."), "success")
    if change.send_setup_link:
        if setup_links.welcome(change.user, by=current_user):
            flash(
                _(
                    "A link to choose a password was e-mailed to %(email)s.",
                    email=change.user.email,
                ),
                "success",
            )
        else:
            _link_not_sent(change.user)
    return redirect(url_for("admin.users"))


@bp.route("/access-changes/<int:change_id>/withdraw", methods=["POST"])
def withdraw_access_change(change_id: int):
    change = _get_or_404(AccessChange, change_id)
    try:
        access.withdraw(change, by=current_user)
    except services.AuthError as error:
        flash(error.message, "danger")
        return _users_page(error.status)
    flash(_("Change withdrawn: nothing was changed."), "success")
    return redirect(url_for("admin.users"))


@bp.route("/teams")
def teams():
    rows = db.session.execute(
        sa.select(Team, sa.func.count(User.id))
        .outerjoin(Team.members)
        .where(_ours(Team))
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
            services.create_team(
                form.name.data,
                form.description.data,
                by=current_user,
                partnership_id=current_user.partnership_id,
            )
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


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = settings_form()

    def save():
        values = {key: getattr(form, field_name(key)).data for key in SPECS}
        changed = update_settings(values, by=current_user)
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("admin.settings"))

    response, status = submit(form, save)
    if response is not None:
        return response
    groups: dict = {}
    for key, spec in SPECS.items():
        groups.setdefault(str(spec.group), []).append(getattr(form, field_name(key)))
    return render_template("admin/settings.html", form=form, groups=groups), status


# The outbox: every e-mail with its status; without MAIL_SERVER, the .eml files.


@bp.route("/outbox")
def outbox():
    page = outbox_page(request.args.get("page", 1, type=int) or 1, current_user.partnership_id)
    return render_template(
        "admin/outbox.html",
        page=page,
        counts=outbox_counts(current_user.partnership_id),
        statuses=OutboxStatus,
        file_mode=not mail_configured(),
        folder=current_app.config["MAIL_FILE_DIR"],
    )


@bp.route("/outbox/<int:message_id>.eml")
def outbox_file(message_id: int):
    """The .eml file of a message written without MAIL_SERVER (a development machine)."""
    message = db.session.get(OutboxMessage, message_id)
    if (
        message is None
        or message.partnership_id != current_user.partnership_id
        or not message.file_name
        or mail_configured()
    ):
        abort(404)
    folder = Path(current_app.config["MAIL_FILE_DIR"])
    if not (folder / message.file_name).is_file():
        abort(404)
    return send_from_directory(
        folder, message.file_name, mimetype="message/rfc822", as_attachment=True
    )
