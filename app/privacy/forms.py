"""Forms of the privacy officer's pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms import DateField, NotBlank, no_control_characters
from app.labels import choices_for
from app.privacy.vocab import Decision


class LegalHoldForm(FlaskForm):
    hold = BooleanField(_l("On legal hold (no anonymisation, no erasure)"))
    reason = TextAreaField(
        _l("Reason"), validators=[Optional(), Length(max=500), no_control_characters]
    )
    submit = SubmitField(_l("Save"))


class AccessRequestForm(FlaskForm):
    received_on = DateField(_l("Received on"), validators=[Optional()])
    reason = TextAreaField(
        _l("Request (how and from whom it came)"),
        validators=[NotBlank(), Length(max=1000), no_control_characters],
    )
    submit = SubmitField(_l("Record and open the export"))


class ErasureForm(FlaskForm):
    received_on = DateField(_l("Received on"), validators=[Optional()])
    reason = TextAreaField(
        _l("Reason given for the request"),
        validators=[NotBlank(), Length(max=1000), no_control_characters],
    )
    decision = RadioField(
        _l("Decision"), choices=choices_for(Decision), validators=[DataRequired()]
    )
    decision_note = TextAreaField(
        _l("Motivation of the decision"),
        validators=[Optional(), Length(max=1000), no_control_characters],
    )
    submit = SubmitField(_l("Record the decision"))
