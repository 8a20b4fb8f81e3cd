"""Activation: placements, the employer log, aftercare checks and who may see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.activation import services
from app.activation.models import AftercareCheck, EmployerEngagement, Placement
from app.audit.models import AuditEvent
from app.clients.phases import change_phase
from app.clients.vocab import ExitOutcome, Phase
from app.errors import DomainError
from app.extensions import db
from app.organisations.services import create_organisation
from app.timeutil import today
from tests import factories
from tests.conftest import count


@pytest.fixture
def employer(app):
    return create_organisation(
        name="Bakkerij Voorbeeld", type="employer", domains=["work"], municipalities=["haacht"],
        by=None,
    )  # fmt: skip


@pytest.fixture
def person(app, team, companion):
    return factories.make_client(team, companion, registered_on=today() - timedelta(days=300))


def walk(client, by, *phases, on):
    factories.make_consent(client, given_on=client.registered_on)
    for phase in phases:
        change_phase(client, phase, by=by, on=on, consent_valid=True)


def placement_values(employer, **change):
    return {
        "organisation": employer, "kind": "internship", "started_on": today(),
        "ended_on": today() + timedelta(days=30), "hours_per_week": 19, "outcome": "ongoing",
        "outcome_note": None, **change,
    }  # fmt: skip


def test_a_placement_is_stored_and_audited(person, companion, employer):
    placement = services.add_placement(person, by=companion, **placement_values(employer))
    assert (placement.kind.value, placement.hours_per_week) == ("internship", 19)
    assert count(AuditEvent, AuditEvent.action == "placement.created") == 1
    services.update_placement(
        placement, by=companion,
        **placement_values(employer, outcome="continued_in_job", outcome_note="Vast contract"),
    )  # fmt: skip
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "placement.updated"))
    assert event.details == {"fields": ["outcome", "outcome_note"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ended_on": today() - timedelta(days=1)}, "ended_on"),
        ({"hours_per_week": 61}, "hours_per_week"),
        ({"hours_per_week": -1}, "hours_per_week"),
        ({"kind": "holiday"}, "kind"),
        ({"organisation": None}, "organisation"),
    ],
)
def test_bad_placements_are_refused(person, companion, employer, change, field):
    with pytest.raises(DomainError) as refused:
        services.add_placement(person, by=companion, **placement_values(employer, **change))
    assert refused.value.field == field and count(Placement) == 0


def test_a_placement_ending_before_it_starts_over_http(person, companion, employer, login):
    db.session.commit()
    response = login(companion).post(
        f"/clients/{person.id}/placements/new",
        data={
            "organisation": str(employer.id), "kind": "ibo",
            "started_on": today().isoformat(),
            "ended_on": (today() - timedelta(days=3)).isoformat(), "hours_per_week": "20",
            "outcome": "ongoing",
        },
    )  # fmt: skip
    assert response.status_code == 422
    assert "Een plaatsing kan niet eindigen voor ze begint." in response.get_data(as_text=True)
    assert count(Placement) == 0


def test_activation_page_lists_placements_and_links_to_closing(person, companion, employer,
                                                               login):  # fmt: skip
    services.add_placement(person, by=companion, **placement_values(employer, kind="art60"))
    db.session.commit()
    browser = login(companion)
    html = browser.get(f"/clients/{person.id}/activation").get_data(as_text=True)
    assert "Bakkerij Voorbeeld" in html and "Art. 60" in html
    assert f'href="/clients/{person.id}/phase?to=closed"' in html
    assert 'data-testid="activation-section"' in browser.get(f"/clients/{person.id}").get_data(
        as_text=True
    )


def test_employer_log(team, companion, employer, login, other_team):
    db.session.commit()
    browser = login(companion)
    response = browser.post(
        "/activation/employers",
        data={
            "team": str(team.id), "organisation": str(employer.id),
            "occurred_on": today().isoformat(), "kind": "info_session",
            "participants": "Zaakvoerder en HR", "note": "Interesse in jobcarving",
        },
    )  # fmt: skip
    assert response.status_code == 302
    entry = db.session.scalar(sa.select(EmployerEngagement))
    assert (entry.kind.value, entry.recorded_by_id) == ("info_session", companion.id)
    assert "Zaakvoerder en HR" in browser.get("/activation/employers").get_data(as_text=True)
    outsider = login(factories.make_user("companion", teams=[other_team]))
    assert "Zaakvoerder en HR" not in outsider.get("/activation/employers").get_data(as_text=True)
    with pytest.raises(DomainError):
        services.log_engagement(
            team, organisation=employer, occurred_on=today() + timedelta(days=1),
            kind="visit", participants=None, note=None, by=companion,
        )  # fmt: skip
    for user in (factories.make_user("buddy", teams=[team]), factories.make_user("admin")):
        db.session.commit()
        assert login(user).get("/activation/employers").status_code == 404


def test_aftercare_checks_due_at_1_3_and_6_months(person, companion, team):
    start = today() - timedelta(days=100)
    walk(person, companion, Phase.ENGAGEMENT, Phase.TRAJECTORY, Phase.ACTIVATION,
         Phase.AFTERCARE, on=start)  # fmt: skip
    due = services.due_aftercare_checks()
    assert [(d.client_id, d.months, d.aftercare_started_on) for d in due] == [
        (person.id, 1, start),
        (person.id, 3, start),
    ]
    services.record_aftercare_check(
        person, months=1, checked_on=today(), situation="work", note="Werkt nog bij de bakker",
        by=companion,
    )  # fmt: skip
    assert [d.months for d in services.due_aftercare_checks()] == [3]
    assert [d.months for d in services.due_aftercare_checks(on=start + timedelta(days=200))] == [
        3, 6,
    ]  # fmt: skip
    with pytest.raises(DomainError) as twice:
        services.record_aftercare_check(
            person, months=1, checked_on=today(), situation="work", note=None, by=companion
        )
    assert twice.value.status == 409
    schedule = services.aftercare_schedule(person)
    assert [(s.months, s.check is not None) for s in schedule] == [(1, True), (3, False),
                                                                   (6, False)]  # fmt: skip


def test_no_checks_outside_aftercare(person, companion):
    assert services.due_aftercare_checks() == []
    with pytest.raises(DomainError) as refused:
        services.record_aftercare_check(
            person, months=1, checked_on=today(), situation="work", note=None, by=companion
        )
    assert refused.value.status == 409
    assert count(AftercareCheck) == 0


def test_aftercare_check_over_http(person, companion, login):
    walk(person, companion, Phase.ENGAGEMENT, Phase.TRAJECTORY, Phase.ACTIVATION,
         Phase.AFTERCARE, on=today() - timedelta(days=40))  # fmt: skip
    db.session.commit()
    browser = login(companion)
    page = browser.get(f"/clients/{person.id}/activation").get_data(as_text=True)
    assert 'data-months="1"' in page and "Controle vastleggen" in page
    response = browser.post(
        f"/clients/{person.id}/aftercare/1",
        data={"checked_on": today().isoformat(), "situation": "training", "note": ""},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(AftercareCheck.situation)).value == "training"
    assert browser.get(f"/clients/{person.id}/aftercare/2").status_code == 404


def test_closed_trajectory_takes_no_new_placement(person, companion, employer):
    change_phase(person, Phase.CLOSED, by=companion, exit_outcome=ExitOutcome.REGULAR_WORK,
                 consent_valid=False)  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.add_placement(person, by=companion, **placement_values(employer))
    assert refused.value.status == 409


@pytest.mark.parametrize("who", ["other_companion", "unmatched_buddy", "matched_buddy", "admin"])
def test_activation_pages_are_404_outside_the_team(person, companion, employer, other_team,
                                                   team, login, who):  # fmt: skip
    placement = services.add_placement(person, by=companion, **placement_values(employer))
    user = {
        "other_companion": lambda: factories.make_user("companion", teams=[other_team]),
        "unmatched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "matched_buddy": lambda: factories.make_user("buddy", teams=[team]),
        "admin": lambda: factories.make_user("admin"),
    }[who]()
    if who == "matched_buddy":
        factories.match(person, user)
    db.session.commit()
    browser = login(user)
    for url in (f"/clients/{person.id}/activation", f"/clients/{person.id}/placements/new",
                f"/clients/{person.id}/placements/{placement.id}",
                f"/clients/{person.id}/aftercare/1"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    response = browser.post(
        f"/clients/{person.id}/placements/{placement.id}",
        data={"organisation": str(employer.id), "kind": "job", "started_on": today().isoformat(),
              "outcome": "completed"},
    )  # fmt: skip
    assert response.status_code == 404 and placement.kind.value == "internship"
