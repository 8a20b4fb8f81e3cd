"""Pagination of selects that return rows (several columns), not single objects."""

from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination


class RowPagination(Pagination):
    """Like ``db.paginate`` but ``items`` are result rows: for a ``select(Client, a, b)`` or
    a select over a UNION. Takes ``select`` and ``session`` arguments."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())

    def _query_count(self) -> int:
        sub = self._query_args["select"].order_by(None).subquery()
        return self._query_args["session"].scalar(sa.select(sa.func.count()).select_from(sub))


def paginate_rows(select: sa.Select, *, per_page: int, page: int | None = None) -> RowPagination:
    from app.extensions import db

    return RowPagination(
        select=select, session=db.session, page=page, per_page=per_page, max_per_page=None,
        error_out=False, count=True,
    )  # fmt: skip
