"""The duplicate warning at registration and when completing the profile: what matched is
shown for the team's own clients, other teams only as a nameless count, and "this is
someone else" is remembered per pair."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.clients.models import Client, DistinctPerson
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count


def register(browser, team, **overrides):
    data = {
        "preferred_name": "Aminah",
        "place_met": "food_bank",
        "municipality": "haacht",
        "registered_on": today().isoformat(),
        "team": str(team.id),
        **overrides,
    }
    return browser.post("/clients/new", data=data)


def profile(client, **overrides):
    data = {
        "preferred_name": client.preferred_name,
        "gender": "unknown",
        "municipality": client.municipality.value,
        "place_met": client.place_met.value,
        "referrer": "own_outreach",
        "dutch_level": "unknown",
        "housing": "unknown",
        "labour_status_at_entry": "unknown",
        "income_source_at_entry": "unknown",
        "education_band": "unknown",
        "contact_channel": "unknown",
        **overrides,
    }
    return data


def test_aminah_next_to_amina_is_a_warning_with_what_matched(as_companion, companion, team):
    amina = factories.make_client(team, companion, preferred_name="Amina", birth_year=1990)
    factories.make_note(amina, companion, level="team", body="TEAMTEKST-amina")
    factories.make_note(amina, companion, level="sensitive", body="GEVOELIG-amina")
    db.session.commit()
    response = register(as_companion, team)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "iemand die je al kent" in html and amina.code in html
    assert "1 letter anders" in html and "zelfde gemeente" in html
    assert "Dit is iemand anders" in html
    assert "TEAMTEKST" not in html and "GEVOELIG" not in html  # names, never notes
    assert count(Client) == 1


def test_someone_else_is_remembered_for_the_pair(as_companion, companion, team):
    amina = factories.make_client(team, companion, preferred_name="Amina")
    db.session.commit()
    assert register(as_companion, team).status_code == 409
    response = register(as_companion, team, confirm_new="1")
    assert response.status_code == 302
    aminah = db.session.scalar(sa.select(Client).where(Client.preferred_name == "Aminah"))
    pair = db.session.scalar(sa.select(DistinctPerson))
    assert (pair.client_id, pair.other_id) == (amina.id, aminah.id)
    assert pair.confirmed_by_id == companion.id
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "client.distinct_confirmed")
    )
    assert event.client_id == aminah.id and event.details == {"pairs": 1}
    # Completing Aminah's profile later does not bring Amina back.
    response = as_companion.post(
        f"/clients/{aminah.id}/edit", data=profile(aminah, legal_first_name="Aminah")
    )
    assert response.status_code == 302
    # A third look-alike is still warned about (the confirmation was for that pair only).
    factories.make_client(team, companion, preferred_name="Amiena")
    db.session.commit()
    response = as_companion.post(
        f"/clients/{aminah.id}/edit", data=profile(aminah, legal_first_name="Amina")
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Amiena" in html and f">{amina.preferred_name} " not in html


def test_swapped_first_and_last_name_at_profile_completion(as_companion, companion, team):
    existing = factories.make_client(
        team, companion, preferred_name="Tesfay", legal_first_name="Tesfay",
        legal_last_name="Haile", birth_year=1988,
    )  # fmt: skip
    other = factories.make_client(team, companion, preferred_name="Haile")
    db.session.commit()
    data = profile(other, legal_first_name="Haile", legal_last_name="Tesfay", birth_year="1988")
    response = as_companion.post(f"/clients/{other.id}/edit", data=data)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert existing.code in html
    assert "voor- en achternaam omgewisseld" in html and "zelfde geboortejaar" in html
    db.session.expire_all()
    assert db.session.get(Client, other.id).legal_first_name is None  # nothing saved yet
    # "Dit is iemand anders": saved, and remembered.
    response = as_companion.post(
        f"/clients/{other.id}/edit", data={**data, "confirm_distinct": "1"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Client, other.id).legal_last_name == "Tesfay"
    assert count(DistinctPerson) == 1


def test_other_teams_only_as_a_nameless_count(as_companion, companion, team, other_team):
    theirs = factories.make_client(
        other_team, None, preferred_name="Amina", legal_first_name="Amina",
        legal_last_name="El Idrissi", description="draagt altijd een groene sjaal",
    )  # fmt: skip
    factories.make_note(theirs, factories.make_user("companion", teams=[other_team]),
                        level="sensitive", body="GEHEIM-NOTITIE")  # fmt: skip
    db.session.commit()
    response = register(as_companion, team)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "lijkt op 1 persoon in een ander team: vraag je teamcoach" in html
    for secret in (
        theirs.code,
        "El Idrissi",
        "Idrissi",
        "groene sjaal",
        "GEHEIM",
        f"/clients/{theirs.id}",
    ):
        assert secret not in html
    assert 'data-testid="duplicate-reason"' not in html  # no names listed at all
    # Going on is remembered for that pair too, without showing it.
    assert register(as_companion, team, confirm_new="1").status_code == 302
    assert count(DistinctPerson) == 1


def test_no_warning_for_someone_clearly_different(as_companion, companion, team):
    factories.make_client(team, companion, preferred_name="Kevin")
    db.session.commit()
    assert register(as_companion, team, preferred_name="Fatima").status_code == 302


def test_editing_other_fields_does_not_warn(as_companion, companion, team):
    factories.make_client(team, companion, preferred_name="Amina")
    aminah = factories.make_client(team, companion, preferred_name="Aminah")
    db.session.commit()
    data = profile(aminah, contact_note="Bellen na 17 uur")
    assert as_companion.post(f"/clients/{aminah.id}/edit", data=data).status_code == 302


def test_a_merge_after_someone_else_was_confirmed_still_works(as_companion, companion, team, lead):
    from app.clients.matching import find_clients
    from app.clients.merge import merge_clients

    amina = factories.make_client(team, companion, preferred_name="Amina")
    db.session.commit()
    assert register(as_companion, team, confirm_new="1").status_code == 302
    aminah = db.session.scalar(sa.select(Client).where(Client.preferred_name == "Aminah"))
    assert count(DistinctPerson) == 1
    merge_clients(amina, aminah, by=lead)  # it was the same person after all
    db.session.flush()
    # The survivor is found by the merged record's name too; the merged one no longer.
    assert [f.client_id for f in find_clients(companion, "Aminah")] == [amina.id]
