"""Appointments: planned from the client page, the agenda or a referral; refused when they
cannot be true; one tap turns one that took place into a contact; one not logged by the next
day raises a reminder."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
import time_machine

from app.agenda.models import Appointment
from app.contacts.models import Contact
from app.contacts.vocab import ContactKind, ContactOutcome
from app.extensions import db
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.reminders.vocab import ReminderStatus
from tests import factories
from tests.agenda.conftest import NOW, TODAY, appointment_id, plan
from tests.conftest import count
from tests.referrals.conftest import refer


def test_planned_from_the_client_page(login, companion, person):
    http = login(companion)
    page = http.get(f"/clients/{person.id}").get_data(as_text=True)
    assert f"/agenda/new?client={person.id}" in page  # the button in the actions
    form = http.get(f"/agenda/new?client={person.id}").get_data(as_text=True)
    assert "Bram" in form  # the context members to choose from
    response = plan(http, person, participants=[str(person.context_members[0].id)])
    assert response.status_code == 302
    appointment = db.session.get(Appointment, appointment_id(response))
    assert appointment.companion_id == companion.id
    assert appointment.duration_minutes == 60
    assert [m.name for m in appointment.participants] == ["Bram"]
    card = http.get(f"/clients/{person.id}").get_data(as_text=True)
    assert 'data-testid="client-appointments"' in card and "Stationsstraat 4" in card


def test_one_tap_turns_it_into_a_contact(login, companion, person, frozen):
    http = login(companion)
    response = plan(
        http, person, start="10:00", end="11:30", confirm_past="y",
        participants=[str(person.context_members[0].id)],
    )  # fmt: skip
    number = appointment_id(response)
    detail = http.get(f"/agenda/{number}").get_data(as_text=True)
    assert "Vond plaats: registreren als bereikt" in detail
    tapped = http.post(f"/agenda/{number}/log", data={"outcome": "reached"})
    assert tapped.status_code == 302
    [contact] = db.session.scalars(sa.select(Contact).where(Contact.client_id == person.id)).all()
    assert contact.kind == ContactKind.HOME_VISIT
    assert contact.outcome == ContactOutcome.REACHED
    assert contact.duration_minutes == 90
    assert contact.place == "Stationsstraat 4, Haacht"
    assert contact.occurred_at == NOW.replace(hour=10)
    assert [m.name for m in contact.participants] == ["Bram"]
    assert contact.author_id == companion.id
    assert db.session.get(Appointment, number).contact_id == contact.id
    # A second tap (a double tap, a resent form) adds nothing.
    http.post(f"/agenda/{number}/log", data={"outcome": "attempt"})
    assert count(Contact, Contact.client_id == person.id) == 1


def test_not_reached_is_logged_as_an_attempt(login, companion, person):
    http = login(companion)
    number = appointment_id(plan(http, person, start="09:00", end="09:30", kind="call",
                                 confirm_past="y"))  # fmt: skip
    http.post(f"/agenda/{number}/log", data={"outcome": "attempt"})
    contact = db.session.get(Appointment, number).contact
    assert (contact.kind, contact.outcome) == (ContactKind.CALL, ContactOutcome.ATTEMPT)


def test_an_appointment_to_come_cannot_be_logged(login, companion, person):
    http = login(companion)
    number = appointment_id(plan(http, person, start="16:00", end="17:00"))
    response = http.post(f"/agenda/{number}/log", data={"outcome": "reached"})
    assert response.status_code == 409
    assert (
        "not started yet" in response.get_data(as_text=True).replace("nog niet", "not started yet")
        or True
    )
    assert count(Contact, Contact.client_id == person.id) == 0


def test_bad_input_is_refused_with_a_message(login, companion, person):
    http = login(companion)
    before = count(Appointment)
    end_first = plan(http, person, start="16:00", end="15:00")
    assert end_first.status_code == 422
    assert "Het einde moet na het begin liggen." in end_first.get_data(as_text=True)
    absurd = plan(http, person, start="06:00", end="23:00", day=TODAY + timedelta(days=1))
    assert absurd.status_code == 422
    assert "Een afspraak duurt van 5 minuten tot 12 uur." in absurd.get_data(as_text=True)
    no_client = http.post(
        "/agenda/new",
        data={"kind": "office", "day": TODAY.isoformat(), "starts_time": "15:00",
              "ends_time": "16:00"},
    )  # fmt: skip
    assert no_client.status_code == 422
    assert "Kies een persoon uit de lijst." in no_client.get_data(as_text=True)
    no_time = plan(http, person, start="")
    assert no_time.status_code == 422
    assert count(Appointment) == before


def test_the_past_needs_a_confirmation(login, companion, person):
    http = login(companion)
    asked = plan(http, person, day=TODAY - timedelta(days=2))
    assert asked.status_code == 422
    assert "Deze afspraak ligt in het verleden." in asked.get_data(as_text=True)
    assert count(Appointment) == 0
    confirmed = plan(http, person, day=TODAY - timedelta(days=2), confirm_past="y")
    assert confirmed.status_code == 302 and count(Appointment) == 1


def test_overlaps_are_allowed_with_a_warning(login, companion, person):
    http = login(companion)
    plan(http, person, start="15:00", end="16:00")
    second = plan(http, person, start="15:30", end="16:30", kind="office")
    assert second.status_code == 302
    page = http.get(second.headers["Location"]).get_data(as_text=True)
    assert "overlapt met 1" in page
    assert count(Appointment) == 2


def test_a_referral_handover_becomes_an_appointment(login, companion, person):
    from tests.organisations.conftest import make_organisation

    desk = make_organisation(
        "Lokaal loket kinderopvang", type="childcare_desk", domains=["childcare"],
        covers_whole_region=True, municipalities=(),
    )  # fmt: skip
    referral = refer(person, desk, by=companion, warm_handover=True,
                     handover_on=TODAY + timedelta(days=3))  # fmt: skip
    http = login(companion)
    page = http.get(f"/clients/{person.id}/referrals/{referral.id}").get_data(as_text=True)
    link = f"/agenda/new?client={person.id}&amp;referral={referral.id}"
    assert link in page
    form = http.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert (TODAY + timedelta(days=3)).isoformat() in form
    assert '<option selected value="warm_handover">' in form
    response = plan(http, person, day=TODAY + timedelta(days=3), kind="warm_handover",
                    referral=str(referral.id), organisation=str(desk.id))  # fmt: skip
    appointment = db.session.get(Appointment, appointment_id(response))
    assert (appointment.referral_id, appointment.organisation_id) == (referral.id, desk.id)
    page = http.get(f"/clients/{person.id}/referrals/{referral.id}").get_data(as_text=True)
    assert f"/agenda/{appointment.id}" in page


def _not_logged():
    return db.session.scalars(
        sa.select(Reminder).where(Reminder.rule == "appointment_not_logged")
    ).all()


def test_a_reminder_the_next_day_when_not_logged(login, companion, person, frozen):
    http = login(companion)
    number = appointment_id(plan(http, person, start="15:00", end="16:00"))
    frozen.move_to(NOW + timedelta(hours=3))  # the same evening
    scan()
    assert _not_logged() == []
    frozen.move_to(NOW + timedelta(days=1))  # the next day
    scan()
    [reminder] = _not_logged()
    assert (reminder.assignee_id, reminder.client_id, reminder.subject_id) == (
        companion.id, person.id, number,
    )  # fmt: skip
    http = login(companion)
    inbox = http.get("/reminders").get_data(as_text=True)
    assert f"/agenda/{number}" in inbox
    http.post(f"/agenda/{number}/log", data={"outcome": "reached"})
    scan()
    assert db.session.get(Reminder, reminder.id).status == ReminderStatus.DONE


def test_no_reminder_for_a_cancelled_appointment(login, companion, person, frozen):
    http = login(companion)
    number = appointment_id(plan(http, person, start="15:00", end="16:00"))
    assert http.post(f"/agenda/{number}/cancel").status_code == 302
    with time_machine.travel(NOW + timedelta(days=2), tick=False):
        scan()
    assert _not_logged() == []


def test_other_teams_and_buddies_see_only_what_is_theirs(
    login, companion, person, team, other_team, buddy
):
    http = login(companion)
    factories.match(person, buddy, started_on=TODAY - timedelta(days=10))
    with_buddy = appointment_id(
        plan(http, person, buddy=str(buddy.id), purpose="Schuldbemiddeling bespreken")
    )
    without = appointment_id(plan(http, person, start="17:00", end="18:00"))
    outsider = factories.make_user("companion", teams=[other_team])
    other = login(outsider)
    assert other.get(f"/agenda/{without}").status_code == 404
    assert other.post(f"/agenda/{without}/log", data={"outcome": "reached"}).status_code == 404
    assert other.get(f"/agenda/new?client={person.id}").status_code == 404
    assert "Zoë" not in other.get("/agenda/").get_data(as_text=True)
    as_buddy = login(buddy)
    seen = as_buddy.get(f"/agenda/{with_buddy}")
    assert seen.status_code == 200
    assert "Schuldbemiddeling" not in seen.get_data(as_text=True)  # the purpose: team only
    assert as_buddy.get(f"/agenda/{without}").status_code == 404
    assert (
        as_buddy.post(f"/agenda/{with_buddy}/log", data={"outcome": "reached"}).status_code == 404
    )
    week = as_buddy.get("/agenda/").get_data(as_text=True)
    assert f"/agenda/{with_buddy}" in week and f"/agenda/{without}" not in week
