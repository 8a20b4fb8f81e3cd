"""Walking the application as its users do: every GET route of the URL map with real ids,
and every form those pages render, read back as a browser would send it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product

import sqlalchemy as sa
from flask import Flask

from app.extensions import db

# Values for the non-id parts of URLs (a route is walked once for each).
WORDS = {
    "view": ["team", "mine"],
    "key": ["all"],
    "fmt": ["csv", "xlsx"],
    "target": ["sent"],
    "months": [3],
    "token": ["not-a-real-set-up-token"],
}


def _id_sources():
    """URL argument -> (model, column with the client's id or None)."""
    from app.activation.models import Placement
    from app.agenda.models import Appointment
    from app.api.tokens import ApiToken
    from app.auth.models import Team, User
    from app.checkins.models import CheckIn
    from app.clients.models import BuddyMatch, Consent, ContextMember
    from app.contacts.models import Contact, Note
    from app.documents.models import Document
    from app.groups.models import GroupRegistration, GroupSession
    from app.mail.models import OutboxMessage
    from app.measurements.models import Measurement
    from app.organisations.models import Organisation
    from app.plans.models import Goal
    from app.referrals.models import Referral
    from app.reminders.models import Reminder

    return {
        "contact_id": (Contact, "client_id"),
        "appointment_id": (Appointment, "client_id"),
        "note_id": (Note, "client_id"),
        "referral_id": (Referral, "client_id"),
        "measurement_id": (Measurement, "client_id"),
        "goal_id": (Goal, "client_id"),
        "member_id": (ContextMember, "client_id"),
        "consent_id": (Consent, "client_id"),
        "match_id": (BuddyMatch, "client_id"),
        "placement_id": (Placement, "client_id"),
        "checkin_id": (CheckIn, "client_id"),
        "document_id": (Document, "client_id"),
        "reminder_id": (Reminder, None),
        "session_id": (GroupSession, None),
        "registration_id": (GroupRegistration, None),
        "organisation_id": (Organisation, None),
        "token_id": (ApiToken, None),
        "team_id": (Team, None),
        "user_id": (User, None),
        "message_id": (OutboxMessage, None),
    }


def _first(model, *criteria):
    return db.session.scalar(sa.select(model).where(*criteria).order_by(model.id).limit(1))


def fill(rule, client_id: int, client_ids: list[int]) -> list[dict]:
    """Argument values for ``rule``: ids of rows that exist (of a client in ``client_ids``
    where the row belongs to a client), ``client_id`` otherwise; one dict per word value."""
    sources = _id_sources()
    values: dict = {}
    for name in sorted(rule.arguments):
        if name not in sources:
            continue
        model, owner = sources[name]
        criteria = [getattr(model, owner).in_(client_ids)] if owner else []
        if name == "registration_id" and "session_id" in values:
            criteria.append(model.session_id == values["session_id"])
        row = _first(model, *criteria)
        values[name] = row.id if row is not None else 1
        if owner and row is not None:
            values["client_id"] = getattr(row, owner)
    if "client_id" in rule.arguments:
        values.setdefault("client_id", client_id)
    words = [name for name in sorted(rule.arguments) if name in WORDS]
    return [
        {**values, **dict(zip(words, choice, strict=True))}
        for choice in product(*(WORDS[w] for w in words))
    ]


def get_urls(app: Flask, client_id: int, client_ids: list[int]) -> list[str]:
    """A URL for every GET route but static files (one per value of a word like ``fmt``)."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            if not set(rule.arguments) <= set(_id_sources()) | set(WORDS) | {"client_id"}:
                raise AssertionError(f"tests/support/walk.py: how to fill {rule.rule}?")
            for values in fill(rule, client_id, client_ids):
                urls.append(url_for(rule.endpoint, **values))
    return sorted(set(urls))


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type (or select)

    def data(self, **changes) -> dict[str, list[str]]:
        return {**self.fields, **{k: [v] for k, v in changes.items()}}


class _FormsReader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._form = Form(action=attrs.get("action") or self.page_url)
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            self._form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self._form.fields.setdefault(name, [])
            elif kind != "submit":
                self._form.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.kinds[name] = "textarea"
            self._form.fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            self._form.kinds[name] = "select"
            self._form.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._form.fields[self._select].append(value)

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._form.fields[self._select] and self._first_option is not None:
                self._form.fields[self._select].append(self._first_option)
            self._select = None
        elif tag == "form":
            self._form = None


def forms_in(html: str, page_url: str) -> list[Form]:
    """The POST forms of a page with the values a browser would send untouched."""
    reader = _FormsReader(page_url)
    reader.feed(html)
    return reader.forms
