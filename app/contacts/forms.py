"""The quick contact form, the note form and the removal form."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, Optional

from app.bounds import max_length
from app.clients.forms import long_text, text
from app.contacts.models import MAX_NOTE_LENGTH, MAX_PRACTICAL_NOTE_LENGTH, Contact
from app.contacts.services import NOTE_FIELDS, ContactInput
from app.contacts.vocab import ContactKind, ContactOutcome, NoteLevel
from app.forms import (
    DateField,
    IntegerField,
    MultiCheckboxField,
    NotBlank,
    no_control_characters,
    record_id,
)
from app.labels import choices_for
from app.reference import Domain
from app.timeutil import zone

# Fields folded away under "more" unless they hold something.
MORE_FIELDS = ("duration_minutes", "participants", "organisations", "others_present",
               "practical_note", "sensitive_note")  # fmt: skip


class ContactForm(FlaskForm):
    form_id = HiddenField()
    outcome = RadioField(_l("Reached?"), choices=choices_for(ContactOutcome))
    kind = RadioField(_l("Kind of contact"), choices=choices_for(ContactKind))
    occurred_on = DateField(_l("Date"), validators=[NotBlank()])
    occurred_time = TimeField(_l("Time"), validators=[NotBlank()])
    place = text(_l("Place"), max_length(Contact.place))
    domains = MultiCheckboxField(_l("Life domains touched"), choices=choices_for(Domain))
    team_note = long_text(_l("Note for the team"), MAX_NOTE_LENGTH)
    next_step = text(_l("Next step"), max_length(Contact.next_step))
    follow_up_on = DateField(_l("Follow-up date"), validators=[Optional()])
    duration_minutes = IntegerField(_l("Duration in minutes"), validators=[Optional()])
    participants = MultiCheckboxField(_l("With whom from the context"), coerce=record_id)
    organisations = SelectMultipleField(
        _l("Organisations present"),
        coerce=record_id,
        render_kw={"size": 6},
        description=_l("From the social map, e.g. the service you went along to."),
    )
    others_present = text(
        _l("Others present"),
        max_length(Contact.others_present),
        description=_l("E.g. an OCMW social worker, an interpreter."),
    )
    practical_note = long_text(
        _l("Practical note for the buddy"),
        MAX_PRACTICAL_NOTE_LENGTH,
        description=_l("The matched buddy reads this. Only practical things."),
    )
    sensitive_note = long_text(
        _l("Sensitive note"),
        MAX_NOTE_LENGTH,
        description=_l(
            "Health, addiction, residence status, justice. Only the author, the assigned "
            "companions and the team leads read it, and every read is logged."
        ),
    )
    reason = text(_l("Reason for the correction"), 500)
    submit = SubmitField(_l("Save"))

    def more_is_open(self) -> bool:
        return any(getattr(self, name).data or getattr(self, name).errors for name in MORE_FIELDS)

    def to_input(self, readable_levels) -> ContactInput:
        occurred_at = datetime.combine(
            self.occurred_on.data, self.occurred_time.data, tzinfo=zone()
        )
        return ContactInput(
            kind=ContactKind(self.kind.data),
            outcome=ContactOutcome(self.outcome.data),
            occurred_at=occurred_at,
            duration_minutes=self.duration_minutes.data,
            place=self.place.data,
            participant_ids=list(self.participants.data or []),
            organisation_ids=list(self.organisations.data or []),
            others_present=self.others_present.data,
            domains=[Domain(d) for d in self.domains.data or []],
            next_step=self.next_step.data,
            follow_up_on=self.follow_up_on.data,
            notes={
                level: (getattr(self, name).data or "") if level in readable_levels else None
                for level, name in NOTE_FIELDS.items()
            },
        )


class NoteForm(FlaskForm):
    level = SelectField(_l("Who may read it"))
    body = TextAreaField(
        _l("Note"),
        validators=[NotBlank(), Length(max=MAX_NOTE_LENGTH), no_control_characters],
        render_kw={"rows": 6},
    )
    reason = text(_l("Reason for the correction"), 500)
    submit = SubmitField(_l("Save note"))

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = [level for level in NoteLevel if levels is None or level in levels]
        self.level.choices = choices_for(NoteLevel, members)


class RemoveForm(FlaskForm):
    reason = text(_l("Why is this removed?"), 500, required=True)
    submit = SubmitField(_l("Remove"))
