"""The rules for an organisation's fields, shared by the form, the services and the CSV import,
so a value the form refuses is refused by the import too."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

# Longest value per text field (characters): the model's columns, the form and the import read
# these (notes is a Text column, limited here only).
MAX_LENGTHS = {
    "name": 200,
    "contact_person": 120,
    "phone": 40,
    "email": 254,
    "address": 300,
    "website": 300,
    "sector": 120,
    "notes": 2000,
    "desk_name": 120,
    "desk_email": 254,
    "desk_phone": 40,
    "desk_address": 300,
    "desk_hours": 300,
    "desk_how_to_refer": 2000,
}
TEXT_FIELDS = tuple(MAX_LENGTHS)
MULTILINE_FIELDS = frozenset(
    {"address", "notes", "desk_address", "desk_hours", "desk_how_to_refer"}
)

_PHONE_CHARACTERS = re.compile(r"^[0-9 +/.\-()]+$")
_SPACES = re.compile(r"\s+")


class FieldError(ValueError):
    """A value that breaks a field's rule; the message can be shown as is."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def name_key(name: str) -> str:
    """A name folded for comparison: accents and case dropped, spaces collapsed.
    'Huis van het Kind' and ' huis  van het kind ' fold alike; so do 'Café' and 'cafe'."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare.casefold()).strip()


def clean_text(field: str, value: str | None) -> str | None:
    """Trimmed text, or None when empty; refuses control characters and overlong values."""
    value = (value or "").strip()
    if not value:
        return None
    allowed = "\r\n\t" if field in MULTILINE_FIELDS else ""
    if any(ord(c) < 32 and c not in allowed or ord(c) == 127 for c in value):
        raise FieldError(field, _("This text contains characters that are not allowed."))
    if field not in MULTILINE_FIELDS:
        value = _SPACES.sub(" ", value)
    if len(value) > MAX_LENGTHS[field]:
        raise FieldError(
            field,
            _("At most %(max)d characters (this has %(n)d).", max=MAX_LENGTHS[field], n=len(value)),
        )
    return value


def clean_name(value: str | None) -> str:
    name = clean_text("name", value)
    if name is None:
        raise FieldError("name", _("The name is missing."))
    if len(name_key(name)) > 400:  # some characters fold into several
        raise FieldError("name", _("This name is too long."))
    return name


def clean_phone(value: str | None, field: str = "phone") -> str | None:
    """A Belgian-style phone number: digits, spaces and + / . - ( ), with 9 to 15 digits."""
    phone = clean_text(field, value)
    if phone is None:
        return None
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE_CHARACTERS.match(phone) or not 9 <= digits <= 15:
        raise FieldError(field, _("Enter a phone number of 9 to 15 digits, such as 016 12 34 56."))
    return phone


def clean_email(value: str | None, field: str = "email") -> str | None:
    """A well-formed e-mail address (whether it is deliverable is not checked)."""
    email = clean_text(field, value)
    if email is None:
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise FieldError(field, _("Enter a valid e-mail address.")) from None
    return email


def clean_website(value: str | None) -> str | None:
    """An http(s) address; 'www.example.be' becomes 'https://www.example.be'. Other schemes
    (javascript:, data:, ...) are refused: the address is shown as a link."""
    website = clean_text("website", value)
    if website is None:
        return None
    if "://" not in website:
        website = "https://" + website
    try:
        parts = urlsplit(website)
        scheme, host = parts.scheme.lower(), parts.hostname or ""
    except ValueError:  # e.g. a broken [IPv6] host
        scheme = host = ""
    if (
        scheme not in ("http", "https")
        or "." not in host
        or " " in website
        or len(website) > MAX_LENGTHS["website"]
    ):
        raise FieldError("website", _("Enter a web address such as https://www.example.be."))
    return website


CLEANERS = {
    "name": clean_name,
    "phone": clean_phone,
    "email": clean_email,
    "website": clean_website,
    "desk_phone": lambda value: clean_phone(value, "desk_phone"),
    "desk_email": lambda value: clean_email(value, "desk_email"),
}


def clean_field(field: str, value: str | None) -> str | None:
    """Clean one text field by its rule; raises FieldError."""
    cleaner = CLEANERS.get(field)
    return cleaner(value) if cleaner else clean_text(field, value)
