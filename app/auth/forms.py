"""Sign-in and password forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import EqualTo, Length

from app.forms import NotBlank


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[NotBlank(), Length(max=64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[NotBlank(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[NotBlank(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[NotBlank(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least 10 characters. A sentence of a few words works well."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[NotBlank(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))


class ChoosePasswordForm(FlaskForm):
    """The page a set-up link opens: the user chooses their password."""

    new_password = PasswordField(
        _l("New password"),
        validators=[NotBlank(), Length(max=200)],
        render_kw={"autocomplete": "new-password", "autofocus": True},
        description=_l("At least 10 characters. A sentence of a few words works well."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[NotBlank(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password"))


class CodeForm(FlaskForm):
    """The second factor: 6 digits from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[NotBlank(), Length(max=40)],
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "autofocus": True,
            "spellcheck": "false",
        },
    )
    submit = SubmitField(_l("Confirm"))
