"""A user's iCalendar feed at a secret, revocable address: times and places of their
appointments, never a client's name (only "afspraak" and the client code), so it can sit in
an Outlook or phone calendar without carrying the file into it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import icalendar
import sqlalchemy as sa

from app.agenda.calendar import appointments_of
from app.agenda.models import CalendarFeed
from app.agenda.vocab import FEED_DAYS_AHEAD, FEED_DAYS_BACK
from app.audit import services as audit
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.timeutil import today

SUMMARY = "afspraak"  # the same in every language: it says nothing about the person


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def regenerate(user: User) -> str:
    """A new secret address for ``user`` (the old one stops working). Returns the token,
    shown once: only its hash is stored."""
    token = secrets.token_urlsafe(32)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash, feed.created_at, feed.last_used_at = _hash(token), utcnow(), None
    db.session.flush()
    audit.record("calendar_feed.created", user, user=user)
    return token


def revoke(user: User) -> bool:
    feed = feed_of(user)
    if feed is None:
        return False
    db.session.delete(feed)
    audit.record("calendar_feed.revoked", user, user=user)
    return True


def user_for(token: str) -> User | None:
    """The active user whose feed has this token, else None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.token_hash == _hash(token)))
    if feed is None or not feed.user.active:
        return None
    feed.last_used_at = utcnow()
    return feed.user


def calendar_for(user: User, *, host: str) -> bytes:
    """The user's appointments as an iCalendar document."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Gezel//agenda//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Gezel")
    day = today()
    stamp = utcnow()
    for appointment in appointments_of(
        user, day - timedelta(days=FEED_DAYS_BACK), day + timedelta(days=FEED_DAYS_AHEAD)
    ):
        event = icalendar.Event()
        event.add("uid", f"appointment-{appointment.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"{SUMMARY} {appointment.client.code}")
        if appointment.place:
            event.add("location", appointment.place)
        calendar.add_component(event)
    return calendar.to_ical()
