"""Fixtures for referrals: a few organisations of the social map, a client with consent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.reference import Domain, Municipality
from app.referrals import services
from app.timeutil import today
from tests import factories
from tests.organisations.conftest import make_organisation


@pytest.fixture
def childcare_desk(app):
    return make_organisation(
        "Lokaal loket kinderopvang",
        type="childcare_desk",
        domains=[Domain.CHILDCARE],
        covers_whole_region=True,
        municipalities=(),
    )


@pytest.fixture
def housing_company(app):
    return make_organisation(
        "Woonmaatschappij", type="housing_company", domains=[Domain.HOUSING],
        municipalities=[Municipality.HAACHT],
    )  # fmt: skip


@pytest.fixture
def person(app, team, companion):
    """A single parent in Haacht, followed by ``companion``, registered a month ago."""
    return factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=30),
        single_parent=True, children_count=2, legal_first_name="Nora",
        legal_last_name="Voorbeeld", birth_year=1990,
    )  # fmt: skip


def refer(client, organisation, *, by, domain=Domain.CHILDCARE, **values):
    values.setdefault("question", "Opvang voor twee kinderen, drie dagen per week.")
    values.setdefault("referred_on", today())
    referral = services.create_referral(
        client, organisation=organisation, domain=domain, by=by, **values
    )
    db.session.flush()
    return referral


@pytest.fixture
def draft(person, childcare_desk, companion):
    return refer(person, childcare_desk, by=companion)
