"""Forms of the partner's page: the one-time code, and an answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from app.forms import DateField, IntegerField, NotBlank, no_control_characters


class SendCodeForm(FlaskForm):
    submit = SubmitField(_l("Send me a code"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("One-time code"),
        validators=[NotBlank(), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Open the referral"))


class AnswerForm(FlaskForm):
    """Every field an answer may need; each answer's form on the page shows its own."""

    kind = HiddenField()
    seen_change = IntegerField(validators=[Optional()])
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=500), no_control_characters]
    )
    appointment_on = DateField(_l("Date of the first appointment"), validators=[Optional()])
    place = StringField(
        _l("Place"), validators=[Optional(), Length(max=200), no_control_characters]
    )
    submit = SubmitField(_l("Save"))
