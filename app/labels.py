"""Translated interface labels for the enums of every domain.

Domains register ``{member: lazy label}`` maps; templates show any member with
``{{ value|label }}`` and forms build choices with ``choices_for(EnumClass)``.
"""

from __future__ import annotations

import enum

from flask import Flask
from wtforms.fields.choices import SelectChoice

_LABELS: dict[type[enum.Enum], dict[enum.Enum, object]] = {}


def register_labels(enum_class: type[enum.Enum], labels: dict) -> None:
    missing = set(enum_class) - set(labels)
    if missing:
        raise ValueError(f"labels missing for {sorted(m.value for m in missing)}")
    _LABELS[enum_class] = labels


def label(value) -> str:
    if value is None:
        return ""
    labels = _LABELS.get(type(value))
    return str(labels[value]) if labels else str(getattr(value, "value", value))


def choices_for(enum_class: type[enum.Enum], members=None) -> list[SelectChoice]:
    """Form choices for an enum, in declaration order, with translated labels."""
    labels = _LABELS[enum_class]
    return [SelectChoice(member.value, labels[member]) for member in (members or enum_class)]


def init_app(app: Flask) -> None:
    app.add_template_filter(label, "label")
