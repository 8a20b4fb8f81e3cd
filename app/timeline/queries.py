"""One chronological timeline per client: a UNION ALL over the registered sources, filtered
and paginated in SQL; only the objects of the page shown are loaded."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from app import hooks
from app.extensions import db
from app.pagination import RowPagination
from app.reference import Domain
from app.timeline.sources import TimelineSource


@dataclass(frozen=True)
class Entry:
    source: TimelineSource
    obj: Any
    day: date
    at: datetime
    kind: str


def filter_choices() -> list[tuple[str, Any, bool]]:
    """Values for the kind filter: each source, and its sub-kinds as 'source:kind'.
    Returns (value, label, is_sub_kind)."""
    found = []
    for source in hooks.timeline_sources:
        found.append((source.name, source.label, False))
        for choice in source.kinds() if source.kinds else []:
            found.append((f"{source.name}:{choice.value}", choice.label, True))
    return found


def valid_kind(kind: str) -> bool:
    return kind in {value for value, _label, _sub in filter_choices()}


def timeline_select(
    client_id: int, *, kind: str | None = None, domain: Domain | None = None
) -> sa.Select | None:
    """The client's events, newest first, as rows (source, id, day, at, kind); None when
    the filters leave no source."""
    wanted_source, _, wanted_kind = (kind or "").partition(":")
    branches = []
    for source in hooks.timeline_sources:
        if wanted_source and source.name != wanted_source:
            continue
        stmt = source.events(client_id)
        if wanted_kind:
            stmt = stmt.where(stmt.selected_columns.kind == wanted_kind)
        if domain is not None:
            if source.domain_filter is None:
                continue
            stmt = source.domain_filter(stmt, domain)
        branches.append(
            stmt.add_columns(sa.cast(sa.literal(source.name), sa.String(20)).label("source"))
        )
    if not branches:
        return None
    events = sa.union_all(*branches).subquery("timeline")
    return sa.select(events).order_by(
        events.c.day.desc(), events.c.at.desc(), events.c.source, events.c.id.desc()
    )


class EventRow(NamedTuple):
    id: int
    day: date
    at: datetime
    kind: str
    source: str


def _joined_sources() -> list[TimelineSource]:
    return [source for source in hooks.timeline_sources if source.with_rows]


@functools.lru_cache(maxsize=64)
def _page_statement(kind: str | None, domain: Domain | None, sources: int) -> sa.Select | None:
    """The statement of a timeline page for one filter, built once (the client, the page
    size and the offset are parameters): building and keying a UNION over every source
    cost more than running it for one client. ``sources``: how many are registered (a
    source added later makes a new statement). None when the filters leave no source."""
    select = timeline_select(
        sa.bindparam("timeline_client", type_=sa.Integer), kind=kind, domain=domain
    )
    if select is None:
        return None
    counted = select.add_columns(sa.func.count().over().label("pagination_total"))
    page = (
        counted.limit(sa.bindparam("timeline_limit", type_=sa.Integer))
        .offset(sa.bindparam("timeline_offset", type_=sa.Integer))
        .subquery("page")
    )
    stmt = sa.select(page)
    for source in _joined_sources():
        model = source.model
        stmt = stmt.add_columns(model).outerjoin(
            model, sa.and_(page.c.source == source.name, model.id == page.c.id)
        )
        if source.joins is not None:
            stmt = source.joins(stmt)
        stmt = stmt.options(*source.options)
    return stmt.order_by(
        page.c.day.desc(),
        page.c.at.desc(),
        page.c.source,
        page.c.id.desc(),
        *(term for source in _joined_sources() for term in source.order),
    )


class TimelinePage(RowPagination):
    """A page of the timeline whose rows come with their objects, in one statement: the
    page of rows (and the total beside them) as a subquery, each source loaded
    ``with_rows`` outer-joined on the id, with its loader options. ``objects`` holds them
    by (source, id). Takes ``statement`` (from ``_page_statement``), ``client_id``,
    ``kind``, ``domain`` and ``session``."""

    objects: dict[tuple[str, int], Any]

    def _query_items(self) -> list:
        args = self._query_args
        params = {
            "timeline_client": args["client_id"],
            "timeline_limit": self.per_page,
            "timeline_offset": self._query_offset,
        }
        rows = args["session"].execute(args["statement"], params).unique().all()
        joined = _joined_sources()
        width = len(rows[0]) - len(joined) if rows else 0
        self.objects = {}
        for row in rows:
            for source, obj in zip(joined, row[width:], strict=True):
                if obj is not None:
                    self.objects[(source.name, obj.id)] = obj
        if rows:
            self._total = rows[0].pagination_total
        elif self._query_offset == 0:
            self._total = 0
        return [EventRow(row.id, row.day, row.at, row.kind, row.source) for row in rows]

    def _query_count(self) -> int:  # a page past the end
        if self._total is not None:
            return self._total
        args = self._query_args
        select = timeline_select(args["client_id"], kind=args["kind"], domain=args["domain"])
        events = select.order_by(None).subquery()
        return args["session"].scalar(sa.select(sa.func.count()).select_from(events))


class EmptyPage(RowPagination):
    def _query_items(self) -> list:
        return []

    def _query_count(self) -> int:
        return 0


def timeline_page(
    client_id: int,
    *,
    kind: str | None = None,
    domain: Domain | None = None,
    page: int | None = None,
    per_page: int = 20,
) -> tuple[RowPagination, list[Entry]]:
    """One page of the timeline, with each event's object loaded: those of the source(s)
    loaded ``with_rows`` in the page's own statement, the others in one statement per
    source on the page."""
    stmt = _page_statement(kind, domain, len(hooks.timeline_sources))
    if stmt is None:
        empty = EmptyPage(page=1, per_page=per_page, error_out=False)
        return empty, []
    rows = TimelinePage(
        statement=stmt, client_id=client_id, kind=kind, domain=domain, session=db.session,
        page=page, per_page=per_page, max_per_page=None, error_out=False, count=True,
    )  # fmt: skip
    loaded: dict[str, dict[int, Any]] = {}
    for (name, obj_id), obj in rows.objects.items():
        loaded.setdefault(name, {})[obj_id] = obj
    ids: dict[str, list[int]] = {}
    for row in rows.items:
        if not hooks.timeline_sources[row.source].with_rows:
            ids.setdefault(row.source, []).append(row.id)
    for name, found in ids.items():
        loaded[name] = {obj.id: obj for obj in hooks.timeline_sources[name].load(found)}
    entries = [
        Entry(
            hooks.timeline_sources[row.source],
            loaded[row.source][row.id],
            row.day,
            row.at,
            row.kind,
        )
        for row in rows.items
        if row.id in loaded.get(row.source, {})
    ]
    return rows, entries
