"""Shared vocabularies of the region and the work: municipalities, life domains, challenges.

Codes are stable (they are stored and exchanged in CSV files); the labels are translated.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class Municipality(enum.StrEnum):
    KORTENBERG = "kortenberg"
    HERENT = "herent"
    HAACHT = "haacht"
    BOORTMEERBEEK = "boortmeerbeek"
    KEERBERGEN = "keerbergen"
    TREMELO = "tremelo"
    ROTSELAAR = "rotselaar"
    HOLSBEEK = "holsbeek"
    OTHER = "other"

    @classmethod
    def from_name(cls, name: str) -> Municipality:
        """'Haacht' or 'haacht' -> HAACHT; raises ValueError for anything else."""
        return cls(name.strip().lower())


REGION_MUNICIPALITIES = [m for m in Municipality if m is not Municipality.OTHER]

register_labels(
    Municipality,
    {
        Municipality.KORTENBERG: "Kortenberg",
        Municipality.HERENT: "Herent",
        Municipality.HAACHT: "Haacht",
        Municipality.BOORTMEERBEEK: "Boortmeerbeek",
        Municipality.KEERBERGEN: "Keerbergen",
        Municipality.TREMELO: "Tremelo",
        Municipality.ROTSELAAR: "Rotselaar",
        Municipality.HOLSBEEK: "Holsbeek",
        Municipality.OTHER: _l("Other municipality"),
    },
)


class Domain(enum.StrEnum):
    """The life domains (levensdomeinen) of the local analysis, plus income & administration."""

    SOCIAL_SKILLS = "social_skills"
    MENTAL_WELLBEING = "mental_wellbeing"
    ADDICTION = "addiction"
    SOCIAL_NETWORK = "social_network"
    CHILDCARE = "childcare"
    LANGUAGE = "language"
    WORK = "work"
    HOUSING = "housing"
    MOBILITY = "mobility"
    INCOME_ADMIN = "income_admin"
    OTHER = "other"


register_labels(
    Domain,
    {
        Domain.SOCIAL_SKILLS: _l("Social skills"),
        Domain.MENTAL_WELLBEING: _l("Mental wellbeing"),
        Domain.ADDICTION: _l("Addiction care & aftercare"),
        Domain.SOCIAL_NETWORK: _l("Social network"),
        Domain.CHILDCARE: _l("Childcare"),
        Domain.LANGUAGE: _l("Language"),
        Domain.WORK: _l("Inclusive work"),
        Domain.HOUSING: _l("Housing"),
        Domain.MOBILITY: _l("Mobility"),
        Domain.INCOME_ADMIN: _l("Income & administration"),
        Domain.OTHER: _l("Other"),
    },
)


class Challenge(enum.StrEnum):
    """The three regional challenges, each from personas."""

    HOUSING_NEWCOMERS = "housing_newcomers"
    SINGLE_PARENT_TRANSPORT = "single_parent_transport"
    MENTAL_HEALTH_ADDICTION = "mental_health_addiction"


register_labels(
    Challenge,
    {
        Challenge.HOUSING_NEWCOMERS: _l("Housing & newcomers"),
        Challenge.SINGLE_PARENT_TRANSPORT: _l("Single parents in transport poverty"),
        Challenge.MENTAL_HEALTH_ADDICTION: _l("Mental health & addiction"),
    },
)
