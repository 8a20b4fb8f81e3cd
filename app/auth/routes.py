"""Sign-in, sign-out, password change and language choice."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.audit import services as audit
from app.audit.services import request_address
from app.auth import bp, sessions, setup_links, signin, twofactor
from app.auth import services as auth_services
from app.auth.forms import ChangePasswordForm, ChoosePasswordForm, LoginForm
from app.extensions import db
from app.forms import submit
from app.redirects import safe_next


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            user = auth_services.authenticate(
                form.username.data, form.password.data, request_address() or "unknown"
            )
        except auth_services.AuthError as error:
            db.session.commit()  # keep the failed attempt and its audit event
            flash(error.message, "danger")
            status = error.status
        else:
            next_path = safe_next(form.next.data)
            if twofactor.needs_second_factor(user):
                signin.start_pending(user, next_path)
                if user.has_two_factor:
                    return redirect(url_for("auth.second_factor"))
                return redirect(url_for("auth.two_factor_setup"))
            signin.complete(user, two_factor=False)
            if not user.has_two_factor and not user.must_change_password:
                flash(
                    _(
                        "Protect your account with two-factor sign-in: choose "
                        "'Two-factor sign-in' in your account menu."
                    ),
                    "info",
                )
            return redirect(next_path or url_for("main.home"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        auth_services.end_sessions(current_user._get_current_object())
        audit.record("auth.sign_out", current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()

    def save():
        auth_services.change_password(
            current_user, form.current_password.data, form.new_password.data
        )
        user = current_user._get_current_object()
        login_user(user)  # the session token rotated; keep this session signed in
        current = sessions.current()
        sessions.end_all(user, except_id=current.id if current else None)
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("main.home"))

    response, status = submit(form, save, field="new_password")
    if response is not None:
        return response
    return render_template("auth/change_password.html", form=form), status


@bp.route(setup_links.PATH + "<token>", methods=["GET", "POST"])
def choose_password(token: str):
    """The page a set-up link opens (new account or reset): the user chooses a password."""
    user = setup_links.find(token)
    if user is None:
        return render_template("auth/setup_link_invalid.html"), 404
    form = ChoosePasswordForm()

    def save():
        setup_links.choose_password(user, form.new_password.data)
        flash(_("Your password is saved. Sign in with it."), "success")
        return redirect(url_for("auth.login"))

    response, status = submit(form, save, field="new_password")
    if response is not None:
        return response
    return render_template("auth/choose_password.html", form=form, user=user), status


@bp.route("/language", methods=["POST"])
def set_language():
    """Choose the interface language: stored on the account, or in the session before sign-in."""
    code = request.form.get("language", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = code
    else:
        session["locale"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))
