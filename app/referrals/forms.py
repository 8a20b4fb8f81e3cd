"""Forms for referrals: choosing the domain, the referral itself, a status move, the details."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.bounds import max_length
from app.forms import DateField, NotBlank, no_control_characters, optional_int
from app.labels import choices_for
from app.reference import Domain
from app.referrals.models import Referral, ReferralStatusChange


def long_text(label, max_length, *, required=False, **kwargs):
    validators = [NotBlank()] if required else [Optional()]
    return TextAreaField(
        label,
        validators=[*validators, Length(max=max_length), no_control_characters],
        render_kw={"rows": 3},
        **kwargs,
    )


class DomainPickForm(FlaskForm):
    """A GET form: the life domain decides which organisations are offered first."""

    class Meta:
        csrf = False

    domain = SelectField(
        _l("Life domain"),
        choices=[SelectChoice("", _l("Choose a life domain")), *choices_for(Domain)],
        default="",
    )


class ReferralForm(FlaskForm):
    domain = HiddenField()
    organisation = SelectField(_l("Organisation"), coerce=optional_int, validators=[NotBlank()])
    question = long_text(
        _l("What is asked"),
        max_length(Referral.question),
        required=True,
        description=_l("In plain words, as the partner may read it. No health details here."),
    )
    referred_on = DateField(_l("Referral date"), validators=[NotBlank()])
    response_deadline = DateField(
        _l("Answer expected by"),
        validators=[Optional()],
        description=_l("Empty: the usual response time after the referral date."),
    )
    warm_handover = BooleanField(_l("Warm handover: I go along with the person"))
    handover_on = DateField(_l("Date I go along"), validators=[Optional()])
    confirm_outside_domain = BooleanField(
        _l("Refer to this organisation anyway, although it does not list this life domain")
    )
    submit = SubmitField(_l("Save referral"))


class MoveForm(FlaskForm):
    """Every field a move may need; the page shows those the target asks for."""

    on = DateField(_l("Date"), validators=[NotBlank()])
    appointment_on = DateField(_l("Date of the first appointment"), validators=[Optional()])
    reason = long_text(_l("Reason"), max_length(ReferralStatusChange.reason))
    response_deadline = DateField(_l("Answer expected by"), validators=[Optional()])
    consent_override = BooleanField(
        _l("Send it without a covering consent: I take responsibility and write why")
    )
    override_reason = long_text(
        _l("Why it cannot wait for consent"), max_length(Referral.override_reason)
    )
    note = long_text(_l("Note"), max_length(ReferralStatusChange.note))
    submit = SubmitField(_l("Save"))


class DetailsForm(FlaskForm):
    question = long_text(_l("What is asked"), max_length(Referral.question))
    response_deadline = DateField(_l("Answer expected by"), validators=[NotBlank()])
    warm_handover = BooleanField(_l("Warm handover: I go along with the person"))
    handover_on = DateField(_l("Date I go along"), validators=[Optional()])
    submit = SubmitField(_l("Save"))
