"""The buddy's check-in form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from app.bounds import max_length
from app.checkins.models import CheckIn
from app.checkins.services import CheckInInput
from app.checkins.vocab import RATINGS, Activity
from app.clients.forms import long_text, text
from app.forms import DateField, IntegerField, NotBlank
from app.labels import choices_for


class CheckInForm(FlaskForm):
    form_id = HiddenField()
    occurred_on = DateField(_l("Date"), validators=[NotBlank()])
    activity = RadioField(_l("What did you do?"), choices=choices_for(Activity))
    activity_note = text(_l("In a few words (optional)"), max_length(CheckIn.activity_note))
    duration_minutes = IntegerField(_l("How long, in minutes"), validators=[NotBlank()])
    rating = RadioField(_l("How did it go?"), coerce=int)
    worry = BooleanField(_l("I am worried about something"))
    worry_text = long_text(
        _l("What worries you?"),
        max_length(CheckIn.worry_text),
        description=_l("The companion sees this at once. For emergencies, call 112."),
    )
    next_meeting_on = DateField(_l("Next meeting"), validators=[Optional()])
    submit = SubmitField(_l("Save check-in"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request: the labels are translated into the user's language.
        self.rating.choices = [SelectChoice(v, f"{v} – {text}") for v, text in RATINGS.items()]

    def to_input(self) -> CheckInInput:
        return CheckInInput(
            occurred_on=self.occurred_on.data,
            activity=Activity(self.activity.data),
            activity_note=self.activity_note.data,
            duration_minutes=self.duration_minutes.data,
            rating=self.rating.data,
            worry=bool(self.worry.data),
            worry_text=self.worry_text.data,
            next_meeting_on=self.next_meeting_on.data,
        )
