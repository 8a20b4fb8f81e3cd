"""Forms of the social map: search, an organisation, and the CSV import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from app.bounds import MAX_SEARCH_LENGTH
from app.forms import MultiCheckboxField, NotBlank
from app.labels import choices_for
from app.organisations.fields import MAX_LENGTHS, FieldError, clean_field
from app.organisations.models import DESK_FIELDS
from app.organisations.vocab import OrganisationType
from app.reference import REGION_MUNICIPALITIES, Domain, Municipality


def field_rule(form, field):
    """The field's rule from app.organisations.fields (the CSV import applies it too)."""
    if field.errors:  # one message is enough (e.g. Length said it already)
        return
    try:
        clean_field(field.name, field.data)
    except FieldError as error:
        raise ValidationError(error.message) from None


def _length(name: str) -> Length:
    return Length(max=MAX_LENGTHS[name])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it only reads

    domain = SelectField(
        _l("Life domain"),
        choices=[SelectChoice("", _l("All domains")), *choices_for(Domain)],
        default="",
    )
    municipality = SelectField(
        _l("Municipality"),
        choices=[
            SelectChoice("", _l("All municipalities")),
            *choices_for(Municipality, REGION_MUNICIPALITIES),
        ],
        default="",
    )
    q = StringField(
        _l("Name"),
        validators=[Optional(), Length(max=MAX_SEARCH_LENGTH)],
        render_kw={"type": "search"},
    )
    inactive = BooleanField(_l("Show inactive organisations too"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[NotBlank(), _length("name"), field_rule])
    type = SelectField(_l("Type"), choices=choices_for(OrganisationType))
    sector = StringField(
        _l("Sector"),
        description=_l("For employers, e.g. logistics, care or retail."),
        validators=[Optional(), _length("sector"), field_rule],
    )
    domains = MultiCheckboxField(_l("Life domains served"), choices=choices_for(Domain))
    covers_whole_region = BooleanField(_l("Works in the whole region"))
    municipalities = MultiCheckboxField(
        _l("Municipalities covered"), choices=choices_for(Municipality, REGION_MUNICIPALITIES)
    )
    contact_person = StringField(
        _l("Contact person"), validators=[Optional(), _length("contact_person"), field_rule]
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), _length("phone"), field_rule],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    email = StringField(
        _l("E-mail"),
        validators=[Optional(), _length("email"), field_rule],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    address = TextAreaField(_l("Address"), validators=[Optional(), _length("address"), field_rule])
    website = StringField(
        _l("Website"),
        validators=[Optional(), _length("website"), field_rule],
        render_kw={"type": "url", "inputmode": "url"},
    )
    notes = TextAreaField(
        _l("Notes"),
        description=_l("Opening hours, how to refer, waiting times. No client data here."),
        validators=[Optional(), _length("notes"), field_rule],
    )
    desk_name = StringField(
        _l("Name of the referral desk"),
        description=_l("E.g. Onthaal, Intake or Aanmeldingen."),
        validators=[Optional(), _length("desk_name"), field_rule],
    )
    desk_email = StringField(
        _l("E-mail of the referral desk"),
        description=_l(
            "Referrals are sent here: the desk answers them in Gezel, without an account."
        ),
        validators=[Optional(), _length("desk_email"), field_rule],
        render_kw={"type": "email", "autocomplete": "off"},
    )
    desk_phone = StringField(
        _l("Phone of the referral desk"),
        validators=[Optional(), _length("desk_phone"), field_rule],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    desk_address = TextAreaField(
        _l("Address of the referral desk"),
        validators=[Optional(), _length("desk_address"), field_rule],
    )
    desk_hours = TextAreaField(
        _l("Opening hours"), validators=[Optional(), _length("desk_hours"), field_rule]
    )
    desk_how_to_refer = TextAreaField(
        _l("How to refer"), validators=[Optional(), _length("desk_how_to_refer"), field_rule]
    )
    submit = SubmitField(_l("Save"))

    def validate_domains(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one life domain."))

    def validate_municipalities(self, field):
        if not field.data and not self.covers_whole_region.data:
            raise ValidationError(_l("Choose the whole region or a municipality."))

    def values(self) -> dict:
        """The submitted values, as the services take them."""
        return {
            "name": self.name.data,
            "type": self.type.data,
            "sector": self.sector.data,
            "domains": self.domains.data,
            "covers_whole_region": self.covers_whole_region.data,
            "municipalities": self.municipalities.data,
            "contact_person": self.contact_person.data,
            "phone": self.phone.data,
            "email": self.email.data,
            "address": self.address.data,
            "website": self.website.data,
            "notes": self.notes.data,
            **{name: getattr(self, name).data for name in DESK_FIELDS},
        }


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l(
            "UTF-8, at most 1 MB. Columns: name, type, domains, municipalities (required); "
            "website, contact_person, phone, email, address, sector, notes, active, desk_name, "
            "desk_email, desk_phone, desk_address, desk_hours, desk_how_to_refer."
        ),
        validators=[FileRequired(_l("Choose a file."))],
        render_kw={"accept": ".csv,text/csv"},
    )
    submit = SubmitField(_l("Import"))
