"""One chronological timeline per client: a UNION ALL over the registered sources, filtered
and paginated in SQL; only the objects of the page shown are loaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from app import hooks
from app.pagination import RowPagination, paginate_rows
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
    """One page of the timeline, with each event's object loaded (one query per source)."""
    stmt = timeline_select(client_id, kind=kind, domain=domain)
    if stmt is None:
        empty = EmptyPage(page=1, per_page=per_page, error_out=False)
        return empty, []
    rows = paginate_rows(stmt, per_page=per_page, page=page)
    ids: dict[str, list[int]] = {}
    for row in rows.items:
        ids.setdefault(row.source, []).append(row.id)
    loaded = {
        name: {obj.id: obj for obj in hooks.timeline_sources[name].load(found)}
        for name, found in ids.items()
    }
    entries = [
        Entry(
            hooks.timeline_sources[row.source],
            loaded[row.source][row.id],
            row.day,
            row.at,
            row.kind,
        )
        for row in rows.items
        if row.id in loaded[row.source]
    ]
    return rows, entries
