"""Forms of the agenda: planning an appointment, logging it in one tap, the feed address."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TimeField
from wtforms.validators import Length

from app.agenda.models import Appointment
from app.agenda.vocab import AppointmentKind
from app.bounds import max_length
from app.forms import (
    DateField,
    MultiCheckboxField,
    NotBlank,
    no_control_characters,
    optional_int,
    record_id,
)
from app.labels import choices_for


class AppointmentForm(FlaskForm):
    client = SelectField(_l("Person"), coerce=optional_int, validate_choice=False)
    kind = SelectField(_l("What"), choices=choices_for(AppointmentKind))
    day = DateField(_l("Date"), validators=[NotBlank()])
    starts_time = TimeField(_l("From"), validators=[NotBlank()])
    ends_time = TimeField(_l("Until"), validators=[NotBlank()])
    place = StringField(
        _l("Where"),
        validators=[Length(max=max_length(Appointment.place)), no_control_characters],
    )
    purpose = StringField(
        _l("What for (not in the calendar feed)"),
        validators=[Length(max=max_length(Appointment.purpose)), no_control_characters],
    )
    participants = MultiCheckboxField(_l("Also with"), coerce=record_id, validate_choice=False)
    buddy = SelectField(_l("Buddy"), coerce=optional_int, validate_choice=False)
    organisation = SelectField(
        _l("Partner organisation"), coerce=optional_int, validate_choice=False
    )
    referral = HiddenField()
    confirm_past = BooleanField(_l("Yes, this appointment is in the past"))
    submit = SubmitField(_l("Plan the appointment"))


class LogForm(FlaskForm):
    """The one tap: reached or not."""


class FeedForm(FlaskForm):
    """Regenerate or revoke the calendar address (CSRF only)."""
