"""marshmallow's field validation messages in the user's language.

marshmallow copies a field class's ``default_error_messages`` into every field when the field
is made, and formats a message only when it is a ``str``. So the messages are installed on
the classes once, when the API package is first imported (before any schema is defined), as
``Message``: a ``str`` that is translated (Flask-Babel, the request's language) at the moment
marshmallow formats it or the problem+json response turns it into text.
"""

from __future__ import annotations

import marshmallow as ma
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class Message(str):
    """A message marshmallow treats as text, translated when it is formatted or shown."""

    lazy: LazyString

    def __new__(cls, lazy: LazyString) -> Message:
        message = super().__new__(cls, lazy._args[0])  # the English msgid
        message.lazy = lazy
        return message

    def __str__(self) -> str:
        return str(self.lazy)

    def format(self, *args, **kwargs) -> str:
        return str(self.lazy).format(*args, **kwargs)

    def __copy__(self) -> Message:  # immutable, like any str (schemas are deep-copied)
        return self

    def __deepcopy__(self, memo) -> Message:
        return self


FIELD_MESSAGES: dict[type, dict[str, LazyString]] = {
    ma.fields.Field: {
        "required": _l("Missing data for required field."),
        "null": _l("Field may not be null."),
        "validator_failed": _l("Invalid value."),
    },
    ma.fields.String: {
        "invalid": _l("Not a valid string."),
        "invalid_utf8": _l("Not a valid utf-8 string."),
    },
    ma.fields.Number: {"invalid": _l("Not a valid number."), "too_large": _l("Number too large.")},
    ma.fields.Integer: {"invalid": _l("Not a valid integer.")},
    ma.fields.Boolean: {"invalid": _l("Not a valid boolean.")},
    ma.fields.Date: {
        "invalid": _l("Not a valid date."),
        "format": _l('"{input}" cannot be formatted as a date.'),
    },
    ma.fields.DateTime: {
        "invalid": _l("Not a valid date and time."),
        "invalid_awareness": _l("Not a valid date and time with a time zone."),
        "format": _l('"{input}" cannot be formatted as a date and time.'),
    },
    ma.fields.List: {"invalid": _l("Not a valid list.")},
    ma.fields.Dict: {"invalid": _l("Not a valid mapping type.")},
    ma.fields.Nested: {"type": _l("Invalid type.")},
    ma.fields.Email: {"invalid": _l("Not a valid email address.")},
    ma.fields.Url: {"invalid": _l("Not a valid URL.")},
    ma.fields.UUID: {"invalid_uuid": _l("Not a valid UUID.")},
    ma.fields.Enum: {"unknown": _l("Must be one of: {choices}.")},
}

SCHEMA_MESSAGES = {
    "type": _l("Invalid input type."),
    "unknown": _l("Unknown field."),
}

VALIDATOR_MESSAGES: dict[type, dict[str, LazyString]] = {
    ma.validate.Length: {
        "message_min": _l("Shorter than minimum length {min}."),
        "message_max": _l("Longer than maximum length {max}."),
        "message_all": _l("Length must be between {min} and {max}."),
        "message_equal": _l("Length must be {equal}."),
    },
    ma.validate.OneOf: {"default_message": _l("Must be one of: {choices}.")},
    ma.validate.Email: {"default_message": _l("Not a valid email address.")},
}


def install() -> None:
    """Put the translatable messages on marshmallow's classes (idempotent)."""
    for field_class, messages in FIELD_MESSAGES.items():
        field_class.default_error_messages = {
            **field_class.__dict__.get("default_error_messages", {}),
            **{key: Message(text) for key, text in messages.items()},
        }
    ma.Schema._default_error_messages = {
        **ma.Schema._default_error_messages,
        **{key: Message(text) for key, text in SCHEMA_MESSAGES.items()},
    }
    for validator_class, messages in VALIDATOR_MESSAGES.items():
        for attribute, text in messages.items():
            setattr(validator_class, attribute, Message(text))


install()
