"""The partnership wall per surface: text planted in partnership B (a client name, a team note,
a sensitive note, an organisation, a referral question, a document title, an appointment, a
buddy's worry) never reaches anyone of partnership A - not on a page, in an export, an e-mail,
a calendar feed, the offline snapshot, a partner page, the API or the command line."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlalchemy as sa
from flask import url_for

from app import mail
from app.agenda.models import Appointment
from app.api.tokens import create_token
from app.auth.models import User
from app.checkins.models import CheckIn
from app.clients.models import BuddyMatch, Consent
from app.contacts.models import Contact, Note
from app.documents.models import Document
from app.extensions import db
from app.groups import services as group_services
from app.groups.models import GroupRegistration
from app.mail.models import OutboxMessage
from app.measurements.models import Instrument
from app.organisations.models import Organisation
from app.partners.models import PartnerAnswer
from app.partnerships.context import partnership_context
from app.reference import Domain
from app.referrals import services as referral_services
from app.referrals.lifecycle import ReferralStatus
from app.referrals.models import Referral
from app.reminders import digest
from app.reminders.engine import scan
from app.reminders.models import Reminder
from app.timeutil import today
from tests import factories
from tests.api.conftest import ApiClient
from tests.documents.test_documents import png_bytes, upload
from tests.measurements.test_instruments import THIRD
from tests.organisations.conftest import make_organisation
from tests.partners.conftest import code_in, deliver, link_in, path_of
from tests.partnerships.conftest import CLIENT_NAME, PLANTED, TEAM_NOTE

REFERRAL_NOTE = "SECRET-WL-REFERRAL-QUESTION"
DOCUMENT_TITLE = "SECRET-WL-DOCUMENT"
APPOINTMENT_PLACE = "SECRET-WL-APPOINTMENT-PLACE"
WORRY = "SECRET-WL-BUDDY-WORRY"
B_DESK = "desk@westland.example"
B_PLANTED = (*PLANTED, REFERRAL_NOTE, DOCUMENT_TITLE, APPOINTMENT_PLACE, WORRY, B_DESK)
A_REFERRAL = "VRAAG-VAN-A"
BRUSSELS = ZoneInfo("Europe/Brussels")


def b_leaks(text: str) -> list[str]:
    return [planted for planted in B_PLANTED if planted in text]


def plan(http, client, *, place: str):
    day = today() + timedelta(days=1)
    return http.post(
        f"/agenda/new?client={client.id}",
        data={"client": str(client.id), "kind": "home_visit", "day": day.isoformat(),
              "starts_time": "10:00", "ends_time": "11:00", "place": place},
    )  # fmt: skip


@pytest.fixture(autouse=True)
def documents_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENTS_DIR", str(tmp_path / "documents"))


@pytest.fixture
def planted(app, login, side_a, side_b):
    """B's client gets a referral (to a desk with a partner link), a document, an appointment,
    a buddy's check-in with a worry and an expired consent (a reminder); A's client a referral
    and an appointment of its own, so every surface of A has something to show."""
    b, a = side_b, side_a
    for side, email in ((a, "companion-a@example.org"), (b, "companion-b@example.org")):
        side.companion.email = email
        factories.make_consent(side.client, domains=("childcare", "work"))
        factories.make_consent(
            side.client, given_on=today() - timedelta(days=400),
            expires_on=today() - timedelta(days=1), domains=("housing",),
        )  # fmt: skip
    with partnership_context(b.partnership.id):
        desk_b = make_organisation(
            "Westlandse opvang", type="childcare_desk", domains=[Domain.CHILDCARE],
            covers_whole_region=True, municipalities=(), desk_name="Onthaal", desk_email=B_DESK,
        )  # fmt: skip
        referral_b = referral_services.create_referral(
            b.client, organisation=desk_b, domain=Domain.CHILDCARE, question=REFERRAL_NOTE,
            referred_on=today(), by=b.companion,
        )  # fmt: skip
        referral_services.move(referral_b, ReferralStatus.SENT, by=b.companion)
    with partnership_context(a.partnership.id):
        desk_a = make_organisation(
            "Haachtse opvang", type="childcare_desk", domains=[Domain.CHILDCARE],
            covers_whole_region=True, municipalities=(), desk_name="Onthaal",
            desk_email="desk@haacht.example",
        )  # fmt: skip
        referral_a = referral_services.create_referral(
            a.client, organisation=desk_a, domain=Domain.CHILDCARE, question=A_REFERRAL,
            referred_on=today(), by=a.companion,
        )  # fmt: skip
        referral_services.move(referral_a, ReferralStatus.SENT, by=a.companion)
    buddy_b = factories.make_user("buddy", teams=[b.team], username="buddy-b")
    factories.match(b.client, buddy_b)
    with partnership_context(b.partnership.id):
        factories.make_checkin(b.client, buddy_b, worry_text=WORRY)
    db.session.commit()
    browser_b = login(b.companion)
    response = upload(browser_b, b.client, png_bytes(), "scan.png", title=DOCUMENT_TITLE)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert plan(browser_b, b.client, place=APPOINTMENT_PLACE).status_code == 302
    assert plan(login(a.companion), a.client, place="Stationsstraat 4").status_code == 302
    return {"referral_b": referral_b, "referral_a": referral_a, "buddy_b": buddy_b}


def people_of(side) -> dict:
    return {"companion": side.companion, "lead": side.lead, "admin": side.admin}


def api_of(app, user) -> ApiClient:
    _token, plain = create_token(user, "tests")
    db.session.commit()
    return ApiClient(app.test_client(), plain)


# --- exports ---------------------------------------------------------------------------


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def xlsx_text(response) -> str:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    return "\n".join(
        ";".join(str(cell) for cell in row if cell is not None)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_the_client_export_of_as_lead_holds_only_as_clients(login, planted, side_a, side_b):
    lead = login(side_a.lead)
    header, *rows = csv_rows(lead.get("/exports/clients.csv"))
    assert header[0] == "Code" and [row[0] for row in rows] == [side_a.client.code]
    assert b_leaks(xlsx_text(lead.get("/exports/clients.xlsx"))) == []
    # B's own lead exports B's client, and only that one.
    _header, *rows = csv_rows(login(side_b.lead).get("/exports/clients.csv"))
    assert [row[0] for row in rows] == [side_b.client.code]


def test_the_partnership_report_counts_only_the_own_partnership(login, planted, side_a, side_b):
    lead = login(side_a.lead)
    page = lead.get("/reports/partnership")
    assert page.status_code == 200 and b_leaks(page.get_data(as_text=True)) == []
    assert b_leaks(xlsx_text(lead.get("/reports/partnership.xlsx"))) == []
    flow = lead.get("/reports/partnership.csv?table=flow").get_data(as_text=True)
    assert b_leaks(flow) == []
    assert flow == login(side_b.lead).get("/reports/partnership.csv?table=flow").get_data(
        as_text=True
    )  # one client each, registered alike: the same figures, none of them summed


def test_the_dashboard_of_as_lead_counts_only_as_clients(login, planted, side_a, side_b):
    for side, other in ((side_a, side_b), (side_b, side_a)):
        lead = login(side.lead)
        header, *rows = csv_rows(lead.get("/dashboard/team/export/caseload.csv"))
        totals = dict(zip(header, rows[-1], strict=True))
        assert rows[-1][0] == "Totaal" and totals["Totaal"] == "1" and totals["Aanmelding"] == "1"
        assert [row[0] for row in rows[:-1]] == [side.companion.display_name]
        everything = xlsx_text(lead.get("/dashboard/team/export/all.xlsx"))
        assert other.companion.display_name not in everything
        if side is side_a:
            assert b_leaks(everything) == []
            assert b_leaks(lead.get("/dashboard/team").get_data(as_text=True)) == []


def test_the_research_export_of_as_lead_holds_no_row_of_b(
    runner, planted, side_a, side_b, tmp_path
):
    path = tmp_path / "research.db"
    result = runner.invoke(args=["export", "research", str(path), "--lead", "lead-a"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute("select name from sqlite_master where type='table'")
        ]
        dump = "\n".join(connection.iterdump())
    assert tables and b_leaks(dump) == [] and side_a.client.code in dump
    # A team of B named by A's lead is refused: the lead leads no such team.
    result = runner.invoke(
        args=["export", "research", str(tmp_path / "other.db"), "--lead", "lead-a",
              "--team", side_b.team.name],
    )  # fmt: skip
    assert result.exit_code != 0 and "leads no team" in result.output
    assert not (tmp_path / "other.db").exists()


# --- e-mail ----------------------------------------------------------------------------


def test_the_reminder_digest_of_a_holds_nothing_of_b(smtp_server, app, planted, side_a, side_b):
    buddy_a = factories.make_user("buddy", teams=[side_a.team], username="buddy-a")
    factories.match(side_a.client, buddy_a)
    with partnership_context(side_a.partnership.id):
        factories.make_checkin(side_a.client, buddy_a, worry_text="Zorg van A")
    db.session.commit()
    scan()
    digest.send_daily_digests()
    mail.deliver_due()
    by_recipient = {message["To"]: message for message in smtp_server.messages}
    assert "companion-a@example.org" in by_recipient
    text_a = by_recipient["companion-a@example.org"].get_body(("plain",)).get_content()
    assert side_a.client.code in text_a and b_leaks(text_a) == []
    text_b = by_recipient["companion-b@example.org"].get_body(("plain",)).get_content()
    assert side_b.client.code in text_b and side_a.client.code not in text_b


def test_the_partner_mails_go_to_each_referrals_own_desk(smtp_server, app, planted, side_a, side_b):
    messages = deliver(smtp_server)
    to_b = [m for m in messages if m["To"] == B_DESK]
    to_a = [m for m in messages if m["To"] == "desk@haacht.example"]
    assert to_a and to_b
    for message in to_a:
        assert b_leaks(message.get_body(("plain",)).get_content()) == []
    for message in to_b:
        assert A_REFERRAL not in message.get_body(("plain",)).get_content()
        assert side_a.client.code not in message.get_body(("plain",)).get_content()
    outbox = db.session.scalars(sa.select(OutboxMessage)).all()
    desks = {m.to_address: m.partnership_id for m in outbox if m.to_address.startswith("desk@")}
    assert desks == {B_DESK: side_b.partnership.id, "desk@haacht.example": side_a.partnership.id}


# --- partner pages ---------------------------------------------------------------------


def open_link(app, smtp_server, message):
    partner = app.test_client()
    response = partner.get(path_of(link_in(message)))
    assert response.status_code == 302
    partner.post("/partner/code", data={"send-submit": "1"})
    [code_message] = deliver(smtp_server)
    response = partner.post("/partner/code", data={"code": code_in(code_message), "submit": "1"})
    assert response.status_code == 302
    return partner


def test_bs_partner_link_shows_nothing_of_a_and_answers_only_bs_referral(
    smtp_server, app, planted, side_a
):
    [to_b] = [m for m in deliver(smtp_server) if m["To"] == B_DESK]
    partner = open_link(app, smtp_server, to_b)
    page = partner.get("/partner/referral").get_data(as_text=True)
    assert REFERRAL_NOTE in html.unescape(page)
    assert A_REFERRAL not in page and side_a.client.code not in page
    assert "Persoon A" not in page
    # The answer lands on B's referral only, whatever referral id of A is added to the form.
    referral_a, referral_b = planted["referral_a"], planted["referral_b"]
    seen = re.search(r'name="seen_change"[^>]*value="(\d+)"', page).group(1)
    response = partner.post(
        "/partner/referral",
        data={"kind": "accepted", "seen_change": seen, "referral": str(referral_a.id),
              "referral_id": str(referral_a.id), "client_id": str(referral_a.client_id),
              "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    answered = db.session.scalars(sa.select(PartnerAnswer.referral_id)).all()
    assert answered == [referral_b.id]
    db.session.expire_all()
    assert db.session.get(Referral, referral_a.id).status == ReferralStatus.SENT


# --- agenda ----------------------------------------------------------------------------


def feed_path(http) -> str:
    page = http.post("/agenda/feed", data={"action": "regenerate"}).get_data(as_text=True)
    address = re.search(r'value="(http[^"]+\.ics)"[^>]*data-testid="feed-address"', page)
    return html.unescape(address.group(1)).split("localhost", 1)[1]


def test_as_feed_and_agenda_show_none_of_bs_appointments(app, login, planted, side_a, side_b):
    for user in (side_a.companion, side_a.lead):
        http = login(user)
        feed = app.test_client().get(feed_path(http))
        assert feed.status_code == 200 and b_leaks(feed.get_data(as_text=True)) == []
        day = (today() + timedelta(days=1)).isoformat()
        assert b_leaks(http.get(f"/agenda/?day={day}").get_data(as_text=True)) == []
    team = login(side_a.lead).get(f"/agenda/team?day={(today() + timedelta(days=1)).isoformat()}")
    assert team.status_code == 200 and b_leaks(team.get_data(as_text=True)) == []
    appointment_b = db.session.scalar(
        sa.select(Appointment).where(Appointment.place == APPOINTMENT_PLACE)
    )
    for user in (side_a.companion, side_a.lead, side_a.admin):
        http = login(user)
        assert http.get(f"/agenda/{appointment_b.id}").status_code == 404
        assert http.post(f"/agenda/{appointment_b.id}/cancel").status_code == 404
    # B's own companion's feed carries the place.
    feed = app.test_client().get(feed_path(login(side_b.companion)))
    assert APPOINTMENT_PLACE in feed.get_data(as_text=True)


# --- offline ---------------------------------------------------------------------------


def test_the_offline_snapshot_of_a_holds_nothing_of_b(login, planted, side_a, side_b):
    for user in (side_a.companion, side_a.lead):
        answer = login(user).get("/offline/data")
        assert answer.status_code == 200 and b_leaks(answer.get_data(as_text=True)) == []
    own = login(side_a.companion).get("/offline/data").json["clients"]
    assert [client["code"] for client in own] == [side_a.client.code]
    # Even a crafted membership of B's team (bad data) does not carry B's client over.
    side_a.companion.teams.append(side_b.team)
    side_b.client.primary_companion_id = side_a.companion.id
    db.session.commit()
    answer = login(side_a.companion).get("/offline/data")
    assert b_leaks(answer.get_data(as_text=True)) == []


# --- documents -------------------------------------------------------------------------


def test_bs_document_is_a_404_for_a(login, planted, side_a, side_b):
    document = db.session.scalar(sa.select(Document).where(Document.title == DOCUMENT_TITLE))
    assert document is not None
    url = f"/clients/{side_b.client.id}/documents/{document.id}"
    assert login(side_b.companion).get(url).status_code == 200
    for user in (side_a.companion, side_a.lead, side_a.admin, side_a.officer):
        http = login(user)
        assert http.get(url).status_code == 404
        assert http.get(f"/clients/{side_a.client.id}/documents/{document.id}").status_code == 404


# --- API -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["companion", "lead"])
def test_as_api_lists_hold_none_of_bs_rows(app, planted, side_a, side_b, who):
    api = api_of(app, getattr(side_a, who))
    for path in ("/api/v1/clients", "/api/v1/organisations", "/api/v1/reminders",
                 "/api/v1/instruments", "/api/v1/me", "/api/v1/organisations?q=westland"):  # fmt: skip
        response = api.get(path)
        assert response.status_code == 200, (path, response.get_data(as_text=True))
        assert b_leaks(response.get_data(as_text=True)) == [], path
    for child in ("contacts", "referrals", "measurements", "check-ins"):
        assert api.get(f"/api/v1/clients/{side_b.client.id}/{child}").status_code == 404
    written = api.post(
        f"/api/v1/clients/{side_b.client.id}/notes", json={"level": "team", "body": "Van A"},
        headers={"Idempotency-Key": "leak-test-note"},
    )  # fmt: skip
    assert written.status_code == 404, written.get_data(as_text=True)
    referral_b = planted["referral_b"]
    assert (
        api.get(f"/api/v1/clients/{side_b.client.id}/referrals/{referral_b.id}").status_code == 404
    )
    assert (
        api.get(f"/api/v1/clients/{side_a.client.id}/referrals/{referral_b.id}").status_code == 404
    )


def test_as_api_cannot_close_bs_reminders(app, planted, side_a, side_b):
    scan()
    db.session.commit()
    own = api_of(app, side_b.companion).get("/api/v1/reminders").json
    items = own["items"] if isinstance(own, dict) else own
    assert items, own
    reminder_id = items[0]["id"]
    api = api_of(app, side_a.companion)
    assert api.post(f"/api/v1/reminders/{reminder_id}/done", json={}).status_code == 404
    assert (
        api.post(
            f"/api/v1/reminders/{reminder_id}/snooze",
            json={"until": (today() + timedelta(days=3)).isoformat()},
        ).status_code
        == 404
    )


# --- buddy check-ins, home, notifications ------------------------------------------------


def test_check_ins_and_home_panels_of_a_show_nothing_of_b(login, planted, side_a, side_b):
    buddy_a = factories.make_user("buddy", teams=[side_a.team], username="buddy-a")
    factories.match(side_a.client, buddy_a)
    db.session.commit()
    for user in (buddy_a, side_a.companion, side_a.lead, side_a.admin, side_a.officer):
        http = login(user)
        for path in ("/", "/checkins", "/dashboard", "/clients/", "/agenda/"):
            response = http.get(path, follow_redirects=True)
            assert b_leaks(response.get_data(as_text=True)) == [], (user.username, path)
    checkin_b = db.session.scalar(sa.select(CheckIn).where(CheckIn.worry_text == WORRY))
    for user in (side_a.lead, side_a.companion):
        http = login(user)
        for client in (side_a.client, side_b.client):
            url = f"/clients/{client.id}/checkins/{checkin_b.id}/acknowledge"
            assert http.post(url).status_code == 404
    # B's own lead is told of the worry on the home page.
    home_b = login(side_b.lead).get("/", follow_redirects=True).get_data(as_text=True)
    assert side_b.client.code in home_b or CLIENT_NAME in home_b


# --- crafted ids of B in A's forms, and moves between partnerships ----------------------


def test_a_referral_of_a_to_bs_organisation_is_refused(app, login, planted, side_a):
    desk_b = db.session.scalar(sa.select(Organisation).where(Organisation.desk_email == B_DESK))
    count = sa.select(sa.func.count()).select_from(Referral)
    before = db.session.scalar(count)
    response = login(side_a.companion).post(
        f"/clients/{side_a.client.id}/referrals/new",
        data={"domain": "childcare", "organisation": str(desk_b.id), "question": "Opvang",
              "referred_on": today().isoformat(),
              "response_deadline": (today() + timedelta(days=14)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 422 and B_DESK not in response.get_data(as_text=True)
    answer = api_of(app, side_a.companion).post(
        f"/api/v1/clients/{side_a.client.id}/referrals",
        json={"organisation_id": desk_b.id, "domain": "childcare", "question": "Opvang"},
        headers={"Idempotency-Key": "leak-test-referral"},
    )
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert "sociale kaart" in answer.get_data(as_text=True)
    assert db.session.scalar(count) == before


def test_bs_client_and_group_sessions_are_out_of_reach_of_as_agenda_and_groups(
    login, planted, side_a, side_b
):
    starts = datetime.combine(today() + timedelta(days=2), time(10), BRUSSELS)
    with partnership_context(side_b.partnership.id):
        session_b = group_services.create_session(
            team=side_b.team, title="SECRET-WL-GROUP", domain="social_network", starts_at=starts,
            duration_minutes=60, place="Westland", facilitator=side_b.companion, capacity=10,
            description=None, by=side_b.companion,
        )  # fmt: skip
    with partnership_context(side_a.partnership.id):
        session_a = group_services.create_session(
            team=side_a.team, title="Koffie A", domain="social_network", starts_at=starts,
            duration_minutes=60, place="Haacht", facilitator=side_a.companion, capacity=10,
            description=None, by=side_a.companion,
        )  # fmt: skip
    db.session.commit()
    http = login(side_a.lead)
    groups = http.get("/groups/").get_data(as_text=True)
    assert "Koffie A" in groups and "SECRET-WL-GROUP" not in groups
    assert http.get(f"/groups/{session_b.id}").status_code == 404
    assert http.post(f"/groups/{session_b.id}/register", data={"client": side_a.client.id})\
        .status_code == 404  # fmt: skip
    refused = http.post(f"/groups/{session_a.id}/register", data={"client": side_b.client.id})
    assert 400 <= refused.status_code < 500 and b_leaks(refused.get_data(as_text=True)) == []
    assert plan(http, side_b.client, place="Haacht").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupRegistration)) == 0


def test_moving_an_account_or_a_client_to_b_says_to_export_and_register_again(
    login, planted, side_a, side_b
):
    message = "registreer opnieuw in het andere samenwerkingsverband"
    response = login(side_a.admin).post(
        f"/admin/users/{side_a.companion.id}",
        data={"username": "companion-a", "display_name": "A", "email": "",
              "role": "companion", "teams": [str(side_b.team.id)], "locale": ""},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert message in html.unescape(response.get_data(as_text=True))
    response = login(side_a.admin).post(
        "/admin/users/new",
        data={"username": "nieuw", "display_name": "Nieuw", "email": "nieuw@example.org",
              "role": "companion", "teams": [str(side_b.team.id)], "locale": ""},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(sa.select(User).where(User.username == "nieuw")) is None
    response = login(side_a.lead).post(
        f"/clients/{side_a.client.id}/transfer", data={"team": str(side_b.team.id), "companion": ""}
    )
    text = html.unescape(response.get_data(as_text=True))
    assert 400 <= response.status_code < 500
    assert message in text
    db.session.expire_all()
    assert side_a.companion.team_ids == [side_a.team.id]
    assert (
        side_a.client.team_id == side_a.team.id
        and side_a.client.partnership_id == side_a.partnership.id
    )


def test_a_partnerships_own_instrument_from_the_command_line_stays_its_own(
    app, runner, side_a, side_b, tmp_path
):
    path = tmp_path / "ladder.json"
    instrument = {**THIRD, "code": "westladder", "version": 1,
                  "name": {"nl": "SECRET-WL-LADDER", "en": "SECRET-WL-LADDER"}}  # fmt: skip
    path.write_text(json.dumps(instrument), encoding="utf-8")
    result = runner.invoke(args=["instruments", "load", str(path)])
    assert result.exit_code != 0 and "--partnership" in result.output
    result = runner.invoke(args=["instruments", "load", str(path), "--partnership", "XX"])
    assert result.exit_code != 0 and "XX" in result.output
    result = runner.invoke(args=["instruments", "load", str(path), "--partnership", "WL"])
    assert result.exit_code == 0 and "westladder: created" in result.output
    stored = db.session.scalar(sa.select(Instrument).where(Instrument.code == "westladder"))
    assert stored.partnership_id == side_b.partnership.id
    assert "SECRET-WL-LADDER" not in api_of(app, side_a.companion).get(
        "/api/v1/instruments"
    ).get_data(as_text=True)
    assert "SECRET-WL-LADDER" in api_of(app, side_b.companion).get("/api/v1/instruments").get_data(
        as_text=True
    )
    # A newer version loaded for A becomes A's own instrument of that code and does not take
    # over B's; as shared it is refused (B would see two instruments with one code).
    path.write_text(json.dumps({**instrument, "version": 2, "name": {"nl": "A", "en": "A"}}))
    result = runner.invoke(args=["instruments", "load", str(path), "--shared"])
    assert result.exit_code != 0 and "own instrument has this code" in result.output
    result = runner.invoke(args=["instruments", "load", str(path), "--partnership", "DL"])
    assert result.exit_code == 0 and "westladder: created" in result.output
    db.session.expire_all()
    stored = {
        i.partnership_id: (i.version, i.name_nl)
        for i in db.session.scalars(sa.select(Instrument).where(Instrument.code == "westladder"))
    }
    assert stored == {
        side_b.partnership.id: (1, "SECRET-WL-LADDER"),
        side_a.partnership.id: (2, "A"),
    }
    assert "SECRET-WL-LADDER" not in api_of(app, side_a.companion).get(
        "/api/v1/instruments"
    ).get_data(as_text=True)
    result = runner.invoke(args=["instruments", "load", str(path), "--partnership", "WL"])
    assert result.exit_code == 0 and "westladder: updated" in result.output
    # A partnership's own instrument cannot take a shared instrument's code.
    shared = {**instrument, "code": "dijleland"}
    path.write_text(json.dumps(shared))
    result = runner.invoke(args=["instruments", "load", str(path), "--partnership", "WL"])
    assert result.exit_code != 0 and "shared instrument has this code" in result.output


# --- every page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["companion", "lead", "admin", "officer", "buddy"])
def test_every_page_of_a_without_parameters_shows_nothing_of_b(app, login, planted, side_a, who):
    if who == "buddy":
        user = factories.make_user("buddy", teams=[side_a.team], username="buddy-a")
        factories.match(side_a.client, user)
        db.session.commit()
    else:
        user = getattr(side_a, who)
    browser = login(user)
    shown = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        response = browser.get(rule.rule)
        assert response.status_code < 500, rule.rule
        if response.status_code == 200:
            shown += 1
            assert b_leaks(response.get_data(as_text=True)) == [], rule.rule
    assert shown > 10
    assert browser.get("/").status_code == 200  # still signed in: every page was seen as A


@pytest.mark.parametrize("who", ["companion", "lead", "admin", "officer"])
def test_every_page_of_bs_client_is_a_404_for_a(app, login, planted, side_a, side_b, who):
    browser = login(getattr(side_a, who))
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments != {"client_id"}:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, client_id=side_b.client.id)
        response = browser.get(url)
        assert response.status_code in (401, 404), url
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("who", ["companion", "lead"])
def test_bs_rows_under_as_client_are_a_404(app, login, planted, side_a, side_b, who):
    """A's own client in the URL with the id of one of B's rows (a crafted URL)."""
    with partnership_context(side_b.partnership.id):
        factories.make_contact(side_b.client, side_b.companion, notes={"team": TEAM_NOTE})
    db.session.commit()

    def first_of_b(model):
        return db.session.scalar(
            sa.select(model.id).where(model.client_id == side_b.client.id).order_by(model.id)
        )

    ids = {
        "referral_id": planted["referral_b"].id,
        "document_id": first_of_b(Document),
        "checkin_id": first_of_b(CheckIn),
        "match_id": first_of_b(BuddyMatch),
        "note_id": first_of_b(Note),
        "consent_id": first_of_b(Consent),
        "contact_id": first_of_b(Contact),
    }
    assert all(ids.values()), ids
    browser = login(getattr(side_a, who))
    checked = 0
    for rule in app.url_map.iter_rules():
        extra = rule.arguments - {"client_id"}
        if (
            "client_id" not in rule.arguments
            or rule.endpoint.startswith("api")
            or len(extra) != 1
            or not extra <= ids.keys()
        ):
            continue
        [name] = extra
        with app.test_request_context():
            url = url_for(rule.endpoint, client_id=side_a.client.id, **{name: ids[name]})
        response = browser.get(url) if "GET" in rule.methods else browser.post(url)
        assert response.status_code == 404, (url, response.status_code)
        checked += 1
    assert checked >= 15


def test_a_crafted_team_of_b_in_as_dashboard_filters_is_refused(login, planted, side_a, side_b):
    lead = login(side_a.lead)
    for url in ("/dashboard/team", "/exports/clients.csv", "/reports/partnership",
                "/reports/partnership.csv", "/dashboard/team/export/caseload.csv",
                "/agenda/team"):  # fmt: skip
        response = lead.get(f"{url}?team={side_b.team.id}")
        assert response.status_code < 500, url
        assert b_leaks(response.get_data(as_text=True)) == [], url
        if response.status_code == 200 and url.endswith(".csv"):
            assert side_b.client.code not in response.get_data(as_text=True)


def test_bs_record_is_not_merged_into_as(login, planted, side_a, side_b):
    response = login(side_a.lead).post(
        f"/clients/{side_a.client.id}/merge",
        data={"other_code": side_b.client.code, "confirm": "y"},
    )
    assert response.status_code == 404
    text = html.unescape(response.get_data(as_text=True))
    assert "Geen dossier met die code in je teams." in text and CLIENT_NAME not in text
    db.session.expire_all()
    assert side_b.client.merged_into_id is None


def test_the_command_line_does_not_put_an_account_of_a_in_bs_team(runner, side_a, side_b):
    """A team name is looked up in the account's own partnership only: B's team of that name
    is never found, A gets a team of its own (team names are unique per partnership)."""
    result = runner.invoke(
        args=["users", "create", "nieuw-a", "--name", "Nieuw", "--partnership", "DL",
              "--team", side_b.team.name],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "nieuw-a"))
    assert user.partnership_id == side_a.partnership.id
    [team] = user.teams
    assert team.id != side_b.team.id and team.partnership_id == side_a.partnership.id
    assert team.name == side_b.team.name
    db.session.refresh(side_b.team)
    assert user not in side_b.team.members


@pytest.mark.parametrize("who", ["companion", "lead", "admin"])
def test_bs_ids_in_as_other_urls_are_refused(app, login, planted, side_a, side_b, who):
    """Every URL with one id (a user, team, organisation, appointment, group session,
    reminder) given one of B's: refused, and nothing of B on the answer."""
    starts = datetime.combine(today() + timedelta(days=2), time(10), BRUSSELS)
    with partnership_context(side_b.partnership.id):
        session_b = group_services.create_session(
            team=side_b.team, title="SECRET-WL-GROUP", domain="social_network", starts_at=starts,
            duration_minutes=60, place="Westland", facilitator=side_b.companion, capacity=10,
            description=None, by=side_b.companion,
        )  # fmt: skip
    scan()
    db.session.commit()
    ids = {
        "user_id": side_b.companion.id,
        "team_id": side_b.team.id,
        "organisation_id": db.session.scalar(
            sa.select(Organisation.id).where(Organisation.desk_email == B_DESK)
        ),
        "appointment_id": db.session.scalar(
            sa.select(Appointment.id).where(Appointment.place == APPOINTMENT_PLACE)
        ),
        "session_id": session_b.id,
        "reminder_id": db.session.scalar(
            sa.select(Reminder.id).where(Reminder.client_id == side_b.client.id)
        ),
    }
    assert all(ids.values()), ids
    browser = login(getattr(side_a, who))
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api") or len(rule.arguments) != 1:
            continue
        [name] = rule.arguments
        if name not in ids:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: ids[name]})
        response = browser.get(url) if "GET" in rule.methods else browser.post(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert b_leaks(response.get_data(as_text=True)) == [], url
        checked += 1
    assert checked >= 15
    db.session.expire_all()
    assert db.session.get(Appointment, ids["appointment_id"]).cancelled_at is None
