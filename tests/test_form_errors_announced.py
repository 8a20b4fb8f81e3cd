"""Form errors are announced (issue 20, item 3): the shared form macro marks a refused field
aria-invalid and points it, by aria-describedby, at its message; for a group of radio
buttons, every option."""

from __future__ import annotations

import uuid
from datetime import timedelta
from html.parser import HTMLParser

from app.extensions import db
from app.timeutil import today
from tests import factories


class Controls(HTMLParser):
    """Every input by (name, value) with its attributes, and the ids of the page."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[tuple[str, str], dict] = {}
        self.ids: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name"):
            self.inputs[(attributes["name"], attributes.get("value") or "")] = attributes
        if attributes.get("id"):
            self.ids[attributes["id"]] = ""
            self._open = attributes["id"]

    def handle_data(self, data):
        if self._open:
            self.ids[self._open] += data


def test_refused_fields_are_marked_and_described(as_buddy, team, companion, buddy):
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.match(person, buddy, started_on=today() - timedelta(days=14))
    db.session.commit()
    response = as_buddy.post(
        f"/clients/{person.id}/checkins/new",
        data={"form_id": str(uuid.uuid4()), "occurred_on": today().isoformat(), "rating": "4",
              "duration_minutes": ""},
    )  # fmt: skip
    assert response.status_code in (200, 422)
    page = Controls()
    page.feed(response.get_data(as_text=True))
    duration = page.inputs[("duration_minutes", "")]
    assert duration["aria-invalid"] == "true"
    assert "duration_minutes-errors" in duration["aria-describedby"].split()
    assert page.ids["duration_minutes-errors"].strip()  # the message itself
    walk = page.inputs[("activity", "walk")]
    assert walk["aria-invalid"] == "true" and walk["aria-describedby"] == "activity-errors"
    assert page.ids["activity-errors"].strip()
    rating = page.inputs[("rating", "4")]  # an accepted group is not marked
    assert "aria-invalid" not in rating
