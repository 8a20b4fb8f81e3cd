"""Offline in the field, server side: the installable app (manifest, service worker, app
shell), the session answer, the snapshot (scoped, never sensitive notes), notes through the
API exactly once, and the clock-skew rule."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.audit.services import concerning
from app.contacts.models import Note
from app.extensions import db
from app.timeutil import today, zone
from tests import factories
from tests.conftest import count

TEAM_TEXT = "Teamnotitie-over-de-huur-7731"
PRACTICAL_TEXT = "Praktisch-afspraak-bij-de-bakker-4410"
SENSITIVE_TEXT = "Gevoelig-medisch-geheim-9052"
CONTACT_SENSITIVE = "Gevoelig-bij-contact-1187"
CONTACT_TEAM = "Team-bij-contact-6613"
CONTACT_PRACTICAL = "Praktisch-bij-contact-2290"


@pytest.fixture
def caseload(app, team, other_team, companion, buddy):
    """A client on the companion's caseload with notes at every level, one of the team
    without that companion, and one of another team; the buddy is matched with the first."""
    mine = factories.make_client(
        team, companion, preferred_name="Mira", registered_on=today() - timedelta(days=30)
    )
    factories.make_note(mine, companion, level="team", body=TEAM_TEXT)
    factories.make_note(mine, companion, level="practical", body=PRACTICAL_TEXT)
    factories.make_note(mine, companion, level="sensitive", body=SENSITIVE_TEXT)
    factories.make_contact(
        mine, companion, days_ago=1,
        notes={"team": CONTACT_TEAM, "sensitive": CONTACT_SENSITIVE, "practical": CONTACT_PRACTICAL},
    )  # fmt: skip
    colleague = factories.make_user("companion", teams=[team])
    theirs = factories.make_client(team, colleague, preferred_name="Jelle")
    elsewhere = factories.make_client(other_team, None, preferred_name="Ander-team-Kobe")
    factories.match(mine, buddy, started_on=today() - timedelta(days=10))
    db.session.commit()
    return {"mine": mine, "theirs": theirs, "elsewhere": elsewhere}


def test_the_manifest_and_the_service_worker_are_served_by_gezel(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.mimetype == "application/manifest+json"
    body = json.loads(manifest.get_data(as_text=True))
    assert body["lang"] == "nl" and body["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in body["icons"]}
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200
    worker = client.get("/service-worker.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    source = worker.get_data(as_text=True)
    assert '"/offline"' in source and "__PRECACHE__" not in source
    assert "script-src 'self'" in worker.headers["Content-Security-Policy"]


def test_the_app_shell_holds_no_personal_data_and_no_csrf_token(login, companion, caseload):
    browser = login(companion)
    page = browser.get("/offline")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mira" not in html and companion.display_name not in html
    assert "csrf" not in html.lower()
    assert "<script>" not in html  # no inline script: only files and a JSON data block
    assert "Log a contact" in html or "Contact loggen" in html or "contact" in html.lower()


def test_pages_link_the_manifest_and_the_offline_scripts(login, companion):
    html = login(companion).get("/").get_data(as_text=True)
    assert 'rel="manifest"' in html and "js/offline-sync.js" in html
    assert 'data-signed-in="1"' in html and "data-sign-out" in html


def test_the_session_answer(client, login, companion):
    assert client.get("/offline/session").status_code == 401
    assert client.get("/offline/data").status_code == 401
    answer = login(companion).get("/offline/session")
    assert answer.status_code == 200
    assert answer.json["user"]["id"] == companion.id
    assert answer.json["csrf_token"] and answer.json["max_hours"] == 72


def test_the_snapshot_of_a_companion_is_their_caseload_without_sensitive_notes(
    login, companion, caseload
):
    answer = login(companion).get("/offline/data")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    names = [c["preferred_name"] for c in answer.json["clients"]]
    assert names == ["Mira"]  # not a colleague's client, not another team's
    assert TEAM_TEXT in text and PRACTICAL_TEXT in text and CONTACT_TEAM in text
    assert SENSITIVE_TEXT not in text and CONTACT_SENSITIVE not in text
    assert "sensitive" not in text  # not even that one exists
    (mira,) = answer.json["clients"]
    assert mira["code"] and mira["phase_label"] and mira["days_since_reached"] == 1
    assert answer.json["can"] == {"contacts": True, "notes": True, "checkins": False}


def test_taking_the_caseload_offline_is_on_who_viewed_the_file(login, companion, lead, caseload):
    (mira,) = login(companion).get("/offline/data").json["clients"]
    page = login(lead).get(f"/clients/{mira['id']}/accesses")
    assert page.status_code == 200
    assert "offline.snapshot" in page.get_data(as_text=True)
    taken = sa.select(sa.func.count()).select_from(AuditEvent)
    taken = taken.where(AuditEvent.action == "offline.snapshot", concerning(mira["id"]))
    assert db.session.scalar(taken) == 1


def test_background_answers_leave_the_session_cookie_alone(login, companion, caseload):
    """A background answer that arrives after a form's answer must not put back the old
    session (the form's message would be lost), nor count as activity (idle time-out)."""
    browser = login(companion)
    assert browser.get("/").status_code == 200
    for url in ("/offline/session", "/offline/data"):
        answer = browser.get(url)
        assert answer.status_code == 200
        assert not any(h.startswith("gezel_session=") for h in answer.headers.getlist("Set-Cookie"))
    page = browser.get("/")
    assert any(h.startswith("gezel_session=") for h in page.headers.getlist("Set-Cookie"))


def test_the_snapshot_of_a_buddy_has_practical_information_only(login, buddy, caseload):
    answer = login(buddy).get("/offline/data")
    text = answer.get_data(as_text=True)
    assert [c["preferred_name"] for c in answer.json["clients"]] == ["Mira"]
    assert PRACTICAL_TEXT in text and CONTACT_PRACTICAL in text
    for hidden in (TEAM_TEXT, CONTACT_TEAM, SENSITIVE_TEXT, CONTACT_SENSITIVE, "code"):
        assert hidden not in text
    assert answer.json["can"] == {"contacts": False, "notes": False, "checkins": True}


def test_the_snapshot_of_a_lead_or_admin_leaves_out_what_they_do_not_follow(
    login, lead, admin_user, caseload
):
    assert login(admin_user).get("/offline/data").json["clients"] == []
    text = login(lead).get("/offline/data").get_data(as_text=True)
    assert SENSITIVE_TEXT not in text and "Ander-team-Kobe" not in text


def test_a_closed_trajectory_is_not_taken_offline(login, companion, caseload):
    from app.clients.vocab import Phase

    caseload["mine"].phase = Phase.CLOSED
    db.session.commit()
    assert login(companion).get("/offline/data").json["clients"] == []


def test_offline_work_can_be_switched_off(app, client, login, companion, monkeypatch):
    monkeypatch.setitem(app.config, "OFFLINE_ENABLED", False)
    assert client.get("/offline").status_code == 404
    assert client.get("/manifest.webmanifest").status_code == 404
    worker = client.get("/service-worker.js").get_data(as_text=True)
    assert "unregister" in worker and "const ENABLED = false" in worker
    html = login(companion).get("/").get_data(as_text=True)
    assert 'rel="manifest"' not in html and "offline-sync.js" not in html


def _session_client(app, user):
    """A browser-like client: signed in with the session cookie, CSRF from /offline/session."""
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    csrf = page.split('name="csrf-token" content="')[1].split('"')[0]
    browser.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "csrf_token": csrf},
    )
    return browser, browser.get("/offline/session").json["csrf_token"]


def test_the_outbox_path_with_the_session_cookie_stores_each_item_once(fresh_app):
    """What the offline page does: POST with the session cookie, X-CSRFToken and the item's
    Idempotency-Key; a resend after a lost answer replays the first record."""
    from app.checkins.models import CheckIn
    from app.contacts.models import Contact

    app = fresh_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        team = factories.make_team("T")
        companion = factories.make_user("companion", teams=[team])
        buddy = factories.make_user("buddy", teams=[team])
        client = factories.make_client(
            team, companion, preferred_name="Sam", registered_on=today() - timedelta(days=30)
        )
        factories.match(client, buddy, started_on=today() - timedelta(days=3))
        db.session.commit()
        browser, csrf = _session_client(app, companion)
        key = str(uuid.uuid4())
        headers = {"X-CSRFToken": csrf, "Idempotency-Key": key}
        body = {
            "kind": "outreach",
            "outcome": "attempt",
            "occurred_at": "2026-01-01T10:00:00+01:00",
        }
        body["occurred_at"] = datetime.now(zone()).replace(microsecond=0).isoformat()
        url = f"/api/v1/clients/{client.id}/contacts"
        first = browser.post(url, json=body, headers=headers)
        again = browser.post(url, json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 200)
        db.session.rollback()  # read what the requests committed
        assert count(Contact) == 1
        note = {"level": "team", "body": "Onderweg geschreven"}
        note_headers = {"X-CSRFToken": csrf, "Idempotency-Key": str(uuid.uuid4())}
        notes_url = f"/api/v1/clients/{client.id}/notes"
        statuses = [
            browser.post(notes_url, json=note, headers=note_headers).status_code for _ in range(2)
        ]
        db.session.rollback()
        assert statuses == [201, 200] and count(Note, Note.body == "Onderweg geschreven") == 1
        assert browser.post(notes_url, json=note).status_code == 400  # no CSRF header
        buddy_browser, buddy_csrf = _session_client(app, buddy)
        checkin = {"occurred_on": today().isoformat(), "activity": "walk", "duration_minutes": 45,
                   "rating": 4, "worry": True, "worry_text": "Slaapt slecht"}  # fmt: skip
        checkin_headers = {"X-CSRFToken": buddy_csrf, "Idempotency-Key": str(uuid.uuid4())}
        checkins_url = f"/api/v1/clients/{client.id}/check-ins"
        for _ in range(2):
            assert buddy_browser.post(
                checkins_url, json=checkin, headers=checkin_headers
            ).status_code in (200, 201)
        db.session.rollback()
        assert count(CheckIn) == 1


def test_notes_through_the_api(api_as, companion, buddy, caseload):
    api = api_as(companion)
    mine, elsewhere = caseload["mine"], caseload["elsewhere"]
    refused = api.post(f"/api/v1/clients/{mine.id}/notes", json={"level": "team", "body": "  "})
    assert refused.status_code == 422
    unknown = api.post(f"/api/v1/clients/{elsewhere.id}/notes", json={"level": "team", "body": "x"})
    assert unknown.status_code == 404
    by_buddy = api_as(buddy).post(
        f"/api/v1/clients/{mine.id}/notes", json={"level": "practical", "body": "x"}
    )
    assert by_buddy.status_code == 404
    sensitive = api.post(
        f"/api/v1/clients/{mine.id}/notes", json={"level": "sensitive", "body": "Geheim 2"}
    )
    assert sensitive.status_code == 201 and sensitive.json["body"] is None


def test_clock_skew_a_contact_a_day_ahead_is_refused_and_a_late_clock_is_kept(
    api_as, companion, caseload
):
    companion.locale = "nl"  # the offline page shows the server's reason as it is
    api = api_as(companion)
    url = f"/api/v1/clients/{caseload['mine'].id}/contacts"
    ahead = datetime.now(zone()) + timedelta(days=2)
    refused = api.post(
        url, json={"kind": "outreach", "outcome": "attempt", "occurred_at": ahead.isoformat()}
    )
    assert refused.status_code == 422
    assert "toekomst" in refused.json["detail"]
    entered = (datetime.now(zone()) - timedelta(hours=5)).replace(microsecond=0)
    kept = api.post(
        url, json={"kind": "outreach", "outcome": "attempt", "occurred_at": entered.isoformat()}
    )
    assert kept.status_code == 201
    assert datetime.fromisoformat(kept.json["occurred_at"]) == entered
