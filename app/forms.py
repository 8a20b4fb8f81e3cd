"""Shared form pieces: widgets, fields and validators used by several domains."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
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
        if field.data is None or (isinstance(field.data, str) and not field.data.strip()):
            field.errors[:] = []
            raise StopValidation(self.message or _l("This field is required."))


def no_control_characters(form, field):
    """Refuse control characters (other than line breaks and tabs) in free text."""
    if isinstance(field.data, str) and any(ord(c) < 32 and c not in "\r\n\t" for c in field.data):
        raise ValidationError(_l("This text contains characters that are not allowed."))
