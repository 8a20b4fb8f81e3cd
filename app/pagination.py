"""Pagination with bounded page numbers, for ``db.paginate`` and for selects of rows.

Flask-SQLAlchemy reads ``page`` and ``per_page`` from the query string itself, unbounded: a
``?page=9223372036854775807`` becomes an OFFSET that overflows SQLite and PostgreSQL. Every
pagination here (``db.paginate``, see ``SQLAlchemy`` below, and ``paginate_rows``) takes
them from app.bounds instead, so no view can forget the bound.
"""

from __future__ import annotations

import flask_sqlalchemy
import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from app.bounds import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, page_arg, per_page_arg


class BoundedPageArgs:
    """Page numbers from the request through ``page_arg`` (a 400 when out of range), and
    never an offset beyond MAX_PAGE pages of at most MAX_PER_PAGE rows."""

    @staticmethod
    def _prepare_page_args(*, page=None, per_page=None, max_per_page=None, error_out=True):
        request = has_request_context()
        if page is None:
            page = page_arg() if request else 1
        if per_page is None:
            per_page = per_page_arg() if request else DEFAULT_PER_PAGE
        return Pagination._prepare_page_args(
            page=min(page, MAX_PAGE),
            per_page=min(per_page, MAX_PER_PAGE),
            max_per_page=max_per_page,
            error_out=error_out,
        )


class BoundedSelectPagination(BoundedPageArgs, SelectPagination):
    pass


class SQLAlchemy(flask_sqlalchemy.SQLAlchemy):
    """Flask-SQLAlchemy whose ``paginate`` bounds the page (app/extensions.py makes ``db``)."""

    def paginate(
        self, select, *, page=None, per_page=None, max_per_page=None, error_out=True, count=True
    ):
        return BoundedSelectPagination(
            select=select, session=self.session(), page=page, per_page=per_page,
            max_per_page=max_per_page, error_out=error_out, count=count,
        )  # fmt: skip


class RowPagination(BoundedPageArgs, Pagination):
    """Like ``db.paginate`` but ``items`` are result rows: for a ``select(Client, a, b)`` or
    a select over a UNION. Takes ``select`` and ``session`` arguments.

    The page and the total come from one statement (``count(*) OVER ()`` beside the rows,
    left out of ``items``); only a page past the end needs a second one to count."""

    _total: int | None = None

    def _query_items(self) -> list:
        select = self._query_args["select"]
        session = self._query_args["session"]
        if select._distinct:  # the window would count the rows before DISTINCT
            page = select.limit(self.per_page).offset(self._query_offset)
            return list(session.execute(page).all())
        counted = select.add_columns(sa.func.count().over().label("pagination_total"))
        result = session.execute(counted.limit(self.per_page).offset(self._query_offset))
        width = len(result.keys()) - 1
        frozen = result.freeze()
        rows = frozen().all()
        if rows:
            self._total = rows[0][width]
        elif self._query_offset == 0:
            self._total = 0
        return list(frozen().columns(*range(width)).all())

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        sub = self._query_args["select"].order_by(None).subquery()
        return self._query_args["session"].scalar(sa.select(sa.func.count()).select_from(sub))


def paginate_rows(select: sa.Select, *, per_page: int, page: int | None = None) -> RowPagination:
    session = current_app.extensions["sqlalchemy"].session  # app.extensions.db, which imports us
    return RowPagination(
        select=select, session=session, page=page, per_page=per_page, max_per_page=None,
        error_out=False, count=True,
    )  # fmt: skip
