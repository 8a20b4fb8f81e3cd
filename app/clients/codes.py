"""Readable client codes such as DL-2026-0042: unique and never reused.

The number comes from a counter row that is incremented in the database (UPDATE ...
RETURNING), so two companions registering at the same moment get different numbers: the
row lock (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) serialises them. The unique
constraint on ``client.code`` is the last line of defence.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.clients.models import ClientCodeCounter
from app.extensions import db
from app.timeutil import today


def next_client_code(year: int | None = None) -> str:
    prefix = current_app.config["CLIENT_CODE_PREFIX"]
    year = year or today().year
    return format_code(prefix, year, reserve_numbers(1, year=year))


def format_code(prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:04d}"


def reserve_numbers(count: int, *, year: int | None = None) -> int:
    """Reserve ``count`` consecutive numbers for this year's codes; returns the last one."""
    prefix = current_app.config["CLIENT_CODE_PREFIX"]
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
