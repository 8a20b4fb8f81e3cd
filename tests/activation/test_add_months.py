"""add_months: n calendar months later in SQL, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.sqlfunctions import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 15), 6, date(2026, 9, 15)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
    ],
)
def test_add_months(app, day, months, expected):
    value = db.session.scalar(sa.select(add_months(sa.literal(day, sa.Date), months)))
    assert value == expected


def test_latest_start_is_the_last_day_that_is_due():
    from datetime import timedelta

    from dateutil.relativedelta import relativedelta

    from app.sqlfunctions import latest_start

    start = date(2027, 12, 20)
    for offset in range(120):
        on = start + timedelta(days=offset)
        for months in (1, 3, 6):
            cutoff = latest_start(on, months)
            assert cutoff + relativedelta(months=months) <= on, (on, months)
            assert cutoff + timedelta(days=1) + relativedelta(months=months) > on, (on, months)
