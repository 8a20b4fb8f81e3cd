"""Translated interface labels for the enums of every domain.

Domains register ``{member: lazy label}`` maps (kept in ``hooks.enum_labels``, next to
their enum); templates show any member with
``{{ value|label }}`` and forms build choices with ``choices_for(EnumClass)``.
"""

from __future__ import annotations

import enum
import re
import unicodedata
import weakref

from flask import Flask, current_app, has_request_context
from flask_babel import force_locale
from wtforms.fields.choices import SelectChoice

from app import hooks
from app.i18n import translations


def register_labels(enum_class: type[enum.Enum], labels: dict) -> None:
    missing = set(enum_class) - set(labels)
    if missing:
        raise ValueError(f"labels missing for {sorted(m.value for m in missing)}")
    hooks.enum_labels.add((enum_class, labels), order=0)


def _labels_of(enum_class) -> dict | None:
    entry = hooks.enum_labels.get(enum_class)
    return entry[1] if entry else None


# Labels already translated, per translations (one per language, kept by flask-babel for
# the life of the app; weakly here, so an app that goes, as in the tests, takes its own).
_translated: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def label(value) -> str:
    """The member's label in the current language, translated once per language (a page
    shows the same few labels on many rows, and every page the same ones again)."""
    if value is None:
        return ""
    labels = _labels_of(type(value))
    if not labels:
        return str(getattr(value, "value", value))
    if not has_request_context():
        return str(labels[value])
    # The language's translations are the key: force_locale (an e-mail in its reader's
    # language) translates with others.
    language = translations()
    cache = _translated.get(language)
    if cache is None:
        cache = _translated.setdefault(language, {})
    key = (type(value), value)
    text = cache.get(key)
    if text is None:
        text = cache[key] = str(labels[value])
    return text


def choices_for(enum_class: type[enum.Enum], members=None) -> list[SelectChoice]:
    """Form choices for an enum, in declaration order, with translated labels."""
    labels = hooks.enum_labels[enum_class][1]
    return [SelectChoice(member.value, labels[member]) for member in (members or enum_class)]


def normalised(text: str) -> str:
    """Text compared the way a person would: no case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.split())


_ABBREVIATION = re.compile(r"^(.*?)\s*\(([^()]+)\)\s*$")


def _short_forms(text: str) -> set[str]:
    """What people write for a label: "OCMW" for "OCMW / Sociaal Huis", "CAW" and
    "Centrum Algemeen Welzijnswerk" for "Centrum Algemeen Welzijnswerk (CAW)"."""
    forms = set()
    match = _ABBREVIATION.match(text)
    if match:
        forms |= {match[1], match[2]}
    for part in re.split(r"\s*/\s*", text):
        if part and part != text:
            forms.add(part)
    return {form for form in forms if form.strip()}


def member_lookup(enum_class: type[enum.Enum]) -> dict[str, enum.Enum]:
    """Every way a file may name a member, normalised: its code, its label in each of the
    app's languages and, where they point at one member only, the label's short forms
    (an abbreviation in brackets, the parts around " / ")."""
    labels = _labels_of(enum_class) or {}
    exact: dict[str, enum.Enum] = {}
    short: dict[str, set] = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            for member in enum_class:
                text = str(labels.get(member, member.value))
                exact.setdefault(normalised(text), member)
                for form in _short_forms(text):
                    short.setdefault(normalised(form), set()).add(member)
    for member in enum_class:
        exact[normalised(str(member.value))] = member
    for form, members in short.items():
        if len(members) == 1 and form not in exact:
            exact[form] = next(iter(members))
    return exact


def init_app(app: Flask) -> None:
    app.add_template_filter(label, "label")
