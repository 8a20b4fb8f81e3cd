"""Shared form pieces: widgets, fields and validators used by several domains."""

from __future__ import annotations

import functools
from collections.abc import Callable

import wtforms
from babel import support as babel_support
from flask import current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import i18n as flask_wtf_i18n
from markupsafe import Markup, escape
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import core as wtforms_widgets
from wtforms.widgets.core import clean_key

from app.bounds import MAX_ID, MAX_INT, date_out_of_range, in_range, out_of_range, parse_int
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


def record_id(value) -> int:
    """Coerce for a chosen record (a select or checkbox list of ids): a positive 32-bit
    number, or the field is refused ("not a valid choice") - never an overflow in the
    database. Records (a goal's contacts when the form is filled from the goal) give their id."""
    value = getattr(value, "id", value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value if 0 < value <= MAX_ID else None
    elif isinstance(value, str):
        number = parse_int(value, low=1, high=MAX_ID)
    else:
        number = None
    if number is None:
        raise ValueError(value)
    return number


class OptionalInt:
    """Coerce for optional selects of records: '' becomes None, anything else a record_id."""

    def __call__(self, value):
        return record_id(value) if value not in (None, "", "None") else None


optional_int = OptionalInt()


class IntegerField(wtforms.IntegerField):
    """A whole number within ``min``..``max`` (default: what a 32-bit column holds), else
    refused with a translated message, so no number from a form can overflow a column. Every
    form uses this one; a NumberRange or the service narrows the range with its own message."""

    def __init__(self, label=None, validators=None, *, min=-MAX_INT - 1, max=MAX_INT, **kw):
        super().__init__(label, validators, **kw)
        self.min, self.max = min, max
        # The message names the range the form asks for, when a NumberRange narrows it.
        ranges = [v for v in self.validators if isinstance(v, NumberRange)]
        low = ranges[0].min if ranges and ranges[0].min is not None else min
        high = ranges[0].max if ranges and ranges[0].max is not None else max
        self.shown = (low, high)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.min <= self.data <= self.max:
            self.data = None
            raise ValueError(out_of_range(*self.shown))


class DateField(wtforms.DateField):
    """A date between 1900 and 2100 (app.bounds), else refused with a translated message."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not in_range(self.data):
            self.data = None
            raise ValueError(date_out_of_range())


def tri_state(value):
    """Coerce for yes/no/unknown selects."""
    return {"1": True, "0": False}.get(str(value)) if value not in (None, "") else None


def choices(pairs) -> list[SelectChoice]:
    """Form choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def html_params(**kwargs) -> Markup:
    """WTForms' ``html_params`` (every field's attributes, every option of a select), with
    the same text: each value escaped, ``"`` written ``&quot;``, the names sorted and
    cleaned (``class_`` -> ``class``, ``data_x_y`` -> ``data-x-y``), ``True`` as a bare name
    and ``False`` left out. WTForms joins them through ``Markup.format``, a Python string
    formatter that costs some 5 µs an attribute; a contact form has about 270 of them."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = str(escape(clean_key(key)))
        if value is True:
            params.append(key)
        elif value is not False:
            value = str(escape(value)).replace('"', "&quot;")
            params.append(f'{key}="{value}"')
    return Markup(" ".join(params))


@functools.lru_cache(maxsize=16)
def _wtforms_catalog(locale) -> babel_support.Translations:
    return babel_support.Translations.load(messages_path(), [locale], domain="wtforms")


def wtforms_translations():
    """Flask-WTF's translations of WTForms' own messages ("Not a valid choice."), with the
    catalog read once per language instead of from its file on every request that shows a
    form (some 150 µs); the same catalog, the same checks as Flask-WTF's own."""
    if not request:
        return None
    if "babel" not in current_app.extensions:
        return None
    translations = getattr(request, "wtforms_translations", None)
    if translations is None:
        translations = request.wtforms_translations = _wtforms_catalog(get_locale())
    return translations


def init_app(app) -> None:
    """Let WTForms' widgets write their attributes with ``html_params`` above (where they
    look it up: the module, the package, and the input and button widgets' own attribute),
    and Flask-WTF find WTForms' messages through ``wtforms_translations``."""
    wtforms_widgets.html_params = html_params
    widgets.html_params = html_params
    for widget_class in (wtforms_widgets.Input, wtforms_widgets.Button):
        widget_class.html_params = staticmethod(html_params)
    flask_wtf_i18n._get_translations = wtforms_translations
