"""The agenda's day and week, the team's week for a lead, and the private iCalendar feed:
it parses, carries times and places but no name or note, and stops at once when revoked."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import icalendar

from app.agenda.models import CalendarFeed
from app.extensions import db
from app.groups import services as group_services
from tests import factories
from tests.agenda.conftest import BRUSSELS, TODAY, appointment_id, plan
from tests.conftest import count

TEAM_NOTE = "TEAMNOTITIE schulden bij de huisbaas"
SENSITIVE_NOTE = "GEVOELIG psychiatrische opname"


def _feed_address(http) -> str:
    page = http.post("/agenda/feed", data={"action": "regenerate"}).get_data(as_text=True)
    address = re.search(r'value="(http[^"]+\.ics)"[^>]*data-testid="feed-address"', page)
    return html.unescape(address.group(1)).split("localhost", 1)[1]


def test_the_week_and_the_day_show_what_is_planned(login, companion, person, team):
    http = login(companion)
    number = appointment_id(plan(http, person, start="15:00", end="16:00"))
    factories.make_contact(person, companion, days_ago=1, follow_up_on=TODAY + timedelta(days=2))
    group_services.create_session(
        team=team, title="Koffieklets", domain="social_network",
        starts_at=datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), BRUSSELS)
        .replace(hour=10), duration_minutes=90, place="Buurthuis", facilitator=companion,
        capacity=12, description=None, by=companion,
    )  # fmt: skip
    week = http.get(f"/agenda/?day={TODAY.isoformat()}").get_data(as_text=True)
    assert f"/agenda/{number}" in week and "Stationsstraat 4" in week
    assert "Koffieklets" in week and "Buurthuis" in week
    assert "opvolging" in week  # the follow-up date of the contact
    day = http.get(f"/agenda/?view=day&day={TODAY.isoformat()}").get_data(as_text=True)
    assert f"/agenda/{number}" in day and "Koffieklets" not in day
    assert http.get("/agenda/?day=2027-02-30").status_code == 400


def test_the_lead_sees_who_is_where(login, companion, lead, person):
    plan(login(companion), person, start="15:00", end="16:00", kind="office", place="Kantoor")
    page = login(lead).get(f"/agenda/team?day={TODAY.isoformat()}").get_data(as_text=True)
    assert companion.display_name in page and "Kantoor" in page and "Op kantoor" in page
    assert login(companion).get("/agenda/team").status_code == 404


def test_the_feed_carries_times_and_places_but_no_name(app, login, companion, person):
    factories.make_note(person, companion, level="team", body=TEAM_NOTE)
    factories.make_note(person, companion, level="sensitive", body=SENSITIVE_NOTE)
    http = login(companion)
    plan(http, person, start="15:00", end="16:30", purpose="Gesprek met Zoë over de huur")
    path = _feed_address(http)
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    calendar = icalendar.Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == f"afspraak {person.code}"
    assert str(event["location"]) == "Stationsstraat 4, Haacht"
    assert event.decoded("dtstart") == datetime.combine(TODAY, datetime.min.time(), BRUSSELS)\
        .replace(hour=15)  # fmt: skip
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    for secret in ("Zoë", "Verstraeten", "Bram", "huur", TEAM_NOTE, SENSITIVE_NOTE):
        assert secret not in body
    # Stored hashed: the token itself is nowhere in the database.
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert count(CalendarFeed, CalendarFeed.token_hash == token) == 0


def test_a_revoked_or_replaced_address_is_a_404(app, login, companion, person):
    http = login(companion)
    assert 'href="/agenda/feed"' in http.get("/").get_data(as_text=True)  # the account menu
    plan(http, person)
    first = _feed_address(http)
    second = _feed_address(http)  # a new address replaces the first
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    http.post("/agenda/feed", data={"action": "revoke"})
    assert anonymous.get(second).status_code == 404
    assert anonymous.get("/agenda/feed/guessed-token.ics").status_code == 404
    third = _feed_address(http)
    companion.active = False  # a deactivated account's feed stops too
    db.session.commit()
    assert anonymous.get(third).status_code == 404


def test_the_feed_holds_only_the_owner_s_appointments(app, login, companion, person, team):
    colleague = factories.make_user("companion", teams=[team])
    plan(login(colleague), person, start="09:00", end="10:00", place="Elders",
         day=TODAY + timedelta(days=1))  # fmt: skip
    http = login(companion)
    plan(http, person)
    body = app.test_client().get(_feed_address(http)).get_data(as_text=True)
    assert "Stationsstraat" in body and "Elders" not in body


def test_buddy_meetings_are_on_the_week_of_the_buddy_and_the_companion(
    login, companion, buddy, person
):
    factories.match(person, buddy, started_on=TODAY - timedelta(days=10))
    factories.make_checkin(person, buddy, next_meeting_on=TODAY + timedelta(days=2))
    for user in (buddy, companion):
        week = login(user).get(f"/agenda/?day={TODAY.isoformat()}").get_data(as_text=True)
        meeting_day = week.split(f'data-day="{(TODAY + timedelta(days=2)).isoformat()}"', 1)[1]
        assert 'data-source="buddy_meeting"' in meeting_day.split("</section>", 1)[0]
