"""Pages around the API: the browsable description (Swagger UI, vendored) and the user's
personal tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from app.api.tokens import ApiToken, create_token, revoke_token
from app.errors import DomainError
from app.extensions import db
from app.forms import NotBlank, apply_error, no_control_characters

bp = Blueprint("api_pages", __name__, template_folder="templates")


class TokenForm(FlaskForm):
    name = StringField(
        _l("What is the token for?"),
        validators=[NotBlank(), Length(max=80), no_control_characters],
        description=_l("For example: 'tablet sync' or 'reporting script'."),
    )
    submit = SubmitField(_l("Create token"))


@bp.route("/api/v1/docs")
def docs():
    return render_template("api/docs.html")


def _require_two_factor_session() -> None:
    """A token works without a second factor, so it is only made in a session signed in with
    one, when the role requires two-factor sign-in or the user has it on."""
    from app.auth import sessions, twofactor

    row = sessions.current()
    needed = current_user.has_two_factor or twofactor.required_for(current_user)
    if needed and (row is None or not row.two_factor):
        raise DomainError(
            _("Sign in with your two-factor code first: only then can you create a token."),
            403,
        )


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    status, new_token = 200, None
    if form.validate_on_submit():
        try:
            _require_two_factor_session()
            _token, new_token = create_token(current_user, form.name.data)
        except DomainError as error:
            apply_error(form, error)
            status = error.status
        else:
            form = TokenForm(formdata=None)
    elif form.is_submitted():
        status = 422
    rows = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
    ).all()
    return render_template("api/tokens.html", form=form, tokens=rows, new_token=new_token), status


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    revoke_token(token, by=current_user)
    flash(_("The token is revoked; it stops working at once."), "success")
    return redirect(url_for("api_pages.tokens"))
