"""Forms of the action plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import (
    DateField,
    MultiCheckboxField,
    NotBlank,
    no_control_characters,
    optional_int,
    record_id,
)
from app.labels import choices_for
from app.plans.vocab import GoalActor, GoalStatus
from app.reference import Domain


class GoalForm(FlaskForm):
    domain = SelectField(_l("Life domain"), choices=choices_for(Domain))
    description = TextAreaField(
        _l("What do we want to achieve?"),
        validators=[NotBlank(), Length(max=300), no_control_characters],
        render_kw={"rows": 2},
        description=_l("In simple words, as the client would say it."),
    )
    actor = RadioField(_l("Who acts?"), choices=choices_for(GoalActor), default="client")
    partner = SelectField(
        _l("Partner organisation (when a partner acts)"), coerce=optional_int, validate_choice=False
    )
    target_date = DateField(_l("Target date"), validators=[Optional()])
    # The service checks that each is a (live) record of this client.
    contacts = MultiCheckboxField(
        _l("Contacts that served this goal"),
        coerce=record_id,
        validate_choice=False,
        description=_l("The person's recent contacts."),
    )
    referrals = MultiCheckboxField(
        _l("Referrals that served this goal"),
        coerce=record_id,
        validate_choice=False,
        description=_l("The person's recent referrals."),
    )
    submit = SubmitField(_l("Save goal"))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=choices_for(GoalStatus))
    note = StringField(
        _l("Note"),
        validators=[Optional(), Length(max=300), no_control_characters],
        description=_l("Needed when the goal is dropped: why?"),
    )
    submit = SubmitField(_l("Change status"))
