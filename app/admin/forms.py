"""Forms for user and team administration and for the settings page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

from app.auth.vocab import INSTALLATION_ROLES, Role
from app.forms import (
    IntegerField,
    MultiCheckboxField,
    NotBlank,
    no_control_characters,
    record_id,
)
from app.labels import choices_for
from app.settings.registry import SPECS, all_settings

LOCALE_CHOICES = [
    SelectChoice("", _l("Browser language")),
    SelectChoice("nl", "Nederlands"),
    SelectChoice("en", "English"),
]


class PartnershipForm(FlaskForm):
    name = StringField(
        _l("Name of the partnership"),
        validators=[NotBlank(), Length(max=120), no_control_characters],
    )
    code_prefix = StringField(
        _l("Client-code prefix"),
        description=_l("2 to 6 capital letters, such as DL: client codes read DL-2026-0042."),
        validators=[NotBlank(), Length(max=6)],
        render_kw={"autocapitalize": "characters", "autocomplete": "off"},
    )
    admin_username = StringField(
        _l("Username"),
        validators=[NotBlank(), Length(max=64)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    admin_display_name = StringField(
        _l("Name"), validators=[NotBlank(), Length(max=120), no_control_characters]
    )
    admin_email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    regional_list = BooleanField(
        _l("Start its social map from the regional list"),
        description=_l(
            "A copy of the shipped list of organisations of Dijleland+ (the partnership can "
            "change its copy; other partnerships' maps are not touched). Leave it off to start "
            "from an empty map or a CSV import."
        ),
    )
    submit = SubmitField(_l("Create partnership"))


class FunderAccountForm(FlaskForm):
    """An installation-level account for the funder's reporting (figures only)."""

    username = StringField(
        _l("Username"),
        validators=[NotBlank(), Length(max=64)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    display_name = StringField(
        _l("Name"), validators=[NotBlank(), Length(max=120), no_control_characters]
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    submit = SubmitField(_l("Create account"))


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[NotBlank(), Length(max=64)],
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    display_name = StringField(
        _l("Name"), validators=[NotBlank(), Length(max=120), no_control_characters]
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    # A partnership's administrators give partnership roles only.
    role = SelectField(
        _l("Role"), choices=choices_for(Role, [r for r in Role if r not in INSTALLATION_ROLES])
    )
    can_administer = BooleanField(_l("Also administrator"))
    teams = MultiCheckboxField(_l("Teams"), coerce=record_id)
    locale = SelectField(_l("Language"), choices=LOCALE_CHOICES)
    submit = SubmitField(_l("Save"))


class TeamForm(FlaskForm):
    name = StringField(_l("Name"), validators=[NotBlank(), Length(max=80), no_control_characters])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=500), no_control_characters]
    )
    submit = SubmitField(_l("Save"))


def field_name(key: str) -> str:
    """The form field of a setting key ("reminders.failed_attempts")."""
    return key.replace(".", "__")


def settings_form():
    """A form with one whole-number field per setting, built from the registry."""

    class SettingsForm(FlaskForm):
        submit = SubmitField(_l("Save"))

    for key, spec in SPECS.items():
        setattr(
            SettingsForm,
            field_name(key),
            IntegerField(
                spec.label,
                validators=[
                    InputRequired(),
                    NumberRange(
                        min=spec.minimum,
                        max=spec.maximum,
                        message=_l("Choose a value from %(min)s to %(max)s."),
                    ),
                ],
                description=spec.help,
                render_kw={"inputmode": "numeric", "min": spec.minimum, "max": spec.maximum},
            ),
        )
    return SettingsForm(data={field_name(k): v for k, v in all_settings().items()})
