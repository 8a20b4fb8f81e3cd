"""The privacy officer (issue 16, items 2 and 5): the audit trail with filters and as CSV,
unusual access, subject access and erasure; no note text and no client file otherwise."""

from __future__ import annotations

import csv
import io
import json

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import User
from app.auth.vocab import Role
from app.clients.models import Client
from app.contacts.models import Note
from app.extensions import db
from app.privacy.models import PrivacyRequest
from tests import factories
from tests.support.walk import get_urls

TEAM_TEXT = "Teamtekst over de schuldbemiddeling"
SENSITIVE_TEXT = "Gevoelige tekst over de verslaving"
NAME = "Zoraida"


def _planted(team, companion):
    person = factories.make_client(
        team, companion, preferred_name=NAME, description="=HYPERLINK(1)"
    )
    factories.make_note(person, companion, level="team", body=TEAM_TEXT)
    factories.make_note(person, companion, level="sensitive", body=SENSITIVE_TEXT)
    factories.make_contact(person, companion, notes={"practical": "Praktisch briefje"})
    return person


def test_an_admin_creates_a_privacy_officer(login, admin_user):
    second = factories.make_user("admin", username="admin2")
    response = login(admin_user).post(
        "/admin/users/new",
        data={"username": "fg", "display_name": "Fien Gegevens", "email": "fg@example.org",
              "role": "privacy_officer", "locale": ""},
    )  # fmt: skip
    assert response.status_code == 302
    officer = db.session.scalar(sa.select(User).where(User.username == "fg"))
    assert officer.role == Role.PRIVACY_OFFICER and not officer.reads_client_files
    assert "Functionaris gegevensbescherming" in login(second).get("/admin/users").get_data(
        as_text=True
    )


def test_the_officer_sees_no_client_file_and_no_note_text(app, team, companion, login):
    person = _planted(team, companion)
    officer = factories.make_user("privacy_officer", username="fg")
    db.session.commit()
    login(companion).get(f"/clients/{person.id}")  # something in the trail about the client
    browser = login(officer)
    assert browser.get(f"/clients/{person.id}").status_code == 404
    ids = [person.id]
    walked = 0
    for url in get_urls(app, person.id, ids):
        if "/export" in url and "/privacy/files/" in url:
            continue  # the subject access export: the file itself, for the person (below)
        response = browser.get(url)
        body = response.get_data(as_text=True)
        walked += 1
        for text in (TEAM_TEXT, SENSITIVE_TEXT, NAME, "Praktisch briefje"):
            assert text not in body, (url, text)
        if url.startswith(f"/clients/{person.id}"):
            assert response.status_code == 404, url
    assert walked > 50
    # The officer's own pages answered, with the client's code and not its name.
    trail = browser.get(f"/privacy/audit?code={person.code}")
    assert trail.status_code == 200 and person.code in trail.get_data(as_text=True)
    assert browser.get(f"/privacy/files/{person.id}").status_code == 200


def test_the_trail_filters_and_exports_as_csv_without_text(app, team, companion, login):
    person = _planted(team, companion)
    other = factories.make_client(team, companion)
    officer = factories.make_user("privacy_officer")
    db.session.commit()
    login(companion).get(f"/clients/{person.id}")
    login(companion).get(f"/clients/{other.id}")
    browser = login(officer)

    page = browser.get(f"/privacy/audit?user={companion.username}&action=client.viewed")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and person.code in html and other.code in html
    only = browser.get(f"/privacy/audit?code={person.code}&action=client.viewed")
    assert person.code in only.get_data(as_text=True)
    assert other.code not in only.get_data(as_text=True)
    empty = browser.get("/privacy/audit?user=nobody")
    assert "Geen gebeurtenissen" in empty.get_data(as_text=True)
    assert browser.get("/privacy/audit?start=2026-13-01").status_code == 400

    response = browser.get(f"/privacy/audit.csv?code={person.code}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert {r["client_code"] for r in rows} == {person.code}
    assert {"client.created", "client.viewed", "note.added"} <= {r["action"] for r in rows}
    for text in (TEAM_TEXT, SENSITIVE_TEXT, NAME):
        assert text not in body
    exported = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.trail_exported")
    )
    assert exported.user_id == officer.id and exported.client_id == person.id


def test_the_trail_csv_guards_formulas(app, team, companion, login):
    officer = factories.make_user("privacy_officer")
    db.session.add(AuditEvent(action="auth.sign_in", actor="=cmd|calc", address="@SUM(1)"))
    db.session.commit()
    body = login(officer).get("/privacy/audit.csv?action=auth.sign_in").get_data(as_text=True)
    assert "'=cmd|calc" in body and "'@SUM(1)" in body


def test_unusual_access(app, team, other_team, companion, login):
    from app.settings.registry import update_settings

    update_settings({"privacy.other_team_files": 1, "privacy.sensitive_notes": 1}, by=None)
    mover = factories.make_user("companion", teams=[team, other_team], username="verhuizer")
    theirs = [factories.make_client(other_team) for _ in range(2)]
    person = factories.make_client(team, mover)
    for body in ("een", "twee"):
        factories.make_note(person, mover, level="sensitive", body=body)
    officer = factories.make_user("privacy_officer")
    db.session.commit()
    reader = login(mover)
    for client in theirs:
        assert reader.get(f"/clients/{client.id}").status_code == 200
    reader.get(f"/clients/{person.id}")  # reads the sensitive notes there
    mover.teams = [team]  # moved out of the other team since
    db.session.commit()
    page = login(officer).get("/privacy/unusual").get_data(as_text=True)
    assert "verhuizer" in page
    assert "(meer dan 1)" in page


def test_subject_access_export_holds_everything(app, team, companion, login):
    person = _planted(team, companion)
    factories.make_consent(person, by=companion)
    officer = factories.make_user("privacy_officer")
    db.session.commit()
    login(companion).get(f"/clients/{person.id}")
    browser = login(officer)

    response = browser.post(
        f"/privacy/files/{person.id}/access-request", data={"reason": "Brief van de persoon"}
    )
    assert response.status_code == 302 and response.location.endswith(
        f"/privacy/files/{person.id}/export"
    )
    page = browser.get(f"/privacy/files/{person.id}/export").get_data(as_text=True)
    for text in (NAME, TEAM_TEXT, SENSITIVE_TEXT, "Praktisch briefje", person.code):
        assert text in page
    download = browser.get(f"/privacy/files/{person.id}/export.json")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["client"]["preferred_name"] == NAME
    notes = data["notes_without_contact"] + [n for c in data["contacts"] for n in c["notes"]]
    assert {n["level"] for n in notes} == {"practical", "team", "sensitive"}
    assert data["consents"] and data["phases"] is not None and data["documents"] == []
    assert any(a["action"] == "client.viewed" and a["user"] == companion.username
               for a in data["accesses"])  # fmt: skip
    exports = db.session.scalars(
        sa.select(AuditEvent.user_id).where(
            AuditEvent.action == "privacy.subject_access_exported",
            AuditEvent.client_id == person.id,
        )
    ).all()
    assert exports == [officer.id, officer.id]
    assert db.session.scalar(sa.select(PrivacyRequest.kind)) == "access"


def test_subject_access_for_a_client_that_does_not_exist_is_404(app, login):
    officer = factories.make_user("privacy_officer")
    browser = login(officer)
    for url in ("/privacy/files/999999", "/privacy/files/999999/export",
                "/privacy/files/999999/export.json"):  # fmt: skip
        assert browser.get(url).status_code == 404, url
    assert browser.post("/privacy/files/999999/erasure", data={}).status_code == 404


def test_only_the_officer_reaches_the_privacy_pages(app, team, companion, lead, login):
    person = factories.make_client(team, companion)
    admin = factories.make_user("admin")
    db.session.commit()
    for user in (companion, lead, admin):
        browser = login(user)
        for url in ("/privacy/audit", "/privacy/audit.csv", "/privacy/unusual",
                    "/privacy/retention", "/privacy/requests", f"/privacy/files/{person.id}",
                    f"/privacy/files/{person.id}/export.json"):  # fmt: skip
            assert browser.get(url).status_code == 404, (user.role, url)


def test_erasure_granted_anonymises_at_once_and_a_hold_stops_it(app, team, companion, login):
    person = _planted(team, companion)
    officer = factories.make_user("privacy_officer")
    db.session.commit()
    browser = login(officer)

    refused = browser.post(f"/privacy/files/{person.id}/erasure", data={"decision": "granted"})
    assert refused.status_code == 422  # no reason given
    browser.post(f"/privacy/files/{person.id}/hold", data={"hold": "y", "reason": "Rechtszaak"})
    held = browser.post(
        f"/privacy/files/{person.id}/erasure",
        data={"reason": "Vraag per brief", "decision": "granted"},
    )
    assert held.status_code == 409 and "juridische bewaring" in held.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Client, person.id).anonymised_at is None

    browser.post(f"/privacy/files/{person.id}/hold", data={"reason": ""})
    done = browser.post(
        f"/privacy/files/{person.id}/erasure",
        data={"reason": "Vraag per brief", "decision": "granted", "decision_note": "Geen grond"},
    )
    assert done.status_code == 302
    db.session.expire_all()
    client = db.session.get(Client, person.id)
    assert client.anonymised_at is not None and client.preferred_name == ""
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(Note.client_id == person.id, Note.body != "")
    )
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.erasure_request")
    )
    assert event.details == {"decision": "granted", "anonymised": 1}
    assert event.client_id == person.id and event.user_id == officer.id
