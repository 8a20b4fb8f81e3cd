"""Logging a contact in the field: the quick form, its defaults, exactly once, bad input."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.contacts.models import Contact, Note
from app.contacts.vocab import ContactOutcome, NoteLevel
from app.extensions import db
from app.idempotency import SubmissionKey
from app.timeutil import local_now, today
from tests import factories
from tests.conftest import count
from tests.support.forms import form_values


@pytest.fixture
def person(team, companion):
    client = factories.make_client(
        team, companion, preferred_name="Saled", registered_on=today() - timedelta(days=60)
    )
    db.session.commit()
    return client


def form_data(**overrides) -> dict:
    data = {
        "form_id": str(uuid.uuid4()),
        "outcome": "reached",
        "kind": "home_visit",
        "occurred_on": today().isoformat(),
        "occurred_time": "09:30",
        "place": "Thuis, Haacht",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def form_id_in(html: str) -> str:
    return re.search(r'name="form_id" type="hidden" value="([^"]+)"', html).group(1)


def test_reached_contact_with_everything(as_companion, person, companion):
    from app.clients.services import add_context_member

    partner = add_context_member(
        person, name="Amal", relationship_kind="partner", birth_year=None, note=None, by=companion
    )
    db.session.commit()
    follow_up = today() + timedelta(days=5)
    response = as_companion.post(
        f"/clients/{person.id}/contacts/new",
        data=form_data(
            domains=["housing", "income_admin"],
            team_note="Brief van de woonmaatschappij samen gelezen.",
            sensitive_note="Vertelt over een oude veroordeling.",
            practical_note="Neemt graag de bus van 10u.",
            participants=[str(partner.id)],
            others_present="maatschappelijk werker OCMW",
            duration_minutes="45",
            next_step="Samen naar het OCMW",
            follow_up_on=follow_up.isoformat(),
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clients/{person.id}")
    contact = db.session.scalar(db.select(Contact))
    assert contact.reached and contact.kind.value == "home_visit"
    assert contact.author_id == companion.id and contact.duration_minutes == 45
    assert contact.occurred_on == today() and contact.follow_up_on == follow_up
    assert [d.value for d in contact.domains] == ["housing", "income_admin"]
    assert [m.name for m in contact.participants] == ["Amal"]
    levels = {n.level: n.body for n in contact.notes}
    assert levels[NoteLevel.SENSITIVE] == "Vertelt over een oude veroordeling."
    assert set(levels) == set(NoteLevel)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "contact.logged"))
    assert event.client_id == person.id
    # The audit trail names the notes, never their text.
    for event in db.session.scalars(db.select(AuditEvent)):
        assert "veroordeling" not in str(event.details)


def test_attempt_is_one_tap_plus_save(as_companion, person):
    """The form opens with everything filled in: choosing 'attempt' and saving is enough."""
    html = as_companion.get(f"/clients/{person.id}/contacts/new").get_data(as_text=True)
    data = form_values(html)
    data["outcome"] = "attempt"  # the one tap
    response = as_companion.post(f"/clients/{person.id}/contacts/new", data=data)
    assert response.status_code == 302
    contact = db.session.scalar(db.select(Contact))
    assert contact.outcome == ContactOutcome.ATTEMPT and contact.occurred_on == today()
    assert "Poging opgeslagen." in as_companion.get(f"/clients/{person.id}").get_data(as_text=True)


def test_form_defaults_now_and_the_last_place_and_kind(as_companion, person, companion):
    factories.make_contact(person, companion, kind="office", place="Sociaal Huis", days_ago=3)
    factories.make_contact(person, companion, kind="call", days_ago=1)  # no place on a call
    db.session.commit()
    html = as_companion.get(f"/clients/{person.id}/contacts/new").get_data(as_text=True)
    assert uuid.UUID(form_id_in(html))
    assert f'value="{today().isoformat()}"' in html
    assert 'value="Sociaal Huis"' in html  # the last place
    assert re.search(r'<input checked[^>]*value="call"', html)  # the last kind
    assert re.search(r'<input checked[^>]*value="reached"', html)
    prefilled = as_companion.get(f"/clients/{person.id}/contacts/new?outcome=attempt")
    assert re.search(r'<input checked[^>]*value="attempt"', prefilled.get_data(as_text=True))


def test_each_form_gets_its_own_id(as_companion, person):
    first = form_id_in(as_companion.get(f"/clients/{person.id}/contacts/new").get_data(True))
    second = form_id_in(as_companion.get(f"/clients/{person.id}/contacts/new").get_data(True))
    assert first != second


def test_resubmission_stores_one_contact_and_answers_as_success(as_companion, person):
    data = form_data(team_note="Eerste koffie.")
    first = as_companion.post(f"/clients/{person.id}/contacts/new", data=data)
    again = as_companion.post(f"/clients/{person.id}/contacts/new?next=/caseload", data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"].endswith("/caseload")
    assert count(Contact) == 1 and count(Note) == 1 and count(SubmissionKey) == 1
    assert count(AuditEvent, AuditEvent.action == "contact.logged") == 1
    # A new form is a new contact.
    as_companion.post(f"/clients/{person.id}/contacts/new", data=form_data())
    assert count(Contact) == 2


def test_someone_elses_form_id_is_refused(login, person, team, companion):
    data = form_data()
    assert login(companion).post(f"/clients/{person.id}/contacts/new", data=data).status_code == 302
    colleague = factories.make_user("companion", teams=[team])
    response = login(colleague).post(f"/clients/{person.id}/contacts/new", data=data)
    assert response.status_code == 422
    assert count(Contact) == 1
    html = response.get_data(as_text=True)
    assert form_id_in(html) != data["form_id"]  # a fresh id: saving again works
    assert 'value="Thuis, Haacht"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": "tomorrow"}, "occurred_on", "Ongeldige datum"),
        ({"occurred_on": "day+1"}, "occurred_on", "kan niet in de toekomst"),
        ({"occurred_on": "day-400"}, "occurred_on", "een contact kan niet vroeger"),
        ({"duration_minutes": "-5"}, "duration_minutes", "tussen 0 en 720 minuten"),
        ({"duration_minutes": "9999"}, "duration_minutes", "tussen 0 en 720 minuten"),
        ({"duration_minutes": "lang"}, "duration_minutes", "Ongeldig getal"),
        ({"follow_up_on": "day-1"}, "follow_up_on", "kan niet in het verleden"),
        ({"kind": "séance"}, "kind", "ongeldige keuze"),
        ({"outcome": "maybe"}, "outcome", "ongeldige keuze"),
        ({"participants": ["999999"]}, "participants", "ongeldige keuze"),
        ({"form_id": None}, None, "kon niet veilig verstuurd worden"),
        ({"form_id": "short"}, None, "kon niet veilig verstuurd worden"),
    ],
)
def test_bad_input_is_refused_and_the_typed_text_stays(
    as_companion, person, overrides, field, message
):
    for key, value in list(overrides.items()):
        if isinstance(value, str) and value.startswith("day"):
            overrides[key] = (today() + timedelta(days=int(value[3:]))).isoformat()
    data = form_data(team_note="Wat ik typte, blijft staan.", **overrides)
    response = as_companion.post(f"/clients/{person.id}/contacts/new", data=data)
    assert 400 <= response.status_code < 500
    html = response.get_data(as_text=True)
    assert message.lower() in html.lower()
    assert "Wat ik typte, blijft staan." in html
    if field:
        assert f'data-field="{field}"' in html and "is-invalid" in html
    assert count(Contact) == 0 and count(SubmissionKey) == 0


def test_a_contact_later_today_is_fine(as_companion, person):
    late = (local_now() + timedelta(minutes=5)).strftime("%H:%M")
    if late < local_now().strftime("%H:%M"):  # it is just before midnight: skip the check
        pytest.skip("too close to midnight")
    response = as_companion.post(
        f"/clients/{person.id}/contacts/new", data=form_data(occurred_time=late)
    )
    assert response.status_code == 302


def test_closed_client_refuses_with_409_and_keeps_the_form(as_companion, person, companion):
    from app.clients.phases import change_phase
    from app.clients.vocab import ExitOutcome, Phase

    change_phase(
        person, Phase.CLOSED, by=companion, exit_outcome=ExitOutcome.MOVED_AWAY, consent_valid=True
    )
    db.session.commit()
    response = as_companion.post(
        f"/clients/{person.id}/contacts/new", data=form_data(team_note="Verhuisd?")
    )
    assert response.status_code == 409
    assert "Verhuisd?" in response.get_data(as_text=True)
    assert count(Contact) == 0


def test_unknown_and_other_teams_clients_are_404(login, person, other_team):
    stranger = factories.make_user("companion", teams=[other_team])
    browser = login(stranger)
    assert browser.post(f"/clients/{person.id}/contacts/new", data=form_data()).status_code == 404
    assert browser.get(f"/clients/{person.id}/contacts/new").status_code == 404
    assert browser.post("/clients/999999/contacts/new", data=form_data()).status_code == 404
    assert count(Contact) == 0


def test_another_clients_context_member_is_refused(as_companion, person, companion, team):
    from app.clients.services import add_context_member

    other = factories.make_client(team, companion)
    stranger = add_context_member(
        other, name="Iemand", relationship_kind="friend", birth_year=None, note=None, by=companion
    )
    db.session.commit()
    response = as_companion.post(
        f"/clients/{person.id}/contacts/new", data=form_data(participants=[str(stranger.id)])
    )
    assert response.status_code == 422
    assert count(Contact) == 0


def test_the_client_page_offers_one_tap_logging(as_companion, person):
    html = as_companion.get(f"/clients/{person.id}").get_data(as_text=True)
    assert f'href="/clients/{person.id}/contacts/new"' in html
    caseload = as_companion.get("/caseload").get_data(as_text=True)
    assert f"/clients/{person.id}/contacts/new?next=" in caseload
    assert f"/clients/{person.id}/contacts/new?outcome=attempt" in caseload


def test_organisations_present_come_from_the_social_map(as_companion, person):
    from tests.organisations.conftest import make_organisation

    ocmw = make_organisation("OCMW Haacht")
    closed = make_organisation("Gesloten dienst", active=False)
    db.session.commit()
    page = as_companion.get(f"/clients/{person.id}/contacts/new").get_data(as_text=True)
    assert "OCMW Haacht" in page and "Gesloten dienst" not in page
    data = form_data(kind="accompaniment", organisations=[str(ocmw.id)])
    assert as_companion.post(f"/clients/{person.id}/contacts/new", data=data).status_code == 302
    contact = db.session.scalar(db.select(Contact))
    assert [o.name for o in contact.organisations] == ["OCMW Haacht"]
    shown = as_companion.get(f"/clients/{person.id}/contacts/{contact.id}").get_data(True)
    assert "OCMW Haacht" in shown
    assert "OCMW Haacht" in as_companion.get(f"/clients/{person.id}/timeline").get_data(True)
    forged = as_companion.post(
        f"/clients/{person.id}/contacts/new", data=form_data(organisations=[str(closed.id)])
    )
    assert forged.status_code == 422 and count(Contact) == 1
