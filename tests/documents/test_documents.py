"""Documents on the client file (issue 19, item 3): who reads which document (the notes'
rule: a buddy never gets a team-level one, not even by its URL), encrypted at rest, every
read audited, bad uploads refused with a message and nothing stored, removed with the file's
anonymisation and listed in the subject access export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from app.audit.models import AuditEvent
from app.documents.models import Document
from app.extensions import db
from app.timeutil import today
from tests import factories
from tests.conftest import count
from tests.documents.conftest import stored_files

SECRET = "GEHEIM-verblijfsdossier-4711"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n(" + SECRET.encode() + b")\n%%EOF\n"
TITLES = {"practical": "PRAKT-busabonnement", "team": "TEAM-huurcontract",
          "sensitive": "GEVOELIG-medisch-attest"}  # fmt: skip
NOTES = {"team": "TEAMNOTA-schulden", "sensitive": "GEVOELIGENOTA-verslaving"}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def upload(browser, client, data: bytes, name: str, level: str = "team", title: str = ""):
    return browser.post(
        f"/clients/{client.id}/documents/new",
        data={"file": (io.BytesIO(data), name), "title": title, "level": level},
        content_type="multipart/form-data",
    )


@pytest.fixture
def world(app, team, other_team, login):
    users = {
        "companion": factories.make_user("companion", teams=[team]),  # primary, uploads
        "colleague": factories.make_user("companion", teams=[team]),  # same team, not assigned
        "lead": factories.make_user("lead", teams=[team]),
        "buddy": factories.make_user("buddy", teams=[team]),  # matched
        "unmatched_buddy": factories.make_user("buddy", teams=[team]),
        "other_companion": factories.make_user("companion", teams=[other_team]),
    }
    client = factories.make_client(
        team, users["companion"], preferred_name="Saled", registered_on=today() - timedelta(9)
    )
    factories.match(client, users["buddy"])
    factories.make_note(client, users["companion"], "team", NOTES["team"])
    factories.make_note(client, users["companion"], "sensitive", NOTES["sensitive"])
    db.session.commit()
    uploader = login(users["companion"])
    for level, title in TITLES.items():
        response = upload(uploader, client, PDF, f"{level}.pdf", level, title)
        assert response.status_code == 302, response.get_data(as_text=True)
    documents = {d.level.value: d for d in db.session.scalars(sa.select(Document))}
    return users, client, documents


# Which documents each user may download.
READS = {
    "companion": {"practical", "team", "sensitive"},
    "colleague": {"practical", "team"},  # sensitive: author, assigned companions, leads only
    "lead": {"practical", "team", "sensitive"},
    "buddy": {"practical"},
    "unmatched_buddy": set(),
    "other_companion": set(),
}


@pytest.mark.parametrize("who", list(READS))
def test_who_reads_which_document(world, login, who):
    users, client, documents = world
    browser = login(users[who])
    for level, document in documents.items():
        response = browser.get(f"/clients/{client.id}/documents/{document.id}")
        if level in READS[who]:
            assert response.status_code == 200, (who, level)
            assert response.data == PDF
        else:  # also when guessing the URL: exactly like a document that does not exist
            assert response.status_code == 404, (who, level)
            assert SECRET.encode() not in response.data
    missing = browser.get(f"/clients/{client.id}/documents/999999")
    assert missing.status_code == 404

    page = browser.get(f"/clients/{client.id}").get_data(as_text=True)
    for level, title in TITLES.items():
        assert (title in page) == (level in READS[who]), (who, level)
    for text in NOTES.values():  # the documents card carries no note text to the buddy
        if who in ("buddy", "unmatched_buddy", "other_companion"):
            assert text not in page


def test_the_timeline_shows_documents_without_sensitive_titles(world, login):
    users, client, documents = world
    page = login(users["colleague"]).get(f"/clients/{client.id}/timeline").get_data(as_text=True)
    assert 'data-source="document"' in page
    assert TITLES["team"] in page and TITLES["practical"] in page
    assert TITLES["sensitive"] not in page
    assert NOTES["sensitive"] not in page
    lead_page = login(users["lead"]).get(f"/clients/{client.id}/timeline?kind=document")
    assert TITLES["sensitive"] not in lead_page.get_data(as_text=True)


def test_a_download_is_an_attachment_and_is_audited(world, login):
    users, client, documents = world
    before = count(AuditEvent, AuditEvent.action == "document.read")
    response = login(users["lead"]).get(
        f"/clients/{client.id}/documents/{documents['sensitive'].id}"
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sensitive.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    event = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "document.read")
        .order_by(AuditEvent.id.desc())
    )
    assert count(AuditEvent, AuditEvent.action == "document.read") == before + 1
    assert event.client_id == client.id and event.user_id == users["lead"].id
    assert event.object_id == str(documents["sensitive"].id)
    # A refused read is no read: nothing is recorded for the buddy's guess.
    login(users["buddy"]).get(f"/clients/{client.id}/documents/{documents['team'].id}")
    assert count(AuditEvent, AuditEvent.action == "document.read") == before + 1


def test_a_sensitive_title_listed_on_the_client_page_is_audited(world, login):
    users, client, documents = world
    login(users["lead"]).get(f"/clients/{client.id}")
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(
            AuditEvent.action == "document.sensitive_listed",
            AuditEvent.user_id == users["lead"].id,
            AuditEvent.client_id == client.id,
        )
    )


def test_the_stored_file_is_encrypted(world, documents_dir):
    _users, _client, documents = world
    files = stored_files(documents_dir)
    assert len(files) == 3
    for path in files:
        raw = path.read_bytes()
        assert SECRET.encode() not in raw and b"%PDF" not in raw
    # Stored under a random name, outside the web root, not under the name given.
    assert not any("pdf" in p.name for p in files)
    assert {p.name for p in files} == {d.storage_key for d in documents.values()}


def test_a_document_cannot_be_read_with_another_key(world, login, app, monkeypatch):
    from cryptography.fernet import Fernet

    users, client, documents = world
    monkeypatch.setitem(app.config, "DOCUMENTS_KEY", Fernet.generate_key().decode())
    response = login(users["lead"]).get(f"/clients/{client.id}/documents/{documents['team'].id}")
    assert response.status_code == 410
    assert SECRET.encode() not in response.data


@pytest.mark.parametrize(
    ("data", "name", "status", "message"),
    [
        (b"Dit is gewoon tekst, geen foto.", "foto.png", 415, "geen PDF, JPEG of PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"rommel" * 10, "kapot.png", 415, "geen PDF, JPEG of PNG"),
        (b"<html><script>alert(1)</script></html>", "brief.pdf", 415, "niet naar de naam"),
        (b"", "leeg.pdf", 400, "Het bestand is leeg"),
        (PDF, "../../etc/passwd.pdf", 400, "tekens die niet toegelaten zijn"),
        (PDF, "..\\..\\windows\\brief.pdf", 400, "tekens die niet toegelaten zijn"),
        (PDF, ".htaccess", 400, "tekens die niet toegelaten zijn"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    as_companion, team, companion, documents_dir, data, name, status, message
):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = upload(as_companion, client, data, name)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)
    assert count(Document) == 0
    assert stored_files(documents_dir) == []


def test_a_50_mb_upload_gets_a_translated_413_page(as_companion, team, companion, documents_dir):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = upload(as_companion, client, b"%PDF-" + b"0" * (50 * 1024 * 1024), "groot.pdf")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Het bestand is groter dan 10 MB. Er werd niets bewaard." in page
    assert count(Document) == 0 and stored_files(documents_dir) == []


def test_a_file_just_over_the_setting_is_refused(
    app, as_companion, team, companion, documents_dir, monkeypatch
):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_MB", 1)
    client = factories.make_client(team, companion)
    db.session.commit()
    data = b"%PDF-1.4\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    response = upload(as_companion, client, data, "net-te-groot.pdf")
    assert response.status_code == 413
    assert "groter dan 1 MB" in response.get_data(as_text=True)
    assert count(Document) == 0 and stored_files(documents_dir) == []


def test_a_png_is_kept_and_a_heic_photo_becomes_a_jpeg(as_companion, team, companion):
    import pillow_heif

    client = factories.make_client(team, companion)
    db.session.commit()
    assert upload(as_companion, client, png_bytes(), "scan.png").status_code == 302
    heif = pillow_heif.from_pillow(Image.new("RGB", (16, 16), "red"))
    out = io.BytesIO()
    heif.save(out, format="HEIF")
    response = upload(as_companion, client, out.getvalue(), "IMG_0001.HEIC", title="Brief OCMW")
    assert response.status_code == 302
    png, photo = db.session.scalars(sa.select(Document).order_by(Document.id)).all()
    assert png.content_type.value == "image/png" and png.title == "scan"
    assert photo.content_type.value == "image/jpeg" and photo.converted_from == "heic"
    assert photo.original_name == "IMG_0001.jpg" and photo.title == "Brief OCMW"
    body = as_companion.get(f"/clients/{client.id}/documents/{photo.id}").data
    assert body.startswith(b"\xff\xd8\xff")


def test_the_upload_form_offers_the_camera(as_companion, team, companion):
    client = factories.make_client(team, companion)
    db.session.commit()
    page = as_companion.get(f"/clients/{client.id}/documents/new").get_data(as_text=True)
    assert 'type="file"' in page and 'accept="image/*,application/pdf"' in page
    assert 'capture="environment"' in page and 'enctype="multipart/form-data"' in page
    assert "hoogstens 10 MB" in page
    assert "Document toevoegen" in as_companion.get(f"/clients/{client.id}").get_data(as_text=True)


def test_a_buddy_cannot_upload(login, team, companion, buddy):
    client = factories.make_client(team, companion)
    factories.match(client, buddy)
    db.session.commit()
    browser = login(buddy)
    assert upload(browser, client, PDF, "x.pdf", "practical").status_code == 404
    assert count(Document) == 0


def test_an_unknown_level_is_refused(login, team, companion):
    client = factories.make_client(team, companion)
    db.session.commit()
    response = upload(login(companion), client, PDF, "x.pdf", "secret")
    assert response.status_code == 422
    assert count(Document) == 0


def test_anonymisation_removes_the_documents_and_their_files(world, documents_dir):
    from app.privacy.anonymise import anonymise

    _users, client, _documents = world
    assert len(stored_files(documents_dir)) == 3
    assert anonymise([client.id]) == 1
    db.session.commit()
    assert count(Document, Document.client_id == client.id) == 0
    assert stored_files(documents_dir) == []


def test_a_rolled_back_anonymisation_keeps_the_files(world, documents_dir):
    from app.privacy.anonymise import anonymise

    _users, client, _documents = world
    anonymise([client.id])
    assert count(Document, Document.client_id == client.id) == 0
    db.session.rollback()  # the files go only with a commit
    assert len(stored_files(documents_dir)) == 3


def test_the_subject_access_export_lists_the_documents(world):
    from app.privacy.subject_access import collect

    _users, client, documents = world
    listed = collect(client)["documents"]
    assert {d["title"] for d in listed} == set(TITLES.values())
    assert all("storage_key" not in d and d["content_type"] == "application/pdf" for d in listed)
