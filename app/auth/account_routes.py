"""Two-factor sign-in pages (the code after the password, enrolment, recovery codes), the
user's own sessions, and the lead's reset of a team member's two-factor sign-in."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit.services import request_address
from app.auth import bp, sessions, signin, twofactor
from app.auth.forms import CodeForm
from app.auth.models import User, UserSession, team_membership
from app.auth.services import AuthError
from app.auth.vocab import Role
from app.extensions import db
from app.forms import apply_error


def _address() -> str:
    return request_address() or "unknown"


def _sign_in_again():
    flash(_("Sign in again to go on."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/login/code", methods=["GET", "POST"])
def second_factor():
    """The second step of a sign-in: a code from the app or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    user = signin.pending_user()
    if user is None:
        return _sign_in_again()
    if not user.has_two_factor:
        return redirect(url_for("auth.two_factor_setup"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            method = twofactor.verify(user, form.code.data, _address())
        except AuthError as error:
            db.session.commit()  # keep the failed attempt and its audit event, nothing else
            apply_error(form, error, "code")
            status = error.status
        else:
            next_path = signin.pending_next()
            signin.complete(user, two_factor=True)
            if method == "recovery":
                left = twofactor.recovery_codes_left(user)
                flash(
                    _(
                        "You signed in with a recovery code; %(n)d are left. Make new ones on "
                        "the page 'Two-factor sign-in' when few are left.",
                        n=left,
                    ),
                    "warning",
                )
            return redirect(next_path or url_for("main.home"))
    elif form.is_submitted():
        status = 422
    return render_template("auth/second_factor.html", form=form, user=user), status


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
def two_factor_setup():
    """Enrolment: at the first sign-in when the role requires it (the password was accepted,
    nobody is signed in yet), or when a signed-in user chooses it."""
    pending = None if current_user.is_authenticated else signin.pending_user()
    user = current_user if current_user.is_authenticated else pending
    if user is None:
        return _sign_in_again()
    if user.has_two_factor:
        if pending is not None:
            return redirect(url_for("auth.second_factor"))
        flash(_("Two-factor sign-in is already set up for your account."), "info")
        return redirect(url_for("auth.two_factor"))
    twofactor.begin_enrolment(user)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(user, form.code.data, _address())
        except AuthError as error:
            db.session.commit()  # the secret stays; the failed attempt counts
            apply_error(form, error, "code")
            status = error.status
        else:
            if pending is not None:
                next_path = signin.pending_next()
                signin.complete(pending, two_factor=True)
            else:
                next_path = None
                row = sessions.current()
                if row is not None:
                    row.two_factor = True
            return render_template(
                "auth/recovery_codes.html", codes=codes, next_path=next_path, new=True
            )
    elif form.is_submitted():
        status = 422
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        user=user,
        qr=twofactor.qr_svg(user),
        secret=user.totp_secret,
        required=twofactor.required_for(user),
        signed_in=pending is None,
    ), status


@bp.route("/account/two-factor")
@login_required
def two_factor():
    return render_template(
        "auth/two_factor.html",
        enabled=current_user.has_two_factor,
        left=twofactor.recovery_codes_left(current_user) if current_user.has_two_factor else 0,
        required=twofactor.required_for(current_user),
    )


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """Ten new recovery codes (the old ones stop working); only in a session signed in with
    the second factor."""
    row = sessions.current()
    if not current_user.has_two_factor or row is None or not row.two_factor:
        abort(404)
    codes = twofactor.new_recovery_codes(current_user)
    from app.audit import services as audit

    audit.record("auth.recovery_codes_renewed", current_user._get_current_object())
    return render_template("auth/recovery_codes.html", codes=codes, next_path=None, new=False)


# Sessions.


@bp.route("/account/sessions")
@login_required
def user_sessions():
    current = sessions.current()
    return render_template(
        "auth/sessions.html",
        rows=sessions.active_for(current_user),
        current_id=current.id if current else None,
    )


@bp.route("/account/sessions/<int:user_session_id>/end", methods=["POST"])
@login_required
def end_user_session(user_session_id: int):
    row = db.session.get(UserSession, user_session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    sessions.end(row, by=current_user._get_current_object())
    flash(_("The session is ended: that device is signed out at its next step."), "success")
    return redirect(url_for("auth.user_sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    current = sessions.current()
    ended = sessions.end_all(current_user, except_id=current.id if current else None)
    from app.audit import services as audit

    audit.record("auth.sessions_ended", current_user._get_current_object(), details={"n": ended})
    flash(_("Your other sessions are ended."), "success")
    return redirect(url_for("auth.user_sessions"))


# A lead resets the two-factor sign-in of their team's buddies and companions.


def _team_members(lead: User) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(team_membership, team_membership.c.user_id == User.id)
            .where(
                team_membership.c.team_id.in_(lead.team_ids),
                User.role.in_([Role.BUDDY, Role.COMPANION]),
                User.id != lead.id,
            )
            .distinct()
            .order_by(User.display_name)
        )
    )


@bp.route("/team/two-factor")
@login_required
def team_two_factor():
    if not current_user.is_lead:
        abort(404)
    members = [m for m in _team_members(current_user) if not m.is_admin]
    return render_template("auth/team_two_factor.html", members=members)


@bp.route("/team/two-factor/<int:user_id>/reset", methods=["POST"])
@login_required
def lead_reset_two_factor(user_id: int):
    user = db.session.get(User, user_id)
    if user is None or not current_user.is_lead:
        abort(404)
    try:
        twofactor.reset(user, by=current_user._get_current_object())
    except AuthError as error:
        if error.status == 404:
            abort(404)
        flash(error.message, "danger")
        return redirect(url_for("auth.team_two_factor"))
    flash(
        _(
            "Two-factor sign-in of %(name)s is reset: they set it up again at their next sign-in.",
            name=user.display_name,
        ),
        "success",
    )
    return redirect(url_for("auth.team_two_factor"))
