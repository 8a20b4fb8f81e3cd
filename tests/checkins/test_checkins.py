"""Buddy check-ins: only by the matched buddy, exactly once, worries that reach the team at
once, the buddy's home with next meetings, practical notes and volunteer hours."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.audit.models import AuditEvent
from app.checkins.models import CheckIn
from app.checkins.services import open_worries
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.support.forms import form_values


@pytest.fixture
def person(team, companion, buddy):
    client = factories.make_client(
        team, companion, preferred_name="Nora", registered_on=today() - timedelta(days=30)
    )
    factories.match(client, buddy, started_on=today() - timedelta(days=14))
    db.session.commit()
    return client


def checkin_data(**overrides) -> dict:
    data = {
        "form_id": str(uuid.uuid4()),
        "occurred_on": today().isoformat(),
        "activity": "walk",
        "duration_minutes": "90",
        "rating": "4",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_buddy_logs_a_check_in(as_buddy, person, buddy):
    page = as_buddy.get(f"/clients/{person.id}/checkins/new")
    assert page.status_code == 200 and 'name="form_id"' in page.get_data(as_text=True)
    next_meeting = today() + timedelta(days=7)
    response = as_buddy.post(
        f"/clients/{person.id}/checkins/new",
        data=checkin_data(activity_note="Naar het park", next_meeting_on=next_meeting.isoformat()),
    )
    assert response.status_code == 302
    checkin = db.session.scalar(db.select(CheckIn))
    assert checkin.buddy_id == buddy.id and checkin.duration_minutes == 90
    assert checkin.rating == 4 and not checkin.worry and checkin.next_meeting_on == next_meeting
    assert checkin.match_id == person.buddy_matches[0].id
    home = as_buddy.get("/").get_data(as_text=True)
    assert "Check-in opgeslagen. Bedankt!" in home
    assert "Vrijwilligersuren in totaal: 1,5 u" in home
    assert "Naar het park" in home


def test_exactly_once(as_buddy, person):
    data = checkin_data()
    assert as_buddy.post(f"/clients/{person.id}/checkins/new", data=data).status_code == 302
    assert as_buddy.post(f"/clients/{person.id}/checkins/new", data=data).status_code == 302
    assert count(CheckIn) == 1


def test_a_worry_reaches_the_team_at_once_until_acknowledged(
    as_buddy, as_companion, as_lead, person, companion
):
    response = as_buddy.post(
        f"/clients/{person.id}/checkins/new",
        data=checkin_data(worry="y", worry_text="Ze slaapt in de auto.", rating="2"),
    )
    assert response.status_code == 302
    assert "De trajectgezel ziet je bezorgdheid nu." in as_buddy.get("/").get_data(as_text=True)
    assert [c.worry_text for c in db.session.scalars(open_worries(companion))] == [
        "Ze slaapt in de auto."
    ]
    client_page = as_companion.get(f"/clients/{person.id}").get_data(as_text=True)
    assert "Ze slaapt in de auto." in client_page and 'data-testid="worry"' in client_page
    assert 'data-testid="worry-flag"' in as_companion.get("/caseload").get_data(as_text=True)
    assert 'data-testid="worry-flag"' in as_lead.get("/clients").get_data(as_text=True)
    for home in (as_companion.get("/"), as_lead.get("/")):
        assert "Bezorgdheden van buddy's" in home.get_data(as_text=True)

    checkin = db.session.scalar(db.select(CheckIn))
    url = f"/clients/{person.id}/checkins/{checkin.id}/acknowledge"
    assert as_buddy.post(url).status_code == 404  # not the buddy's to acknowledge
    assert as_companion.post(url).status_code == 302
    assert as_companion.post(url).status_code == 302  # twice changes nothing
    assert checkin.worry_acknowledged_by_id == companion.id
    assert checkin.worry_acknowledged_at is not None
    assert count(AuditEvent, AuditEvent.action == "checkin.worry_acknowledged") == 1
    assert 'data-testid="worry-flag"' not in as_companion.get("/caseload").get_data(True)
    assert 'data-testid="worry"' not in as_companion.get(f"/clients/{person.id}").get_data(True)
    assert 'data-testid="open-worries"' not in as_companion.get("/").get_data(as_text=True)
    assert list(db.session.scalars(open_worries(companion))) == []
    assert "gezien door de trajectgezel" in as_buddy.get("/checkins").get_data(as_text=True)


def test_open_worries_are_scoped(person, buddy, companion, other_team):
    factories.make_checkin(person, buddy, worry_text="Zorg")
    outsider = factories.make_user("companion", teams=[other_team])
    assert len(list(db.session.scalars(open_worries(companion)))) == 1
    assert list(db.session.scalars(open_worries(outsider))) == []
    assert len(list(db.session.scalars(open_worries()))) == 1  # the reminder scan sees all


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on": "day+1"}, "occurred_on", "kan niet in de toekomst"),
        ({"occurred_on": "day-20"}, "occurred_on", "Je koppeling begon op"),
        ({"duration_minutes": "-30"}, "duration_minutes", "tussen 0 en 720 minuten"),
        ({"duration_minutes": "100000"}, "duration_minutes", "tussen 0 en 720 minuten"),
        ({"duration_minutes": None}, "duration_minutes", "Dit veld is verplicht"),
        ({"rating": "6"}, "rating", "Ongeldige keuze"),
        ({"activity": "party"}, "activity", "Ongeldige keuze"),
        ({"worry": "y", "worry_text": " "}, "worry_text", "Schrijf waarover je je zorgen maakt"),
        ({"next_meeting_on": "day-1"}, "next_meeting_on", "kan niet in het verleden"),
    ],
)
def test_bad_check_ins_are_refused_and_the_form_keeps_what_was_typed(
    as_buddy, person, overrides, field, message
):
    for key, value in list(overrides.items()):
        if isinstance(value, str) and value.startswith("day"):
            overrides[key] = (today() + timedelta(days=int(value[3:]))).isoformat()
    data = checkin_data(activity_note="Samen gekookt", **overrides)
    response = as_buddy.post(f"/clients/{person.id}/checkins/new", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message.lower() in html.lower() and f'data-field="{field}"' in html
    assert 'value="Samen gekookt"' in html
    assert count(CheckIn) == 0


@pytest.mark.parametrize("who", ["companion", "lead", "unmatched", "ended", "admin"])
def test_only_the_currently_matched_buddy_checks_in(login, person, team, companion, lead, who):
    users = {
        "companion": companion,
        "lead": lead,
        "unmatched": factories.make_user("buddy", teams=[team]),
        "admin": factories.make_user("admin"),
    }
    if who == "ended":
        users["ended"] = factories.make_user("buddy", teams=[team])
        factories.match(
            person, users["ended"], started_on=today() - timedelta(days=30),
            ended_on=today() - timedelta(days=1),
        )  # fmt: skip
    db.session.commit()
    browser = login(users[who])
    assert browser.get(f"/clients/{person.id}/checkins/new").status_code == 404
    response = browser.post(f"/clients/{person.id}/checkins/new", data=checkin_data())
    assert response.status_code == 404
    assert count(CheckIn) == 0


def test_no_check_ins_on_a_closed_trajectory(as_buddy, person, companion):
    from app.clients.phases import change_phase
    from app.clients.vocab import ExitOutcome, Phase

    change_phase(
        person, Phase.CLOSED, by=companion, exit_outcome=ExitOutcome.OTHER, consent_valid=True
    )
    db.session.commit()
    response = as_buddy.post(f"/clients/{person.id}/checkins/new", data=checkin_data())
    assert response.status_code == 409 and count(CheckIn) == 0


def test_buddy_home_lists_matches_with_what_a_volunteer_needs(
    as_buddy, person, buddy, companion, team
):
    person.contact_channel = "text_message"
    person.contact_note = "WhatsApp na 17u"
    person.languages = ["nl", "fr"]
    factories.make_note(person, companion, "practical", "Houdt niet van drukke plaatsen.")
    factories.make_note(person, companion, "team", "Schulden bij de energieleverancier.")
    factories.make_checkin(person, buddy, days_ago=3, minutes=120,
                           next_meeting_on=today() + timedelta(days=4))  # fmt: skip
    factories.make_checkin(person, buddy, days_ago=1, minutes=30)
    unmatched = factories.make_client(team, companion, preferred_name="Niet gekoppeld")
    db.session.commit()
    html = as_buddy.get("/").get_data(as_text=True)
    assert "Nora" in html and "WhatsApp na 17u" in html and "Frans" in html
    assert "Houdt niet van drukke plaatsen." in html
    assert "Schulden" not in html and unmatched.preferred_name not in html
    assert "Vrijwilligersuren in totaal: 2,5 u" in html
    assert "Volgende afspraak" in html
    assert f'href="/clients/{person.id}/checkins/new"' in html
    client_page = as_buddy.get(f"/clients/{person.id}").get_data(as_text=True)
    assert "Houdt niet van drukke plaatsen." in client_page and "Schulden" not in client_page
    assert "Check-in registreren" in client_page


def test_history_keeps_hours_but_hides_names_of_ended_matches(as_buddy, person, buddy):
    factories.make_checkin(person, buddy, minutes=60, days_ago=2)
    person.buddy_matches[0].ended_on = today() - timedelta(days=1)
    db.session.commit()
    html = as_buddy.get("/checkins").get_data(as_text=True)
    assert "Vrijwilligersuren in totaal: 1 u" in html
    assert "Nora" not in html and "een vroegere koppeling" in html


def test_check_ins_are_for_buddies_only(as_companion):
    assert as_companion.get("/checkins").status_code == 404


def test_a_worry_raises_a_high_priority_reminder_at_once(as_buddy, as_companion, person, companion):
    from app.reminders.engine import scan
    from app.reminders.models import Reminder
    from app.reminders.vocab import Priority, ReminderStatus

    as_buddy.post(
        f"/clients/{person.id}/checkins/new",
        data=checkin_data(worry="y", worry_text="Geen eten in huis."),
    )
    (reminder,) = db.session.scalars(db.select(Reminder)).all()
    assert reminder.rule == "buddy_worry" and reminder.priority == Priority.HIGH
    assert reminder.assignee_id == companion.id and reminder.client_id == person.id
    assert scan(rules=["buddy_worry"]).created == 0  # the scan finds it raised already
    inbox = as_companion.get("/reminders").get_data(as_text=True)
    assert "Een buddy maakt zich zorgen" in inbox
    checkin = db.session.scalar(db.select(CheckIn))
    as_companion.post(f"/clients/{person.id}/checkins/{checkin.id}/acknowledge")
    db.session.refresh(reminder)
    assert reminder.status == ReminderStatus.DONE and reminder.resolved_by_id == companion.id
    assert scan(rules=["buddy_worry"]).created == 0


def test_a_check_in_without_worry_raises_nothing(as_buddy, person):
    from app.reminders.models import Reminder

    as_buddy.post(f"/clients/{person.id}/checkins/new", data=checkin_data())
    assert count(Reminder) == 0


def test_a_refused_form_id_is_replaced_so_the_form_can_be_sent_again(as_buddy, person):
    response = as_buddy.post(
        f"/clients/{person.id}/checkins/new", data=checkin_data(form_id="short")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Dit formulier kon niet veilig verstuurd worden." in html
    fresh = form_values(html)["form_id"]
    assert fresh != "short" and uuid.UUID(fresh)
    assert count(CheckIn) == 0
    again = as_buddy.post(f"/clients/{person.id}/checkins/new", data=checkin_data(form_id=fresh))
    assert again.status_code == 302 and count(CheckIn) == 1
