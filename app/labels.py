"""Translated interface labels for the enums of every domain.

Domains register ``{member: lazy label}`` maps (kept in ``hooks.enum_labels``, next to
their enum); templates show any member with
``{{ value|label }}`` and forms build choices with ``choices_for(EnumClass)``.
"""

from __future__ import annotations

import enum

from flask import Flask
from wtforms.fields.choices import SelectChoice

from app import hooks


def register_labels(enum_class: type[enum.Enum], labels: dict) -> None:
    missing = set(enum_class) - set(labels)
    if missing:
        raise ValueError(f"labels missing for {sorted(m.value for m in missing)}")
    hooks.enum_labels.add((enum_class, labels), order=0)


def _labels_of(enum_class) -> dict | None:
    entry = hooks.enum_labels.get(enum_class)
    return entry[1] if entry else None


def label(value) -> str:
    if value is None:
        return ""
    labels = _labels_of(type(value))
    return str(labels[value]) if labels else str(getattr(value, "value", value))


def choices_for(enum_class: type[enum.Enum], members=None) -> list[SelectChoice]:
    """Form choices for an enum, in declaration order, with translated labels."""
    labels = hooks.enum_labels[enum_class][1]
    return [SelectChoice(member.value, labels[member]) for member in (members or enum_class)]


def init_app(app: Flask) -> None:
    app.add_template_filter(label, "label")
