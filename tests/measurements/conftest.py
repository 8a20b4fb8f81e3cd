"""Helpers for measurement tests: the shipped instruments and a client to measure."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.measurements import services
from app.timeutil import today
from tests import factories


@pytest.fixture
def dijleland(app):
    return services.get_instrument("dijleland")


@pytest.fixture
def person(app, team, companion):
    return factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=200)
    )


def measure(client, instrument, days_ago, scores, *, kind="periodic", by=None, notes=None):
    return services.record_measurement(
        client,
        instrument,
        measured_on=today() - timedelta(days=days_ago),
        kind=kind,
        scores=scores,
        notes=notes,
        by=by,
    )
