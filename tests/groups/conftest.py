"""A conversation group of the team, planned for today or another day."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from app.groups import services
from app.timeutil import today, zone


def plan_session(team, by, *, days=0, capacity=3, title="Praatgroep Nederlands"):
    return services.create_session(
        team=team, title=title, domain="language",
        starts_at=datetime.combine(today() + timedelta(days=days), time(14, 0), zone()),
        duration_minutes=90, place="Bib Haacht", facilitator=by, capacity=capacity,
        description=None, by=by,
    )  # fmt: skip


@pytest.fixture
def session(app, team, companion):
    return plan_session(team, companion)
