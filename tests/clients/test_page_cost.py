"""The client page and the contact post cost a bounded number of SQL statements, whatever the
length of the client's history: sections load their rows in one go, never one per row."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.clients.models import Client, ContextMember
from app.clients.phases import change_phase
from app.clients.vocab import Phase
from app.contacts.editing import EditMode
from app.contacts.models import Contact
from app.contacts.notes import change_note
from app.demo.generate import generate
from app.extensions import db
from app.timeline.contributions import ON_CLIENT_PAGE
from app.timeline.queries import timeline_select
from app.timeutil import today
from tests import factories
from tests.conftest import sign_in

# One statement per part of the page: the user with their teams and session, the client with
# what its cards show (its consents with their scopes, and its contact statistics for the
# outreach health), each section (notes, worries, plan, the settings the outreach health
# judges by, documents, referrals, self-reliance, placements, agenda, group sessions), the
# timeline's page with its contacts, the navigation's reminder count, the audit events: 15
# on both databases (28-48 before issue 21, then 17). Each other kind of event on the
# timeline's first page (check-ins, phases, consents...) adds one.
CLIENT_PAGE_STATEMENTS = 15
BUDDY_PAGE_STATEMENTS = 10  # the matched buddy's practical view
# The user, the client, the form's key, the contact, its domains, its note, the audit events
# (one statement on PostgreSQL, one each on SQLite), the statistics (one upsert; PostgreSQL
# takes a per-client lock first) and the key. 10 on both (was 15-16).
CONTACT_POST_STATEMENTS = 10


@contextlib.contextmanager
def statements():
    """The SQL statements run meanwhile, except the test harness's savepoints."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture
def busy(app, client):
    """The generated client with the most contacts, and a test client signed in as their
    companion."""
    generate(40, teams=1, seed=5, scan_reminders=True)
    client_id, contacts = db.session.execute(
        sa.select(Contact.client_id, sa.func.count())
        .where(Contact.deleted_at.is_(None))
        .group_by(Contact.client_id)
        .order_by(sa.func.count().desc(), Contact.client_id)
        .limit(1)
    ).one()
    person = db.session.get(Client, client_id)
    companion = db.session.get(User, person.primary_companion_id)
    db.session.commit()
    assert contacts >= 10  # a realistic history
    response = sign_in(client, companion, password=app.config["DEMO_PASSWORD"])
    assert response.status_code == 302
    return client_id, client


def test_the_client_page_runs_a_bounded_number_of_statements(busy):
    client_id, browser = busy
    url = f"/clients/{client_id}"
    browser.get(url)  # the first request of a process warms caches
    with statements() as seen:
        response = browser.get(url)
    assert response.status_code == 200
    assert len(seen) <= CLIENT_PAGE_STATEMENTS, "\n".join(seen)
    # The counts beside the previews still count everything, not just the page shown.
    html = response.get_data(as_text=True)
    link = re.search(rf'href="/clients/{client_id}/timeline">[^<]*\((\d+)\)</a>', html)
    events = timeline_select(client_id).order_by(None).subquery()
    assert int(link.group(1)) == db.session.scalar(sa.select(sa.func.count()).select_from(events))
    assert html.count('<li class="timeline-entry ') == ON_CLIENT_PAGE


def test_a_contact_post_runs_a_bounded_number_of_statements(busy):
    client_id, browser = busy
    data = {
        "form_id": str(uuid.uuid4()), "outcome": "reached", "kind": "home_visit",
        "occurred_on": today().isoformat(), "occurred_time": "09:30", "place": "Thuis",
        "domains": ["housing"], "team_note": "Samen de brief gelezen.",
    }  # fmt: skip
    with statements() as seen:
        response = browser.post(f"/clients/{client_id}/contacts/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(seen) <= CONTACT_POST_STATEMENTS, "\n".join(seen)
    assert db.session.scalar(
        sa.select(sa.func.count()).where(Contact.client_id == client_id, Contact.place == "Thuis")
    )


def _page_statements(browser, url: str) -> tuple[int, str]:
    browser.get(url)  # warm
    with statements() as seen:
        response = browser.get(url)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def _a_history(client, companions, lead, buddy, *, rounds: int) -> None:
    """``rounds`` of everything the client page shows, by several authors: contacts with
    domains and notes at each level, notes on their own (some corrected), check-ins with a
    worry, consents and context members; and a phase history."""
    for number in range(rounds):
        author = companions[number % len(companions)]
        factories.make_contact(
            client, author, days_ago=number % 20, domains=("housing", "work"),
            outcome="attempt" if number % 3 else "reached",
            notes={"team": f"Team {number}", "sensitive": f"Gevoelig {number}",
                   "practical": f"Praktisch {number}"},
        )  # fmt: skip
        note = factories.make_note(client, author, level=("team", "sensitive")[number % 2])
        if number % 2:
            change_note(note, body=f"Verbeterd {number}", by=author, mode=EditMode.CORRECT,
                        reason="typfout")  # fmt: skip
        factories.make_checkin(client, buddy, days_ago=number % 20,
                               worry_text="Zorgen" if number % 4 == 0 else None)  # fmt: skip
        factories.make_consent(client, by=lead)
        db.session.add(ContextMember(client_id=client.id, name=f"Lid {number}",
                                     relationship_kind="friend"))  # fmt: skip
    if client.phase == Phase.OUTREACH:  # a phase history, and the periodic measurement due
        for phase in (Phase.ENGAGEMENT, Phase.TRAJECTORY):
            change_phase(client, phase, by=lead, consent_valid=True)
    db.session.commit()


def test_the_client_page_costs_the_same_whatever_the_length_of_the_history(
    app, team, lead, companion, buddy, login
):
    """Many contacts, notes (sensitive ones, corrected ones, by other authors), check-ins,
    consents and context members: not one more statement than with a short history, for
    the companion, the lead and the matched buddy; what each sees stays the same."""
    other = factories.make_user("companion", teams=[team])
    person = factories.make_client(team, companion, registered_on=today() - timedelta(days=60))
    factories.match(person, buddy, started_on=today() - timedelta(days=60))
    db.session.commit()
    _a_history(person, [companion, other], lead, buddy, rounds=2)
    url = f"/clients/{person.id}"
    browsers = {"companion": login(companion), "lead": login(lead), "buddy": login(buddy)}
    short = {who: _page_statements(b, url)[0] for who, b in browsers.items()}
    _a_history(person, [companion, other, lead], lead, buddy, rounds=25)
    for who, browser in browsers.items():
        count, html = _page_statements(browser, url)
        assert count <= short[who], (who, count, short[who])
        # Contacts come with the timeline's page; each other kind on it is one statement.
        kinds = set(re.findall(r'data-source="(\w+)"', html)) - {"contact"}
        bound = BUDDY_PAGE_STATEMENTS if who == "buddy" else CLIENT_PAGE_STATEMENTS + len(kinds)
        assert count <= bound, (who, count, sorted(kinds))
        if who == "buddy":  # the practical view: practical notes only
            assert "Praktisch" in html and "Gevoelig" not in html and "Team 1" not in html
        else:
            assert "Verbeterd" in html and "gecorrigeerd" in html  # shown as corrected
            assert 'class="timeline-entry ' in html
