"""Dates as people in Dijleland+ see them: 'today' and 'now' in Europe/Brussels."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.database import utcnow


def zone() -> ZoneInfo:
    name = current_app.config["TIMEZONE"] if has_app_context() else "Europe/Brussels"
    return ZoneInfo(name)


def local_now() -> datetime:
    return utcnow().astimezone(zone())


def today() -> date:
    """The calendar date in Brussels (not UTC: at 00:30 local time UTC is still 'yesterday')."""
    return local_now().date()


def to_local(moment: datetime) -> datetime:
    """``moment`` in Brussels. Never raises for a moment at the edge of what Python holds
    (9999-12-31T23:59:59Z is in the year 10000 in Brussels): that is the first or last
    representable local moment instead. Inputs are bounded anyway (app.bounds)."""
    try:
        return moment.astimezone(zone())
    except OverflowError:
        edge = datetime.max if moment.year > 1 else datetime.min
        return edge.replace(tzinfo=zone())


def local_date(moment: datetime) -> date:
    return to_local(moment).date()


def start_of_local_day(day: date) -> datetime:
    """The UTC-aware instant at which ``day`` starts in Brussels (handles DST)."""
    return datetime.combine(day, time.min, tzinfo=zone())


def days_since(day: date, *, on: date | None = None) -> int:
    return ((on or today()) - day).days
