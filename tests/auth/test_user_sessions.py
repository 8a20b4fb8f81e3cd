"""A user sees their active sessions and ends the others; deactivating an account ends its
sessions and revokes its API tokens at once (issue 16, item 3)."""

from __future__ import annotations

import sqlalchemy as sa

from app.api.tokens import ApiToken, create_token
from app.audit.models import AuditEvent
from app.auth.models import UserSession
from app.extensions import db
from tests.conftest import count


def test_a_user_sees_their_sessions_and_ends_another_one(app, login, companion, lead):
    tablet = login(companion)
    phone = app.test_client()
    db.session.commit()
    phone.post(
        "/login",
        data={"username": companion.username, "password": "correct horse battery"},
        headers={"User-Agent": "Telefoon-Browser/1.0"},
    )
    assert phone.get("/").status_code == 200
    page = tablet.get("/account/sessions").get_data(as_text=True)
    assert "Telefoon-Browser/1.0" in page and "dit toestel" in page
    assert page.count("Sessie beëindigen") == 1  # the phone's; not this tablet's own

    phone_row = db.session.scalar(
        sa.select(UserSession).where(UserSession.user_agent == "Telefoon-Browser/1.0")
    )
    someone_else = login(lead)
    assert someone_else.post(f"/account/sessions/{phone_row.id}/end").status_code == 404
    assert phone.get("/").status_code == 200

    assert tablet.post(f"/account/sessions/{phone_row.id}/end").status_code == 302
    refused = phone.get("/")
    assert refused.status_code == 302 and refused.location.startswith("/login")
    shown = phone.get(refused.location).get_data(as_text=True)
    assert "Deze sessie werd beëindigd." in shown
    assert tablet.get("/").status_code == 200
    assert "Telefoon-Browser/1.0" not in tablet.get("/account/sessions").get_data(as_text=True)
    assert count(AuditEvent, AuditEvent.action == "auth.session_ended") == 1


def test_end_all_other_sessions(app, login, companion):
    tablet, phone, laptop = login(companion), login(companion), login(companion)
    assert tablet.post("/account/sessions/end-others").status_code == 302
    assert tablet.get("/").status_code == 200
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302


def test_deactivation_ends_sessions_and_revokes_tokens_at_once(app, login, companion, admin_user):
    browser = login(companion)
    _token, plain = create_token(companion, "sync")
    db.session.commit()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    assert api.get("/api/v1/me", headers=headers).status_code == 200

    as_admin = login(admin_user)
    assert (
        as_admin.post(f"/admin/users/{companion.id}/active", data={"active": "0"}).status_code
        == 302
    )
    assert browser.get("/").status_code == 302
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    token = db.session.scalar(sa.select(ApiToken))
    assert token.revoked_at is not None
    assert count(UserSession, UserSession.ended_at.is_(None)) == 1  # the admin's own


def test_last_activity_is_kept_at_most_once_a_minute(app, login, companion):
    import time_machine

    from app.database import utcnow

    with time_machine.travel(utcnow(), tick=False) as clock:
        browser = login(companion)
        row = db.session.scalar(sa.select(UserSession))
        signed_in = row.last_seen_at
        clock.shift(30)
        assert browser.get("/").status_code == 200
        db.session.refresh(row)
        assert row.last_seen_at == signed_in
        clock.shift(60)
        assert browser.get("/").status_code == 200
        db.session.refresh(row)
        assert row.last_seen_at == utcnow()
