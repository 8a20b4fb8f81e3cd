"""Text limits are declared once (a String column's length, or a named constant for a Text
column such as a note) and both edges read them: a web form and the API accept N characters
and refuse N + 1 with a 4xx, and every field a form and an API schema share has one limit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import marshmallow as ma
import pytest
import sqlalchemy as sa
from wtforms.validators import Length, NumberRange

from app.api.clients import ClientCreateSchema, ClientUpdateSchema
from app.api.common import InRange
from app.api.contacts import CheckInCreateSchema, ContactCreateSchema, NotesInput
from app.api.referrals import MoveSchema, ReferralCreateSchema
from app.checkins.forms import CheckInForm
from app.checkins.models import CheckIn
from app.clients.forms import ProfileForm, RegisterForm
from app.clients.models import Client
from app.contacts.forms import ContactForm
from app.contacts.models import MAX_NOTE_LENGTH, MAX_PRACTICAL_NOTE_LENGTH, Contact, Note
from app.contacts.vocab import NoteLevel
from app.extensions import db
from app.measurements import services
from app.measurements.models import MeasurementScore
from app.referrals.forms import DetailsForm, MoveForm, ReferralForm
from app.referrals.models import Referral
from app.timeutil import today
from tests import factories
from tests.conftest import count

# (form, schema, form field -> schema field where the names differ)
PAIRS = [
    (ContactForm, ContactCreateSchema, {}),
    (ContactForm, NotesInput,
     {"team_note": "team", "sensitive_note": "sensitive", "practical_note": "practical"}),
    (CheckInForm, CheckInCreateSchema, {}),
    (ReferralForm, ReferralCreateSchema, {}),
    (DetailsForm, ReferralCreateSchema, {}),
    (MoveForm, MoveSchema, {}),
    (RegisterForm, ClientCreateSchema, {}),
    (ProfileForm, ClientUpdateSchema, {}),
]  # fmt: skip
# Bounded on one side only: the service refuses more than three challenges from either edge,
# the web offers each language once (the API takes at most every language on the list), and
# the service checks a birth year against today.
# Life domains are checkboxes on the web (each domain once) and a list of at most every
# domain through the API.
ONE_SIDED = {"challenges", "languages", "birth_year", "domains"}


# Numbers a form and the API both bound with a range of their own.
COUNTS = {"children_count"}


def form_limit(form_class, name: str):
    for validator in getattr(form_class, name).kwargs.get("validators") or []:
        if isinstance(validator, Length | NumberRange):
            return validator.max
    return None


def schema_limit(schema_class, name: str):
    for validator in schema_class._declared_fields[name].validators:
        if isinstance(validator, InRange | ma.validate.Range | ma.validate.Length):
            return validator.max
    return None


def test_every_field_a_form_and_the_api_share_has_one_limit():
    compared = []
    for form_class, schema_class, renamed in PAIRS:
        form_fields = {
            name for name in dir(form_class) if hasattr(getattr(form_class, name), "field_class")
        }
        for name in sorted(form_fields):
            api_name = renamed.get(name, name)
            if api_name not in schema_class._declared_fields or name in ONE_SIDED:
                continue
            field = schema_class._declared_fields[api_name]
            if not isinstance(field, ma.fields.String | ma.fields.List) and name not in COUNTS:
                continue  # other numbers: app/bounds.py and the services
            web, api = form_limit(form_class, name), schema_limit(schema_class, api_name)
            if web is None and api is None:
                continue
            assert web == api, f"{form_class.__name__}.{name}: web {web}, API {api}"
            compared.append(name)
    assert len(compared) >= 25  # notes, contacts, check-ins, referrals, client profile


def test_the_limits_are_the_columns_and_the_note_constants():
    assert MAX_NOTE_LENGTH == 5000 and MAX_PRACTICAL_NOTE_LENGTH == 2000
    assert form_limit(ContactForm, "place") == Contact.place.type.length
    assert schema_limit(ClientUpdateSchema, "contact_note") == Client.contact_note.type.length
    assert schema_limit(CheckInCreateSchema, "worry_text") == CheckIn.worry_text.type.length
    assert schema_limit(ReferralCreateSchema, "question") == Referral.question.type.length


# --- the same boundary through both edges ---------------------------------------------------


@pytest.fixture
def ours(app, team, companion, buddy):
    client = factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=30)
    )
    factories.match(client, buddy, started_on=today() - timedelta(days=14))
    db.session.commit()
    return client


def contact_form(**fields) -> dict:
    return {
        "form_id": str(uuid.uuid4()),
        "outcome": "reached",
        "kind": "home_visit",
        "occurred_on": today().isoformat(),
        "occurred_time": "09:30",
        **fields,
    }


def notes_of(level: NoteLevel) -> int:
    return count(Note, Note.level == level)


@pytest.mark.parametrize(
    "web_field, api_field, level, limit",
    [
        ("team_note", "team", NoteLevel.TEAM, MAX_NOTE_LENGTH),
        ("sensitive_note", "sensitive", NoteLevel.SENSITIVE, MAX_NOTE_LENGTH),
        ("practical_note", "practical", NoteLevel.PRACTICAL, MAX_PRACTICAL_NOTE_LENGTH),
    ],
)
def test_a_note_of_the_limit_is_taken_by_both_and_one_more_is_refused_by_both(
    login, api_as, companion, ours, web_field, api_field, level, limit
):
    web, api = login(companion), api_as(companion)
    url = f"/clients/{ours.id}/contacts/new"
    assert web.post(url, data=contact_form(**{web_field: "w" * limit})).status_code == 302
    refused = web.post(url, data=contact_form(**{web_field: "w" * (limit + 1)}))
    assert refused.status_code == 422
    api_url = f"/api/v1/clients/{ours.id}/contacts"
    body = {"kind": "home_visit", "outcome": "reached"}
    taken = api.post(api_url, json={**body, "notes": {api_field: "a" * limit}})
    assert taken.status_code == 201, taken.json
    too_long = api.post(api_url, json={**body, "notes": {api_field: "a" * (limit + 1)}})
    assert too_long.status_code == 422
    assert f"notes.{api_field}" in too_long.json["errors"]
    assert notes_of(level) == 2  # one from each edge, of exactly the limit
    bodies = db.session.scalars(sa.select(Note.body).where(Note.level == level)).all()
    assert sorted(len(b) for b in bodies) == [limit, limit]


def test_a_worry_of_the_limit_is_taken_by_both_and_one_more_is_refused_by_both(
    login, api_as, buddy, ours
):
    limit = CheckIn.worry_text.type.length
    web, api = login(buddy), api_as(buddy)

    def checkin(text: str) -> dict:
        return {"form_id": str(uuid.uuid4()), "occurred_on": today().isoformat(),
                "activity": "walk", "duration_minutes": "60", "rating": "4", "worry": "y",
                "worry_text": text}  # fmt: skip

    url = f"/clients/{ours.id}/checkins/new"
    assert web.post(url, data=checkin("w" * limit)).status_code == 302
    assert web.post(url, data=checkin("w" * (limit + 1))).status_code == 422
    api_url = f"/api/v1/clients/{ours.id}/check-ins"
    body = {"occurred_on": today().isoformat(), "activity": "walk", "duration_minutes": 60,
            "rating": 4, "worry": True}  # fmt: skip
    assert api.post(api_url, json={**body, "worry_text": "a" * limit}).status_code == 201
    too_long = api.post(api_url, json={**body, "worry_text": "a" * (limit + 1)})
    assert too_long.status_code == 422 and "worry_text" in too_long.json["errors"]
    assert count(CheckIn) == 2


def test_a_referral_question_of_the_limit_is_taken_by_both_and_one_more_is_refused(
    login, api_as, companion, person, childcare_desk
):
    limit = Referral.question.type.length
    web, api = login(companion), api_as(companion)

    def referral(text: str) -> dict:
        return {"domain": "childcare", "organisation": str(childcare_desk.id), "question": text,
                "referred_on": today().isoformat(),
                "response_deadline": (today() + timedelta(days=14)).isoformat()}  # fmt: skip

    url = f"/clients/{person.id}/referrals/new"
    assert web.post(url, data=referral("w" * limit)).status_code == 302
    assert web.post(url, data=referral("w" * (limit + 1))).status_code == 422
    api_url = f"/api/v1/clients/{person.id}/referrals"
    body = {"domain": "childcare", "organisation_id": childcare_desk.id}
    assert api.post(api_url, json={**body, "question": "a" * limit}).status_code == 201
    too_long = api.post(api_url, json={**body, "question": "a" * (limit + 1)})
    assert too_long.status_code == 422 and "question" in too_long.json["errors"]
    assert count(Referral) == 2


def test_a_contact_arrangement_of_the_limit_is_taken_by_both_and_one_more_is_refused(
    login, api_as, companion, ours
):
    limit = Client.contact_note.type.length
    web, api = login(companion), api_as(companion)
    profile = {
        "preferred_name": "Nora", "gender": "female", "municipality": "haacht",
        "place_met": "street", "referrer": "own_outreach", "dutch_level": "good",
        "housing": "street", "labour_status_at_entry": "unknown",
        "income_source_at_entry": "unknown", "education_band": "unknown",
        "contact_channel": "unknown",
    }  # fmt: skip
    url = f"/clients/{ours.id}/edit"
    assert web.post(url, data={**profile, "contact_note": "w" * limit}).status_code == 302
    assert web.post(url, data={**profile, "contact_note": "x" * (limit + 1)}).status_code == 422
    db.session.refresh(ours)
    assert ours.contact_note == "w" * limit
    api_url = f"/api/v1/clients/{ours.id}"
    taken = api.patch(api_url, json={"version": ours.version, "contact_note": "a" * limit})
    assert taken.status_code == 200, taken.json
    too_long = api.patch(
        api_url, json={"version": taken.json["version"], "contact_note": "b" * (limit + 1)}
    )
    assert too_long.status_code == 422 and "contact_note" in too_long.json["errors"]
    db.session.refresh(ours)
    assert ours.contact_note == "a" * limit


def test_a_measurement_note_of_the_limit_is_taken_by_both_and_one_more_is_refused(
    login, api_as, companion, ours
):
    services.get_instrument("dijleland")  # the bundled instrument, loaded once
    db.session.commit()
    limit = MeasurementScore.note.type.length
    web, api = login(companion), api_as(companion)
    url = f"/clients/{ours.id}/measurements/new?instrument=dijleland"

    def measurement(kind: str, note: str) -> dict:
        return {"measured_on": today().isoformat(), "kind": kind, "score_housing": "3",
                "note_housing": note}  # fmt: skip

    assert web.post(url, data=measurement("intake", "w" * limit)).status_code == 302
    assert web.post(url, data=measurement("periodic", "x" * (limit + 1))).status_code == 422
    api_url = f"/api/v1/clients/{ours.id}/measurements"
    body = {"instrument": "dijleland", "measured_on": today().isoformat(), "kind": "periodic",
            "scores": {"housing": 2}}  # fmt: skip
    taken = api.post(api_url, json={**body, "notes": {"housing": "a" * limit}})
    assert taken.status_code == 201, taken.json
    too_long = api.post(api_url, json={**body, "notes": {"housing": "b" * (limit + 1)}})
    assert too_long.status_code == 422
    notes = db.session.scalars(sa.select(MeasurementScore.note)).all()
    assert sorted(notes) == ["a" * limit, "w" * limit]
