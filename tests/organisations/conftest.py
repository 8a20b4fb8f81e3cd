"""Fixtures for the social map: the shipped CSV imported, and a small factory."""

from __future__ import annotations

import itertools

import pytest

from app.extensions import db
from app.organisations import services
from app.organisations.models import Organisation
from app.reference import Domain, Municipality

_counter = itertools.count(1)


def make_organisation(
    name: str | None = None,
    *,
    type: str = "other",
    domains=(Domain.WORK,),
    municipalities=(Municipality.HAACHT,),
    covers_whole_region: bool = False,
    active: bool = True,
    **values,
) -> Organisation:
    org = services.create_organisation(
        name=name or f"Organisatie {next(_counter)}",
        type=type,
        domains=list(domains),
        municipalities=list(municipalities),
        covers_whole_region=covers_whole_region,
        by=None,
        **values,
    )
    if not active:
        services.deactivate_organisation(org, by=None)
    db.session.flush()
    return org


@pytest.fixture
def social_map(app):
    """The shipped social map of Dijleland+ (28 organisations), imported."""
    services.seed_social_map()
    db.session.commit()  # visible to the requests' own sessions
    return {org.name: org for org in db.session.scalars(services.search_organisations())}
