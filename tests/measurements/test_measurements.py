"""Recording measurements: the rules, the history and deltas, what is due, and who may see."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.errors import DomainError
from app.extensions import db
from app.measurements import services
from app.measurements.models import Measurement, MeasurementScore
from app.measurements.vocab import MeasurementKind
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.measurements.conftest import measure


def test_a_measurement_stores_scores_notes_and_kind(dijleland, person, companion):
    measurement = measure(
        person, dijleland, 30, {"housing": 2, "language": 1}, kind="intake", by=companion,
        notes={"housing": "Slaapt bij een vriend."},
    )  # fmt: skip
    assert measurement.kind == MeasurementKind.INTAKE
    assert {(s.domain.code, s.score, s.note) for s in measurement.scores} == {
        ("housing", 2, "Slaapt bij een vriend."),
        ("language", 1, None),
    }
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "measurement.created")
    )
    assert event.client_id == person.id and event.details["instrument"] == "dijleland"


@pytest.mark.parametrize(
    ("scores", "kwargs", "field"),
    [
        ({"housing": 6}, {}, "score_housing"),
        ({"housing": 0}, {}, "score_housing"),
        ({"housing": "drie"}, {}, "score_housing"),
        ({"finances": 3}, {}, "score_finances"),  # a ZRM domain, not one of this instrument
        ({"housing": 3}, {"notes": {"finances": "x"}}, "note_finances"),
        ({}, {}, "scores"),
        ({"housing": 3}, {"measured_on": today() + timedelta(days=1)}, "measured_on"),
        ({"housing": 3}, {"measured_on": today() - timedelta(days=400)}, "measured_on"),
        ({"housing": 3}, {"kind": "weekly"}, "kind"),
        ({"housing": None}, {"notes": {"housing": "note without score"}}, "score_housing"),
    ],
)
def test_bad_measurements_are_refused_and_nothing_is_stored(
    dijleland, person, companion, scores, kwargs, field
):
    values = {"measured_on": today(), "kind": "intake", "notes": None, **kwargs}
    with pytest.raises(DomainError) as refused:
        services.record_measurement(person, dijleland, scores=scores, by=companion, **values)
    assert refused.value.status == 422 and refused.value.field == field
    assert count(Measurement) == 0 and count(MeasurementScore) == 0


def test_an_inactive_instrument_is_refused(dijleland, person, companion):
    dijleland.active = False
    with pytest.raises(DomainError, match="niet meer in gebruik") as refused:
        measure(person, dijleland, 1, {"housing": 3}, by=companion)
    assert refused.value.status == 409 and refused.value.field == "instrument"


def test_only_one_intake_per_instrument(dijleland, person, companion):
    measure(person, dijleland, 30, {"housing": 2}, kind="intake", by=companion)
    with pytest.raises(DomainError, match="al een intakemeting") as refused:
        measure(person, dijleland, 3, {"housing": 3}, kind="intake", by=companion)
    assert refused.value.status == 409
    zrm = services.get_instrument("zrm2017")
    measure(person, zrm, 3, {"housing": 3}, kind="intake", by=companion)  # another instrument


def test_deltas_per_domain_first_latest_and_change(dijleland, person, companion):
    measure(person, dijleland, 90, {"housing": 1, "language": 2}, kind="intake", by=companion)
    measure(person, dijleland, 60, {"housing": 2, "work": 1}, by=companion)
    measure(person, dijleland, 5, {"housing": 4, "language": 2}, by=companion)
    deltas = {d.domain.code: (d.first, d.latest, d.change, d.measurements)
              for d in services.client_deltas(person, dijleland)}  # fmt: skip
    assert deltas == {
        "language": (2, 2, 0, 2),
        "work": (1, 1, 0, 1),
        "housing": (1, 4, 3, 3),
    }
    assert [d.domain.code for d in services.client_deltas(person, dijleland)] == [
        "language", "work", "housing",  # the instrument's order
    ]  # fmt: skip


def test_deltas_query_over_several_clients(dijleland, person, companion, team):
    other = factories.make_client(team, companion, registered_on=today() - timedelta(days=50))
    measure(person, dijleland, 90, {"housing": 1}, kind="intake", by=companion)
    measure(person, dijleland, 9, {"housing": 3}, by=companion)
    measure(other, dijleland, 40, {"housing": 4}, kind="intake", by=companion)
    measure(other, dijleland, 20, {"housing": 2}, by=companion)
    # Same date twice: the later record counts as the latest.
    measure(other, dijleland, 20, {"housing": 3}, by=companion)
    housing = dijleland.domain("housing").id
    rows = db.session.execute(
        services.deltas_query(dijleland.id, [person.id, other.id]).order_by("client_id")
    ).all()
    assert [(r.client_id, r.domain_id, r.first, r.latest, r.change) for r in rows] == [
        (person.id, housing, 1, 3, 2),
        (other.id, housing, 4, 3, -1),
    ]


def test_correcting_a_measurement(dijleland, person, companion):
    measurement = measure(person, dijleland, 10, {"housing": 2, "work": 1}, by=companion)
    services.update_measurement(
        measurement, measured_on=today() - timedelta(days=9), kind="periodic",
        scores={"housing": 3, "language": 2}, notes={"language": "NT2 gestart"}, by=companion,
    )  # fmt: skip
    db.session.expire_all()
    assert {(s.domain.code, s.score, s.note) for s in measurement.scores} == {
        ("housing", 3, None),
        ("language", 2, "NT2 gestart"),
    }
    assert count(AuditEvent, AuditEvent.action == "measurement.updated") == 1


def test_periodic_measurement_due_in_the_trajectory(app, dijleland, team, companion):
    start = today() - timedelta(days=200)
    client = factories.make_client(team, companion, registered_on=start)
    factories.make_consent(client, given_on=start)
    change_phase(client, Phase.ENGAGEMENT, by=companion, on=start, consent_valid=True)
    change_phase(client, Phase.TRAJECTORY, by=companion, on=start, consent_valid=True)
    assert [d.client_id for d in services.due_periodic_measurements()] == [client.id]
    measure(client, dijleland, 100, {"housing": 2}, kind="intake", by=companion)
    [due] = services.due_periodic_measurements()
    assert due.since == today() - timedelta(days=100)
    measure(client, dijleland, 10, {"housing": 3}, by=companion)
    assert services.due_periodic_measurements() == []
    assert services.next_measurement_due(client) > today()
    assert services.due_periodic_measurements(on=today() + timedelta(days=100)) != []


def _post(browser, client, scores, **fields):
    data = {"measured_on": today().isoformat(), "kind": "periodic", **fields}
    data.update({f"score_{code}": value for code, value in scores.items()})
    return browser.post(f"/clients/{client.id}/measurements/new?instrument=dijleland", data=data)


def test_pages_record_and_show_progress(dijleland, person, companion, login):
    measure(person, dijleland, 60, {"housing": 1, "language": 2}, kind="intake", by=companion)
    db.session.commit()
    browser = login(companion)
    assert browser.get(f"/clients/{person.id}/measurements/new").status_code == 200
    response = _post(
        browser, person, {"housing": "3", "language": "2"}, note_housing="Sociale woning"
    )
    assert response.status_code == 302
    html = browser.get(response.location).get_data(as_text=True)
    row = html.split('<tr data-domain="housing">')[1].split("</tr>")[0]
    assert '<td>1</td><td>3</td><td class="change-up" data-change="2">+2</td>' in row
    line = json.loads(html.split('id="line-data">')[1].split("</script>")[0])
    assert line["datasets"][0] == {"label": "Taal", "data": [2, 2]}
    assert "Sociale woning" in html
    # The client page shows the change too.
    page = browser.get(f"/clients/{person.id}").get_data(as_text=True)
    assert 'data-testid="self-reliance"' in page and 'data-change="2"' in page


def test_a_score_outside_the_scale_gets_a_message_over_http(dijleland, person, companion, login):
    db.session.commit()
    response = _post(login(companion), person, {"housing": "7", "work": "2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Kies een niveau van 1 tot 5." in html
    assert 'checked class="btn-check" id="score_work-2"' in html  # what was chosen stays
    assert count(Measurement) == 0


def test_an_inactive_instrument_is_refused_over_http(dijleland, person, companion, login):
    dijleland.active = False
    db.session.commit()
    browser = login(companion)
    assert (
        browser.get(f"/clients/{person.id}/measurements/new?instrument=dijleland").status_code
        == 302
    )
    response = _post(browser, person, {"housing": "3"})
    assert response.status_code == 409
    assert "niet meer in gebruik" in response.get_data(as_text=True)
    assert count(Measurement) == 0


@pytest.fixture
def measured(dijleland, person, companion):
    return measure(person, dijleland, 20, {"housing": 2}, kind="intake", by=companion)


@pytest.mark.parametrize("who", ["other_companion", "unmatched_buddy", "matched_buddy", "admin"])
def test_measurement_pages_are_404_outside_the_team(measured, person, other_team, team, login, who):
    users = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "unmatched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "matched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "admin": lambda: factories.make_user("admin"),
    }
    user = users[who]()
    if who == "matched_buddy":
        factories.match(person, user)  # practical information only
    db.session.commit()
    browser = login(user)
    for url in (
        f"/clients/{person.id}/measurements",
        f"/clients/{person.id}/measurements/new",
        f"/clients/{person.id}/measurements/{measured.id}/edit",
    ):
        assert browser.get(url).status_code == 404, url
    assert _post(browser, person, {"housing": "3"}).status_code == 404
    assert count(Measurement) == 1


def test_a_measurement_of_another_client_is_404(measured, team, companion, login):
    other = factories.make_client(team, companion)
    db.session.commit()
    url = f"/clients/{other.id}/measurements/{measured.id}/edit"
    assert login(companion).get(url).status_code == 404
