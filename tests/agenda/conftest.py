"""Fixtures for the agenda: a frozen clock (Wednesday 10 March 2027, 14:00 in Brussels) and a
client of ``companion``'s team with someone of their context."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.clients.models import ContextMember
from app.extensions import db
from tests import factories

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = datetime(2027, 3, 10, 14, 0, tzinfo=BRUSSELS)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(app, team, companion):
    client = factories.make_client(
        team, companion, preferred_name="Zoë Verstraeten", registered_on=date(2027, 1, 4)
    )
    db.session.add(ContextMember(client=client, name="Bram", relationship_kind="partner"))
    db.session.flush()
    return client


def plan(http, person, *, day=TODAY, start="15:00", end="16:00", **fields):
    """POST the appointment form; returns the response."""
    data = {
        "client": str(person.id),
        "kind": "home_visit",
        "day": day.isoformat(),
        "starts_time": start,
        "ends_time": end,
        "place": "Stationsstraat 4, Haacht",
    }
    data.update(fields)
    return http.post(f"/agenda/new?client={person.id}", data=data)


def appointment_id(response) -> int:
    return int(re.search(r"/agenda/(\d+)$", response.headers["Location"]).group(1))
