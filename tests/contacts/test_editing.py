"""The edit window: the author edits for a week, later changes are corrections with history;
removal is a soft delete by the author or a lead, with a reason."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.contacts.models import Contact, ContactRevision, Note, NoteRevision
from app.contacts.outreach import health_of
from app.contacts.vocab import NoteLevel
from app.database import utcnow
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.support.forms import form_values


@pytest.fixture
def person(team, companion):
    client = factories.make_client(team, companion, registered_on=today() - timedelta(days=60))
    db.session.commit()
    return client


@pytest.fixture
def contact(person, companion):
    contact = factories.make_contact(
        person, companion, kind="call", days_ago=2, notes={"team": "Belde over de huur."}
    )
    db.session.commit()
    return contact


def age(contact: Contact, days: int) -> None:
    """Pretend the contact was recorded ``days`` ago."""
    contact.created_at = utcnow() - timedelta(days=days)
    for note in contact.notes:
        note.created_at = contact.created_at
    db.session.commit()


def edit(browser, contact, **changes):
    url = f"/clients/{contact.client_id}/contacts/{contact.id}/edit"
    page = browser.get(url)
    assert page.status_code == 200, page.status_code
    data = form_values(page.get_data(as_text=True))
    data.update(changes)
    return browser.post(url, data=data)


def test_author_edits_freely_within_the_window(as_companion, contact):
    response = edit(as_companion, contact, place="Telefoon", team_note="Belde over de huur, ok.")
    assert response.status_code == 302
    assert contact.place == "Telefoon"
    assert contact.notes[0].body == "Belde over de huur, ok."
    assert count(ContactRevision) == 0 and count(NoteRevision) == 0
    assert count(AuditEvent, AuditEvent.action == "contact.updated") == 1


def test_after_the_window_a_change_is_a_correction_with_history(as_companion, contact):
    age(contact, 8)
    page = as_companion.get(f"/clients/{contact.client_id}/contacts/{contact.id}/edit")
    assert "wijzigingstermijn is voorbij" in page.get_data(as_text=True)
    refused = edit(as_companion, contact, kind="home_visit")
    assert refused.status_code == 422
    assert "Zeg waarom je dit corrigeert." in refused.get_data(as_text=True)
    assert contact.kind.value == "call"
    response = edit(
        as_companion,
        contact,
        kind="home_visit",
        team_note="Huisbezoek, niet gebeld.",
        reason="Verkeerd soort contact gekozen",
    )
    assert response.status_code == 302
    assert contact.kind.value == "home_visit"
    (revision,) = contact.revisions
    assert revision.snapshot["kind"] == "call" and revision.reason.startswith("Verkeerd")
    (note_revision,) = contact.notes[0].revisions
    assert note_revision.body == "Belde over de huur."
    assert count(AuditEvent, AuditEvent.action == "contact.corrected") == 1
    shown = as_companion.get(f"/clients/{contact.client_id}/contacts/{contact.id}")
    html = shown.get_data(as_text=True)
    assert "Correcties" in html and "Verkeerd soort contact gekozen" in html
    assert "Belde over de huur." in html  # the previous version of the team note


def test_the_window_is_configurable(app, as_companion, contact):
    age(contact, 2)
    app.config["CONTACT_EDIT_DAYS"] = 1
    try:
        assert edit(as_companion, contact, place="Ergens").status_code == 422
    finally:
        app.config["CONTACT_EDIT_DAYS"] = 7


def test_a_lead_corrects_at_any_time_others_cannot(login, lead, team, contact):
    response = edit(login(lead), contact, place="Sociaal Huis", reason="Plaats aangevuld")
    assert response.status_code == 302 and len(contact.revisions) == 1
    colleague = factories.make_user("companion", teams=[team])
    browser = login(colleague)
    url = f"/clients/{contact.client_id}/contacts/{contact.id}/edit"
    assert browser.get(url).status_code == 403
    assert browser.post(url, data={"place": "x"}).status_code == 403
    assert contact.place == "Sociaal Huis"


def test_a_correction_can_move_a_note_to_the_sensitive_level(as_companion, person, companion):
    note = factories.make_note(person, companion, "team", "Hervalt in drankgebruik.")
    note.created_at = utcnow() - timedelta(days=10)
    db.session.commit()
    url = f"/clients/{person.id}/notes/{note.id}/edit"
    data = form_values(as_companion.get(url).get_data(as_text=True))
    data.update(level="sensitive", reason="Gezondheid hoort in een gevoelige notitie")
    assert as_companion.post(url, data=data).status_code == 302
    assert note.level == NoteLevel.SENSITIVE
    assert note.revisions[0].level == NoteLevel.TEAM
    # The earlier version now reads under the sensitive rule: a colleague does not see it.
    colleague = factories.make_user("companion", teams=[person.team])
    db.session.commit()
    from tests.conftest import sign_in

    other = as_companion.application.test_client()
    sign_in(other, colleague)
    assert "drankgebruik" not in other.get(f"/clients/{person.id}/notes").get_data(as_text=True)


def test_author_removes_with_a_reason_and_it_drops_out(as_companion, person, companion, contact):
    factories.make_contact(person, companion, outcome="attempt", days_ago=1)
    db.session.commit()
    url = f"/clients/{person.id}/contacts/{contact.id}/delete"
    refused = as_companion.post(url, data={"remove-reason": " "})
    assert refused.status_code == 422 and contact.deleted_at is None
    response = as_companion.post(url, data={"remove-reason": "Dubbel ingegeven"})
    assert response.status_code == 302
    assert contact.deleted_at is not None and contact.deletion_reason == "Dubbel ingegeven"
    assert all(n.deleted_at is not None for n in contact.notes)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "contact.deleted"))
    assert event.user_id == companion.id
    # Gone from the page, the notes, the timeline and the counts.
    assert as_companion.get(f"/clients/{person.id}/contacts/{contact.id}").status_code == 404
    client_page = as_companion.get(f"/clients/{person.id}").get_data(as_text=True)
    assert "Belde over de huur." not in client_page
    timeline = as_companion.get(f"/clients/{person.id}/timeline").get_data(as_text=True)
    assert f"/contacts/{contact.id}" not in timeline
    assert health_of(person).never_reached and health_of(person).failed_attempts == 1
    assert count(Contact) == 2 and count(Note) == 1  # soft: nothing is really deleted


def test_only_author_or_lead_removes(login, lead, team, contact):
    colleague = factories.make_user("companion", teams=[team])
    url = f"/clients/{contact.client_id}/contacts/{contact.id}/delete"
    assert login(colleague).post(url, data={"remove-reason": "weg"}).status_code == 403
    assert contact.deleted_at is None
    assert login(lead).post(url, data={"remove-reason": "Foute persoon"}).status_code == 302
    assert contact.deleted_by_id == lead.id


def test_standalone_note_removal(as_companion, person, companion):
    note = factories.make_note(person, companion, "practical", "Komt liefst 's middags.")
    db.session.commit()
    url = f"/clients/{person.id}/notes/{note.id}/delete"
    assert as_companion.post(url, data={}).status_code == 422
    assert as_companion.post(url, data={"remove-reason": "Klopt niet meer"}).status_code == 302
    assert note.deleted_at is not None
    assert "Komt liefst" not in as_companion.get(f"/clients/{person.id}/notes").get_data(True)


def test_merging_records_moves_contacts_notes_and_check_ins(lead, team, companion, buddy):
    from app.checkins.models import CheckIn
    from app.clients.merge import merge_clients
    from app.contacts.outreach import health_of

    survivor = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    twin = factories.make_client(team, companion, registered_on=today() - timedelta(days=30))
    factories.match(twin, buddy, started_on=today() - timedelta(days=10))
    factories.make_contact(twin, companion, days_ago=3, notes={"team": "Bij de tweeling"})
    factories.make_checkin(twin, buddy, days_ago=1)
    merge_clients(survivor, twin, by=lead)
    assert count(Contact, Contact.client_id == survivor.id) == 1
    assert count(Note, Note.client_id == survivor.id) == 1
    assert count(CheckIn, CheckIn.client_id == survivor.id) == 1
    assert health_of(survivor).days == 3


def test_changing_domains_and_people_keeps_what_stays(as_companion, person, companion):
    from app.clients.services import add_context_member

    mila = add_context_member(person, name="Mila", relationship_kind="child", birth_year=None,
                              note=None, by=companion)  # fmt: skip
    contact = factories.make_contact(person, companion, domains=["housing", "work"],
                                     participant_ids=[mila.id])  # fmt: skip
    db.session.commit()
    response = edit(as_companion, contact, domains=["housing", "language"], participants=[])
    assert response.status_code == 302
    assert [d.value for d in contact.domains] == ["language", "housing"]
    assert contact.participants == []
