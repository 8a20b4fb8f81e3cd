"""Measurements and instruments through the API: the scoping of the pages, the rules of the
measurement service, exactly once with an Idempotency-Key, problem+json for bad input."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.extensions import db
from app.measurements import services
from app.measurements.models import Measurement, MeasurementScore
from app.timeutil import today
from tests import factories
from tests.conftest import count

INTAKE = {
    "instrument": "dijleland",
    "measured_on": (today() - timedelta(days=3)).isoformat(),
    "kind": "intake",
    "scores": {"mobility": 1, "housing": 3},
    "notes": {"mobility": "Geen rijbewijs, fietst niet"},
}


@pytest.fixture
def ours(app, team, companion, buddy):
    client = factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=60)
    )
    factories.match(client, buddy, started_on=today() - timedelta(days=20))
    db.session.commit()
    return client


def url(client) -> str:
    return f"/api/v1/clients/{client.id}/measurements"


def nothing_stored() -> bool:
    return count(Measurement) == 0 and count(MeasurementScore) == 0


def test_record_and_list(api_as, companion, ours):
    api = api_as(companion)
    response = api.post(url(ours), json=INTAKE)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["scores"] == {"mobility": 1, "housing": 3}
    assert body["notes"] == {"mobility": "Geen rijbewijs, fietst niet"}
    assert (body["instrument"], body["kind"], body["client_id"]) == ("dijleland", "intake", ours.id)
    assert body["recorded_by_id"] == companion.id
    # Stored as the pages store it: the history and the deltas see it.
    [stored] = services.history(ours, services.get_instrument("dijleland"))
    assert {s.domain.code: s.score for s in stored.scores} == {"mobility": 1, "housing": 3}
    later = {**INTAKE, "kind": "periodic", "measured_on": today().isoformat(), "notes": {}}
    later["scores"] = {"mobility": 3}
    assert api.post(url(ours), json=later).status_code == 201
    listed = api.get(url(ours)).json
    assert listed["meta"]["total"] == 2
    assert [m["kind"] for m in listed["items"]] == ["periodic", "intake"]  # latest first
    page = api.get(f"{url(ours)}?per_page=1&page=2").json
    assert [m["kind"] for m in page["items"]] == ["intake"] and page["meta"]["pages"] == 2
    assert api.get(f"{url(ours)}?instrument=zrm2017").json["meta"]["total"] == 0


@pytest.mark.parametrize(
    ("who", "sees"),
    [("companion", True), ("lead", True), ("other_companion", False), ("other_lead", False),
     ("matched_buddy", False), ("unmatched_buddy", False), ("admin", False)],
)  # fmt: skip
def test_scoping_matrix(api_as, ours, companion, lead, buddy, team, other_team, who, sees):
    services.record_measurement(
        ours, services.get_instrument("dijleland"), measured_on=today(), kind="intake",
        scores={"work": 2}, by=companion,
    )  # fmt: skip
    user = {
        "companion": lambda: companion,
        "lead": lambda: lead,
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "other_lead": lambda: factories.make_user("lead", teams=[other_team]),
        "matched_buddy": lambda: buddy,
        "unmatched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    api = api_as(user)
    listed = api.get(url(ours))
    created = api.post(url(ours), json={**INTAKE, "kind": "periodic"})
    if sees:
        assert listed.status_code == 200 and listed.json["meta"]["total"] == 1
        assert created.status_code == 201
    else:
        for response in (listed, created):
            assert response.status_code == 404
            assert response.mimetype == "application/problem+json"
        assert count(Measurement) == 1
    assert api.get("/api/v1/clients/999999/measurements").status_code == 404


def test_same_idempotency_key_returns_the_same_measurement(api_as, companion, ours):
    api = api_as(companion)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post(url(ours), json=INTAKE, headers=key)
    again = api.post(url(ours), json=INTAKE, headers=key)
    assert (first.status_code, again.status_code) == (201, 200)  # as every creation in the API
    assert again.json == first.json and count(Measurement) == 1
    # Without the key, the same intake again is a second intake: refused by the service.
    second = api.post(url(ours), json=INTAKE)
    assert second.status_code == 409 and "kind" in second.json["errors"]
    assert count(Measurement) == 1


def test_keys_that_cannot_replay_are_refused(api_as, companion, team, ours):
    colleague = factories.make_user("companion", teams=[team])
    other = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    db.session.commit()
    key = {"Idempotency-Key": str(uuid.uuid4())}
    assert api_as(companion).post(url(ours), json=INTAKE, headers=key).status_code == 201
    by_colleague = api_as(colleague).post(url(ours), json=INTAKE, headers=key)
    for_other_client = api_as(companion).post(url(other), json=INTAKE, headers=key)
    malformed = api_as(companion).post(url(ours), json=INTAKE, headers={"Idempotency-Key": "x"})
    for response in (by_colleague, for_other_client, malformed):
        assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert count(Measurement) == 1


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"scores": {"mobility": 6}}, 422, "scores.mobility"),  # outside the 1-5 scale
        ({"scores": {"mobility": 0}}, 422, "scores.mobility"),
        ({"scores": {"mobility": 2**40}}, 422, "scores.mobility"),
        ({"scores": {"shoe_size": 3}}, 422, "scores.shoe_size"),  # not a domain
        ({"scores": {"mobility": 2}, "notes": {"shoe_size": "x"}}, 422, "notes.shoe_size"),
        ({"scores": {"mobility": 2}, "notes": {"housing": "a note without a score"}},
         422, "scores.housing"),
        ({"scores": {"Mobility!": 2}}, 422, "scores"),
        ({"scores": {}}, 422, "scores"),
        ({"scores": {"mobility": "3"}}, 422, "scores"),  # wrong types
        ({"scores": {"mobility": 3.5}}, 422, "scores"),
        ({"scores": {"mobility": True}}, 422, "scores"),
        ({"scores": [3]}, 422, "scores"),
        ({"notes": {"mobility": "x" * 201}}, 422, "notes"),
        ({"notes": {"mobility": "nul\x00byte"}}, 422, "notes"),
        ({"measured_on": "yesterday"}, 422, "measured_on"),
        ({"measured_on": (today() + timedelta(days=1)).isoformat()}, 422, "measured_on"),
        ({"measured_on": (today() - timedelta(days=61)).isoformat()}, 422, "measured_on"),
        ({"kind": "weekly"}, 422, "kind"),
        ({"instrument": "nope"}, 422, "instrument"),
        ({"instrument": "x" * 41}, 422, "instrument"),
        ({"colour": "blue"}, 422, "colour"),  # an unknown field
        ({"instrument": None}, 422, "instrument"),
    ],
)  # fmt: skip
def test_bad_input_is_a_problem_and_stores_nothing(api_as, companion, ours, change, status, field):
    response = api_as(companion).post(url(ours), json={**INTAKE, **change})
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    assert any(name == field or name.startswith(f"{field}.") for name in response.json["errors"])
    assert nothing_stored()


@pytest.mark.parametrize("missing", ["instrument", "measured_on", "kind", "scores"])
def test_required_fields(api_as, companion, ours, missing):
    body = {k: v for k, v in INTAKE.items() if k != missing}
    response = api_as(companion).post(url(ours), json=body)
    assert response.status_code == 422 and missing in response.json["errors"]
    assert nothing_stored()


def test_an_inactive_instrument_is_refused(api_as, companion, ours):
    services.get_instrument("zrm2017").active = False
    db.session.commit()
    body = {**INTAKE, "instrument": "zrm2017", "scores": {"housing": 2}, "notes": {}}
    response = api_as(companion).post(url(ours), json=body)
    assert response.status_code == 409 and "instrument" in response.json["errors"]
    assert nothing_stored()


def test_instruments_with_domains_and_level_labels(api_as, companion, buddy):
    services.get_instrument("zrm2017").active = False
    db.session.commit()
    response = api_as(companion).get("/api/v1/instruments")
    assert response.status_code == 200
    by_code = {i["code"]: i for i in response.json}
    assert list(by_code) == ["dijleland", "zrm2017"]  # active first
    dijleland = by_code["dijleland"]
    assert dijleland["active"] is True and by_code["zrm2017"]["active"] is False
    assert [level["score"] for level in dijleland["levels"]] == [1, 2, 3, 4, 5]
    assert dijleland["levels"][0]["label"] == "Acuut probleem"
    assert dijleland["levels"][0]["label_en"] == "Acute problem"
    domains = [d["code"] for d in dijleland["domains"]]
    assert len(domains) == 10 and domains[0] == "social_skills"
    english = api_as(buddy).get("/api/v1/instruments", headers={"Accept-Language": "en"})
    assert english.json[0]["domains"][0]["label"] == "Social skills"


def test_the_description_documents_the_operations_and_their_errors(client):
    spec = client.get("/api/v1/openapi.json").json
    operations = spec["paths"]["/api/v1/clients/{client_id}/measurements"]
    assert set(operations) >= {"get", "post"}
    post = operations["post"]
    assert {"201", "200", "409", "422", "default"} <= set(post["responses"])
    assert "Idempotency-Key" in [p["name"] for p in post.get("parameters", [])]
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    scores = spec["components"]["schemas"][body]["properties"]["scores"]
    assert scores["additionalProperties"] == {"type": "integer", "minimum": 0, "maximum": 100}
    assert "get" in spec["paths"]["/api/v1/instruments"]
