"""The API bounds every number and date it takes (issue 13, item 6): a year 9999 or a huge id
is a 422 problem+json naming the field, in the user's language, never a server error."""

from __future__ import annotations

from datetime import timedelta

import marshmallow as ma
import pytest

from app.api.common import InRange
from app.extensions import db
from app.timeutil import today
from tests import factories

HUGE = "9223372036854775807"
HUGER = 99999999999999999999
CONTACT = {"kind": "home_visit", "outcome": "reached"}


@pytest.fixture
def ours(app, team, companion, buddy):
    client = factories.make_client(team, companion, preferred_name="Nora")
    factories.match(client, buddy, started_on=today() - timedelta(days=20))
    db.session.commit()
    return client


def refused(response, field: str) -> list[str]:
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    return response.json["errors"][field]


def test_a_contact_in_the_year_9999_is_refused_with_a_message(api_as, companion, ours):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts",
        json={**CONTACT, "occurred_at": "9999-12-31T23:59:59Z"},
    )
    assert refused(response, "occurred_at") == ["Geef een datum tussen 1900-01-01 en 2100-12-31."]


def test_a_contact_at_the_end_of_2100_is_in_the_future(api_as, companion, ours):
    """Within the bounds, the contact service speaks (through timeutil.to_local)."""
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts",
        json={**CONTACT, "occurred_at": "2100-12-31T12:00:00Z"},
    )
    assert response.status_code == 422
    assert "toekomst" in str(response.json)


@pytest.mark.parametrize(
    "field, value",
    [("duration_minutes", HUGER), ("participant_ids", [HUGER]), ("organisation_ids", [2**31]),
     ("follow_up_on", "0001-01-01")],
)  # fmt: skip
def test_huge_numbers_in_a_contact_are_refused(api_as, companion, ours, field, value):
    response = api_as(companion).post(
        f"/api/v1/clients/{ours.id}/contacts", json={**CONTACT, field: value}
    )
    assert response.status_code == 422, response.json
    assert any(key.startswith(field) for key in response.json["errors"])


def test_a_check_in_in_year_one_is_refused(api_as, buddy, ours):
    response = api_as(buddy).post(
        f"/api/v1/clients/{ours.id}/check-ins",
        json={"occurred_on": "0001-01-01", "activity": "meeting", "duration_minutes": 60,
              "rating": HUGER},
    )  # fmt: skip
    assert refused(response, "occurred_on") == ["Geef een datum tussen 1900-01-01 en 2100-12-31."]
    assert response.json["errors"]["rating"] == ["Geef een getal van -2147483648 tot 2147483647."]


def test_a_huge_organisation_id_in_a_referral_is_refused(api_as, companion, person):
    response = api_as(companion).post(
        f"/api/v1/clients/{person.id}/referrals",
        json={"organisation_id": HUGER, "domain": "childcare", "question": "Opvang"},
    )
    assert refused(response, "organisation_id") == ["Geef een getal van 1 tot 2147483647."]


def test_a_huge_page_is_refused(api_as, companion):
    response = api_as(companion).get(f"/api/v1/clients?page={HUGE}")
    assert refused(response, "page") == ["Geef een getal van 1 tot 100000."]


def _argument_schemas(app):
    """(endpoint, method, schema) for every @blp.arguments of the API."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        if view_class is None:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            handler = getattr(view_class, method.lower(), None)
            for parameter in (
                getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", [])
            ):
                schema = parameter["schema"]
                yield rule.endpoint, method, schema() if isinstance(schema, type) else schema


def _fields(schema, prefix=""):
    for name, field in schema.fields.items():
        yield f"{prefix}{name}", field
        inner = getattr(field, "inner", None) or getattr(field, "value_field", None)
        if inner is not None:
            yield f"{prefix}{name}[]", inner
        if isinstance(field, ma.fields.Nested):
            yield from _fields(field.schema, f"{prefix}{name}.")


def test_every_number_and_date_the_api_takes_is_bounded(app):
    checked, unbounded = 0, []
    for endpoint, method, schema in _argument_schemas(app):
        for name, field in _fields(schema):
            if isinstance(field, ma.fields.Number | ma.fields.Date | ma.fields.DateTime):
                checked += 1
                if not any(isinstance(v, InRange) for v in field.validators):
                    unbounded.append((endpoint, method, name))
    assert checked > 20
    assert not unbounded
