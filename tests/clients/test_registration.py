"""Registering people met during outreach, completing the profile, duplicates, bad input."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.models import Client
from app.clients.vocab import Phase
from app.extensions import db
from app.reference import Challenge, Municipality
from app.timeutil import today
from tests import factories
from tests.conftest import count


def register(browser, team, **overrides):
    data = {
        "preferred_name": "Saled",
        "place_met": "food_bank",
        "municipality": "haacht",
        "registered_on": today().isoformat(),
        "team": str(team.id),
        "languages": ["ar", "fr"],
        **overrides,
    }
    return browser.post("/clients/new", data=data)


def test_outreach_registration_with_only_a_nickname(as_companion, companion, team):
    response = register(as_companion, team)
    assert response.status_code == 302
    client = db.session.scalar(sa.select(Client))
    assert client.code == f"DL-{today().year}-0001"
    assert client.phase == Phase.OUTREACH and client.phase_since == today()
    assert client.primary_companion_id == companion.id
    assert client.languages == ["ar", "fr"]
    assert client.municipality == Municipality.HAACHT
    page = as_companion.get(response.location).get_data(as_text=True)
    assert "Saled" in page and client.code in page and "Voedselbank" in page
    actions = db.session.scalars(
        sa.select(AuditEvent.action)
        .where(AuditEvent.client_id == client.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["client.created", "client.viewed"]


def test_codes_follow_each_other_and_use_the_prefix(app):
    """The prefix is the partnership's (app/partnerships), each prefix counting on its own."""
    partnership = factories.make_partnership("Testgewest", "TG")
    team = factories.make_team("Team TG", partnership=partnership)
    companion = factories.make_user("companion", teams=[team])
    codes = [factories.make_client(team, companion).code for _ in range(3)]
    year = today().year
    assert codes == [f"TG-{year}-0001", f"TG-{year}-0002", f"TG-{year}-0003"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"registered_on": (today() + timedelta(days=1)).isoformat()}, "niet in de toekomst"),
        ({"municipality": "brussel"}, "Ongeldige keuze"),
        ({"preferred_name": "x" * 81}, "niet langer zijn dan 80"),
        ({"preferred_name": "   "}, "Dit veld is verplicht."),
        ({"place_met": "moon"}, "Ongeldige keuze"),
        ({"languages": ["xx"]}, "ongeldige keuze voor dit veld"),
        ({"registered_on": "31-02-2026"}, "Ongeldige datum"),
    ],
)
def test_bad_registrations_are_refused(as_companion, team, overrides, message):
    response = register(as_companion, team, **overrides)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert count(Client) == 0


def test_registration_for_a_forged_team_is_refused(as_companion, other_team):
    response = register(as_companion, other_team)
    assert response.status_code == 422
    assert count(Client) == 0


def test_what_was_typed_stays_in_the_form(as_companion, team):
    response = register(as_companion, team, municipality="brussel", place_met_detail="bij de kerk")
    assert 'value="bij de kerk"' in response.get_data(as_text=True)


def test_buddies_and_admins_cannot_register(login, team):
    for role in ("buddy", "admin"):
        user = factories.make_user(role, teams=[team])
        assert login(user).get("/clients/new").status_code == 404


def test_likely_duplicate_is_shown_first(as_companion, companion, team):
    existing = factories.make_client(team, companion, preferred_name="Salèd", municipality="haacht")
    db.session.commit()
    response = register(as_companion, team, preferred_name="saled")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert existing.code in html and "iemand die je al kent" in html
    assert count(Client) == 1
    # Registering again confirms it is someone else.
    response = register(as_companion, team, preferred_name="saled", confirm_new="1")
    assert response.status_code == 302
    assert count(Client) == 2


def test_duplicates_by_legal_name_and_birth_year(app, companion, team):
    from app.clients.duplicates import find_duplicates

    existing = factories.make_client(
        team, companion, legal_first_name="Nora", legal_last_name="Peeters", birth_year=1990
    )
    found = find_duplicates(
        companion, legal_first_name="nora", legal_last_name="PEETERS", birth_year=1990
    )
    assert [c.client for c in found.in_team] == [existing]
    assert not find_duplicates(
        companion, legal_first_name="Nora", legal_last_name="Peeters", birth_year=1991
    )


def test_profile_completion(as_companion, companion, team):
    client = factories.make_client(team, companion)
    db.session.commit()
    data = {
        "preferred_name": "Nora",
        "legal_first_name": "Nora",
        "legal_last_name": "Janssens",
        "gender": "female",
        "birth_year": "1991",
        "municipality": "tremelo",
        "place_met": "school_gate",
        "referrer": "family_hub",
        "challenges": ["single_parent_transport", "mental_health_addiction"],
        "languages": ["nl"],
        "dutch_level": "native",
        "housing": "social_rental",
        "single_parent": "y",
        "children_count": "2",
        "driving_licence": "0",
        "can_cycle": "1",
        "labour_status_at_entry": "not_active",
        "income_source_at_entry": "social_integration_income",
        "education_band": "lower_secondary",
        "contact_channel": "text_message",
        "contact_note": "WhatsApp na 17 uur",
    }
    response = as_companion.post(f"/clients/{client.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.legal_name == "Nora Janssens" and client.birth_year == 1991
    assert client.challenges == [
        Challenge.SINGLE_PARENT_TRANSPORT,
        Challenge.MENTAL_HEALTH_ADDICTION,
    ]
    assert client.single_parent and client.children_count == 2
    assert client.driving_licence is False and client.can_cycle is True
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "client.updated"))
    assert "legal_last_name" in event.details["fields"]
    assert "Janssens" not in str(event.details)  # names of fields, never their values


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"birth_date": (today() + timedelta(days=3)).isoformat()}, "niet in de toekomst"),
        ({"birth_year": "1700"}, "Geef een geboortejaar tussen"),
        ({"birth_year": "1990", "birth_date": "1991-05-01"}, "komen niet overeen"),
        ({"municipality": "atlantis"}, "Ongeldige keuze"),
        ({"children_count": "-1"}, "tussen 0 en 20"),
        ({"contact_note": "x" * 201}, "niet langer zijn dan 200"),
    ],
)
def test_bad_profile_input_changes_nothing(as_companion, companion, team, overrides, message):
    client = factories.make_client(team, companion, preferred_name="Roy")
    db.session.commit()
    data = {
        "preferred_name": "Roy",
        "gender": "male",
        "municipality": "herent",
        "place_met": "street",
        "referrer": "own_outreach",
        "dutch_level": "good",
        "housing": "street",
        "labour_status_at_entry": "unknown",
        "income_source_at_entry": "unknown",
        "education_band": "unknown",
        "contact_channel": "unknown",
        **overrides,
    }
    response = as_companion.post(f"/clients/{client.id}/edit", data=data)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert client.municipality == Municipality.HAACHT and client.birth_year is None


def test_four_challenges_are_refused(as_companion, companion, team):
    client = factories.make_client(team, companion)
    db.session.commit()
    data = {
        "preferred_name": "X", "gender": "unknown", "municipality": "haacht",
        "place_met": "street", "referrer": "own_outreach", "dutch_level": "unknown",
        "housing": "unknown", "labour_status_at_entry": "unknown",
        "income_source_at_entry": "unknown", "education_band": "unknown",
        "contact_channel": "unknown",
        "challenges": [
            "housing_newcomers", "single_parent_transport", "mental_health_addiction", "x"
        ],
    }  # fmt: skip
    response = as_companion.post(f"/clients/{client.id}/edit", data=data)
    assert response.status_code == 422


@pytest.mark.slow
def test_codes_are_unique_under_concurrent_registration(fresh_app):
    app = fresh_app()
    with app.app_context():
        team = factories.make_team("Concurrent")
        users = [factories.make_user("companion", teams=[team]) for _ in range(8)]
        db.session.commit()
        team_id = team.id
        usernames = [u.username for u in users]

    errors, barrier = [], threading.Barrier(len(usernames))

    def worker(username):
        try:
            browser = app.test_client()
            assert sign_in_committed(browser, username).status_code == 302
            barrier.wait()
            for _ in range(5):
                response = browser.post(
                    "/clients/new",
                    data={
                        "preferred_name": f"p-{username}",
                        "place_met": "street",
                        "municipality": "herent",
                        "registered_on": today().isoformat(),
                        "team": str(team_id),
                        "confirm_new": "1",
                    },
                )
                assert response.status_code == 302, response.status_code
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(name,)) for name in usernames]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        codes = db.session.scalars(sa.select(Client.code)).all()
        assert len(codes) == 40 == len(set(codes))
        numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
        assert numbers == list(range(1, 41))


def sign_in_committed(browser, username):
    return browser.post("/login", data={"username": username, "password": factories.PASSWORD})
