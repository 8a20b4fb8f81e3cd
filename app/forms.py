"""Shared form pieces: widgets, fields and validators used by several domains."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError


class MultiCheckboxField(SelectMultipleField):
    """A multi-select rendered as a list of checkboxes (touch-friendly on tablets)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class NotBlank:
    """Like DataRequired, but refuses whitespace-only text, with a translated message."""

    field_flags = {"required": True}

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()  # keep "not a valid date" and the like
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message or _l("This field is required."))


def no_control_characters(form, field):
    """Refuse control characters (other than line breaks and tabs) in free text."""
    if isinstance(field.data, str) and any(ord(c) < 32 and c not in "\r\n\t" for c in field.data):
        raise ValidationError(_l("This text contains characters that are not allowed."))


def apply_error(form, error) -> None:
    """Show a DomainError on the field it names, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


class OptionalInt:
    """Coerce for optional integer selects: '' becomes None."""

    def __call__(self, value):
        return int(value) if value not in (None, "", "None") else None


optional_int = OptionalInt()


def tri_state(value):
    """Coerce for yes/no/unknown selects."""
    return {"1": True, "0": False}.get(str(value)) if value not in (None, "") else None


def choices(pairs) -> list[SelectChoice]:
    """Form choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
