"""Forms for group sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import (
    DateField,
    IntegerField,
    NotBlank,
    no_control_characters,
    optional_int,
    record_id,
)
from app.labels import choices_for
from app.reference import Domain


class SessionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[NotBlank(), Length(max=120), no_control_characters]
    )
    domain = SelectField(_l("Life domain"), choices=choices_for(Domain))
    team = SelectField(_l("Team"), coerce=record_id)
    starts_on = DateField(_l("Date"), validators=[NotBlank()])
    starts_at = TimeField(_l("Start time"), validators=[NotBlank()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), default=90, validators=[NotBlank(), NumberRange(15, 600)]
    )
    place = StringField(
        _l("Place"), validators=[NotBlank(), Length(max=200), no_control_characters]
    )
    facilitator = SelectField(_l("Facilitator"), coerce=optional_int, validate_choice=False)
    capacity = IntegerField(
        _l("Number of places"), default=12, validators=[NotBlank(), NumberRange(1, 200)]
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=1000), no_control_characters],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Save session"))


class RegisterClientForm(FlaskForm):
    client = SelectField(_l("Person"), coerce=optional_int, validate_choice=False)
    submit = SubmitField(_l("Sign up for the session"))


class RegisterBuddyForm(FlaskForm):
    buddy = SelectField(_l("Buddy"), coerce=optional_int, validate_choice=False)
    submit_buddy = SubmitField(_l("Sign the buddy up"))
