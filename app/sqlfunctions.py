"""Small SQL expressions that differ between SQLite and PostgreSQL (dates, months, medians)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.ext.compiler import compiles

from app.extensions import db


def dialect() -> str:
    return db.session.get_bind().dialect.name


def days_between(start, end) -> sa.ColumnElement:
    """Whole days from date ``start`` to date ``end`` (both SQL expressions or dates)."""
    start = sa.literal(start, sa.Date) if isinstance(start, date) else start
    end = sa.literal(end, sa.Date) if isinstance(end, date) else end
    if dialect() == "postgresql":
        return sa.cast(end, sa.Date) - sa.cast(start, sa.Date)
    return sa.cast(sa.func.julianday(end) - sa.func.julianday(start), sa.Integer)


def month_of(column) -> sa.ColumnElement:
    """'YYYY-MM' of a date column."""
    if dialect() == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def year_of(column) -> sa.ColumnElement:
    return sa.cast(sa.extract("year", column), sa.Integer)


def median(
    values: sa.Subquery, column: str = "value", *, with_count_and_average: bool = False
) -> sa.Select:
    """The median of ``values.c[column]`` (NULLs ignored), as one portable SELECT; with
    ``with_count_and_average`` the same query also returns the count and the mean."""
    value = values.c[column]
    ranked = (
        sa.select(
            value.label("v"),
            sa.func.row_number().over(order_by=value).label("rn"),
            sa.func.count().over().label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    middle = sa.or_(
        ranked.c.rn == (ranked.c.n + 1) // 2,
        ranked.c.rn == (ranked.c.n + 2) // 2,
    )
    middle_value = sa.func.avg(sa.case((middle, ranked.c.v)))
    if with_count_and_average:
        return sa.select(sa.func.count(ranked.c.v), sa.func.avg(ranked.c.v), middle_value)
    return sa.select(middle_value)


class add_months(sa.sql.functions.FunctionElement):
    """``add_months(date_column, n)``: the date n calendar months later, in SQL, the same on
    both databases: a day that does not exist in the target month becomes its last day
    (31 January + 1 month = 28 or 29 February), as dateutil's relativedelta does."""

    type = sa.Date()
    inherit_cache = True
    name = "add_months"


@compiles(add_months, "postgresql")
def _add_months_postgresql(element, compiler, **kw):
    day, months = list(element.clauses)
    return (
        f"CAST(({compiler.process(day, **kw)} + make_interval(months => "
        f"CAST({compiler.process(months, **kw)} AS INTEGER))) AS DATE)"
    )


@compiles(add_months, "sqlite")
def _add_months_sqlite(element, compiler, **kw):
    day, months = (compiler.process(clause, **kw) for clause in element.clauses)
    shifted = f"date({day}, ({months}) || ' months')"
    # SQLite rolls 31 January + 1 month over to 3 March; step back to the month's last day.
    return (
        f"(CASE WHEN strftime('%d', {shifted}) = strftime('%d', {day}) THEN {shifted} "
        f"ELSE date({shifted}, 'start of month', '-1 day') END)"
    )


def latest_start(on: date, months: int) -> date:
    """The latest date d with ``add_months(d, months) <= on``: comparing a column with it
    finds what is due without computing add_months per row. When ``on`` is the last day of
    its month, every day of the month ``months`` earlier qualifies (31 January + 1 month is
    28 February)."""
    earlier = on - relativedelta(months=months)
    if (on + timedelta(days=1)).day == 1:  # the last day of its month
        earlier = earlier + relativedelta(day=31)
    return earlier


class add_days(sa.sql.functions.FunctionElement):
    """``add_days(date_column, n)``: the date n days later, in SQL, on both databases."""

    type = sa.Date()
    inherit_cache = True
    name = "add_days"


@compiles(add_days, "postgresql")
def _add_days_postgresql(element, compiler, **kw):
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(CAST({day} AS DATE) + CAST({days} AS INTEGER) AS DATE)"


@compiles(add_days, "sqlite")
def _add_days_sqlite(element, compiler, **kw):
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, ({days}) || ' days')"


class unindexed(sa.sql.functions.FunctionElement):
    """A column's value in a form SQLite cannot look up through an index (``+column``; the
    column itself elsewhere). For a filter that double-checks what an indexed filter already
    narrowed, such as the partnership under the team filter of the client scope: with the
    column as is, SQLite may pick the partnership's index (all its teams' clients) over the
    team's. PostgreSQL keeps its statistics-based choice, so it gets the column unchanged."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column):
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"
