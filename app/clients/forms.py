"""Forms of the client file. Choices come from the vocabularies, labels are translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.bounds import max_length
from app.clients.models import MAX_CHILDREN, Client
from app.clients.vocab import (
    ContactChannel,
    DutchLevel,
    EducationBand,
    ExitOutcome,
    Gender,
    Housing,
    IncomeSource,
    LabourStatus,
    PlaceMet,
    Referrer,
    Relationship,
)
from app.forms import (
    DateField,
    IntegerField,
    MultiCheckboxField,
    NotBlank,
    no_control_characters,
    optional_int,
    record_id,
    tri_state,
)
from app.labels import choices_for
from app.reference import Challenge, Domain, Municipality

YES_NO_UNKNOWN = [
    SelectChoice("", _l("Unknown")),
    SelectChoice("1", _l("Yes")),
    SelectChoice("0", _l("No")),
]


def text(label, max_length, *, required=False, **kwargs):
    validators = [NotBlank()] if required else [Optional()]
    validators += [Length(max=max_length), no_control_characters]
    return StringField(label, validators=validators, **kwargs)


def long_text(label, max_length, **kwargs):
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=max_length), no_control_characters],
        render_kw={"rows": 3},
        **kwargs,
    )


class RegisterForm(FlaskForm):
    """Outreach first: only what is known when someone is met."""

    preferred_name = text(
        _l("Nickname or how the person wants to be called"),
        max_length(Client.preferred_name),
        required=True,
        description=_l("A first name, a nickname or a short description is enough."),
    )
    description = long_text(
        _l("Description (what helps to recognise them)"), max_length(Client.description)
    )
    place_met = SelectField(_l("Place met"), choices=choices_for(PlaceMet))
    place_met_detail = text(_l("Place, in your own words"), max_length(Client.place_met_detail))
    municipality = SelectField(_l("Municipality"), choices=choices_for(Municipality))
    municipality_other = text(_l("Other municipality"), max_length(Client.municipality_other))
    languages = SelectMultipleField(_l("Languages spoken"), render_kw={"size": 6})
    registered_on = DateField(_l("Date met"), validators=[NotBlank()])
    team = SelectField(_l("Team"), coerce=record_id)
    confirm_new = HiddenField(default="")
    submit = SubmitField(_l("Register"))


class ProfileForm(FlaskForm):
    preferred_name = text(
        _l("Preferred name or nickname"), max_length(Client.preferred_name), required=True
    )
    description = long_text(_l("Description"), max_length(Client.description))
    legal_first_name = text(_l("First name (official)"), max_length(Client.legal_first_name))
    legal_last_name = text(_l("Last name (official)"), max_length(Client.legal_last_name))
    gender = SelectField(_l("Gender"), choices=choices_for(Gender))
    birth_year = IntegerField(_l("Birth year"), validators=[Optional()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    municipality = SelectField(_l("Municipality"), choices=choices_for(Municipality))
    municipality_other = text(_l("Other municipality"), max_length(Client.municipality_other))
    place_met = SelectField(_l("Place met"), choices=choices_for(PlaceMet))
    place_met_detail = text(_l("Place, in your own words"), max_length(Client.place_met_detail))
    referrer = SelectField(_l("How the person reached us"), choices=choices_for(Referrer))
    referrer_detail = text(_l("Referrer, in your own words"), max_length(Client.referrer_detail))
    challenges = MultiCheckboxField(
        _l("Challenges (at most three)"), choices=choices_for(Challenge)
    )
    languages = SelectMultipleField(_l("Languages spoken"), render_kw={"size": 6})
    dutch_level = SelectField(_l("Dutch"), choices=choices_for(DutchLevel))
    interpreter_needed = BooleanField(_l("Interpreter needed"))
    housing = SelectField(_l("Housing situation"), choices=choices_for(Housing))
    single_parent = BooleanField(_l("Single parent"))
    children_count = IntegerField(
        _l("Number of children"), validators=[Optional(), NumberRange(min=0, max=MAX_CHILDREN)]
    )
    driving_licence = SelectField(_l("Driving licence"), choices=YES_NO_UNKNOWN, coerce=tri_state)
    can_cycle = SelectField(_l("Can cycle"), choices=YES_NO_UNKNOWN, coerce=tri_state)
    labour_status_at_entry = SelectField(
        _l("Labour status at entry"), choices=choices_for(LabourStatus)
    )
    income_source_at_entry = SelectField(
        _l("Income source at entry"), choices=choices_for(IncomeSource)
    )
    education_band = SelectField(_l("Education"), choices=choices_for(EducationBand))
    contact_channel = SelectField(_l("Agreed contact channel"), choices=choices_for(ContactChannel))
    contact_note = text(
        _l("Contact arrangement"),
        max_length(Client.contact_note),
        description=_l("Practical, for the buddy too: e.g. 'WhatsApp after 5 pm'."),
    )
    confirm_distinct = HiddenField(default="")
    submit = SubmitField(_l("Save"))


class PhaseForm(FlaskForm):
    phase = SelectField(_l("New phase"))
    on = DateField(_l("Date"), validators=[NotBlank()])
    exit_outcome = SelectField(
        _l("Exit outcome"),
        choices=[SelectChoice("", "—")] + choices_for(ExitOutcome),
        validators=[Optional()],
    )
    reason = text(_l("Reason (required when going back or reopening)"), 500)
    note = long_text(_l("Note"), 1000)
    confirm_without_consent = BooleanField(_l("I confirm: continue without a valid consent"))
    submit = SubmitField(_l("Change phase"))


SIGNED_ON_SCREEN = "screen"
NOT_SIGNED = "none"


class ConsentForm(FlaskForm):
    given_on = DateField(_l("Date given"), validators=[NotBlank()])
    explained_in = SelectField(_l("Language it was explained in"))
    interpreter_used = BooleanField(_l("An interpreter was used"))
    processing = BooleanField(
        _l("Consent to process the data needed for the trajectory"), default=True
    )
    domains = MultiCheckboxField(_l("May be shared with partners for"), choices=choices_for(Domain))
    organisations = SelectMultipleField(
        _l("May be shared with these organisations"),
        coerce=record_id,
        render_kw={"size": 6},
        description=_l(
            "Under shared professional secrecy, for the referrals agreed with the person."
        ),
    )
    expires_on = DateField(_l("Valid until"), validators=[Optional()])
    note = long_text(_l("Note"), 500)
    signature_method = RadioField(
        _l("Signature"),
        choices=[
            SelectChoice(SIGNED_ON_SCREEN, _l("Signed on the screen")),
            SelectChoice(NOT_SIGNED, _l("Without a signature (e.g. by phone with an interpreter)")),
        ],
        default=SIGNED_ON_SCREEN,
    )
    signature = HiddenField()  # the strokes (JSON), written by js/consent-signature.js
    submit = SubmitField(_l("Record consent"))


class WithdrawConsentForm(FlaskForm):
    on = DateField(_l("Withdrawn on"), validators=[NotBlank()])
    reason = text(_l("Reason"), 500)
    submit = SubmitField(_l("Record withdrawal"))


class ContextMemberForm(FlaskForm):
    name = text(_l("Name or description"), 80, required=True)
    relationship_kind = SelectField(_l("Relationship"), choices=choices_for(Relationship))
    birth_year = IntegerField(_l("Birth year"), validators=[Optional()])
    note = long_text(_l("Note"), 500)
    submit = SubmitField(_l("Save"))


class CompanionsForm(FlaskForm):
    primary = SelectField(_l("Primary companion"), coerce=optional_int)
    co_companions = MultiCheckboxField(_l("Co-companions"), coerce=record_id)
    submit = SubmitField(_l("Save"))


class BuddyMatchForm(FlaskForm):
    buddy = SelectField(_l("Buddy"), coerce=record_id)
    started_on = DateField(_l("From"), validators=[NotBlank()])
    note = long_text(_l("Note for the match"), 500)
    submit = SubmitField(_l("Match buddy"))


class EndMatchForm(FlaskForm):
    ended_on = DateField(_l("Ended on"), validators=[NotBlank()])
    submit = SubmitField(_l("End match"))


class TransferForm(FlaskForm):
    team = SelectField(_l("New team"), coerce=record_id)
    companion = SelectField(_l("Companion in that team"), coerce=optional_int)
    submit = SubmitField(_l("Transfer"))


class MergeForm(FlaskForm):
    other_code = text(
        _l("Code of the duplicate record"),
        24,
        required=True,
        description=_l("Everything linked to that record moves to this one."),
    )
    confirm = BooleanField(
        _l("I checked: these records are the same person"),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )
    submit = SubmitField(_l("Merge"))


class ReassignForm(FlaskForm):
    client_ids = SelectMultipleField(coerce=record_id, validate_choice=False)  # the list's boxes
    companion = SelectField(_l("Assign to"), coerce=record_id)
    submit = SubmitField(_l("Reassign selected"))
