"""The measurement form, built from the instrument's rows: a scale and a note per domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.forms import DateField, NotBlank, no_control_characters
from app.labels import choices_for
from app.measurements.models import Instrument
from app.measurements.services import NOTE_MAX
from app.measurements.vocab import MeasurementKind


class MeasurementForm(FlaskForm):
    measured_on = DateField(_l("Date of the measurement"), validators=[NotBlank()])
    kind = SelectField(_l("Kind of measurement"), choices=choices_for(MeasurementKind))
    submit = SubmitField(_l("Save measurement"))


def measurement_form(instrument: Instrument, **kwargs) -> MeasurementForm:
    """A form with, per domain of ``instrument``, a ``score_<code>`` scale (levels from the
    level rows, or 'not scored') and a ``note_<code>`` text."""

    class Form(MeasurementForm):
        pass

    scale = [SelectChoice("", _l("Not scored"))] + [
        SelectChoice(str(level.score), level.label) for level in instrument.levels
    ]
    for domain in instrument.domains:
        # The service checks the score against the scale, with a clear message.
        setattr(
            Form,
            f"score_{domain.code}",
            RadioField(domain.label, choices=scale, default="", validate_choice=False),
        )
        setattr(
            Form,
            f"note_{domain.code}",
            StringField(
                _l("Note (optional)"),
                validators=[Optional(), Length(max=NOTE_MAX), no_control_characters],
            ),
        )
    return Form(**kwargs)


def score_value(raw):
    """The submitted score as a number when it is one; anything else goes to the service
    as is, which refuses it with a message."""
    if raw in (None, ""):
        return None
    return int(raw) if isinstance(raw, str) and raw.isdigit() else raw


def values(form: MeasurementForm, instrument: Instrument) -> tuple[dict, dict]:
    scores = {d.code: score_value(form[f"score_{d.code}"].data) for d in instrument.domains}
    notes = {d.code: form[f"note_{d.code}"].data for d in instrument.domains}
    return scores, notes
