"""Shared form pieces: widgets, fields and validators used by several domains."""

from __future__ import annotations

from collections.abc import Callable

from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from app.errors import DomainError


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


def apply_error(form, error, field: str | None = None) -> None:
    """Show a DomainError on the field it names (else on ``field``), or above the form."""
    name = error.field or field
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        if isinstance(target.errors, tuple):
            target.errors = list(target.errors)
        target.errors.append(error.message)
    else:
        form.form_errors.append(error.message)


def submit(
    form, save: Callable[[], ResponseReturnValue], *, field: str | None = None
) -> tuple[ResponseReturnValue | None, int]:
    """Validate ``form`` and, when it is valid, run ``save``: the service call(s), returning
    the response of success (a flash and a redirect, mostly).

    Returns ``(response, status)``; ``response`` is None when the form must be shown again
    with ``status``: 200 when it was not submitted, 422 when it is invalid (``save`` does
    not run), the DomainError's status when a rule refused it (its message lands on the
    field it names, else on ``field``, else above the form).
    """
    if not form.validate_on_submit():
        return None, 422 if form.is_submitted() else 200
    try:
        return save(), 200
    except DomainError as error:
        apply_error(form, error, field)
        return None, error.status


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
