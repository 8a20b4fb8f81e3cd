"""Forms for placements, the employer log and aftercare checks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.activation.vocab import AftercareSituation, EngagementKind, PlacementKind, PlacementOutcome
from app.forms import (
    DateField,
    IntegerField,
    NotBlank,
    no_control_characters,
    optional_int,
    record_id,
)
from app.labels import choices_for


class PlacementForm(FlaskForm):
    organisation = SelectField(
        _l("Employer or organisation"), coerce=optional_int, validate_choice=False
    )
    kind = SelectField(_l("Kind of placement"), choices=choices_for(PlacementKind))
    started_on = DateField(_l("Start"), validators=[NotBlank()])
    ended_on = DateField(_l("End"), validators=[Optional()])
    hours_per_week = IntegerField(_l("Hours a week"), validators=[Optional(), NumberRange(0, 60)])
    outcome = SelectField(_l("Outcome"), choices=choices_for(PlacementOutcome))
    outcome_note = TextAreaField(
        _l("About the outcome"),
        validators=[Optional(), Length(max=500), no_control_characters],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Save placement"))


class EngagementForm(FlaskForm):
    team = SelectField(_l("Team"), coerce=record_id)
    organisation = SelectField(
        _l("Employer or organisation"), coerce=optional_int, validate_choice=False
    )
    occurred_on = DateField(_l("Date"), validators=[NotBlank()])
    kind = SelectField(_l("What"), choices=choices_for(EngagementKind))
    participants = StringField(
        _l("Who took part"), validators=[Optional(), Length(max=200), no_control_characters]
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Optional(), Length(max=1000), no_control_characters],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Add to the log"))


class AftercareCheckForm(FlaskForm):
    checked_on = DateField(_l("Date of the check"), validators=[NotBlank()])
    situation = RadioField(_l("How is it going?"), choices=choices_for(AftercareSituation))
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500), no_control_characters])
    submit = SubmitField(_l("Record check"))
