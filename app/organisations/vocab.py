"""The vocabularies of the social map: types of organisation."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from app.labels import register_labels


class OrganisationType(enum.StrEnum):
    """Kinds of organisation; the codes are those of the shipped CSV."""

    OCMW = "ocmw"
    CAW = "caw"
    HOUSING_COMPANY = "housing_company"
    CHILDCARE_DESK = "childcare_desk"
    FAMILY_HUB = "family_hub"
    INTEGRATION_AGENCY = "integration_agency"
    ADULT_BASIC_EDUCATION = "adult_basic_education"
    ADULT_EDUCATION = "adult_education"
    LANGUAGE_PRACTICE = "language_practice"
    MENTAL_HEALTH_CENTRE = "mental_health_centre"
    FIRST_LINE_PSYCHOLOGY = "first_line_psychology"
    ADDICTION_CENTRE = "addiction_centre"
    EMPLOYMENT_SERVICE = "employment_service"
    SPECIALISED_JOB_GUIDANCE = "specialised_job_guidance"
    SHELTERED_EMPLOYER = "sheltered_employer"
    NEIGHBOURHOOD_WORK = "neighbourhood_work"
    PUBLIC_TRANSPORT = "public_transport"
    VOLUNTEER_TRANSPORT = "volunteer_transport"
    CYCLING_SCHOOL = "cycling_school"
    DRIVING_SCHOOL = "driving_school"
    VOLUNTEERING_DESK = "volunteering_desk"
    EMPLOYER = "employer"
    OTHER = "other"


register_labels(
    OrganisationType,
    {
        OrganisationType.OCMW: _l("Public social welfare centre (OCMW)"),
        OrganisationType.CAW: _l("General welfare centre (CAW)"),
        OrganisationType.HOUSING_COMPANY: _l("Social housing company"),
        OrganisationType.CHILDCARE_DESK: _l("Childcare desk"),
        OrganisationType.FAMILY_HUB: _l("Family hub"),
        OrganisationType.INTEGRATION_AGENCY: _l("Integration and civic integration"),
        OrganisationType.ADULT_BASIC_EDUCATION: _l("Adult basic education"),
        OrganisationType.ADULT_EDUCATION: _l("Adult education"),
        OrganisationType.LANGUAGE_PRACTICE: _l("Language practice"),
        OrganisationType.MENTAL_HEALTH_CENTRE: _l("Mental health centre (CGG)"),
        OrganisationType.FIRST_LINE_PSYCHOLOGY: _l("First-line psychological care"),
        OrganisationType.ADDICTION_CENTRE: _l("Alcohol and drugs centre (CAD)"),
        OrganisationType.EMPLOYMENT_SERVICE: _l("Public employment service"),
        OrganisationType.SPECIALISED_JOB_GUIDANCE: _l("Specialised job guidance (GTB)"),
        OrganisationType.SHELTERED_EMPLOYER: _l("Social-economy employer"),
        OrganisationType.NEIGHBOURHOOD_WORK: _l("Neighbourhood work"),
        OrganisationType.PUBLIC_TRANSPORT: _l("Public transport"),
        OrganisationType.VOLUNTEER_TRANSPORT: _l("Volunteer transport"),
        OrganisationType.CYCLING_SCHOOL: _l("Cycling school"),
        OrganisationType.DRIVING_SCHOOL: _l("Driving school"),
        OrganisationType.VOLUNTEERING_DESK: _l("Volunteering desk"),
        OrganisationType.EMPLOYER: _l("Employer"),
        OrganisationType.OTHER: _l("Other"),
    },
)
