"""Forms for acting on a reminder."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from app.forms import DateField, NotBlank, no_control_characters


class SnoozeForm(FlaskForm):
    until = DateField(_l("Snooze until"), validators=[NotBlank()])
    submit = SubmitField(_l("Snooze"))


class DismissForm(FlaskForm):
    reason = StringField(
        _l("Why is this reminder not needed?"),
        validators=[NotBlank(), Length(max=500), no_control_characters],
    )
    submit = SubmitField(_l("Dismiss"))
