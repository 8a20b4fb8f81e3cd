"""Readable client codes such as DL-2026-0042: unique and never reused.

The prefix is the client's partnership's (DL-..., WL-...); each prefix counts on its own.

The number comes from a counter row that is incremented in the database (UPDATE ...
RETURNING), so two companions registering at the same moment get different numbers: the
row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) serialises them. The unique
constraint on ``client.code`` is the last line of defence.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clients.models import ClientCodeCounter
from app.extensions import db
from app.partnerships.services import prefix_of
from app.timeutil import today


def next_client_code(partnership_id: int, year: int | None = None) -> str:
    prefix = prefix_of(partnership_id)
    year = year or today().year
    return format_code(prefix, year, reserve_numbers(1, year=year, prefix=prefix))


def format_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def reserve_numbers(count: int, *, prefix: str, year: int | None = None) -> int:
    """Reserve ``count`` consecutive numbers for this year's codes with ``prefix``; returns
    the last one."""
    year = year or today().year
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ClientCodeCounter)
        .values(prefix=prefix, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    return db.session.execute(
        sa.update(ClientCodeCounter)
        .where(ClientCodeCounter.prefix == prefix, ClientCodeCounter.year == year)
        .values(last_number=ClientCodeCounter.last_number + count)
        .returning(ClientCodeCounter.last_number)
    ).scalar_one()
