"""The vocabularies of a client file: phases, exit outcomes and profile choices.

Proper choices wherever the domain has them, so that reports can count them. Health,
addiction, residence status and justice are deliberately absent: they belong in sensitive
notes, not in profile fields.
"""

from __future__ import annotations

import enum

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from app.labels import register_labels


class Phase(enum.StrEnum):
    OUTREACH = "outreach"
    ENGAGEMENT = "engagement"
    TRAJECTORY = "trajectory"
    ACTIVATION = "activation"
    AFTERCARE = "aftercare"
    CLOSED = "closed"


OPEN_PHASES = [
    Phase.OUTREACH,
    Phase.ENGAGEMENT,
    Phase.TRAJECTORY,
    Phase.ACTIVATION,
    Phase.AFTERCARE,
]

register_labels(
    Phase,
    {
        Phase.OUTREACH: _l("Outreach"),
        Phase.ENGAGEMENT: _l("Trust building"),
        Phase.TRAJECTORY: _l("Trajectory"),
        Phase.ACTIVATION: _l("Activation"),
        Phase.AFTERCARE: _l("Aftercare"),
        Phase.CLOSED: _l("Closed"),
    },
)


class ExitOutcome(enum.StrEnum):
    REGULAR_WORK = "regular_work"
    SOCIAL_ECONOMY_WORK = "social_economy_work"
    ART60_TEMPORARY_WORK = "art60_temporary_work"
    TRAINING_EDUCATION = "training_education"
    REGISTERED_JOB_SEEKER = "registered_job_seeker"
    VOLUNTEERING = "volunteering"
    WARM_HANDOVER = "warm_handover"
    MOVED_AWAY = "moved_away"
    LOST_CONTACT = "lost_contact"
    STOPPED_BY_CLIENT = "stopped_by_client"
    DECEASED = "deceased"
    OTHER = "other"


register_labels(
    ExitOutcome,
    {
        ExitOutcome.REGULAR_WORK: _l("Regular work"),
        ExitOutcome.SOCIAL_ECONOMY_WORK: _l("Work in the social economy"),
        ExitOutcome.ART60_TEMPORARY_WORK: _l("Art. 60 / temporary work experience"),
        ExitOutcome.TRAINING_EDUCATION: _l("Training or education"),
        ExitOutcome.REGISTERED_JOB_SEEKER: _l("Registered with VDAB as job seeker"),
        ExitOutcome.VOLUNTEERING: _l("Volunteering / work-like activities"),
        ExitOutcome.WARM_HANDOVER: _l("Warm handover to regular services"),
        ExitOutcome.MOVED_AWAY: _l("Moved away"),
        ExitOutcome.LOST_CONTACT: _l("Lost contact"),
        ExitOutcome.STOPPED_BY_CLIENT: _l("Stopped by the client"),
        ExitOutcome.DECEASED: _l("Deceased"),
        ExitOutcome.OTHER: _l("Other"),
    },
)


class PlaceMet(enum.StrEnum):
    """Where people are found (vindplaatsen)."""

    FOOD_BANK = "food_bank"
    SOCIAL_GROCERY = "social_grocery"
    STREET = "street"
    SCHOOL_GATE = "school_gate"
    OCMW_WAITING_ROOM = "ocmw_waiting_room"
    SOCIAL_RESTAURANT = "social_restaurant"
    COMMUNITY_CENTRE = "community_centre"
    LIBRARY = "library"
    STATION = "station"
    SHELTER = "shelter"
    AT_HOME = "at_home"
    OTHER = "other"


register_labels(
    PlaceMet,
    {
        PlaceMet.FOOD_BANK: _l("Food bank"),
        PlaceMet.SOCIAL_GROCERY: _l("Social grocery"),
        PlaceMet.STREET: _l("Street"),
        PlaceMet.SCHOOL_GATE: _l("School gate"),
        PlaceMet.OCMW_WAITING_ROOM: _l("OCMW / Sociaal Huis waiting room"),
        PlaceMet.SOCIAL_RESTAURANT: _l("Social restaurant"),
        PlaceMet.COMMUNITY_CENTRE: _l("Community centre"),
        PlaceMet.LIBRARY: _l("Library"),
        PlaceMet.STATION: _l("Station or bus stop"),
        PlaceMet.SHELTER: _l("Shelter or emergency housing"),
        PlaceMet.AT_HOME: _l("At home"),
        PlaceMet.OTHER: _l("Other place"),
    },
)


class Referrer(enum.StrEnum):
    """How the person reached us (toeleider)."""

    OWN_OUTREACH = "own_outreach"
    OCMW = "ocmw"
    CAW = "caw"
    VDAB = "vdab"
    SCHOOL = "school"
    HEALTH_CARE = "health_care"
    HOUSING_COMPANY = "housing_company"
    FAMILY_HUB = "family_hub"
    OTHER_PARTNER = "other_partner"
    FAMILY_FRIENDS = "family_friends"
    SELF = "self"
    OTHER = "other"


register_labels(
    Referrer,
    {
        Referrer.OWN_OUTREACH: _l("Our own outreach (place met)"),
        Referrer.OCMW: _l("OCMW / Sociaal Huis"),
        Referrer.CAW: _l("CAW"),
        Referrer.VDAB: _l("VDAB"),
        Referrer.SCHOOL: _l("School or CLB"),
        Referrer.HEALTH_CARE: _l("GP or health care"),
        Referrer.HOUSING_COMPANY: _l("Housing company"),
        Referrer.FAMILY_HUB: _l("Huis van het Kind"),
        Referrer.OTHER_PARTNER: _l("Other partner organisation"),
        Referrer.FAMILY_FRIENDS: _l("Family, friends or neighbours"),
        Referrer.SELF: _l("Came on their own"),
        Referrer.OTHER: _l("Other"),
    },
)


class Housing(enum.StrEnum):
    STREET = "street"
    NIGHT_SHELTER = "night_shelter"
    EMERGENCY_HOUSING = "emergency_housing"
    STAYING_WITH_OTHERS = "staying_with_others"
    INADEQUATE = "inadequate"
    PRIVATE_RENTAL = "private_rental"
    SOCIAL_RENTAL = "social_rental"
    OWNER = "owner"
    INSTITUTION = "institution"
    UNKNOWN = "unknown"


register_labels(
    Housing,
    {
        Housing.STREET: _l("Homeless, sleeping rough"),
        Housing.NIGHT_SHELTER: _l("Night shelter"),
        Housing.EMERGENCY_HOUSING: _l("Emergency or transit housing"),
        Housing.STAYING_WITH_OTHERS: _l("Staying with family or friends"),
        Housing.INADEQUATE: _l("Inadequate or unhealthy housing"),
        Housing.PRIVATE_RENTAL: _l("Private rental"),
        Housing.SOCIAL_RENTAL: _l("Social rental"),
        Housing.OWNER: _l("Own home"),
        Housing.INSTITUTION: _l("Institution"),
        Housing.UNKNOWN: _l("Unknown"),
    },
)


class DutchLevel(enum.StrEnum):
    NONE = "none"
    BEGINNER = "beginner"
    BASIC = "basic"
    INDEPENDENT = "independent"
    GOOD = "good"
    NATIVE = "native"
    UNKNOWN = "unknown"


register_labels(
    DutchLevel,
    {
        DutchLevel.NONE: _l("No Dutch"),
        DutchLevel.BEGINNER: _l("Beginner (A1)"),
        DutchLevel.BASIC: _l("Basic (A2)"),
        DutchLevel.INDEPENDENT: _l("Independent (B1)"),
        DutchLevel.GOOD: _l("Good (B2 or higher)"),
        DutchLevel.NATIVE: _l("Mother tongue"),
        DutchLevel.UNKNOWN: _l("Unknown"),
    },
)


class LabourStatus(enum.StrEnum):
    NOT_ACTIVE = "not_active"
    REGISTERED_JOB_SEEKER = "registered_job_seeker"
    PART_TIME_WORK = "part_time_work"
    INCAPACITY = "incapacity"
    STUDENT = "student"
    UNKNOWN = "unknown"


register_labels(
    LabourStatus,
    {
        LabourStatus.NOT_ACTIVE: _l("Not working, not registered as job seeker"),
        LabourStatus.REGISTERED_JOB_SEEKER: _l("Registered job seeker"),
        LabourStatus.PART_TIME_WORK: _l("Working part-time"),
        LabourStatus.INCAPACITY: _l("Unfit for work (sickness or disability)"),
        LabourStatus.STUDENT: _l("Student"),
        LabourStatus.UNKNOWN: _l("Unknown"),
    },
)


class IncomeSource(enum.StrEnum):
    NONE = "none"
    SOCIAL_INTEGRATION_INCOME = "social_integration_income"
    UNEMPLOYMENT_BENEFIT = "unemployment_benefit"
    SICKNESS_BENEFIT = "sickness_benefit"
    DISABILITY_ALLOWANCE = "disability_allowance"
    WAGE = "wage"
    PARTNER_OR_FAMILY = "partner_or_family"
    CHILD_BENEFIT_ONLY = "child_benefit_only"
    OTHER = "other"
    UNKNOWN = "unknown"


register_labels(
    IncomeSource,
    {
        IncomeSource.NONE: _l("No income"),
        IncomeSource.SOCIAL_INTEGRATION_INCOME: _l("Leefloon (OCMW)"),
        IncomeSource.UNEMPLOYMENT_BENEFIT: _l("Unemployment benefit"),
        IncomeSource.SICKNESS_BENEFIT: _l("Sickness or invalidity benefit"),
        IncomeSource.DISABILITY_ALLOWANCE: _l("Disability allowance"),
        IncomeSource.WAGE: _l("Wage"),
        IncomeSource.PARTNER_OR_FAMILY: _l("Income of partner or family"),
        IncomeSource.CHILD_BENEFIT_ONLY: _l("Only child benefit (Groeipakket)"),
        IncomeSource.OTHER: _l("Other"),
        IncomeSource.UNKNOWN: _l("Unknown"),
    },
)


class EducationBand(enum.StrEnum):
    NONE_OR_PRIMARY = "none_or_primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    HIGHER = "higher"
    FOREIGN_UNRECOGNISED = "foreign_unrecognised"
    UNKNOWN = "unknown"


register_labels(
    EducationBand,
    {
        EducationBand.NONE_OR_PRIMARY: _l("None or primary school"),
        EducationBand.LOWER_SECONDARY: _l("Lower secondary"),
        EducationBand.UPPER_SECONDARY: _l("Upper secondary"),
        EducationBand.HIGHER: _l("Higher education"),
        EducationBand.FOREIGN_UNRECOGNISED: _l("Foreign diploma, not recognised"),
        EducationBand.UNKNOWN: _l("Unknown"),
    },
)


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    X = "x"
    UNKNOWN = "unknown"


register_labels(
    Gender,
    {
        Gender.FEMALE: _l("Woman"),
        Gender.MALE: _l("Man"),
        Gender.X: _l("X / other"),
        Gender.UNKNOWN: _l("Unknown"),
    },
)


class ContactChannel(enum.StrEnum):
    """The contact channel agreed with the person (shown to their buddy)."""

    PHONE = "phone"
    TEXT_MESSAGE = "text_message"
    HOME_VISIT = "home_visit"
    AT_PLACE_MET = "at_place_met"
    VIA_PARTNER = "via_partner"
    EMAIL = "email"
    UNKNOWN = "unknown"


register_labels(
    ContactChannel,
    {
        ContactChannel.PHONE: _l("Phone call"),
        ContactChannel.TEXT_MESSAGE: _l("Text message or WhatsApp"),
        ContactChannel.HOME_VISIT: _l("Home visit"),
        ContactChannel.AT_PLACE_MET: _l("Where they are usually found"),
        ContactChannel.VIA_PARTNER: _l("Through a partner organisation"),
        ContactChannel.EMAIL: _l("E-mail"),
        ContactChannel.UNKNOWN: _l("Not agreed yet"),
    },
)


class Relationship(enum.StrEnum):
    PARTNER = "partner"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER_FAMILY = "other_family"
    NEIGHBOUR = "neighbour"
    FRIEND = "friend"
    OTHER = "other"


register_labels(
    Relationship,
    {
        Relationship.PARTNER: _l("Partner"),
        Relationship.CHILD: _l("Child"),
        Relationship.PARENT: _l("Parent"),
        Relationship.SIBLING: _l("Brother or sister"),
        Relationship.OTHER_FAMILY: _l("Other family"),
        Relationship.NEIGHBOUR: _l("Neighbour"),
        Relationship.FRIEND: _l("Friend"),
        Relationship.OTHER: _l("Other"),
    },
)

# Languages spoken in the region's outreach work (ISO 639 codes); names come from CLDR.
LANGUAGE_CODES = [
    "nl", "fr", "en", "de", "ar", "zgh", "tr", "ku", "fa", "ps", "ti", "am", "so", "sw",
    "ln", "ru", "uk", "pl", "ro", "bg", "sq", "es", "pt", "it", "ur", "hi", "ne", "zh",
]  # fmt: skip


def language_name(code: str, locale: str | None = None) -> str:
    """'ar' -> 'Arabisch' in Dutch, 'Arabic' in English."""
    current = Locale.parse(locale or str(get_locale() or "nl"))
    return current.languages.get(code, code)


def language_choices() -> list[SelectChoice]:
    names = sorted(((code, language_name(code)) for code in LANGUAGE_CODES), key=lambda c: c[1])
    return [SelectChoice(code, name) for code, name in names]
